import { getAddress } from 'ethers'
import type { RawLog } from '../decode/decodeLog.js'
import type { Address, Hex } from '../safe/types.js'
import type { CallFrame } from './callTrace.js'
import type { PrestateDiff } from './stateDiff/types.js'

/** A native-coin movement seen in the trace (a CALL or CREATE carrying value that did not revert). */
export type NativeTransfer = { from: Address; to: Address; value: bigint }

/**
 * Everything one simulated execution produced, whichever engine ran it. `trace` and `stateDiff` are
 * absent when the node cannot trace (eth_simulateV1 only).
 */
export type ExecutionCapture = {
  /** The outer transaction did not revert. (A Safe can still report ExecutionFailure: callers check.) */
  status: boolean
  gasUsed: bigint
  logs: RawLog[]
  nativeTransfers: NativeTransfer[]
  trace?: CallFrame
  stateDiff?: PrestateDiff
  txHash?: Hex
}

/**
 * The logs that survive, in emission order: a frame that reverted takes its logs and its
 * children's logs with it. Within a frame, logs and child calls interleave by `position`.
 */
export function logsFromTrace(frame: CallFrame): RawLog[] {
  const out: RawLog[] = []
  const walk = (f: CallFrame) => {
    if (f.error !== undefined) return
    const children = f.calls ?? []
    const logs = f.logs ?? []
    // `position` is the number of child calls made before the log was emitted.
    let next = 0
    for (const log of logs) {
      const position = Number((log as { position?: string | number }).position ?? children.length)
      while (next < Math.min(position, children.length)) walk(children[next++]!)
      out.push({
        address: getAddress(log.address) as Address,
        topics: log.topics as Hex[],
        data: log.data as Hex,
      })
    }
    while (next < children.length) walk(children[next++]!)
  }
  walk(frame)
  return out
}

/** Value that moved and stayed moved: value-carrying CALLs and CREATEs outside reverted subtrees. */
export function nativeTransfersFromTrace(frame: CallFrame): NativeTransfer[] {
  const out: NativeTransfer[] = []
  const walk = (f: CallFrame) => {
    if (f.error !== undefined) return
    const value = f.value ? BigInt(f.value) : 0n
    // A DELEGATECALL reports its context's value; nothing moves.
    if (value > 0n && f.to && f.type !== 'DELEGATECALL' && f.type !== 'STATICCALL') {
      out.push({ from: getAddress(f.from) as Address, to: getAddress(f.to) as Address, value })
    }
    for (const c of f.calls ?? []) walk(c)
  }
  walk(frame)
  return out
}

/** A node without the method answers "method not found" (-32601). */
export function isUnsupportedMethod(err: unknown): boolean {
  const e = err as { error?: { code?: number; message?: string }; message?: string }
  if (e?.error?.code === -32601) return true
  // Only messages about the method itself: "state not available" is a real error, not a missing method.
  return /unsupported method|\b(method|namespace)\b[^.]*\b(not found|does not exist|not available|not supported|disabled)/i.test(
    `${e?.error?.message ?? ''} ${e?.message ?? ''}`,
  )
}
