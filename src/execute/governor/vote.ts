import { Contract, type JsonRpcProvider } from 'ethers'
import { artifactInterface } from '../../contracts/artifacts.js'
import { castVoteCalldata, type VoteSupport } from '../../governor/calls.js'
import { refuseVote } from '../../governor/lifecycleRules.js'
import { type GovernorInfo, readProposal } from '../../governor/readGovernor.js'
import type { LocalSigner } from '../../signers/privateKeyFromEnv.js'
import { type SentGovernorTx, sendGovernorTx } from './sendGovernorTx.js'

export type CastVoteParameters = {
  provider: JsonRpcProvider
  signer: LocalSigner
  info: GovernorInfo
  id: bigint
  support: VoteSupport
  reason?: string
  receiptTimeoutMs?: number
}

export type CastVoteResult = SentGovernorTx & { proposalId: bigint; support: VoteSupport; weight: bigint }

/**
 * Votes once the proposal is Active and the voter has not voted and had votes at the snapshot; the
 * weight counted is read back from the VoteCast event.
 */
export async function castVote(p: CastVoteParameters): Promise<CastVoteResult> {
  const governor = new Contract(p.info.address, artifactInterface('AllianceGovernor'), p.provider)
  const readout = await readProposal(p.provider, p.info.address, p.id)
  const voter = p.signer.address
  const [hasVoted, weight] = await Promise.all([
    governor.getFunction('hasVoted')(p.id, voter) as Promise<boolean>,
    // Votes at the snapshot; before it is past (Pending) the read would revert, and the state decides anyway.
    readout.snapshot < readout.clock
      ? (governor.getFunction('getVotes')(voter, readout.snapshot) as Promise<bigint>)
      : Promise.resolve(0n),
  ])
  const refusal = refuseVote(readout, { hasVoted, weight, voter })
  if (refusal) throw refusal
  const { sent, receipt } = await sendGovernorTx({
    provider: p.provider,
    signer: p.signer,
    step: 'vote',
    to: p.info.address,
    data: castVoteCalldata(p.id, p.support, p.reason),
    ...(p.receiptTimeoutMs ? { receiptTimeoutMs: p.receiptTimeoutMs } : {}),
  })
  const iface = artifactInterface('AllianceGovernor')
  const cast = receipt.logs
    .map((l) => iface.parseLog(l))
    .find((e) => e?.name === 'VoteCast' || e?.name === 'VoteCastWithParams')
  return {
    ...sent,
    proposalId: p.id,
    support: p.support,
    weight: (cast?.args.getValue('weight') as bigint) ?? weight,
  }
}
