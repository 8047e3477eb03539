import { Interface } from 'ethers'

/**
 * The events a governor's history is rebuilt from, declared here rather than taken from
 * AllianceGovernor's artifact: ProposalExtended (GovernorPreventLateQuorum) is not in it, and other OZ
 * governors must decode the same way. Arguments are read by position, since v4 and v5 name them
 * differently (`eta` vs `etaSeconds`).
 */
export const governorHistoryAbi = new Interface([
  'event ProposalCreated(uint256 proposalId, address proposer, address[] targets, uint256[] values, string[] signatures, bytes[] calldatas, uint256 voteStart, uint256 voteEnd, string description)',
  'event ProposalQueued(uint256 proposalId, uint256 etaSeconds)',
  'event ProposalExecuted(uint256 proposalId)',
  'event ProposalCanceled(uint256 proposalId)',
  'event ProposalExtended(uint256 indexed proposalId, uint64 extendedDeadline)',
  'event VoteCast(address indexed voter, uint256 proposalId, uint8 support, uint256 weight, string reason)',
  'event VoteCastWithParams(address indexed voter, uint256 proposalId, uint8 support, uint256 weight, string reason, bytes params)',
  'event TimelockChange(address oldTimelock, address newTimelock)',
  'function getProposalId(address[] targets, uint256[] values, bytes[] calldatas, bytes32 descriptionHash) view returns (uint256)',
  'function proposalVotes(uint256 proposalId) view returns (uint256 againstVotes, uint256 forVotes, uint256 abstainVotes)',
])

/** OZ TimelockController events (v4.9+ for CallSalt). */
export const timelockHistoryAbi = new Interface([
  'event CallScheduled(bytes32 indexed id, uint256 indexed index, address target, uint256 value, bytes data, bytes32 predecessor, uint256 delay)',
  'event CallExecuted(bytes32 indexed id, uint256 indexed index, address target, uint256 value, bytes data)',
  'event CallSalt(bytes32 indexed id, bytes32 salt)',
  'event Cancelled(bytes32 indexed id)',
  'event RoleGranted(bytes32 indexed role, address indexed account, address indexed sender)',
])

export const topicOf = (iface: Interface, name: string): string => iface.getEvent(name)!.topicHash
