import { Contract, type JsonRpcProvider } from 'ethers'
import type { LogSource } from '../chain/logSource.js'
import { artifactInterface } from '../contracts/artifacts.js'
import { ProposalIdMismatchError, ProposalNotFoundError } from '../errors/governor.js'
import { proposalFromLog } from './proposalFromLog.js'
import { findProposalCreated, type GovernorInfo, type ProposalCreatedLog } from './readGovernor.js'
import type { GovernorProposal } from './types.js'

export type ProposalOnChain = { proposal: GovernorProposal; created: ProposalCreatedLog }
export type ProposalOnChainErrorType = ProposalNotFoundError | ProposalIdMismatchError

/**
 * A proposal the governor already holds, rebuilt from its ProposalCreated event, and checked: its
 * fields must give its id (by hash, or by the governor's own `getProposalId` for sequential ids), so
 * queue and execute send exactly what was voted on.
 */
export async function proposalOnChain(
  provider: JsonRpcProvider,
  info: GovernorInfo,
  id: bigint,
  fromBlock = 0,
  logs?: LogSource,
): Promise<ProposalOnChain> {
  const created = await findProposalCreated(provider, info.address, id, fromBlock, logs)
  if (!created) throw new ProposalNotFoundError({ governor: info.address, id })
  const proposal = proposalFromLog(
    created,
    info.address,
    info.timelock,
    info.ozVersion,
    info.proposalNumbering,
  )
  const computed =
    info.proposalNumbering === 'sequential'
      ? ((await new Contract(info.address, artifactInterface('AllianceGovernor'), provider).getFunction(
          'getProposalId',
        )(proposal.targets, proposal.values, proposal.calldatas, proposal.descriptionHash)) as bigint)
      : proposal.proposalId
  if (computed !== id) throw new ProposalIdMismatchError({ governor: info.address, id, computed })
  return { proposal, created }
}
