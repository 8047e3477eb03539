import { type JsonRpcProvider, parseUnits } from 'ethers'
import type { Hex } from '../../src/safe/types.js'
import { deployGovernanceStack, type GovernanceStack } from './governanceStack.js'

/** Settings of the sequential-id governor; delays and periods are blocks (AllianceToken's clock), the timelock's seconds. */
export const SEQUENTIAL_GOVERNOR_PARAMS = {
  supply: parseUnits('1000000', 18),
  votingDelay: 1n,
  votingPeriod: 20n,
  proposalThreshold: parseUnits('1000', 18),
  quorumPercent: 4n,
  timelockDelay: 60n,
} as const

export type SequentialGovernor = GovernanceStack

/**
 * A governance stack whose proposal ids count 1, 2, 3, … instead of being `hashProposal`: a fresh
 * AllianceToken (block-number clock), AllianceTimelock and SequentialIdGovernor (AllianceGovernor plus
 * OpenZeppelin's GovernorSequentialProposalId); wired as deployGovernanceStack says.
 */
export const deploySequentialGovernor = (provider: JsonRpcProvider, deployerKey: Hex) =>
  deployGovernanceStack(
    provider,
    deployerKey,
    { token: 'AllianceToken', governor: 'SequentialIdGovernor' },
    SEQUENTIAL_GOVERNOR_PARAMS,
  )
