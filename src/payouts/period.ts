import type { PayoutSchedule } from './schedule.js'

/** Payout periods are calendar months: what stewards, contributors and accountants all count in. */
export const PERIOD_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/

export type PeriodCheck = { ok: true } | { ok: false; reason: string }

export function checkPeriod(period: string, schedule: Pick<PayoutSchedule, 'periods' | 'id'>): PeriodCheck {
  if (!PERIOD_PATTERN.test(period)) return { ok: false, reason: `"${period}" is not a month like 2026-11` }
  const { from, until } = schedule.periods
  if (from && period < from) return { ok: false, reason: `schedule ${schedule.id} starts in ${from}` }
  if (until && period > until) return { ok: false, reason: `schedule ${schedule.id} ended in ${until}` }
  return { ok: true }
}

/** The memo every payment of a schedule's period carries on chain (an allocation's memo, or after a transfer's arguments). */
export const payoutMemo = (scheduleId: string, period: string) => `payout:${scheduleId}:${period}`

/** The inverse of `payoutMemo`; undefined for any other text. */
export function parsePayoutMemo(memo: string): { scheduleId: string; period: string } | undefined {
  const m = /^payout:([a-z0-9][a-z0-9-]{0,47}):(\d{4}-(?:0[1-9]|1[0-2]))$/.exec(memo)
  return m ? { scheduleId: m[1]!, period: m[2]! } : undefined
}
