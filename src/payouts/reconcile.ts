import type { Address, Hex } from '../safe/types.js'
import { formatAmount } from '../utils/units.js'
import type { ChainPayment } from './paymentsOnChain.js'
import type { QueuedPayoutTransaction } from './payoutsInQueue.js'
import type { PayoutLine } from './schedule.js'

export type PayoutState =
  | { state: 'paid'; payments: ChainPayment[] }
  | { state: 'proposed'; safeTxHash: Hex; nonce: bigint; amount: bigint }
  | { state: 'due' }

export type PayoutItem = { line: PayoutLine; status: PayoutState }

export type PayoutFinding = { level: 'warning' | 'danger'; message: string }

export type Reconciliation = {
  period: string
  items: PayoutItem[]
  /** Payments of this period to a recipient and token the schedule no longer lists. */
  unlisted: ChainPayment[]
  findings: PayoutFinding[]
}

/** A payout is one recipient paid one token for one period of one schedule. */
export const payoutKey = (recipient: Address, token: Address) => `${recipient}|${token}`

/**
 * What the period still owes, from what the chain paid and what the queue holds — never from the local
 * ledger. A recipient paid (even a different amount) is not paid again: a changed amount is a finding
 * for a person to settle, not something to top up automatically.
 */
export function reconcile(
  period: string,
  lines: readonly PayoutLine[],
  paid: readonly ChainPayment[],
  queued: readonly QueuedPayoutTransaction[],
  label: (address: string) => string = (a) => a,
): Reconciliation {
  const findings: PayoutFinding[] = []
  const paidByKey = new Map<string, ChainPayment[]>()
  for (const p of paid.filter((p) => p.period === period)) {
    const key = payoutKey(p.recipient, p.token)
    paidByKey.set(key, [...(paidByKey.get(key) ?? []), p])
  }
  const queuedByKey = new Map<string, { tx: QueuedPayoutTransaction; amount: bigint }[]>()
  for (const tx of queued)
    for (const p of tx.payouts.filter((p) => p.period === period)) {
      const key = payoutKey(p.recipient, p.token)
      queuedByKey.set(key, [...(queuedByKey.get(key) ?? []), { tx, amount: p.amount }])
    }

  const listed = new Set<string>()
  const items = lines.map((line): PayoutItem => {
    const key = payoutKey(line.recipient, line.token.address)
    listed.add(key)
    const who = `${label(line.recipient)} (${line.token.symbol})`
    const amount = (v: bigint) => `${formatAmount(v, line.token.decimals)} ${line.token.symbol}`
    const payments = paidByKey.get(key) ?? []
    const proposals = queuedByKey.get(key) ?? []
    if (payments.length > 1)
      findings.push({
        level: 'danger',
        message: `${who} was paid ${payments.length} times for ${period}: ${payments.map((p) => p.transactionHash).join(', ')}`,
      })
    for (const p of payments)
      if (p.amount !== line.amount)
        findings.push({
          level: 'warning',
          message: `${who} was paid ${amount(p.amount)} for ${period}; the schedule now says ${amount(line.amount)} (not topped up)`,
        })
    if (payments.length && proposals.length)
      findings.push({
        level: 'danger',
        message: `${who} is already paid for ${period}, yet queued again in ${proposals.map((q) => q.tx.safeTxHash).join(', ')}: reject it`,
      })
    if (proposals.length > 1)
      findings.push({
        level: 'danger',
        message: `${who} is queued ${proposals.length} times for ${period}: ${proposals.map((q) => q.tx.safeTxHash).join(', ')}; execute one, reject the others`,
      })
    if (payments.length) return { line, status: { state: 'paid', payments } }
    const first = proposals[0]
    if (first) {
      if (first.amount !== line.amount)
        findings.push({
          level: 'warning',
          message: `${who} is queued with ${amount(first.amount)} for ${period}; the schedule now says ${amount(line.amount)}`,
        })
      return {
        line,
        status: {
          state: 'proposed',
          safeTxHash: first.tx.safeTxHash,
          nonce: first.tx.nonce,
          amount: first.amount,
        },
      }
    }
    return { line, status: { state: 'due' } }
  })
  const unlisted = [...paidByKey.entries()].filter(([key]) => !listed.has(key)).flatMap(([, p]) => p)
  return { period, items, unlisted, findings }
}

export const dueLines = (r: Reconciliation) =>
  r.items.filter((i) => i.status.state === 'due').map((i) => i.line)
