import { describe, expect, it } from 'vitest'
import { checkPeriod, parsePayoutMemo, payoutMemo } from '../../../src/payouts/period.js'

const schedule = { id: 'contributors', periods: { from: '2026-09', until: '2026-12' } }

describe('checkPeriod', () => {
  it('accepts a month within the schedule’s periods, bounds included', () => {
    for (const p of ['2026-09', '2026-10', '2026-12']) expect(checkPeriod(p, schedule)).toEqual({ ok: true })
  })

  it('accepts any month when the schedule has no bounds', () => {
    expect(checkPeriod('1999-01', { id: 'x', periods: {} })).toEqual({ ok: true })
  })

  it('refuses what is not a month', () => {
    for (const p of ['2026-13', '2026-00', '2026-9', '26-09', '2026-09-01', '2026/09', ' 2026-09', ''])
      expect(checkPeriod(p, schedule)).toEqual({ ok: false, reason: `"${p}" is not a month like 2026-11` })
  })

  it('refuses a month before the first or after the last', () => {
    expect(checkPeriod('2026-08', schedule)).toEqual({
      ok: false,
      reason: 'schedule contributors starts in 2026-09',
    })
    expect(checkPeriod('2027-01', schedule)).toEqual({
      ok: false,
      reason: 'schedule contributors ended in 2026-12',
    })
  })
})

describe('payoutMemo and parsePayoutMemo', () => {
  it('round-trips', () => {
    const memo = payoutMemo('contributors', '2026-11')
    expect(memo).toBe('payout:contributors:2026-11')
    expect(parsePayoutMemo(memo)).toEqual({ scheduleId: 'contributors', period: '2026-11' })
    const long = `a${'-9'.repeat(23)}z`.slice(0, 48)
    expect(parsePayoutMemo(payoutMemo(long, '2030-01'))).toEqual({ scheduleId: long, period: '2030-01' })
  })

  it('refuses look-alikes', () => {
    for (const memo of [
      'payout:Bad:2026-11',
      'payout:x:2026-13',
      'payout:x:2026-00',
      'payout:x:2026-11:extra',
      'payout:x:2026-11 ',
      ' payout:x:2026-11',
      'payout:x:2026-11\n',
      'Payout:x:2026-11',
      'payout::2026-11',
      'payout:-x:2026-11',
      `payout:${'a'.repeat(49)}:2026-11`,
      'payout:x:2026-1',
      'payout:x_y:2026-11',
      'payout:x',
      '',
    ])
      expect(parsePayoutMemo(memo), JSON.stringify(memo)).toBeUndefined()
  })
})
