import { type DecodeContext, decodeCall, flattenCalls } from '../decode/decodeCall.js'
import type { SafeTx } from '../safe/types.js'

/** One line per call a Safe transaction makes (a batch flattened), decoded with the workspace's ABIs. */
export function describeSafeTxCalls(
  tx: SafeTx,
  decode: DecodeContext,
  label: (address: string) => string = (a) => a,
): string[] {
  const decoded = decodeCall({ to: tx.to, value: tx.value, data: tx.data, operation: tx.operation }, decode)
  return flattenCalls(decoded).map((c) => {
    const op = c.operation === 1 ? 'DELEGATECALL ' : ''
    const value = c.value ? ` (+${c.value} wei)` : ''
    return c.functionName
      ? `${op}${label(c.to)}.${c.signature}${value}`
      : `${op}${label(c.to)} ${c.data === '0x' ? 'transfer' : `${c.data.slice(0, 10)}…`}${value}`
  })
}
