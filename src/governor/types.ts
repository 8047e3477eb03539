import type { Address, Hex } from '../safe/types.js'

/** Which calls of a proposal came from which action of the file, in order. */
export type GovernorProposalAction = {
  /** The action's index in the file (0-based). */
  index: number
  kind: string
  description: string
  /** How many consecutive calls of the proposal this action produced. */
  calls: number
}

/**
 * A Governor proposal as `propose(targets, values, calldatas, description)` takes it, with the ids the
 * governor and its timelock will derive from it. Pure data: built from an action file, no chain.
 */
export type GovernorProposal = {
  governor: Address
  timelock?: Address
  targets: Address[]
  values: bigint[]
  calldatas: Hex[]
  description: string
  descriptionHash: Hex
  proposalId: bigint
  /** The salt GovernorTimelockControl schedules with (depends on the OZ version); set with a timelock. */
  timelockSalt?: Hex
  timelockOperationId?: Hex
  actions: GovernorProposalAction[]
}

/** ERC-6372 clock of a governor (from its token): delays, periods and snapshots are in these units. */
export type GovernorClock = 'blocknumber' | 'timestamp'

/** OZ `IGovernor.ProposalState`, in enum order. */
export const PROPOSAL_STATES = [
  'Pending',
  'Active',
  'Canceled',
  'Defeated',
  'Succeeded',
  'Queued',
  'Expired',
  'Executed',
] as const
export type ProposalStateName = (typeof PROPOSAL_STATES)[number]
