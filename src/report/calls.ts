import { type DecodeContext, type DecodedCall, decodeCall, flattenCalls } from '../decode/decodeCall.js'
import { formatArgsInUnits, formatArgValue, formatEth } from '../decode/formatValue.js'
import type { Address, Call } from '../safe/types.js'
import type { FailingCall } from '../simulate/callTrace.js'
import type { AddressBook } from '../workspace/addressBook.js'
import { named } from './named.js'
import type { SimulationReport } from './schema.js'

type ReportCall = SimulationReport['calls'][number]

/**
 * The calls that execute, decoded from their bytes (a MultiSend batch flattened), numbered from 1,
 * each with the action that produced it and whether it is the one that reverted.
 */
export function reportCalls(
  outer: Call,
  actionOfCall: number[],
  ctx: DecodeContext,
  book: AddressBook,
  failure?: FailingCall,
): ReportCall[] {
  return flattenCalls(decodeCall(outer, ctx)).map((c, i) => reportCall(c, i, actionOfCall[i], book, failure))
}

/** Calls given one by one (a Governor proposal's targets, values and calldatas). */
export function reportCallList(
  calls: Call[],
  actionOfCall: number[],
  ctx: DecodeContext,
  book: AddressBook,
  failure?: FailingCall,
): ReportCall[] {
  return calls.map((c, i) => reportCall(decodeCall(c, ctx), i, actionOfCall[i], book, failure))
}

function reportCall(
  c: DecodedCall,
  i: number,
  actionIndex: number | undefined,
  book: AddressBook,
  failure?: FailingCall,
): ReportCall {
  return {
    index: i + 1,
    ...(actionIndex !== undefined ? { action: actionIndex + 1 } : {}),
    target: named(c.to, book),
    operation: c.operation === 1 ? 'delegatecall' : 'call',
    valueWei: c.value.toString(),
    ...(c.functionName ? { function: c.functionName } : {}),
    ...(c.data.length >= 10 ? { selector: c.data.slice(0, 10) } : {}),
    text: callText(c, book),
    args: (c.args ?? []).map((a) => ({
      name: a.name,
      type: a.type,
      value: formatArgValue(a.value, book, { withAddress: false }),
    })),
    reverted: failure?.callIndex === i,
  }
}

/** `target.fn(name: value, …)` with names from the address book; raw bytes when unknown. */
export function callText(c: DecodedCall, book: AddressBook): string {
  const target = book.label(c.to as Address)
  const value = c.value ? ` sending ${formatEth(c.value)}` : ''
  if (!c.functionName) {
    if (c.data === '0x') return `plain transfer to ${target}${value}`
    return `${target}: unknown function ${c.data.slice(0, 10)} (${(c.data.length - 2) / 2} bytes)${value}`
  }
  return `${target}.${c.functionName}(${formatArgsInUnits(c, book)})${value}`
}
