import { describe, expect, it } from 'vitest'
import {
  type FundsReads,
  periodTotals,
  shortfallLines,
  type TokenTotals,
} from '../../../src/payouts/funds.js'
import type { PayoutItem, PayoutState } from '../../../src/payouts/reconcile.js'
import type { Address } from '../../../src/safe/types.js'
import type { TokenRef } from '../../../src/workspace/addressBook.js'
import { ALICE, ALLY, aUSD, BOB, CAROL, ETH, layout, line, schedule, treasurySchedule } from './fixtures.js'

const item = (recipient: Address, token: TokenRef, amount: bigint, status: PayoutState): PayoutItem => ({
  line: line(recipient, token, amount),
  status,
})
const due: PayoutState = { state: 'due' }
const proposed: PayoutState = { state: 'proposed', safeTxHash: `0x${'11'.repeat(32)}`, nonce: 1n, amount: 1n }
const paid: PayoutState = { state: 'paid', payments: [] }

/** Balances and budgets by token address; records every read. */
function fakeReads(balances: Record<string, bigint>, budgets: Record<string, bigint> = {}) {
  const calls: string[] = []
  const reads: FundsReads = {
    balanceOf: async (token, holder) => {
      calls.push(`balanceOf ${token.symbol} ${holder}`)
      return balances[token.address] ?? 0n
    },
    remainingBudget: async (treasury, token) => {
      calls.push(`remainingBudget ${treasury} ${token}`)
      return budgets[token] ?? 0n
    },
  }
  return { reads, calls }
}

describe('periodTotals', () => {
  it('sums each token by state and checks what is due against the Safe’s balance', async () => {
    const items = [
      item(ALICE, aUSD, 100n, due),
      item(BOB, aUSD, 200n, due),
      item(CAROL, aUSD, 40n, paid),
      item(ALICE, ALLY, 7n, proposed),
      item(BOB, ALLY, 5n, due),
    ]
    const { reads, calls } = fakeReads({ [aUSD.address]: 250n, [ALLY.address]: 1000n })
    expect(await periodTotals(schedule(), items, reads)).toEqual([
      { token: aUSD, scheduled: 340n, paid: 40n, proposed: 0n, due: 300n, balance: 250n, shortfall: 50n },
      { token: ALLY, scheduled: 12n, paid: 0n, proposed: 7n, due: 5n, balance: 1000n, shortfall: 0n },
    ])
    // The Safe's balances only: no budget is read without a treasury.
    expect(calls.sort()).toEqual([`balanceOf ALLY ${layout.council}`, `balanceOf aUSD ${layout.council}`])
  })

  it('for route: treasury, reads the treasury and pays within the smaller of balance and budget', async () => {
    const items = [item(ALICE, aUSD, 300n, due), item(BOB, ALLY, 100n, due), item(CAROL, ETH, 10n, due)]
    const { reads, calls } = fakeReads(
      { [aUSD.address]: 1000n, [ALLY.address]: 60n, [ETH.address]: 10n },
      { [aUSD.address]: 120n, [ALLY.address]: 1000n, [ETH.address]: 10n },
    )
    const totals = await periodTotals(treasurySchedule(), items, reads)
    expect(totals.map((t) => [t.token.symbol, t.balance, t.budgetRemaining, t.shortfall])).toEqual([
      ['aUSD', 1000n, 120n, 180n], // the budget binds
      ['ALLY', 60n, 1000n, 40n], // the balance binds
      ['ETH', 10n, 10n, 0n], // exactly enough
    ])
    const T = layout.contracts.treasury
    expect(calls.sort()).toEqual(
      [
        `balanceOf ALLY ${T}`,
        `balanceOf ETH ${T}`,
        `balanceOf aUSD ${T}`,
        `remainingBudget ${T} ${ALLY.address}`,
        `remainingBudget ${T} ${ETH.address}`,
        `remainingBudget ${T} ${aUSD.address}`,
      ].sort(),
    )
  })

  it('has no shortfall when nothing is due, however empty the payer', async () => {
    const totals = await periodTotals(schedule(), [item(ALICE, aUSD, 100n, paid)], fakeReads({}).reads)
    expect(totals).toEqual([
      { token: aUSD, scheduled: 100n, paid: 100n, proposed: 0n, due: 0n, balance: 0n, shortfall: 0n },
    ])
    expect(shortfallLines(totals)).toEqual([])
  })
})

describe('shortfallLines', () => {
  it('says what is due, held, left in the budget and missing, for short tokens only', () => {
    const totals: TokenTotals[] = [
      {
        token: aUSD,
        scheduled: 0n,
        paid: 0n,
        proposed: 0n,
        due: 3_000_500_000n,
        balance: 1_000_000_000n,
        shortfall: 2_000_500_000n,
      },
      { token: ALLY, scheduled: 0n, paid: 0n, proposed: 0n, due: 1n, balance: 5n, shortfall: 0n },
      {
        token: ETH,
        scheduled: 0n,
        paid: 0n,
        proposed: 0n,
        due: 2n * 10n ** 18n,
        balance: 5n * 10n ** 18n,
        budgetRemaining: 10n ** 18n / 2n,
        shortfall: 15n * 10n ** 17n,
      },
    ]
    expect(shortfallLines(totals)).toEqual([
      '3,000.5 aUSD due, the payer holds 1,000 aUSD: short by 2,000.5 aUSD',
      "2 ETH due, the payer holds 5 ETH, the treasury's epoch budget has 0.5 ETH left: short by 1.5 ETH",
    ])
  })
})
