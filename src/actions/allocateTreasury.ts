import { Interface } from 'ethers'
import { z } from 'zod'
import type { Address, Hex } from '../safe/types.js'
import { formatAmount } from '../utils/units.js'
import type { TokenRef } from '../workspace/addressBook.js'
import { addressRef, checkAmount, contractRef, rawAmount, scaled, tokenRef } from './fields.js'
import { defineActionKind } from './types.js'

export const treasuryAbi = new Interface([
  'function allocate(address token, address to, uint256 amount, string memo)',
  'function emergencyWithdraw(address token, address to)',
  // What `allocate` logs: payouts read their memos back from it.
  'event Allocated(address indexed token, address indexed to, uint256 amount, uint256 indexed epoch, string memo)',
])

export type AllocateTreasuryParameters = {
  treasury: Address
  token: TokenRef
  to: Address
  amount: bigint
  memo: string
}

/** Pays out of the treasury contract, within the token's epoch budget (enforced on chain). */
export const allocateTreasury = defineActionKind<AllocateTreasuryParameters>({
  kind: 'allocate-treasury',
  summary: 'Pay from the treasury within its per-token epoch budget',
  schema: (c) =>
    z
      .strictObject({
        kind: z.literal('allocate-treasury'),
        treasury: contractRef(c, ['treasury']),
        token: tokenRef(c),
        to: addressRef(c),
        amount: rawAmount,
        memo: z.string().max(256, 'keep the memo under 256 characters').default(''),
      })
      .superRefine(...checkAmount('token', 'amount'))
      .transform((a) => ({
        treasury: a.treasury.address,
        token: a.token,
        to: a.to,
        amount: scaled(a.amount, a.token.decimals),
        memo: a.memo,
      })),
  encode: (p) => [
    {
      to: p.treasury,
      value: 0n,
      data: treasuryAbi.encodeFunctionData('allocate', [p.token.address, p.to, p.amount, p.memo]) as Hex,
      operation: 0,
    },
  ],
  describe: (p, book) =>
    `Allocate ${formatAmount(p.amount, p.token.decimals)} ${p.token.symbol} from ${book.label(p.treasury)} to ${book.label(p.to)}${p.memo ? ` (memo "${p.memo}")` : ''}`,
})
