import { z } from 'zod'
import type { Address } from '../safe/types.js'
import { parseAmount, parseDuration } from '../utils/units.js'
import type { BookEntry, TokenRef } from '../workspace/addressBook.js'
import type { ContractType } from '../workspace/schema.js'
import type { ActionContext } from './types.js'

/** Schema pieces shared by the action kinds: each resolves against the address book or fails at its field. */

const fail = (ctx: z.RefinementCtx, message: string, path?: (string | number)[]) => {
  ctx.addIssue({ code: 'custom', message, ...(path ? { path } : {}) })
  return z.NEVER
}

export const addressRef = (c: ActionContext) =>
  z.string({ error: 'expected an address-book name or an address' }).transform((ref, ctx): Address => {
    const r = c.book.resolveAddress(ref)
    return r.ok ? r.value : fail(ctx, r.reason)
  })

export const tokenRef = (c: ActionContext) =>
  z.string({ error: 'expected a token name or address' }).transform((ref, ctx): TokenRef => {
    const r = c.book.resolveToken(ref)
    return r.ok ? r.value : fail(ctx, r.reason)
  })

export const contractRef = (c: ActionContext, types: readonly ContractType[]) =>
  z
    .string({ error: `expected the name of a ${types.join(' or ')}` })
    .optional()
    .transform((ref, ctx): Extract<BookEntry, { kind: 'contract' }> => {
      const r = c.book.resolveContract(ref, types)
      return r.ok ? r.value : fail(ctx, r.reason)
    })

/** Amounts stay raw until the token (and so its decimals) is known; see `checkAmount`. */
export const rawAmount = z.union([z.string(), z.number()], { error: 'expected an amount like "12500.5"' })

const isTokenRef = (value: unknown): value is TokenRef =>
  typeof value === 'object' && value !== null && 'decimals' in value && 'symbol' in value

/**
 * Checks `amountField` against the decimals of the token in `tokenField`. It runs even when another
 * field of the action failed (zod skips refinements by default), so one pass reports every problem.
 */
export function checkAmount<K extends string, A extends string>(
  tokenField: K,
  amountField: A,
  { allowZero = false } = {},
) {
  return [
    (value: Record<K | A, unknown>, ctx: z.RefinementCtx) => {
      const token = value[tokenField]
      const raw = value[amountField]
      if (!isTokenRef(token) || (typeof raw !== 'string' && typeof raw !== 'number')) return
      const r = parseAmount(raw, token.decimals)
      if (!r.ok) ctx.addIssue({ code: 'custom', message: r.reason, path: [amountField] })
      else if (r.value === 0n && !allowZero) {
        ctx.addIssue({
          code: 'custom',
          message: `${amountField} must be greater than zero`,
          path: [amountField],
        })
      }
    },
    { when: () => true },
  ] as const
}

/** Scales an amount that `checkAmount` already accepted. */
export function scaled(raw: string | number, decimals: number): bigint {
  const r = parseAmount(raw, decimals)
  if (!r.ok) throw new Error(`unchecked amount: ${r.reason}`)
  return r.value
}

export const duration = z.union([z.string(), z.number()]).transform((raw, ctx) => {
  const r = parseDuration(raw)
  return r.ok ? r.seconds : fail(ctx, r.reason)
})

export { fail }
