import { describe, expect, it } from 'vitest'
import { formatSpan } from '../../../src/utils/units.js'

const MINUTE = 60
const HOUR = 3600
const DAY = 86_400

describe('formatSpan', () => {
  it('says 0s for no time at all', () => {
    expect(formatSpan(0)).toBe('0s')
  })

  it('counts seconds below a minute', () => {
    expect(formatSpan(1)).toBe('1s')
    expect(formatSpan(59)).toBe('59s')
  })

  it('drops a zero second unit', () => {
    expect(formatSpan(MINUTE)).toBe('1m')
    expect(formatSpan(HOUR)).toBe('1h')
    expect(formatSpan(DAY)).toBe('1d')
    expect(formatSpan(2 * DAY)).toBe('2d')
  })

  it('shows the largest unit and the next one down', () => {
    expect(formatSpan(61)).toBe('1m 1s')
    expect(formatSpan(HOUR - 1)).toBe('59m 59s')
    expect(formatSpan(HOUR + MINUTE)).toBe('1h 1m')
    expect(formatSpan(DAY - 1)).toBe('23h 59m')
    expect(formatSpan(3 * DAY + 4 * HOUR)).toBe('3d 4h')
  })

  it('keeps only the two largest units, truncating the rest (never rounding up)', () => {
    expect(formatSpan(DAY + HOUR + MINUTE + 1)).toBe('1d 1h') // 90061
    expect(formatSpan(HOUR + 59 * MINUTE + 59)).toBe('1h 59m')
    expect(formatSpan(10_000_000)).toBe('115d 17h')
  })

  it('never skips a unit: a zero next unit ends the span rather than a smaller one following', () => {
    expect(formatSpan(HOUR + 1)).toBe('1h')
    expect(formatSpan(DAY + 1)).toBe('1d')
    expect(formatSpan(DAY + MINUTE)).toBe('1d')
    expect(formatSpan(DAY + 59 * MINUTE + 59)).toBe('1d')
  })

  it('rounds fractional seconds to the nearest second first', () => {
    expect(formatSpan(0.4)).toBe('0s')
    expect(formatSpan(0.5)).toBe('1s')
    expect(formatSpan(59.5)).toBe('1m')
    expect(formatSpan(HOUR - 0.6)).toBe('59m 59s')
    expect(formatSpan(HOUR - 0.4)).toBe('1h')
  })

  it('stays in days for spans of weeks', () => {
    expect(formatSpan(14 * DAY + 12 * HOUR)).toBe('14d 12h')
  })
})
