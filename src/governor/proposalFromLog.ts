import type { Address } from '../safe/types.js'
import {
  descriptionHash,
  hashProposal,
  type OzGovernorVersion,
  timelockOperationId,
  timelockSalt,
} from './proposalIds.js'
import type { ProposalCreatedLog } from './readGovernor.js'
import type { GovernorProposal } from './types.js'

/**
 * An on-chain proposal as the simulator takes it, from its ProposalCreated event. Its id is
 * recomputed from the logged fields: a governor whose ids are not the hash (sequential ids) is
 * caught here rather than simulated under the wrong id.
 */
export function proposalFromLog(
  log: ProposalCreatedLog,
  governor: Address,
  timelock: Address | undefined,
  ozVersion: OzGovernorVersion,
): GovernorProposal {
  const descHash = descriptionHash(log.description)
  const { targets, values, calldatas } = log
  const proposal: GovernorProposal = {
    governor,
    targets,
    values,
    calldatas,
    description: log.description,
    descriptionHash: descHash,
    proposalId: hashProposal({ targets, values, calldatas, descriptionHash: descHash }),
    actions: targets.map((_, i) => ({ index: i, kind: 'call', description: `call ${i + 1}`, calls: 1 })),
  }
  if (timelock) {
    const salt = timelockSalt(governor, descHash, ozVersion)
    proposal.timelock = timelock
    proposal.timelockSalt = salt
    proposal.timelockOperationId = timelockOperationId({ targets, values, calldatas, salt })
  }
  return proposal
}
