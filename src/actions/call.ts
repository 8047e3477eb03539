import { AbiCoder, FunctionFragment, type Interface, type ParamType } from 'ethers'
import { z } from 'zod'
import type { Address, Hex } from '../safe/types.js'
import { formatAmount, parseAmount } from '../utils/units.js'
import { addressRef, fail, rawAmount } from './fields.js'
import { type ActionContext, defineActionKind } from './types.js'

export type CallParameters = {
  to: Address
  fragment: FunctionFragment
  args: unknown[]
  value: bigint
  data: Hex
}

/**
 * Any contract call, checked before it is planned: the function comes from an explicit signature or an
 * ABI the workspace knows, and every argument must encode as its declared type.
 */
export const call = defineActionKind<CallParameters>({
  kind: 'call',
  summary: 'Call any contract function, with arguments checked against its signature',
  schema: (c) =>
    z
      .strictObject({
        kind: z.literal('call'),
        to: addressRef(c),
        signature: z.string().optional(),
        function: z.string().optional(),
        args: z.array(z.unknown(), { error: 'expected a list of arguments' }).default([]),
        value: rawAmount.optional(),
      })
      .transform((a, ctx) => {
        const fragment = pickFragment(ctx, a.to, a.signature, a.function, c.abiFor(a.to))
        // `fail` returns z.NEVER (a truthy marker), so test for a fragment, not for truthiness.
        if (!(fragment instanceof FunctionFragment)) return z.NEVER
        if (a.args.length !== fragment.inputs.length) {
          return fail(
            ctx,
            `${fragment.format('sighash')} takes ${fragment.inputs.length} argument(s), got ${a.args.length}`,
            ['args'],
          )
        }
        const checked = fragment.inputs.map((input, i) => checkArg(ctx, c, input, a.args[i], i))
        const parsedValue =
          a.value === undefined ? { ok: true as const, value: 0n } : parseAmount(a.value, 18, 'value')
        if (!parsedValue.ok) return fail(ctx, parsedValue.reason, ['value'])
        const value = parsedValue.value
        if (value > 0n && !fragment.payable) {
          return fail(ctx, `${fragment.format('sighash')} is not payable; remove "value"`, ['value'])
        }
        if (checked.some((arg) => !arg.ok)) return z.NEVER
        const args = checked.map((arg) => (arg.ok ? arg.value : undefined))
        const data = (fragment.selector +
          AbiCoder.defaultAbiCoder().encode(fragment.inputs, args).slice(2)) as Hex
        return { to: a.to, fragment, args, value, data }
      }),
  encode: (p) => [{ to: p.to, value: p.value, data: p.data, operation: 0 }],
  describe: (p, book) =>
    `Call ${book.label(p.to)}.${p.fragment.name}(${p.args.map((a) => formatArg(a, book)).join(', ')})${p.value ? ` with ${formatAmount(p.value, 18)} ETH` : ''}`,
})

function pickFragment(
  ctx: z.RefinementCtx,
  to: Address,
  signature: string | undefined,
  name: string | undefined,
  abi: Interface | undefined,
): FunctionFragment | undefined {
  if (signature && name) return fail(ctx, 'give either "signature" or "function", not both', ['function'])
  if (signature) {
    try {
      const text = signature.trim().startsWith('function ') ? signature : `function ${signature}`
      // A bare signature is nonpayable; `value` needs an explicit "… payable" in the signature.
      return FunctionFragment.from(text)
    } catch {
      return fail(ctx, `"${signature}" is not a function signature (e.g. "setFee(uint16)")`, ['signature'])
    }
  }
  if (!name)
    return fail(ctx, 'give "signature" (e.g. "setFee(uint16)") or "function" with a known ABI', ['signature'])
  if (!abi) return fail(ctx, `no ABI is known for ${to}; use "signature" instead`, ['function'])
  const matches = abi.fragments.filter(
    (f): f is FunctionFragment => f.type === 'function' && (f as FunctionFragment).name === name,
  )
  if (matches.length === 1) return matches[0]
  if (matches.length > 1) {
    return fail(
      ctx,
      `"${name}" is overloaded; use "signature": ${matches.map((m) => m.format('sighash')).join(', ')}`,
      ['function'],
    )
  }
  return fail(ctx, `the ABI for ${to} has no function "${name}"`, ['function'])
}

type CheckedArg = { ok: true; value: unknown } | { ok: false }

function checkArg(
  ctx: z.RefinementCtx,
  c: ActionContext,
  input: ParamType,
  raw: unknown,
  index: number,
): CheckedArg {
  const label = `argument ${index} (${input.format('full') || input.type})`
  let value = raw
  // Address arguments may use address-book names, like every other address in an action file.
  if (input.type === 'address' && typeof raw === 'string') {
    const resolved = c.book.resolveAddress(raw)
    if (!resolved.ok) {
      fail(ctx, `${label}: ${resolved.reason}`, ['args', index])
      return { ok: false }
    }
    value = resolved.value
  }
  try {
    AbiCoder.defaultAbiCoder().encode([input], [value])
    return { ok: true, value }
  } catch (err) {
    const reason =
      err instanceof Error ? ((err as { shortMessage?: string }).shortMessage ?? err.message) : String(err)
    fail(ctx, `${label} does not encode: ${reason}`, ['args', index])
    return { ok: false }
  }
}

function formatArg(arg: unknown, book: { label(a: string): string }): string {
  if (typeof arg === 'string' && /^0x[0-9a-fA-F]{40}$/.test(arg)) return book.label(arg)
  if (Array.isArray(arg)) return `[${arg.map((a) => formatArg(a, book)).join(', ')}]`
  return typeof arg === 'string' ? JSON.stringify(arg) : String(arg)
}
