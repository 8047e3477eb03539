/** Human amounts ("12500.5", "1_000") to base units, refusing anything that would lose precision. */
export type ParsedAmount = { ok: true; value: bigint } | { ok: false; reason: string }

const AMOUNT = /^(\d+(?:_\d+)*)(?:\.(\d+))?$/

export function parseAmount(input: unknown, decimals: number, what = 'amount'): ParsedAmount {
  if (typeof input === 'number') {
    if (!Number.isSafeInteger(input)) {
      // Not echoed: YAML has already rounded it, and the rounded figure would suggest another amount.
      return {
        ok: false,
        reason: `write the ${what} as a quoted string (e.g. "12500.5") so no precision is lost`,
      }
    }
    input = String(input)
  }
  if (typeof input !== 'string')
    return { ok: false, reason: `expected the ${what} as a string like "12500.5"` }
  const match = AMOUNT.exec(input.trim())
  if (!match) return { ok: false, reason: `"${input}" is not a non-negative decimal ${what}` }
  const whole = match[1]!.replaceAll('_', '')
  const fraction = match[2] ?? ''
  if (fraction.length > decimals) {
    return {
      ok: false,
      reason: `"${input}" has ${fraction.length} decimals but the token has only ${decimals}`,
    }
  }
  return { ok: true, value: BigInt(whole + fraction.padEnd(decimals, '0')) }
}

/** Base units back to a human string with thousands separators, trimming trailing zeros. */
export function formatAmount(value: bigint, decimals: number, { group = true } = {}): string {
  const negative = value < 0n
  const abs = negative ? -value : value
  const s = abs.toString().padStart(decimals + 1, '0')
  const whole = s.slice(0, s.length - decimals)
  const fraction = s.slice(s.length - decimals).replace(/0+$/, '')
  const grouped = group ? whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',') : whole
  return `${negative ? '-' : ''}${grouped}${fraction ? `.${fraction}` : ''}`
}

const DURATION = /^(\d+)\s*(s|m|h|d|w)?$/
const UNIT_SECONDS = { s: 1n, m: 60n, h: 3600n, d: 86_400n, w: 604_800n } as const

export type ParsedDuration = { ok: true; seconds: bigint } | { ok: false; reason: string }

/** "30d", "12h", "90m", "3600" (seconds). */
export function parseDuration(input: unknown): ParsedDuration {
  const text = typeof input === 'number' && Number.isSafeInteger(input) ? String(input) : input
  if (typeof text !== 'string')
    return { ok: false, reason: 'expected a duration like "30d", "12h" or "3600"' }
  const match = DURATION.exec(text.trim())
  if (!match)
    return { ok: false, reason: `"${text}" is not a duration (use e.g. "30d", "12h", "90m", "3600")` }
  const seconds = BigInt(match[1]!) * UNIT_SECONDS[(match[2] ?? 's') as keyof typeof UNIT_SECONDS]
  if (seconds === 0n) return { ok: false, reason: 'duration must be greater than zero' }
  return { ok: true, seconds }
}

export function formatDuration(seconds: bigint): string {
  for (const [unit, size] of [
    ['w', 604_800n],
    ['d', 86_400n],
    ['h', 3600n],
    ['m', 60n],
  ] as const) {
    if (seconds % size === 0n) return `${seconds / size}${unit}`
  }
  return `${seconds}s`
}

/** The two largest units of a span: "3d 4h", "1h 2m", "59s". */
export function formatSpan(seconds: number): string {
  const units = [
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ] as const
  const rest = Math.round(seconds)
  const first = units.findIndex(([, size]) => rest >= size)
  if (first === -1) return `${rest}s`
  const [unit, size] = units[first]!
  const parts = [`${Math.floor(rest / size)}${unit}`]
  // Only the next unit down may follow: 86,401 s is "1d", not "1d 1s", which skips the hours.
  const next = units[first + 1]
  const count = next ? Math.floor((rest % size) / next[1]) : 0
  if (next && count > 0) parts.push(`${count}${next[0]}`)
  return parts.join(' ')
}
