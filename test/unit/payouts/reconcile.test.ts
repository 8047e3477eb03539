import { describe, expect, it } from 'vitest'
import type { ChainPayment } from '../../../src/payouts/paymentsOnChain.js'
import type { QueuedPayoutTransaction } from '../../../src/payouts/payoutsInQueue.js'
import { dueLines, payoutKey, reconcile } from '../../../src/payouts/reconcile.js'
import type { SafePlan } from '../../../src/plan/types.js'
import type { Address, Hex } from '../../../src/safe/types.js'
import { ALICE, ALLY, aUSD, BOB, CAROL, GRANTS_MULTISIG, line, PLAY_DAO_TREASURY, ws } from './fixtures.js'

const PERIOD = '2026-11'
const hash = (n: number) => `0x${n.toString(16).padStart(64, '0')}` as Hex

const paid = (
  recipient: Address,
  amount: bigint,
  n: number,
  { period = PERIOD, token = aUSD.address }: { period?: string; token?: Address } = {},
): ChainPayment => ({
  period,
  recipient,
  token,
  amount,
  transactionHash: hash(n),
  blockNumber: n,
  via: 'transfer',
})

const queued = (
  n: number,
  payouts: { recipient: Address; amount: bigint; period?: string; token?: Address }[],
): QueuedPayoutTransaction => ({
  safeTxHash: hash(0x1000 + n),
  nonce: BigInt(n),
  payouts: payouts.map((p) => ({
    period: p.period ?? PERIOD,
    recipient: p.recipient,
    token: p.token ?? aUSD.address,
    amount: p.amount,
    via: 'transfer',
    target: p.token ?? aUSD.address,
  })),
  plan: {} as SafePlan,
})

const label = (a: string) => ws.book.label(a)

describe('reconcile', () => {
  it('marks each line paid, proposed or due', () => {
    const lines = [line(ALICE, aUSD, 100n), line(BOB, aUSD, 200n), line(CAROL, aUSD, 300n)]
    const q = queued(7, [{ recipient: BOB, amount: 200n }])
    const r = reconcile(PERIOD, lines, [paid(ALICE, 100n, 1)], [q], label)
    expect(r.period).toBe(PERIOD)
    expect(r.items).toEqual([
      { line: lines[0], status: { state: 'paid', payments: [paid(ALICE, 100n, 1)] } },
      { line: lines[1], status: { state: 'proposed', safeTxHash: q.safeTxHash, nonce: 7n, amount: 200n } },
      { line: lines[2], status: { state: 'due' } },
    ])
    expect(r.findings).toEqual([])
    expect(r.unlisted).toEqual([])
    expect(dueLines(r)).toEqual([lines[2]])
  })

  it('tells tokens apart: the same recipient paid in another token is still due', () => {
    const lines = [line(ALICE, aUSD, 100n), line(ALICE, ALLY, 5n)]
    const r = reconcile(PERIOD, lines, [paid(ALICE, 100n, 1)], [])
    expect(r.items.map((i) => i.status.state)).toEqual(['paid', 'due'])
    expect(payoutKey(ALICE, aUSD.address)).not.toBe(payoutKey(ALICE, ALLY.address))
  })

  it('does not pay again a recipient paid another amount, and warns', () => {
    const lines = [line(ALICE, aUSD, 1_500_000n)]
    const r = reconcile(PERIOD, lines, [paid(ALICE, 1_000_000n, 1)], [], label)
    expect(r.items[0]?.status.state).toBe('paid')
    expect(dueLines(r)).toEqual([])
    expect(r.findings).toEqual([
      {
        level: 'warning',
        message: 'alice (aUSD) was paid 1 aUSD for 2026-11; the schedule now says 1.5 aUSD (not topped up)',
      },
    ])
  })

  it('flags a recipient paid twice as danger', () => {
    const r = reconcile(PERIOD, [line(ALICE, aUSD, 100n)], [paid(ALICE, 100n, 1), paid(ALICE, 100n, 2)], [])
    expect(r.items[0]?.status).toEqual({
      state: 'paid',
      payments: [paid(ALICE, 100n, 1), paid(ALICE, 100n, 2)],
    })
    expect(r.findings).toEqual([
      {
        level: 'danger',
        message: `${ALICE} (aUSD) was paid 2 times for 2026-11: ${hash(1)}, ${hash(2)}`,
      },
    ])
  })

  it('flags a paid recipient that is queued again as danger (and it stays paid)', () => {
    const q = queued(3, [{ recipient: ALICE, amount: 100n }])
    const r = reconcile(PERIOD, [line(ALICE, aUSD, 100n)], [paid(ALICE, 100n, 1)], [q], label)
    expect(r.items[0]?.status.state).toBe('paid')
    expect(r.findings).toEqual([
      {
        level: 'danger',
        message: `alice (aUSD) is already paid for 2026-11, yet queued again in ${q.safeTxHash}: reject it`,
      },
    ])
  })

  it('flags a recipient queued twice as danger, and points at the first', () => {
    const q1 = queued(4, [{ recipient: BOB, amount: 200n }])
    const q2 = queued(5, [{ recipient: BOB, amount: 200n }])
    const r = reconcile(PERIOD, [line(BOB, aUSD, 200n)], [], [q1, q2], label)
    expect(r.items[0]?.status).toEqual({
      state: 'proposed',
      safeTxHash: q1.safeTxHash,
      nonce: 4n,
      amount: 200n,
    })
    expect(r.findings).toEqual([
      {
        level: 'danger',
        message: `bob (aUSD) is queued 2 times for 2026-11: ${q1.safeTxHash}, ${q2.safeTxHash}; execute one, reject the others`,
      },
    ])
    expect(dueLines(r)).toEqual([])
  })

  it('warns when the queued amount is not the schedule’s', () => {
    const q = queued(4, [{ recipient: BOB, amount: 250n }])
    const r = reconcile(PERIOD, [line(BOB, aUSD, 200_000_000n)], [], [q])
    expect(r.items[0]?.status).toMatchObject({ state: 'proposed', amount: 250n })
    expect(r.findings.map((f) => f.level)).toEqual(['warning'])
  })

  it('ignores payments and proposals of another period', () => {
    const lines = [line(ALICE, aUSD, 100n), line(BOB, aUSD, 200n)]
    const r = reconcile(
      PERIOD,
      lines,
      [paid(ALICE, 100n, 1, { period: '2026-10' }), paid(CAROL, 5n, 2, { period: '2026-10' })],
      [queued(9, [{ recipient: BOB, amount: 200n, period: '2026-12' }])],
    )
    expect(r.items.map((i) => i.status.state)).toEqual(['due', 'due'])
    expect(r.findings).toEqual([])
    expect(r.unlisted).toEqual([])
  })

  it('reports payments of the period the schedule does not list', () => {
    const stray = [
      paid(GRANTS_MULTISIG, 5n, 2),
      paid(PLAY_DAO_TREASURY, 6n, 3),
      paid(ALICE, 7n, 4, { token: ALLY.address }),
    ]
    const r = reconcile(PERIOD, [line(ALICE, aUSD, 100n)], [paid(ALICE, 100n, 1), ...stray], [])
    expect(r.unlisted).toEqual(stray)
    expect(r.items[0]?.status.state).toBe('paid')
  })
})
