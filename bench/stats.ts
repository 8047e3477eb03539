/** Medians over repeated runs, printed one line per measurement. */
export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

export async function time(f: () => Promise<unknown>): Promise<number> {
  const t = performance.now()
  await f()
  return performance.now() - t
}

export function report(name: string, xs: number[], target?: number) {
  const verdict =
    target === undefined
      ? ''
      : median(xs) <= target
        ? `   ✔ target ${target} ms`
        : `   ✘ over the ${target} ms target`
  console.log(
    `${name.padEnd(56)} median ${median(xs).toFixed(0).padStart(6)} ms   (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)}, n=${xs.length})${verdict}`,
  )
}

/** Per-stage medians, indented under the total they add up to. */
export function reportStages(stages: Record<string, number[]>) {
  for (const [name, xs] of Object.entries(stages)) {
    console.log(`    ${name.padEnd(52)} median ${median(xs).toFixed(0).padStart(6)} ms`)
  }
}
