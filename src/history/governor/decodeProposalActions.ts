import { type DecodeContext, type DecodedCall, decodeCall } from '../../decode/decodeCall.js'
import type { Address, Hex } from '../../safe/types.js'
import type { ProposalAction } from './types.js'

/**
 * The function each alliance action kind calls, by name: a call decoded with its target's own ABI to
 * one of these was (or could have been) written as that kind. Transfers are told apart separately,
 * as an ERC-20 `transfer` matches by selector on any token.
 */
const KIND_BY_FUNCTION: Record<string, string> = {
  allocate: 'allocate-treasury',
  setRewardRate: 'set-reward-rate',
  admitMember: 'admit-member',
  emergencyWithdraw: 'emergency-withdraw',
}

/** Each call of a proposal decoded with `src/decode`, and the alliance action kind it looks like. */
export function decodeProposalActions(
  proposal: { targets: readonly Address[]; values: readonly bigint[]; calldatas: readonly Hex[] },
  ctx: DecodeContext,
): ProposalAction[] {
  return proposal.targets.map((to, index) => {
    // A Governor can only CALL its targets (through the timelock): operation is always 0.
    const call = decodeCall(
      { to, value: proposal.values[index] ?? 0n, data: proposal.calldatas[index] ?? '0x', operation: 0 },
      ctx,
    )
    return { index, call, kind: actionKind(call) }
  })
}

function actionKind(call: DecodedCall): string {
  if (call.data === '0x' && call.value > 0n) return 'transfer'
  if (call.functionName === 'transfer' && call.args?.length === 2 && call.value === 0n) return 'transfer'
  if (call.source === 'abi' && call.functionName && KIND_BY_FUNCTION[call.functionName])
    return KIND_BY_FUNCTION[call.functionName]!
  return 'call'
}
