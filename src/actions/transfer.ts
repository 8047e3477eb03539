import { concat, toUtf8Bytes } from 'ethers'
import { z } from 'zod'
import { tokenAbi } from '../contracts/tokenAbi.js'
import type { Address, Hex } from '../safe/types.js'
import { formatAmount } from '../utils/units.js'
import type { TokenRef } from '../workspace/addressBook.js'
import { addressRef, checkAmount, rawAmount, scaled, tokenRef } from './fields.js'
import { defineActionKind } from './types.js'

export type TransferParameters = { token: TokenRef; to: Address; amount: bigint; memo?: string }

/** Printable ASCII only: the memo is read back from calldata by auditors and payout runs, byte for byte. */
const MEMO = /^[\x20-\x7e]{1,128}$/

/**
 * A direct payment from the Safe: ERC-20 `transfer`, or a plain value transfer for the native coin.
 * A memo is appended after the ERC-20 call's arguments: tokens ignore bytes past the ABI encoding, and
 * the memo stays in the executed transaction's input, so a payout can be recognised on chain later.
 * The native coin has no such place (data sent to a contract recipient would call its fallback).
 */
export const transfer = defineActionKind<TransferParameters>({
  kind: 'transfer',
  summary: 'Send an ERC-20 token or the native coin from the Safe',
  schema: (c) =>
    z
      .strictObject({
        kind: z.literal('transfer'),
        token: tokenRef(c),
        to: addressRef(c),
        amount: rawAmount,
        memo: z.string().regex(MEMO, 'a memo is 1–128 printable ASCII characters').optional(),
      })
      .superRefine(...checkAmount('token', 'amount'))
      .superRefine((a, ctx) => {
        if (a.memo !== undefined && typeof a.token === 'object' && a.token.kind === 'native')
          ctx.addIssue({
            code: 'custom',
            path: ['memo'],
            message:
              'the native coin carries no memo; pay it through the treasury (allocate-treasury) to keep one',
          })
      })
      .transform((a) => ({
        token: a.token,
        to: a.to,
        amount: scaled(a.amount, a.token.decimals),
        ...(a.memo !== undefined ? { memo: a.memo } : {}),
      })),
  encode: (p) =>
    p.token.kind === 'native'
      ? [{ to: p.to, value: p.amount, data: '0x', operation: 0 }]
      : [
          {
            to: p.token.address,
            value: 0n,
            data: transferCalldata(p.to, p.amount, p.memo),
            operation: 0,
          },
        ],
  describe: (p, book) =>
    `Transfer ${formatAmount(p.amount, p.token.decimals)} ${p.token.symbol} to ${book.label(p.to)}${p.memo ? ` (memo "${p.memo}")` : ''}`,
})

export function transferCalldata(to: Address, amount: bigint, memo?: string): Hex {
  const call = tokenAbi.encodeFunctionData('transfer', [to, amount]) as Hex
  return memo === undefined ? call : (concat([call, toUtf8Bytes(memo)]) as Hex)
}

/** `transfer(address,uint256)` is 4 + 2×32 bytes; anything after it is a memo this tool (or another) appended. */
const TRANSFER_CALL_BYTES = 68

/** The memo appended to an ERC-20 transfer's calldata, when it is printable text; undefined otherwise. */
export function transferMemo(data: Hex): string | undefined {
  const bytes = (data.length - 2) / 2
  if (bytes <= TRANSFER_CALL_BYTES) return undefined
  const tail = Buffer.from(data.slice(2 + TRANSFER_CALL_BYTES * 2), 'hex').toString('latin1')
  return MEMO.test(tail) ? tail : undefined
}
