import { z } from 'zod'
import type { Address, Hex } from '../safe/types.js'
import type { TokenRef } from '../workspace/addressBook.js'
import { treasuryAbi } from './allocateTreasury.js'
import { addressRef, contractRef, tokenRef } from './fields.js'
import { defineActionKind } from './types.js'

export type EmergencyWithdrawParameters = {
  from: Address
  token: TokenRef
  to: Address
}

/** The guardian's fast path: sweep a token out of the vault (never stakers' principal) or the treasury. */
export const emergencyWithdraw = defineActionKind<EmergencyWithdrawParameters>({
  kind: 'emergency-withdraw',
  summary: 'Sweep a token out of the staking vault or the treasury (guardian)',
  schema: (c) =>
    z
      .strictObject({
        kind: z.literal('emergency-withdraw'),
        from: contractRef(c, ['staking-vault', 'treasury']),
        token: tokenRef(c),
        to: addressRef(c),
      })
      .transform((a) => ({ from: a.from.address, token: a.token, to: a.to })),
  // Treasury and vault share the signature emergencyWithdraw(address,address).
  encode: (p) => [
    {
      to: p.from,
      value: 0n,
      data: treasuryAbi.encodeFunctionData('emergencyWithdraw', [p.token.address, p.to]) as Hex,
      operation: 0,
    },
  ],
  describe: (p, book) =>
    `Emergency-withdraw all withdrawable ${p.token.symbol} from ${book.label(p.from)} to ${book.label(p.to)}`,
})
