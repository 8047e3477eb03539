import { Contract, type JsonRpcProvider } from 'ethers'
import { artifactInterface } from '../../contracts/artifacts.js'
import { ChainIdsDisagreeError } from '../../errors/governor.js'
import { queueCalldata } from '../../governor/calls.js'
import { refuseQueue } from '../../governor/lifecycleRules.js'
import { type GovernorInfo, readProposal } from '../../governor/readGovernor.js'
import type { GovernorProposal } from '../../governor/types.js'
import type { Hex } from '../../safe/types.js'
import type { LocalSigner } from '../../signers/privateKeyFromEnv.js'
import { checkIdsAgainstChain } from './propose.js'
import { type SentGovernorTx, sendGovernorTx } from './sendGovernorTx.js'

export type QueueProposalParameters = {
  provider: JsonRpcProvider
  signer: LocalSigner
  info: GovernorInfo
  /** The proposal as rebuilt from its ProposalCreated event (`proposalOnChain`). */
  proposal: GovernorProposal
  receiptTimeoutMs?: number
}

export type QueueProposalResult = SentGovernorTx & {
  proposalId: bigint
  /** When the timelock lets it run, in seconds. */
  eta: bigint
  timelockOperationId?: Hex
}

/**
 * Queues a Succeeded proposal in the timelock, after checking the timelock computes the operation id
 * alliance did; afterwards the timelock must hold that operation, scheduled for the eta the governor logged.
 */
export async function queueProposal(p: QueueProposalParameters): Promise<QueueProposalResult> {
  const { proposal, info } = p
  const readout = await readProposal(p.provider, info.address, proposal.proposalId)
  const refusal = refuseQueue(readout, await needsQueuing(p.provider, info, proposal.proposalId))
  if (refusal) throw refusal
  if (info.proposalNumbering === 'hash') await checkIdsAgainstChain(p.provider, proposal)
  const { sent, receipt } = await sendGovernorTx({
    provider: p.provider,
    signer: p.signer,
    step: 'queue',
    to: info.address,
    data: queueCalldata(proposal),
    ...(p.receiptTimeoutMs ? { receiptTimeoutMs: p.receiptTimeoutMs } : {}),
  })
  const governorAbi = artifactInterface('AllianceGovernor')
  const queued = receipt.logs.map((l) => governorAbi.parseLog(l)).find((e) => e?.name === 'ProposalQueued')
  const eta = (queued?.args.getValue('etaSeconds') as bigint | undefined) ?? 0n
  const opId = proposal.timelockOperationId
  if (opId && info.timelock) {
    const timelock = new Contract(info.timelock, artifactInterface('AllianceTimelock'), p.provider)
    const scheduled = (await timelock.getFunction('getTimestamp')(opId)) as bigint
    if (scheduled !== eta)
      throw new ChainIdsDisagreeError({
        what: 'timelock schedule for the operation id',
        local: `${opId} at ${eta}`,
        chain: `${opId} at ${scheduled}`,
      })
  }
  return { ...sent, proposalId: proposal.proposalId, eta, ...(opId ? { timelockOperationId: opId } : {}) }
}

/** OZ 5 asks the governor; a 4.x governor with a timelock always queues. */
export async function needsQueuing(
  provider: JsonRpcProvider,
  info: GovernorInfo,
  id: bigint,
): Promise<boolean> {
  if (info.ozVersion === 4) return info.timelock !== undefined
  const governor = new Contract(info.address, artifactInterface('AllianceGovernor'), provider)
  return (await governor.getFunction('proposalNeedsQueuing')(id)) as boolean
}
