import { Contract, getAddress, type JsonRpcProvider, ZeroHash } from 'ethers'
import type { LogSource } from '../chain/logSource.js'
import { rangedLogSource } from '../chain/rangedLogSource.js'
import { artifactInterface } from '../contracts/artifacts.js'
import { GovernorUnreadableError, ProposalNotFoundError } from '../errors/governor.js'
import type { Address, Hex } from '../safe/types.js'
import type { OzGovernorVersion } from './proposalIds.js'
import {
  type GovernorClock,
  type GovernorProposal,
  PROPOSAL_STATES,
  type ProposalStateName,
} from './types.js'

/**
 * Chain reads of an OpenZeppelin Governor and its TimelockController. The ABIs are AllianceGovernor's and
 * AllianceTimelock's (OZ 5.4); functions that other OZ governors may lack are read as optional.
 */

const governorAt = (provider: JsonRpcProvider, address: string) =>
  new Contract(address, artifactInterface('AllianceGovernor'), provider)
const timelockAt = (provider: JsonRpcProvider, address: string) =>
  new Contract(address, artifactInterface('AllianceTimelock'), provider)

const SEQUENTIAL_ID_ABI = ['function latestProposalId() view returns (uint256)']

/** ERC-6372 says a contract without CLOCK_MODE counts in blocks. */
const DEFAULT_CLOCK_MODE = 'mode=blocknumber&from=default'

export type GovernorInfo = {
  address: Address
  name: string
  /** ERC-6372 `CLOCK_MODE()` as the governor reports it (the default block-number mode when absent). */
  clockMode: string
  clock: GovernorClock
  /** In clock units. */
  votingDelay: bigint
  /** In clock units. */
  votingPeriod: bigint
  proposalThreshold: bigint
  token: Address
  /** Set for GovernorTimelockControl/Compound governors. */
  timelock?: Address
  /** The timelock's minimum delay, in seconds whatever the governor's clock. */
  minDelay?: bigint
  /** GovernorVotesQuorumFraction: quorum = past total supply × numerator / denominator. */
  quorumNumerator?: bigint
  quorumDenominator?: bigint
  ozVersion: OzGovernorVersion
  /**
   * How the governor numbers proposals: by `hashProposal` (OZ default), or one after another
   * (GovernorSequentialProposalId, detected by its `latestProposalId()`), in which case a new proposal's
   * id is only known once it is proposed.
   */
  proposalNumbering: 'hash' | 'sequential'
}
export type ReadGovernorErrorType = GovernorUnreadableError

/** A governor's settings, clock, timelock and OZ major version, as the chain reports them now. */
export async function readGovernor(provider: JsonRpcProvider, governor: Address): Promise<GovernorInfo> {
  const address = getAddress(governor) as Address
  if ((await provider.getCode(address)) === '0x')
    throw new GovernorUnreadableError({ address, reason: 'no contract is deployed there' })
  const g = governorAt(provider, address)
  const call = <T>(name: string, ...args: unknown[]) => g.getFunction(name)(...args) as Promise<T>

  let required: [string, bigint, bigint, bigint, string]
  try {
    required = await Promise.all([
      call<string>('name'),
      call<bigint>('votingDelay'),
      call<bigint>('votingPeriod'),
      call<bigint>('proposalThreshold'),
      call<string>('token'),
    ])
  } catch (err) {
    if (!isRevert(err)) throw err
    throw new GovernorUnreadableError({
      address,
      reason: 'it does not answer name/votingDelay/votingPeriod/proposalThreshold/token',
      cause: err,
    })
  }
  const [name, votingDelay, votingPeriod, proposalThreshold, token] = required
  const [clockMode, timelock, quorumNumerator, quorumDenominator, needsQueuing, latestId] = await Promise.all(
    [
      optional(call<string>('CLOCK_MODE')),
      optional(call<string>('timelock')),
      optional(call<bigint>('quorumNumerator')),
      optional(call<bigint>('quorumDenominator')),
      // Added in 5.0 (every v5 governor has it, returning false without a timelock); 4.x reverts.
      optional(call<boolean>('proposalNeedsQueuing', 0n)),
      optional(
        new Contract(address, SEQUENTIAL_ID_ABI, provider).getFunction(
          'latestProposalId',
        )() as Promise<bigint>,
      ),
    ],
  )
  const mode = clockMode ?? DEFAULT_CLOCK_MODE
  const info: GovernorInfo = {
    address,
    name,
    clockMode: mode,
    clock: parseClockMode(address, mode),
    votingDelay,
    votingPeriod,
    proposalThreshold,
    token: getAddress(token) as Address,
    ozVersion: needsQueuing === undefined ? 4 : 5,
    proposalNumbering: latestId === undefined ? 'hash' : 'sequential',
  }
  if (timelock !== undefined) {
    info.timelock = getAddress(timelock) as Address
    const minDelay = await optional(
      timelockAt(provider, timelock).getFunction('getMinDelay')() as Promise<bigint>,
    )
    if (minDelay !== undefined) info.minDelay = minDelay
  }
  if (quorumNumerator !== undefined) info.quorumNumerator = quorumNumerator
  if (quorumDenominator !== undefined) info.quorumDenominator = quorumDenominator
  return info
}

function parseClockMode(address: Address, clockMode: string): GovernorClock {
  const mode = new URLSearchParams(clockMode).get('mode')
  if (mode === 'blocknumber' || mode === 'timestamp') return mode
  throw new GovernorUnreadableError({
    address,
    reason: `its CLOCK_MODE "${clockMode}" is neither blocknumber nor timestamp`,
  })
}

export type ProposalReadout = {
  governor: Address
  id: bigint
  state: { name: ProposalStateName; number: number }
  /** Timepoint (clock units) whose voting power counts; voting opens just after it. */
  snapshot: bigint
  /** Last timepoint (clock units) at which votes are accepted. */
  deadline: bigint
  proposer: Address
  /** When the timelock lets it run, in seconds (0 until queued). */
  eta: bigint
  votes: { against: bigint; for: bigint; abstain: bigint }
  /** For + abstain votes needed. Unknown while the snapshot is still ahead: past supply cannot be read yet. */
  quorum?: bigint
  /** The governor's clock at `blockNumber`, to compare with snapshot and deadline. */
  clock: bigint
  /** Every value above was read at this block, so they agree with each other. */
  blockNumber: number
}
export type ReadProposalErrorType = ProposalNotFoundError | GovernorUnreadableError

/** One proposal's state, timepoints, proposer, eta and votes, all read at the same block. */
export async function readProposal(
  provider: JsonRpcProvider,
  governor: Address,
  id: bigint,
): Promise<ProposalReadout> {
  const address = getAddress(governor) as Address
  const blockNumber = await provider.getBlockNumber()
  const g = governorAt(provider, address)
  const at = { blockTag: blockNumber }
  const call = <T>(name: string, ...args: unknown[]) => g.getFunction(name)(...args, at) as Promise<T>

  // A snapshot of 0 is how the governor marks an id it never saw (state() would revert).
  let snapshot: bigint
  try {
    snapshot = await call<bigint>('proposalSnapshot', id)
  } catch (err) {
    if (!isRevert(err)) throw err
    throw new GovernorUnreadableError({ address, reason: 'it does not answer proposalSnapshot', cause: err })
  }
  if (snapshot === 0n) throw new ProposalNotFoundError({ governor: address, id })
  const [state, deadline, proposer, eta, votes, clock] = await Promise.all([
    call<bigint>('state', id),
    call<bigint>('proposalDeadline', id),
    call<string>('proposalProposer', id),
    call<bigint>('proposalEta', id),
    call<[bigint, bigint, bigint]>('proposalVotes', id),
    call<bigint>('clock'),
  ])
  const stateName = PROPOSAL_STATES[Number(state)]
  if (!stateName)
    throw new GovernorUnreadableError({
      address,
      reason: `state(${id}) returned ${state}, not a ProposalState`,
    })
  const readout: ProposalReadout = {
    governor: address,
    id,
    state: { name: stateName, number: Number(state) },
    snapshot,
    deadline,
    proposer: getAddress(proposer) as Address,
    eta,
    votes: { against: votes[0], for: votes[1], abstain: votes[2] },
    clock,
    blockNumber,
  }
  if (snapshot < clock) readout.quorum = await call<bigint>('quorum', snapshot)
  return readout
}

export type ProposalCreatedLog = {
  proposalId: bigint
  proposer: Address
  targets: Address[]
  values: bigint[]
  /** Always empty strings from OZ governors; Bravo-style ones may name a function here. */
  signatures: string[]
  calldatas: Hex[]
  /** Clock units. */
  voteStart: bigint
  /** Clock units. */
  voteEnd: bigint
  description: string
  blockNumber: number
  transactionHash: Hex
}

/**
 * The `ProposalCreated` event of one proposal, or undefined when the governor emitted none for it since
 * `fromBlock`. OZ does not index the proposal id, so every ProposalCreated of the governor is decoded.
 */
export async function findProposalCreated(
  provider: JsonRpcProvider,
  governor: Address,
  id: bigint,
  fromBlock = 0,
  /** Default: the provider in ranges, as a node that caps eth_getLogs ranges requires. */
  logs: LogSource = rangedLogSource(provider),
): Promise<ProposalCreatedLog | undefined> {
  const iface = artifactInterface('AllianceGovernor')
  const event = iface.getEvent('ProposalCreated')!
  // Nodes reject a range that starts past their head rather than answer with no logs.
  const head = await provider.getBlockNumber()
  if (fromBlock > head) return undefined
  const found = await logs({
    address: getAddress(governor),
    topics: [event.topicHash],
    fromBlock,
    toBlock: head,
  })
  for (const log of found) {
    const args = iface.decodeEventLog(event, log.data, log.topics)
    if (args.getValue('proposalId') !== id) continue
    return {
      proposalId: id,
      proposer: getAddress(args.getValue('proposer')) as Address,
      targets: [...args.getValue('targets')].map((t: string) => getAddress(t) as Address),
      values: [...args.getValue('values')],
      signatures: [...args.getValue('signatures')],
      calldatas: [...args.getValue('calldatas')],
      voteStart: args.getValue('voteStart'),
      voteEnd: args.getValue('voteEnd'),
      description: args.getValue('description'),
      blockNumber: log.blockNumber,
      transactionHash: log.transactionHash as Hex,
    }
  }
  return undefined
}

export type ChainProposalIds = { proposalId: bigint; timelockOperationId?: Hex }

/**
 * What the governor's `hashProposal` and the timelock's `hashOperationBatch` make of a proposal, for
 * callers to compare with the locally computed ids before proposing or queuing.
 */
export async function chainProposalIds(
  provider: JsonRpcProvider,
  proposal: GovernorProposal,
): Promise<ChainProposalIds> {
  const { targets, values, calldatas } = proposal
  const proposalId = governorAt(provider, proposal.governor).getFunction('hashProposal')(
    targets,
    values,
    calldatas,
    proposal.descriptionHash,
  ) as Promise<bigint>
  const { timelock, timelockSalt } = proposal
  const operationId =
    timelock && timelockSalt
      ? (timelockAt(provider, timelock).getFunction('hashOperationBatch')(
          targets,
          values,
          calldatas,
          ZeroHash,
          timelockSalt,
        ) as Promise<Hex>)
      : undefined
  const [id, opId] = await Promise.all([proposalId, operationId])
  return opId === undefined ? { proposalId: id } : { proposalId: id, timelockOperationId: opId }
}

const isRevert = (err: unknown) => {
  const code = (err as { code?: string }).code
  return code === 'CALL_EXCEPTION' || code === 'BAD_DATA'
}

/** A function the contract may not have: a revert (or empty return) reads as absent. */
async function optional<T>(read: Promise<T>): Promise<T | undefined> {
  try {
    return await read
  } catch (err) {
    if (isRevert(err)) return undefined
    throw err
  }
}
