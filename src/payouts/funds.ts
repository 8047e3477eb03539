import { Contract, type JsonRpcProvider } from 'ethers'
import type { Address } from '../safe/types.js'
import { formatAmount } from '../utils/units.js'
import type { TokenRef } from '../workspace/addressBook.js'
import type { PayoutItem } from './reconcile.js'
import type { PayoutSchedule } from './schedule.js'

/** Per token: what the period pays in all, how much of it is done, and what is there to pay the rest. */
export type TokenTotals = {
  token: TokenRef
  scheduled: bigint
  paid: bigint
  proposed: bigint
  due: bigint
  /** The payer's balance: the Safe's, or the treasury's for `route: treasury`. */
  balance: bigint
  /** The treasury's remaining epoch budget for the token (route: treasury only). */
  budgetRemaining?: bigint
  /** What is due beyond what can be paid now; 0n when the period can be paid. */
  shortfall: bigint
}

export type FundsReads = {
  balanceOf(token: TokenRef, holder: Address): Promise<bigint>
  remainingBudget(treasury: Address, token: Address): Promise<bigint>
}

export function chainFundsReads(provider: JsonRpcProvider): FundsReads {
  return {
    balanceOf: async (token, holder) =>
      token.kind === 'native'
        ? provider.getBalance(holder)
        : ((await new Contract(
            token.address,
            ['function balanceOf(address) view returns (uint256)'],
            provider,
          ).getFunction('balanceOf')(holder)) as bigint),
    remainingBudget: async (treasury, token) =>
      (await new Contract(
        treasury,
        ['function remainingBudget(address token) view returns (uint256)'],
        provider,
      ).getFunction('remainingBudget')(token)) as bigint,
  }
}

export async function periodTotals(
  schedule: PayoutSchedule,
  items: readonly PayoutItem[],
  reads: FundsReads,
): Promise<TokenTotals[]> {
  const tokens = new Map<Address, TokenRef>()
  for (const i of items) tokens.set(i.line.token.address, i.line.token)
  const payer = schedule.route === 'treasury' ? schedule.treasury!.address : schedule.safe.address
  return Promise.all(
    [...tokens.values()].map(async (token) => {
      const mine = items.filter((i) => i.line.token.address === token.address)
      const sum = (state: PayoutItem['status']['state']) =>
        mine.filter((i) => i.status.state === state).reduce((s, i) => s + i.line.amount, 0n)
      const due = sum('due')
      const [balance, budgetRemaining] = await Promise.all([
        reads.balanceOf(token, payer),
        schedule.route === 'treasury'
          ? reads.remainingBudget(payer, token.address)
          : Promise.resolve(undefined),
      ])
      const available = budgetRemaining === undefined ? balance : smaller(budgetRemaining, balance)
      return {
        token,
        scheduled: mine.reduce((s, i) => s + i.line.amount, 0n),
        paid: sum('paid'),
        proposed: sum('proposed'),
        due,
        balance,
        ...(budgetRemaining !== undefined ? { budgetRemaining } : {}),
        // What the period still has to pay: the due payouts and the proposed ones not yet executed
        // (they spend the same balance and budget first).
        shortfall: due + sum('proposed') > available ? due + sum('proposed') - available : 0n,
      }
    }),
  )
}

/** In words, for the error that stops a run before anything is built. */
export const shortfallLines = (totals: readonly TokenTotals[]) =>
  totals
    .filter((t) => t.shortfall > 0n)
    .map((t) => {
      const f = (v: bigint) => `${formatAmount(v, t.token.decimals)} ${t.token.symbol}`
      const budget =
        t.budgetRemaining === undefined
          ? ''
          : `, the treasury's epoch budget has ${f(t.budgetRemaining)} left`
      return `${f(t.due)} due${t.proposed ? ` (and ${f(t.proposed)} proposed, not yet executed)` : ''}, the payer holds ${f(t.balance)}${budget}: short by ${f(t.shortfall)}`
    })

const smaller = (a: bigint, b: bigint) => (a < b ? a : b)
