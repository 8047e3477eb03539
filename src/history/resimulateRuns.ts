/** Target blocks `[start, end)` (indices into the sorted target blocks) that one fork replays in order. */
export type ResimulationRun = { start: number; end: number }

export type PlanResimulationRunsParameters = {
  /** The target blocks, ascending, each once. */
  blocks: readonly number[]
  resetEveryBlock: boolean
  /** The widest gap between two target blocks that a fork may replay instead of resetting. */
  maxGap: number
}

/**
 * Cuts the target blocks into runs, each replayed by one fork: blocks that follow each other (or are at
 * most `maxGap` blocks apart) stay in one run, so the fork replays each on top of the one before instead
 * of resetting to its parent. A run is cut where the gap is wider, and before every block with
 * `resetEveryBlock` (every block is reset anyway). Long runs are not cut here: a cut costs a reset, so
 * one is split only when a fork would otherwise stand idle (`splitRun`).
 */
export function planResimulationRuns({
  blocks,
  resetEveryBlock,
  maxGap,
}: PlanResimulationRunsParameters): ResimulationRun[] {
  const runs: ResimulationRun[] = []
  let start = 0
  for (let i = 1; i <= blocks.length; i++) {
    const cut = i === blocks.length || resetEveryBlock || blocks[i]! - blocks[i - 1]! - 1 > maxGap
    if (cut) {
      runs.push({ start, end: i })
      start = i
    }
  }
  return blocks.length ? runs : []
}

/** A run being replayed: `next` is the next block its fork takes. */
export type ActiveRun = ResimulationRun & { next: number }

/**
 * For a fork with nothing left to take: the far part of the run with the most blocks still to replay, cut
 * off that run (its `end` moves back) and returned as a run of its own, or undefined when no run has
 * `minBlocks` left. At most `maxAhead` blocks stay with the run's own fork, so the new run starts close
 * to where the results are needed.
 */
export function splitRun(
  active: Iterable<ActiveRun>,
  { minBlocks, maxAhead }: { minBlocks: number; maxAhead: number },
): ActiveRun | undefined {
  let busiest: ActiveRun | undefined
  for (const run of active)
    if (run.end - run.next >= minBlocks && (!busiest || run.end - run.next > busiest.end - busiest.next))
      busiest = run
  if (!busiest) return undefined
  const mid = busiest.next + Math.max(1, Math.min(Math.floor((busiest.end - busiest.next) / 2), maxAhead))
  const split = { start: mid, end: busiest.end, next: mid }
  busiest.end = mid
  return split
}
