import { getAddress, type Interface, type JsonRpcProvider } from 'ethers'
import { artifactInterface } from '../../contracts/artifacts.js'
import { type DecodedLog, decodeLog } from '../../decode/decodeLog.js'
import { GovernorUnreadableError } from '../../errors/governor.js'
import { ProposalNotSimulatableError } from '../../errors/simulate.js'
import {
  castVoteCalldata,
  executeCalldata,
  proposeCalldata,
  queueCalldata,
  totalValue,
} from '../../governor/calls.js'
import { proposerFromDescription } from '../../governor/proposalIds.js'
import { type GovernorInfo, readGovernor, readProposal } from '../../governor/readGovernor.js'
import type { GovernorProposal, ProposalStateName } from '../../governor/types.js'
import type { Address, Hex } from '../../safe/types.js'
import type { AddressBook } from '../../workspace/addressBook.js'
import { type BalanceChange, balanceChanges } from '../balanceChanges.js'
import { type CallFrame, revertReasonOf } from '../callTrace.js'
import type { ExecutionCapture } from '../capture.js'
import { decodeCapturedStateDiff } from '../decodeCapturedStateDiff.js'
import { type ForkRequest, readEnvironment, type SimulationEnvironment } from '../environment.js'
import { ForkSession, type ForkTx } from '../fork.js'
import type { ContractStorageDiff } from '../stateDiff/types.js'
import { advanceClockPast, advanceTimeTo } from './advanceClock.js'
import { delegatesAt, manufactureVotes } from './votingPower.js'

export type LifecycleStepName = 'propose' | 'vote' | 'queue' | 'execute'

export type LifecycleStep = {
  step: LifecycleStepName
  block: bigint
  timestamp: bigint
  txHash?: Hex
  gasUsed?: bigint
  stateAfter: ProposalStateName | 'unknown'
  skipped: boolean
}

export type ProposalFailure = {
  step: LifecycleStepName
  reason: string
  /** 0-based index of the proposal call that reverted, when execution failed inside one. */
  callIndex?: number
  target?: Address
}

export type GovernorSimulation = {
  environment: SimulationEnvironment
  governor: GovernorInfo
  proposer: Address
  /** The proposal was already on chain: simulated from its current state. */
  existing: boolean
  /** The id the governor gave it on the fork (the hash, or the next sequential id). */
  proposalId: bigint
  /** The exact `propose` calldata the simulation sent (absent for an existing proposal). */
  proposeCalldata?: Hex
  success: boolean
  steps: LifecycleStep[]
  votes: {
    method: 'manufactured' | 'impersonated' | 'none'
    voters: Address[]
    forVotes: bigint
    quorum: bigint
  }
  eta?: bigint
  /** The `execute` transaction, when it ran. */
  capture?: ExecutionCapture
  gasUsed: bigint
  events: DecodedLog[]
  balanceChanges: BalanceChange[]
  stateDiff?: ContractStorageDiff[]
  failure?: ProposalFailure
  notes: string[]
  /** Wall time per phase, in ms (fork start, each lifecycle step, trace): for benchmarks. */
  timings: Record<string, number>
}

export type SimulateProposalParameters = {
  proposal: GovernorProposal
  /** The workspace chain: it is forked, never written to. */
  provider: JsonRpcProvider
  chainId: bigint
  book: AddressBook
  abiFor(address: Address): Interface | undefined
  fork?: ForkRequest
  /** Simulate the proposal from its current on-chain state instead of proposing it. */
  existing?: { proposer: Address }
}

/** Who proposes and votes when the description names nobody: an address no one holds a key for. */
export const STAND_IN_VOTER = '0x00000000000000000000000000000000A111a9ce' as Address

/**
 * The whole Governor lifecycle with the real contracts on a throwaway anvil fork: propose, wait out
 * the voting delay, vote, pass the deadline, queue, wait the timelock delay, execute. Time moves the
 * way the governor's CLOCK_MODE counts; the timelock always counts seconds. Because the real
 * `execute` runs, a proposal calling the governor's own onlyGovernance functions works as on chain.
 */
export async function simulateProposal(p: SimulateProposalParameters): Promise<GovernorSimulation> {
  const started = performance.now()
  const fork = await ForkSession.start({
    url: p.fork?.url ?? (p.provider as { url?: string }).url ?? '',
    chainId: p.chainId,
    ...(p.fork?.block !== undefined ? { block: p.fork.block } : {}),
  })
  try {
    const forkMs = performance.now() - started
    const simulation = await runLifecycle(p, fork)
    simulation.timings = { fork: forkMs, ...simulation.timings }
    return simulation
  } finally {
    await fork.stop()
  }
}

async function runLifecycle(p: SimulateProposalParameters, fork: ForkSession): Promise<GovernorSimulation> {
  const { proposal, book } = p
  const [info, environment] = await Promise.all([
    readGovernor(fork.provider, proposal.governor),
    readEnvironment(fork.provider, fork),
  ])
  // A sequential-id governor gives a new proposal its id only when it is proposed.
  let id = proposal.proposalId
  let proposeCalldataSent: Hex | undefined
  const steps: LifecycleStep[] = []
  const notes: string[] = []
  const proposer = p.existing?.proposer ?? proposerFromDescription(proposal.description) ?? STAND_IN_VOTER
  let votes: GovernorSimulation['votes'] = { method: 'none', voters: [], forVotes: 0n, quorum: 0n }
  let failure: ProposalFailure | undefined
  let eta: bigint | undefined
  const timings: Record<string, number> = {}
  let mark = performance.now()
  const lap = (name: string) => {
    timings[name] = performance.now() - mark
    mark = performance.now()
  }

  const stateNow = async (): Promise<ProposalStateName | 'unknown'> => {
    try {
      return (await readProposal(fork.provider, proposal.governor, id)).state.name
    } catch {
      return 'unknown'
    }
  }
  /** Records a step (sent, or skipped when `sent` is absent) and returns the proposal's state after it. */
  const record = async (
    step: LifecycleStepName,
    sent?: { hash: Hex; gasUsed: bigint; status: boolean },
    { explainRevert = true } = {},
  ): Promise<ProposalStateName | 'unknown'> => {
    lap(step)
    const [block, stateAfter] = await Promise.all([fork.latestBlock(), stateNow()])
    steps.push({
      step,
      block: block.number,
      timestamp: block.timestamp,
      ...(sent ? { txHash: sent.hash, gasUsed: sent.gasUsed } : {}),
      stateAfter,
      skipped: !sent,
    })
    if (sent && !sent.status && explainRevert) {
      failure = { step, reason: await revertReason(fork, sent.hash, p.abiFor) }
    }
    return stateAfter
  }
  const send = (from: Address, data: string) =>
    fork.send({ from, to: proposal.governor, data: data as Hex } satisfies ForkTx)

  // 1. Propose, with manufactured voting power, unless it is already on chain.
  let state: ProposalStateName | 'unknown' = p.existing ? await stateNow() : 'unknown'
  if (p.existing) {
    if (!['Pending', 'Active', 'Succeeded', 'Queued'].includes(state))
      throw new ProposalNotSimulatableError(id, state)
    notes.push(`proposal ${id} was already on chain (${state}); the simulation started from there`)
    await record('propose')
  } else {
    const quorum = await quorumEstimate(fork, info)
    // biome-ignore lint/complexity/useMathMinMax: Math.max does not take bigints
    const power = (quorum > info.proposalThreshold ? quorum : info.proposalThreshold) + 1n
    await manufactureVotes(fork, info.token, proposer, power)
    // getVotes(proposer, clock() - 1) must see the delegation: move the clock one step on.
    await advanceClockPast(fork, info.clock, await clockOf(fork, info))
    votes = { method: 'manufactured', voters: [proposer], forVotes: power, quorum }
    notes.push(
      `${book.label(proposer)} was given ${power} votes (balance written, then a real self-delegation) to propose and vote; the total supply, and so the quorum, is the real one`,
    )
    proposeCalldataSent = proposeCalldata(proposal)
    const sent = await send(proposer, proposeCalldataSent)
    if (sent.status && info.proposalNumbering === 'sequential')
      id =
        (await governorCall<bigint>(fork, info.address, 'getProposalId', ...proposalHashArgs(proposal))) ?? id
    state = await record('propose', sent)
    if (failure) return finish()
  }

  // 2. Vote, once voting is open.
  const readout = await readProposal(fork.provider, proposal.governor, id)
  if (state === 'Pending' || state === 'Active') {
    await advanceClockPast(fork, info.clock, readout.snapshot)
    if (votes.method === 'none') votes = await impersonatedVoters(fork, info, readout.snapshot, readout.votes)
    let last: { hash: Hex; gasUsed: bigint; status: boolean } | undefined
    for (const voter of votes.voters) {
      last = await send(voter, castVoteCalldata(id, 'for'))
      if (!last.status) break
    }
    await record('vote', last)
    if (failure) return finish()
    // 3. Pass the deadline; the tally and the quorum at the snapshot are now readable.
    await advanceClockPast(fork, info.clock, readout.deadline, { mined: true })
    const tallied = await readProposal(fork.provider, proposal.governor, id)
    state = tallied.state.name
    votes = {
      ...votes,
      forVotes: tallied.votes.for,
      ...(tallied.quorum !== undefined ? { quorum: tallied.quorum } : {}),
    }
  } else {
    await record('vote')
  }
  if (state === 'Defeated') {
    failure = {
      step: 'vote',
      reason: `the proposal was Defeated: ${votes.forVotes} for against a quorum of ${votes.quorum}`,
    }
    return finish()
  }

  // 4. Queue in the timelock.
  if (state === 'Succeeded') {
    const sent = await send(proposer, queueCalldata(proposal))
    await record('queue', sent)
    if (failure) return finish()
  } else {
    await record('queue')
  }
  eta = (await readProposal(fork.provider, proposal.governor, id)).eta
  // 5. Wait the timelock's delay, then execute with the value the calls send.
  if (eta > 0n) await advanceTimeTo(fork, eta)
  const value = totalValue(proposal)
  const executeTx: ForkTx = { from: proposer, to: proposal.governor, data: executeCalldata(proposal), value }
  if (value > 0n) await fork.setBalance(proposer, value + 10n ** 18n)
  const capture = await fork.execute(executeTx)
  // A failed execute is explained per proposal call below, not by the outer revert.
  await record(
    'execute',
    { hash: capture.txHash!, gasUsed: capture.gasUsed, status: capture.status },
    { explainRevert: false },
  )
  if (!capture.status) failure = executionFailure(capture.trace, proposal, info, p.abiFor)
  return finish(capture)

  function finish(captured?: ExecutionCapture): GovernorSimulation {
    const success = failure === undefined && captured?.status === true
    const stateDiff = captured?.stateDiff ? decodeCapturedStateDiff(captured, book) : undefined
    return {
      environment,
      governor: info,
      proposer,
      existing: p.existing !== undefined,
      proposalId: id,
      ...(proposeCalldataSent ? { proposeCalldata: proposeCalldataSent } : {}),
      success,
      steps,
      votes,
      ...(eta !== undefined && eta > 0n ? { eta } : {}),
      ...(captured ? { capture: captured } : {}),
      gasUsed: captured?.gasUsed ?? 0n,
      events: (captured?.logs ?? []).map((l) => decodeLog(l, p.abiFor)),
      balanceChanges:
        captured && success ? balanceChanges(captured.logs, captured.nativeTransfers, book) : [],
      ...(stateDiff ? { stateDiff } : {}),
      ...(failure ? { failure } : {}),
      notes,
      timings,
    }
  }
}

/**
 * The quorum a proposal made now will need at its snapshot, which cannot be read before it: the
 * current supply times the quorum fraction (GovernorVotesQuorumFraction), else the governor's
 * `quorum` at the last past timepoint.
 */
async function quorumEstimate(fork: ForkSession, info: GovernorInfo): Promise<bigint> {
  if (info.quorumNumerator !== undefined && info.quorumDenominator) {
    const out = await fork.provider.call({ to: info.token, data: '0x18160ddd' /* totalSupply() */ })
    return (BigInt(out) * info.quorumNumerator) / info.quorumDenominator
  }
  // A read runs in a pending block whose clock may already be the next one: latest - 1 is surely past.
  const latest = await fork.latestBlock()
  const timepoint = (info.clock === 'blocknumber' ? latest.number : latest.timestamp) - 1n
  const quorum = await governorCall<bigint>(fork, info.address, 'quorum', timepoint)
  if (quorum === undefined) {
    throw new GovernorUnreadableError({ address: info.address, reason: `quorum(${timepoint}) reverted` })
  }
  return quorum
}

const proposalHashArgs = (p: GovernorProposal) =>
  [p.targets, p.values, p.calldatas, p.descriptionHash] as const

async function clockOf(fork: ForkSession, info: GovernorInfo): Promise<bigint> {
  return (await governorCall<bigint>(fork, info.address, 'clock')) ?? (await fork.latestBlock()).number
}

async function governorCall<T>(fork: ForkSession, governor: Address, name: string, ...args: unknown[]) {
  const iface = artifactInterface('AllianceGovernor')
  try {
    const out = await fork.provider.call({ to: governor, data: iface.encodeFunctionData(name, args) })
    return iface.decodeFunctionResult(name, out)[0] as T
  } catch {
    return undefined
  }
}

/** Real delegates vote for an existing proposal, most power first, until it would pass. */
async function impersonatedVoters(
  fork: ForkSession,
  info: GovernorInfo,
  snapshot: bigint,
  tally: { against: bigint; for: bigint; abstain: bigint },
): Promise<GovernorSimulation['votes']> {
  const quorum = (await governorCall<bigint>(fork, info.address, 'quorum', snapshot)) ?? 0n
  const voters: Address[] = []
  let forVotes = tally.for
  for (const d of await delegatesAt(fork, info.token, snapshot)) {
    if (forVotes > tally.against && forVotes + tally.abstain >= quorum) break
    voters.push(d.delegate)
    forVotes += d.votes
  }
  return { method: 'impersonated', voters, forVotes, quorum }
}

async function revertReason(fork: ForkSession, hash: Hex, abiFor: (a: Address) => Interface | undefined) {
  const trace = (await fork.provider
    .send('debug_traceTransaction', [hash, { tracer: 'callTracer' }])
    .catch(() => undefined)) as CallFrame | undefined
  return trace ? revertReasonOf(trace, abiFor) : 'reverted (no trace available)'
}

/**
 * Which proposal call made `execute` fail: the executor (the timelock, or the governor itself
 * without one) makes the proposal's calls in order, so its n-th CALL is call n.
 */
function executionFailure(
  trace: CallFrame | undefined,
  proposal: GovernorProposal,
  info: GovernorInfo,
  abiFor: (a: Address) => Interface | undefined,
): ProposalFailure {
  if (!trace) return { step: 'execute', reason: 'reverted (no trace available)' }
  const executor = (info.timelock ?? info.address).toLowerCase()
  const frames: CallFrame[] = []
  const collect = (f: CallFrame) => {
    if (f.to?.toLowerCase() === executor) frames.push(f)
    for (const c of f.calls ?? []) collect(c)
  }
  collect(trace)
  for (const frame of frames.reverse()) {
    const calls = (frame.calls ?? []).filter((c) => c.type === 'CALL')
    const index = calls.findIndex((c) => c.error !== undefined)
    if (index >= 0 && calls.length <= proposal.targets.length) {
      return {
        step: 'execute',
        callIndex: index,
        target: getAddress(calls[index]!.to!) as Address,
        reason: revertReasonOf(calls[index]!, abiFor),
      }
    }
  }
  return { step: 'execute', reason: revertReasonOf(trace, abiFor) }
}
