import type { DecodedCall } from '../../decode/decodeCall.js'
import type { Address, Hex } from '../../safe/types.js'

/** Where an event sits on chain; `logIndex` orders events within a block. */
export type ChainPosition = { blockNumber: number; transactionHash: Hex; logIndex: number }

export type HistoryFindingLevel = 'error' | 'warning' | 'info'

/**
 * Something the history says that an auditor must see. Returned as data, never thrown: `code` is stable
 * (scripts and the report match on it), `message` says it in words with the ids involved.
 */
export type HistoryFinding = {
  code: HistoryFindingCode
  level: HistoryFindingLevel
  message: string
  proposalId?: bigint
  operationId?: Hex
  transactionHash?: Hex
}

export type HistoryFindingCode =
  /** The logged proposal id is not what the fields give (hash, or the governor's getProposalId). */
  | 'PROPOSAL_ID_MISMATCH'
  /** Events of a proposal whose ProposalCreated is before the range: its fields and ids are unchecked. */
  | 'PROPOSAL_CREATED_BEFORE_RANGE'
  /** The governor's queue transaction scheduled a timelock operation other than the recomputed one. */
  | 'TIMELOCK_ID_MISMATCH'
  /** ProposalQueued with no CallScheduled for the proposal's operation id. */
  | 'QUEUED_WITHOUT_TIMELOCK_SCHEDULE'
  /** ProposalExecuted with no CallExecuted for the proposal's operation id. */
  | 'EXECUTED_WITHOUT_TIMELOCK_EXECUTION'
  /** The proposal's operation ran on the timelock without the governor's execute (no ProposalExecuted in that tx). */
  | 'EXECUTED_ON_TIMELOCK_DIRECTLY'
  /** A queued proposal was canceled but its timelock operation was not. */
  | 'CANCELED_WITHOUT_TIMELOCK_CANCEL'
  /** The tallies summed from VoteCast events differ from the governor's proposalVotes at the end block. */
  | 'VOTES_DISAGREE'
  /** The governor switched timelocks inside the range: operations on the other timelock are not read. */
  | 'TIMELOCK_CHANGED'
  /** A timelock operation that no governor proposal in the range accounts for. */
  | 'TIMELOCK_OPERATION_WITHOUT_PROPOSAL'
  /** A proposal's operation id scheduled outside the governor's queue transaction, by another proposer. */
  | 'TIMELOCK_SCHEDULED_OUTSIDE_GOVERNOR'
  /** Scheduled in a governor queue transaction of a proposal created before the range: unverifiable here. */
  | 'TIMELOCK_OPERATION_UNVERIFIED'
  /** PROPOSER_ROLE granted on the timelock to someone other than the governor: a path around the vote. */
  | 'TIMELOCK_PROPOSER_GRANTED'

export type VoteSupportName = 'against' | 'for' | 'abstain'
export type VoteTally = { against: bigint; for: bigint; abstain: bigint }

export type VoteRecord = ChainPosition & {
  voter: Address
  /** 0 against, 1 for, 2 abstain with GovernorCountingSimple; other counting modules may use more. */
  support: number
  supportName?: VoteSupportName
  weight: bigint
  reason: string
  /** Set for VoteCastWithParams. */
  params?: Hex
}

/** One entry of a proposal's timeline: its governor events and its operation's timelock events. */
export type ProposalEvent =
  | (ChainPosition & {
      kind: 'created'
      proposer: Address
      voteStart: bigint
      voteEnd: bigint
    })
  | (ChainPosition & { kind: 'vote'; vote: VoteRecord })
  | (ChainPosition & { kind: 'queued'; eta: bigint })
  | (ChainPosition & { kind: 'extended'; deadline: bigint })
  | (ChainPosition & { kind: 'executed' })
  | (ChainPosition & { kind: 'canceled' })
  | (ChainPosition & { kind: 'timelock-scheduled'; operationId: Hex; delay: bigint })
  | (ChainPosition & { kind: 'timelock-executed'; operationId: Hex })
  | (ChainPosition & { kind: 'timelock-cancelled'; operationId: Hex })

/** What ProposalCreated says, with the description hash computed locally. */
export type ProposalCreation = ChainPosition & {
  proposer: Address
  targets: Address[]
  values: bigint[]
  /** Always empty strings from OZ governors. */
  signatures: string[]
  calldatas: Hex[]
  description: string
  descriptionHash: Hex
  /** Clock units. */
  voteStart: bigint
  /** Clock units. */
  voteEnd: bigint
}

/** A proposal's call, decoded, with the alliance action kind it looks like when that is plain. */
export type ProposalAction = {
  index: number
  call: DecodedCall
  /** `allocate-treasury`, `set-reward-rate`, … when the call is one an alliance action kind encodes; else `call`. */
  kind: string
}

export type ProposalHistory = {
  proposalId: bigint
  /** Undefined when ProposalCreated is before the range. */
  created?: ProposalCreation
  /** What the fields give: hashProposal locally, or the governor's getProposalId (sequential ids). */
  recomputedProposalId?: bigint
  /** The salt and operation id GovernorTimelockControl schedules with, computed locally. */
  timelockSalt?: Hex
  timelockOperationId?: Hex
  votes: VoteRecord[]
  /** Summed from the vote events. */
  tally: VoteTally
  /** The governor's proposalVotes at the end block (when it answers). */
  onChainTally?: VoteTally
  queued?: ChainPosition & { eta: bigint }
  executed?: ChainPosition
  canceled?: ChainPosition
  /** The latest ProposalExtended deadline, if any. */
  extendedDeadline?: bigint
  /** This proposal's operation on the timelock, as the timelock logged it. */
  operation?: TimelockOperation
  actions: ProposalAction[]
  /** Everything above, in chain order. */
  timeline: ProposalEvent[]
  findings: HistoryFinding[]
}

export type TimelockCall = { index: number; target: Address; value: bigint; data: Hex }

/** One timelock operation id, from its CallScheduled / CallSalt / CallExecuted / Cancelled events. */
export type TimelockOperation = {
  id: Hex
  /** From CallScheduled (or CallExecuted when the schedule is before the range), by index. */
  calls: TimelockCall[]
  predecessor?: Hex
  salt?: Hex
  delay?: bigint
  /** The first CallScheduled of the operation. */
  scheduled?: ChainPosition
  /** The first CallExecuted of the operation. */
  executed?: ChainPosition
  cancelled?: ChainPosition
}

export type GovernorHistory = {
  governor: Address
  timelock?: Address
  fromBlock: number
  toBlock: number
  numbering: 'hash' | 'sequential'
  /** In order of their first event in the range. */
  proposals: ProposalHistory[]
  /** Every operation the timelock logged in the range, in order of their first event. */
  operations: TimelockOperation[]
  /** Hashes of the transactions in which the governor emitted ProposalQueued / ProposalExecuted. */
  governorQueueTransactions: Map<Hex, bigint>
  governorExecuteTransactions: Map<Hex, bigint>
  /** PROPOSER_ROLE grants on the timelock in the range. */
  proposerGrants: (ChainPosition & { account: Address; sender: Address })[]
  /** Findings about the governor as a whole (TIMELOCK_CHANGED); each proposal carries its own. */
  findings: HistoryFinding[]
}
