import type { Interface, ParamType, Result } from 'ethers'
import { decodeMultiSend, MULTISEND_SELECTOR } from '../safe/multiSend.js'
import type { Address, Call, Hex } from '../safe/types.js'
import { governanceAbi, multiSendAbi, safeAbi, tokenAbi } from './knownAbis.js'

export type DecodedArg = { name: string; type: string; value: unknown }

export type DecodedCall = {
  to: Address
  value: bigint
  operation: 0 | 1
  data: Hex
  /** `name(type,…)` when the function is known, else undefined (and `warning` says so). */
  signature?: string
  functionName?: string
  args?: DecodedArg[]
  /** How the ABI was found: the target's own ABI, or only its selector matched a well-known one. */
  source?: 'abi' | 'selector'
  /** A MultiSend batch, flattened into its calls. */
  inner?: DecodedCall[]
  /**
   * Bytes after the arguments of a function whose arguments have a fixed size. The callee ignores them,
   * so they change nothing, but they are part of what is signed: shown, never dropped (a payout memo is
   * carried this way).
   */
  appended?: { bytes: number; text?: string; data: Hex }
  warning?: string
}

export type DecodeContext = {
  /** ABIs for addresses the workspace knows. */
  abiFor(address: Address): Interface | undefined
  /** The Safe executing the calls (MultiSend 1.5.0 maps `to == 0` to it) and its version. */
  safe?: Address
  safeVersion?: string
  isSafe?(address: Address): boolean
}

/**
 * Calldata to words, locally: the target's own ABI first; then, for a target with no ABI, the
 * well-known token and Safe functions by selector (marked as such); anything else stays raw bytes
 * with a warning. Nothing is ever guessed from a public signature database.
 */
export function decodeCall(call: Call, ctx: DecodeContext): DecodedCall {
  const base: DecodedCall = { to: call.to, value: call.value, operation: call.operation, data: call.data }
  if (call.data === '0x' || call.data.length < 10) {
    return call.data === '0x' ? base : { ...base, warning: 'calldata shorter than a function selector' }
  }
  const selector = call.data.slice(0, 10).toLowerCase()
  // Only a delegatecall makes a MultiSend payload a batch the Safe executes as itself. A plain CALL
  // with the same bytes just calls the target (with its value): it must stay one call, not be opened.
  if (selector === MULTISEND_SELECTOR && call.operation === 1) {
    try {
      const calls = decodeMultiSend(call.data, { safeVersion: ctx.safeVersion, safe: ctx.safe })
      return {
        ...base,
        signature: 'multiSend(bytes)',
        functionName: 'multiSend',
        source: 'abi',
        inner: calls.map((c) => decodeCall(c, ctx)),
      }
    } catch (err) {
      return {
        ...base,
        warning: `looks like MultiSend but does not decode: ${(err as Error).message.split('\n')[0]}`,
      }
    }
  }
  const own = ctx.abiFor(call.to) ?? (ctx.isSafe?.(call.to) ? safeAbi : undefined)
  const decoded = own ? tryDecode(own, call.data) : undefined
  if (decoded) return { ...base, ...decoded, source: 'abi' }
  for (const known of [tokenAbi, safeAbi, multiSendAbi, governanceAbi]) {
    const bySelector = tryDecode(known, call.data)
    if (bySelector) return { ...base, ...bySelector, source: 'selector' }
  }
  return { ...base, warning: `unknown function selector ${selector}: shown as raw bytes, not decoded` }
}

function tryDecode(iface: Interface, data: Hex) {
  try {
    const parsed = iface.parseTransaction({ data })
    if (!parsed) return undefined
    const appended = appendedBytes(parsed.fragment.inputs, data)
    return {
      signature: parsed.fragment.format('sighash'),
      functionName: parsed.name,
      args: parsed.fragment.inputs.map((input, i) => ({
        name: input.name || `arg${i}`,
        type: input.type,
        value: plain(parsed.args[i]),
      })),
      ...(appended ? { appended } : {}),
    }
  } catch {
    return undefined
  }
}

const PRINTABLE = /^[\x20-\x7e]+$/

/** Only for fixed-size arguments (one word each): the encoded length is then known exactly. */
function appendedBytes(inputs: readonly ParamType[], data: Hex): DecodedCall['appended'] {
  if (inputs.some((p) => p.isArray() || p.isTuple() || p.baseType === 'string' || p.baseType === 'bytes'))
    return undefined
  const end = 2 + 2 * (4 + 32 * inputs.length)
  if (data.length <= end) return undefined
  const tail = `0x${data.slice(end)}` as Hex
  const text = Buffer.from(tail.slice(2), 'hex').toString('latin1')
  return { bytes: (tail.length - 2) / 2, data: tail, ...(PRINTABLE.test(text) ? { text } : {}) }
}

/** ethers Results are array-like proxies; reports want plain values. */
export function plain(value: unknown): unknown {
  if (Array.isArray(value) || (value && typeof value === 'object' && 'toArray' in value)) {
    return [...(value as Result)].map(plain)
  }
  return value
}

/** Every leaf call, with batches flattened (what actually executes). */
export function flattenCalls(call: DecodedCall): DecodedCall[] {
  return call.inner ? call.inner.flatMap(flattenCalls) : [call]
}
