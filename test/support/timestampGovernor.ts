import { type JsonRpcProvider, parseUnits } from 'ethers'
import type { Hex } from '../../src/safe/types.js'
import { deployGovernanceStack, type GovernanceStack } from './governanceStack.js'

/** Settings of the timestamp-clock governor; delays and periods are seconds because its token counts in seconds. */
export const TIMESTAMP_GOVERNOR_PARAMS = {
  supply: parseUnits('1000000', 18),
  votingDelay: 60n,
  votingPeriod: 600n,
  proposalThreshold: parseUnits('1000', 18),
  quorumPercent: 4n,
  timelockDelay: 300n,
} as const

export type TimestampGovernor = GovernanceStack

/**
 * A governance stack whose token clock is `block.timestamp`: TimestampVotesToken, AllianceTimelock and the
 * same AllianceGovernor contract (see deployGovernanceStack for the wiring).
 */
export const deployTimestampGovernor = (provider: JsonRpcProvider, deployerKey: Hex) =>
  deployGovernanceStack(
    provider,
    deployerKey,
    { token: 'TimestampVotesToken', governor: 'AllianceGovernor' },
    TIMESTAMP_GOVERNOR_PARAMS,
  )
