import { Contract, getAddress, type JsonRpcProvider } from 'ethers'
import { artifactInterface } from '../../contracts/artifacts.js'
import { ChainIdsDisagreeError, SentProposalDiffersError } from '../../errors/governor.js'
import { proposeCalldata } from '../../governor/calls.js'
import { refusePropose } from '../../governor/lifecycleRules.js'
import { proposerFromDescription } from '../../governor/proposalIds.js'
import { chainProposalIds, type GovernorInfo, readProposal } from '../../governor/readGovernor.js'
import type { GovernorProposal } from '../../governor/types.js'
import type { Address, Hex } from '../../safe/types.js'
import type { LocalSigner } from '../../signers/privateKeyFromEnv.js'
import { type SentGovernorTx, sendGovernorTx } from './sendGovernorTx.js'

const governorAt = (provider: JsonRpcProvider, address: string) =>
  new Contract(address, artifactInterface('AllianceGovernor'), provider)

/**
 * The governor's own `hashProposal` and the timelock's `hashOperationBatch` must give the ids computed
 * locally; a governor that hashes differently is refused before anything is signed.
 */
export async function checkIdsAgainstChain(provider: JsonRpcProvider, proposal: GovernorProposal) {
  const chain = await chainProposalIds(provider, proposal)
  if (chain.proposalId !== proposal.proposalId)
    throw new ChainIdsDisagreeError({
      what: 'proposal id (hashProposal)',
      local: proposal.proposalId.toString(),
      chain: chain.proposalId.toString(),
    })
  if (proposal.timelockOperationId && chain.timelockOperationId !== proposal.timelockOperationId)
    throw new ChainIdsDisagreeError({
      what: 'timelock operation id (hashOperationBatch)',
      local: proposal.timelockOperationId,
      chain: chain.timelockOperationId ?? 'none',
    })
}

/**
 * Everything `propose` will check, read from the chain for `proposer`, turned into a refusal in
 * words when it would fail: the `#proposer=` guard, an id already taken, votes below the threshold.
 */
export async function checkCanPropose(
  provider: JsonRpcProvider,
  info: GovernorInfo,
  proposal: GovernorProposal,
  proposer: Address,
): Promise<{ votes: bigint }> {
  const governor = governorAt(provider, info.address)
  const clock = (await governor.getFunction('clock')()) as bigint
  const [votes, existingState] = await Promise.all([
    governor.getFunction('getVotes')(proposer, clock - 1n) as Promise<bigint>,
    existingProposalState(provider, info, proposal),
  ])
  const requiredProposer = proposerFromDescription(proposal.description)
  const refusal = refusePropose(proposal.proposalId, {
    proposer,
    votes,
    threshold: info.proposalThreshold,
    ...(requiredProposer ? { requiredProposer } : {}),
    ...(existingState ? { existingState } : {}),
  })
  if (refusal) throw refusal
  return { votes }
}

async function existingProposalState(
  provider: JsonRpcProvider,
  info: GovernorInfo,
  proposal: GovernorProposal,
) {
  let id = proposal.proposalId
  if (info.proposalNumbering === 'sequential') {
    // getProposalId reverts for a hash the governor has never seen.
    const known = await governorAt(provider, info.address)
      .getFunction('getProposalId')(
        proposal.targets,
        proposal.values,
        proposal.calldatas,
        proposal.descriptionHash,
      )
      .catch(() => undefined)
    if (known === undefined) return undefined
    id = known as bigint
  }
  const snapshot = (await governorAt(provider, info.address).getFunction('proposalSnapshot')(id)) as bigint
  if (snapshot === 0n) return undefined
  return (await readProposal(provider, info.address, id)).state.name
}

export type ProposeResult = SentGovernorTx & {
  /** The id the governor gave the proposal (from its ProposalCreated event). */
  proposalId: bigint
  voteStart: bigint
  voteEnd: bigint
  /** Set when a simulation ran: the transaction input was byte-identical to the calldata it simulated. */
  identicalToSimulation?: boolean
}

export type ProposeProposalParameters = {
  provider: JsonRpcProvider
  signer: LocalSigner
  info: GovernorInfo
  proposal: GovernorProposal
  /** The `propose` calldata the simulation sent; the proposal is only sent when it is byte-identical. */
  simulatedCalldata?: Hex
  receiptTimeoutMs?: number
}

/**
 * Proposes from an EOA after the checks above, then reads back what landed: the transaction's input
 * must be the calldata built (and simulated), and the ProposalCreated event must carry the same
 * targets, values, calldatas and description under the id computed locally.
 */
export async function proposeProposal(p: ProposeProposalParameters): Promise<ProposeResult> {
  const { provider, proposal, info } = p
  const data = proposeCalldata(proposal)
  if (p.simulatedCalldata !== undefined && p.simulatedCalldata !== data)
    throw new SentProposalDiffersError({ what: 'the propose calldata differs from the one simulated' })
  await checkIdsAgainstChain(provider, proposal)
  await checkCanPropose(provider, info, proposal, p.signer.address)

  const { sent, receipt } = await sendGovernorTx({
    provider,
    signer: p.signer,
    step: 'propose',
    to: info.address,
    data,
    ...(p.receiptTimeoutMs ? { receiptTimeoutMs: p.receiptTimeoutMs } : {}),
  })
  const tx = await provider.getTransaction(sent.transactionHash)
  if (tx?.data !== data)
    throw new SentProposalDiffersError({
      what: 'the transaction input is not the calldata built',
      txHash: sent.transactionHash,
    })
  const created = proposalCreatedIn(receipt.logs, info.address)
  if (!created)
    throw new SentProposalDiffersError({ what: 'no ProposalCreated event', txHash: sent.transactionHash })
  const problem = differences(created, proposal, info)
  if (problem) throw new SentProposalDiffersError({ what: problem, txHash: sent.transactionHash })
  return {
    ...sent,
    proposalId: created.proposalId,
    voteStart: created.voteStart,
    voteEnd: created.voteEnd,
    ...(p.simulatedCalldata !== undefined ? { identicalToSimulation: true } : {}),
  }
}

type CreatedFields = {
  proposalId: bigint
  targets: string[]
  values: bigint[]
  calldatas: string[]
  description: string
  voteStart: bigint
  voteEnd: bigint
}

/** The governor's ProposalCreated event among a receipt's logs. */
export function proposalCreatedIn(
  logs: readonly { address: string; topics: readonly string[]; data: string }[],
  governor: Address,
): CreatedFields | undefined {
  const iface = artifactInterface('AllianceGovernor')
  const event = iface.getEvent('ProposalCreated')!
  const log = logs.find((l) => getAddress(l.address) === governor && l.topics[0] === event.topicHash)
  if (!log) return undefined
  const args = iface.decodeEventLog(event, log.data, log.topics)
  return {
    proposalId: args.getValue('proposalId'),
    targets: [...args.getValue('targets')],
    values: [...args.getValue('values')],
    calldatas: [...args.getValue('calldatas')],
    description: args.getValue('description'),
    voteStart: args.getValue('voteStart'),
    voteEnd: args.getValue('voteEnd'),
  }
}

function differences(
  created: CreatedFields,
  proposal: GovernorProposal,
  info: GovernorInfo,
): string | undefined {
  if (info.proposalNumbering === 'hash' && created.proposalId !== proposal.proposalId)
    return `the governor logged id ${created.proposalId}, alliance computed ${proposal.proposalId}`
  const same = (a: readonly unknown[], b: readonly unknown[]) =>
    a.length === b.length && a.every((x, i) => String(x).toLowerCase() === String(b[i]).toLowerCase())
  if (!same(created.targets, proposal.targets)) return 'the targets differ'
  if (!same(created.values, proposal.values)) return 'the values differ'
  if (!same(created.calldatas, proposal.calldatas)) return 'the calldatas differ'
  if (created.description !== proposal.description) return 'the description differs'
  return undefined
}
