/**
 * One line on stderr, rewritten in place at most ten times a second, for work that counts to a known
 * total: `executions ██████████░░░░░░░░░░ 52% 5,200/10,000 · 260/s · about 19 s left`. Nothing is written
 * unless a person is watching (stderr is a terminal and the output is not --json).
 */
export class ProgressLine {
  #last = 0
  #shown = false
  #started = new Map<string, { at: number; done: number }>()
  constructor(
    readonly enabled: boolean,
    private readonly now: () => number = Date.now,
    private readonly write: (text: string) => void = (t) => process.stderr.write(t),
  ) {}

  /** A count towards a total, drawn as a bar with its rate and time left. */
  count(label: string, done: number, total: number, note = '') {
    if (!this.enabled) return
    const now = this.now()
    // The rate is measured from the first count of this label, not from the start of the command.
    const start = this.#started.get(label) ?? { at: now, done }
    if (!this.#started.has(label)) this.#started.set(label, start)
    this.show(progressText({ label, done, total, note, seconds: (now - start.at) / 1000, since: start.done }))
  }

  /** Free text, for a step without a count. */
  show(text: string) {
    if (!this.enabled) return
    const now = this.now()
    if (now - this.#last < 100) return
    this.#last = now
    this.#shown = true
    this.write(`\r\u001b[2K${text}`)
  }

  clear() {
    if (this.#shown) this.write('\r\u001b[2K')
    this.#shown = false
  }
}

const BAR_WIDTH = 20
const number = new Intl.NumberFormat('en-US')

/**
 * The line for `done` of `total`: a bar, the percentage, the counts, and once a second's worth of work
 * is done the rate and an estimate of the time left (`since` is where the count stood `seconds` ago).
 */
export function progressText(p: {
  label: string
  done: number
  total: number
  note?: string
  seconds?: number
  since?: number
}): string {
  const fraction = p.total > 0 ? Math.min(1, Math.max(0, p.done / p.total)) : 1
  const filled = Math.round(fraction * BAR_WIDTH)
  const bar = `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}`
  const parts = [
    `${p.label} ${bar} ${Math.floor(fraction * 100)}% ${number.format(p.done)}/${number.format(p.total)}`,
  ]
  const worked = p.done - (p.since ?? 0)
  if (p.seconds !== undefined && p.seconds >= 1 && worked > 0) {
    const rate = worked / p.seconds
    parts.push(`${number.format(Math.round(rate))}/s`)
    if (p.done < p.total) parts.push(`about ${duration((p.total - p.done) / rate)} left`)
  }
  if (p.note) parts.push(p.note)
  return parts.join(' · ')
}

function duration(seconds: number): string {
  const s = Math.ceil(seconds)
  if (s < 60) return `${s} s`
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`
}
