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
 * An on-chain proposal from its ProposalCreated event. For a hash-numbered governor the id is
 * recomputed from the logged fields (the caller compares it with the logged id); a sequential-id
 * governor keeps the logged id, and the caller asks the governor's `getProposalId` instead.
 */
export function proposalFromLog(
  log: ProposalCreatedLog,
  governor: Address,
  timelock: Address | undefined,
  ozVersion: OzGovernorVersion,
  numbering: 'hash' | 'sequential' = 'hash',
): GovernorProposal {
  const descHash = descriptionHash(log.description)
  const { targets, values, calldatas } = log
  const hash = hashProposal({ targets, values, calldatas, descriptionHash: descHash })
  const proposal: GovernorProposal = {
    governor,
    targets,
    values,
    calldatas,
    description: log.description,
    descriptionHash: descHash,
    proposalId: numbering === 'sequential' ? log.proposalId : hash,
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
