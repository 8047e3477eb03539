import { getAddress } from 'ethers'
import { type DecodeContext, decodeCall } from '../decode/decodeCall.js'
import { formatEth } from '../decode/formatValue.js'
import type { Address, Hex } from '../safe/types.js'
import { type CallFrame, isProxyForward, revertReasonOf } from '../simulate/callTrace.js'
import type { AddressBook } from '../workspace/addressBook.js'
import { callText } from './calls.js'
import { named } from './named.js'
import type { ReportTraceFrame } from './schema.js'

/**
 * The call tree as rows in execution order, each with its depth. Every DELEGATECALL is marked;
 * a proxy forwarding its calldata unchanged to its implementation is named as such, so the
 * delegatecalls that are not routine stand out.
 */
export function reportTrace(root: CallFrame, ctx: DecodeContext, book: AddressBook): ReportTraceFrame[] {
  const rows: ReportTraceFrame[] = []
  const walk = (frame: CallFrame, depth: number, parent?: CallFrame) => {
    const to = frame.to ? getAddress(frame.to) : '0x0000000000000000000000000000000000000000'
    const value = frame.value ? BigInt(frame.value) : 0n
    const delegatecall = frame.type === 'DELEGATECALL'
    const forwarding = isProxyForward(frame, parent)
    // Decode as a plain call: a MultiSend payload is shown as the one call it is in the trace, whose
    // inner calls are the frames beneath it.
    const decoded = decodeCall(
      {
        to: to as Address,
        value: delegatecall ? 0n : value,
        data: (frame.input ?? '0x') as Hex,
        operation: 0,
      },
      ctx,
    )
    const text = forwarding
      ? `${book.label(getAddress(frame.from) as Address)}: proxy forwarding to its implementation ${book.label(to as Address)}`
      : frame.type.startsWith('CREATE')
        ? `creates ${book.label(to as Address)}${value ? ` with ${formatEth(value)}` : ''}`
        : callText(decoded, book)
    rows.push({
      depth,
      type: frame.type,
      from: named(frame.from, book),
      to: named(to, book),
      valueWei: (delegatecall ? 0n : value).toString(),
      ...(decoded.functionName ? { function: decoded.functionName } : {}),
      text,
      gasUsed: BigInt((frame as { gasUsed?: string }).gasUsed ?? 0).toString(),
      ...(frame.error !== undefined ? { error: revertReasonOf(frame, ctx.abiFor) } : {}),
      delegatecall,
      proxyForward: forwarding,
    })
    for (const child of frame.calls ?? []) walk(child, depth + 1, frame)
  }
  walk(root, 0)
  return rows
}
