import { z } from 'zod'
import { tokenAbi } from '../contracts/tokenAbi.js'
import type { Address, Hex } from '../safe/types.js'
import { formatAmount } from '../utils/units.js'
import type { TokenRef } from '../workspace/addressBook.js'
import { addressRef, checkAmount, rawAmount, scaled, tokenRef } from './fields.js'
import { defineActionKind } from './types.js'

export type TransferParameters = { token: TokenRef; to: Address; amount: bigint }

/** A direct payment from the Safe: ERC-20 `transfer`, or a plain value transfer for the native coin. */
export const transfer = defineActionKind<TransferParameters>({
  kind: 'transfer',
  summary: 'Send an ERC-20 token or the native coin from the Safe',
  schema: (c) =>
    z
      .strictObject({ kind: z.literal('transfer'), token: tokenRef(c), to: addressRef(c), amount: rawAmount })
      .superRefine(...checkAmount('token', 'amount'))
      .transform((a) => ({ token: a.token, to: a.to, amount: scaled(a.amount, a.token.decimals) })),
  encode: (p) =>
    p.token.kind === 'native'
      ? [{ to: p.to, value: p.amount, data: '0x', operation: 0 }]
      : [
          {
            to: p.token.address,
            value: 0n,
            data: tokenAbi.encodeFunctionData('transfer', [p.to, p.amount]) as Hex,
            operation: 0,
          },
        ],
  describe: (p, book) =>
    `Transfer ${formatAmount(p.amount, p.token.decimals)} ${p.token.symbol} to ${book.label(p.to)}`,
})
