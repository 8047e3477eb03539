import { artifactInterface } from '../contracts/artifacts.js'
import type { Hex } from '../safe/types.js'
import type { GovernorProposal } from './types.js'

/**
 * The calldata of each Governor lifecycle call, built in one place so the proposal simulated and the
 * proposal sent are encoded by the same code (and can be compared byte for byte).
 */

const governor = () => artifactInterface('AllianceGovernor')
type Fields = Pick<GovernorProposal, 'targets' | 'values' | 'calldatas'>

export const proposeCalldata = (p: Fields & Pick<GovernorProposal, 'description'>) =>
  governor().encodeFunctionData('propose', [p.targets, p.values, p.calldatas, p.description]) as Hex

export const queueCalldata = (p: Fields & Pick<GovernorProposal, 'descriptionHash'>) =>
  governor().encodeFunctionData('queue', [p.targets, p.values, p.calldatas, p.descriptionHash]) as Hex

export const executeCalldata = (p: Fields & Pick<GovernorProposal, 'descriptionHash'>) =>
  governor().encodeFunctionData('execute', [p.targets, p.values, p.calldatas, p.descriptionHash]) as Hex

/** GovernorCountingSimple's support values. */
export const VOTE_SUPPORT = { against: 0, for: 1, abstain: 2 } as const
export type VoteSupport = keyof typeof VOTE_SUPPORT

/** `castVote`, or `castVoteWithReason` when there is a reason (the reason is logged on chain in VoteCast). */
export function castVoteCalldata(id: bigint, support: VoteSupport, reason?: string): Hex {
  const iface = governor()
  return (
    reason === undefined || reason === ''
      ? iface.encodeFunctionData('castVote', [id, VOTE_SUPPORT[support]])
      : iface.encodeFunctionData('castVoteWithReason', [id, VOTE_SUPPORT[support], reason])
  ) as Hex
}

/** What the proposal's calls send in total; `execute` is payable and the executor may have to fund it. */
export const totalValue = (p: Pick<GovernorProposal, 'values'>) => p.values.reduce((a, b) => a + b, 0n)
