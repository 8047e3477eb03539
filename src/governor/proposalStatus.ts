import { Contract, type JsonRpcProvider } from 'ethers'
import { artifactInterface } from '../contracts/artifacts.js'
import type { Address, Hex } from '../safe/types.js'
import type { ProposalOnChain } from './proposalOnChain.js'
import { type GovernorInfo, type ProposalReadout, readProposal } from './readGovernor.js'
import type { GovernorProposal } from './types.js'

/** A governor timepoint with the wall-clock time it falls on (measured, or estimated from block times). */
export type Timepoint = {
  /** In the governor's clock units (block number or seconds). */
  clock: bigint
  /** Unix seconds: exact for a past block or a timestamp clock, estimated for a future block. */
  time: number
  estimated: boolean
}

export type TimelockOperationState = 'unset' | 'waiting' | 'ready' | 'done'

export type ProposalStatus = {
  governor: { address: Address; name: string; clockMode: string }
  proposalId: bigint
  state: ProposalReadout['state']['name']
  proposer: Address
  description: string
  descriptionHash: Hex
  created: { blockNumber: number; transactionHash: Hex }
  votes: ProposalReadout['votes']
  quorum?: bigint
  quorumReached?: boolean
  now: Timepoint
  voteStart: Timepoint
  voteEnd: Timepoint
  /** Timelock eta in seconds (0 until queued). */
  eta?: { time: number }
  timelock?: { address: Address; operationId: Hex; state: TimelockOperationState; readyAt?: number }
  proposal: GovernorProposal
  /** All reads were made at this block. */
  blockNumber: number
}

/**
 * Where a proposal stands: state, tally against quorum, vote window in clock units and in wall-clock
 * time, the timelock eta and the timelock's own view of the operation.
 */
export async function proposalStatus(
  provider: JsonRpcProvider,
  info: GovernorInfo,
  onChain: ProposalOnChain,
): Promise<ProposalStatus> {
  const { proposal, created } = onChain
  const readout = await readProposal(provider, info.address, proposal.proposalId)
  const toTime = await clockToTime(provider, info, readout.blockNumber)
  const status: ProposalStatus = {
    governor: { address: info.address, name: info.name, clockMode: info.clockMode },
    proposalId: proposal.proposalId,
    state: readout.state.name,
    proposer: readout.proposer,
    description: proposal.description,
    descriptionHash: proposal.descriptionHash,
    created: { blockNumber: created.blockNumber, transactionHash: created.transactionHash },
    votes: readout.votes,
    now: await toTime(readout.clock),
    // Voting opens just after the snapshot and stays open through the deadline.
    voteStart: await toTime(readout.snapshot + 1n),
    voteEnd: await toTime(readout.deadline),
    proposal,
    blockNumber: readout.blockNumber,
  }
  if (readout.quorum !== undefined) {
    status.quorum = readout.quorum
    status.quorumReached = readout.votes.for + readout.votes.abstain >= readout.quorum
  }
  if (readout.eta > 0n) status.eta = { time: Number(readout.eta) }
  if (info.timelock && proposal.timelockOperationId) {
    const timelock = new Contract(info.timelock, artifactInterface('AllianceTimelock'), provider)
    const at = (await timelock.getFunction('getTimestamp')(proposal.timelockOperationId, {
      blockTag: readout.blockNumber,
    })) as bigint
    const nowSeconds = BigInt(status.now.time)
    const state: TimelockOperationState =
      at === 0n ? 'unset' : at === 1n ? 'done' : at > nowSeconds ? 'waiting' : 'ready'
    status.timelock = {
      address: info.timelock,
      operationId: proposal.timelockOperationId,
      state,
      ...(at > 1n ? { readyAt: Number(at) } : {}),
    }
  }
  return status
}

/**
 * Clock units to wall-clock time. A timestamp clock is already time. A block-number clock uses the
 * block's own timestamp when it is mined, else the head's plus the average block time over the last
 * (up to) 1,000 blocks.
 */
async function clockToTime(provider: JsonRpcProvider, info: GovernorInfo, head: number) {
  const headBlock = await provider.getBlock(head)
  const headTime = headBlock?.timestamp ?? Math.floor(Date.now() / 1000)
  let secondsPerBlock: number | undefined
  return async (clock: bigint): Promise<Timepoint> => {
    if (info.clock === 'timestamp') return { clock, time: Number(clock), estimated: false }
    if (clock <= BigInt(head)) {
      const block = await provider.getBlock(Number(clock))
      return { clock, time: block?.timestamp ?? headTime, estimated: false }
    }
    if (secondsPerBlock === undefined) {
      const span = Math.min(1000, head)
      const past = span > 0 ? await provider.getBlock(head - span) : undefined
      secondsPerBlock = past && span > 0 ? Math.max(1, (headTime - past.timestamp) / span) : 12
    }
    return {
      clock,
      time: Math.round(headTime + Number(clock - BigInt(head)) * secondsPerBlock),
      estimated: true,
    }
  }
}
