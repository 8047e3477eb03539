import { AbiCoder, getAddress, type Interface } from 'ethers'
import type { SafePlan } from '../plan/types.js'
import type { Address, Hex } from '../safe/types.js'
import { sameAddress } from '../utils/address.js'

/** A frame of geth's callTracer output (what anvil's debug_traceCall returns). */
export type CallFrame = {
  type: string
  from: string
  to?: string
  value?: string
  input: Hex
  output?: Hex
  error?: string
  revertReason?: string
  calls?: CallFrame[]
  /** Present with `tracerConfig: { withLog: true }`: the logs this frame emitted itself. */
  logs?: { address: string; topics: string[]; data: string }[]
}

export type FailingCall = {
  /** Position of the failing call in the plan's calls (0-based), when one inner call failed. */
  callIndex?: number
  /** The action (0-based) that produced the failing call. */
  actionIndex?: number
  target?: Address
  reason: string
}

/** Safe's error codes as they appear in reverts; the few a council meets. */
const SAFE_ERRORS: Record<string, string> = {
  GS013: 'an inner call failed (safeTxGas and gasPrice are 0, so the Safe reverts)',
  GS020: 'signatures data too short',
  GS025: 'hash not approved by an owner',
  GS026: 'a signer is not an owner, or signatures are not sorted',
  GS010: 'not enough gas to execute the Safe transaction',
}

/**
 * Names the call that made a Safe transaction fail: inside a batch, the n-th CALL made by the
 * MultiSendCallOnly delegatecall frame is the plan's n-th call; for a single call, the first failed
 * call from the Safe to the target. The reason is decoded from the revert data.
 */
export function findFailingCall(
  trace: CallFrame,
  plan: SafePlan,
  abiFor: (address: Address) => Interface | undefined,
): FailingCall {
  const calls = plan.actions.flatMap((a) => a.calls.map(() => a.index))
  const container =
    plan.batch.kind === 'multisend-call-only'
      ? findFrame(
          trace,
          (f) =>
            f.type === 'DELEGATECALL' && sameAddress(f.to, (plan.batch as { multiSend: Address }).multiSend),
        )
      : findFrame(trace, (f) => (f.calls ?? []).some((c) => sameAddress(c.to, plan.safeTx.to)))
  const children = (container?.calls ?? []).filter((c) => c.type === 'CALL' || c.type === 'STATICCALL')
  const callFrames =
    plan.batch.kind === 'multisend-call-only'
      ? children
      : children.filter((c) => sameAddress(c.to, plan.safeTx.to))
  const index = callFrames.findIndex((f) => f.error !== undefined)
  if (index >= 0) {
    const frame = callFrames[index]!
    const target = getAddress(frame.to!) as Address
    return {
      callIndex: index,
      ...(calls[index] !== undefined ? { actionIndex: calls[index] } : {}),
      target,
      reason: revertReasonOf(frame, abiFor),
    }
  }
  return { reason: revertReasonOf(trace, abiFor) }
}

function findFrame(frame: CallFrame, match: (f: CallFrame) => boolean): CallFrame | undefined {
  if (match(frame)) return frame
  for (const child of frame.calls ?? []) {
    const found = findFrame(child, match)
    if (found) return found
  }
  return undefined
}

/** The revert reason of a frame, or of the deepest failing frame beneath it when it carries none. */
export function revertReasonOf(
  frame: CallFrame,
  abiFor: (address: Address) => Interface | undefined,
): string {
  const decoded = decodeRevert(frame.output, frame.to ? abiFor(getAddress(frame.to) as Address) : undefined)
  if (decoded) return decoded
  const failedChild = (frame.calls ?? []).find((c) => c.error !== undefined)
  if (failedChild) return revertReasonOf(failedChild, abiFor)
  return frame.revertReason ?? frame.error ?? 'reverted without a reason'
}

export function decodeRevert(output: Hex | undefined, iface?: Interface): string | undefined {
  if (!output || output === '0x' || output.length < 10) return undefined
  const selector = output.slice(0, 10)
  const coder = AbiCoder.defaultAbiCoder()
  try {
    if (selector === '0x08c379a0') {
      const [message] = coder.decode(['string'], `0x${output.slice(10)}`)
      return SAFE_ERRORS[message as string]
        ? `${message}: ${SAFE_ERRORS[message as string]}`
        : (message as string)
    }
    if (selector === '0x4e487b71') {
      const [code] = coder.decode(['uint256'], `0x${output.slice(10)}`)
      return `panic 0x${(code as bigint).toString(16)}`
    }
    const parsed = iface?.parseError(output)
    if (parsed) {
      return `${parsed.name}(${parsed.args.map((a) => (typeof a === 'bigint' ? a.toString() : String(a))).join(', ')})`
    }
  } catch {
    // fall through to the raw bytes
  }
  return `custom error ${selector} (not in any known ABI): ${output}`
}

/**
 * A DELEGATECALL that only forwards its caller's calldata, unchanged, to an implementation: what
 * every proxy (a Safe proxy to its singleton) does on each call. The routine delegatecall.
 */
export const isProxyForward = (frame: CallFrame, parent: CallFrame | undefined) =>
  frame.type === 'DELEGATECALL' &&
  parent !== undefined &&
  parent.input === frame.input &&
  sameAddress(parent.to, frame.from)
