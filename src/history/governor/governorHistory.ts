import { getAddress, type Log } from 'ethers'
import type { LogSource } from '../../chain/logSource.js'
import type { DecodeContext } from '../../decode/decodeCall.js'
import { HistoryRangeError, type HistoryRangeErrorType } from '../../errors/history.js'
import {
  descriptionHash,
  hashProposal,
  timelockOperationId,
  timelockSalt,
} from '../../governor/proposalIds.js'
import type { GovernorInfo } from '../../governor/readGovernor.js'
import type { Address, Hex } from '../../safe/types.js'
import { decodeProposalActions } from './decodeProposalActions.js'
import { governorHistoryAbi, timelockHistoryAbi, topicOf } from './historyAbi.js'
import type { GovernorHistoryReads } from './historyReads.js'
import { byChainOrder, logChainOrder, positionOf } from './positions.js'
import { timelockOperations } from './timelockOperations.js'
import type {
  GovernorHistory,
  HistoryFinding,
  ProposalEvent,
  ProposalHistory,
  TimelockOperation,
  VoteRecord,
  VoteSupportName,
  VoteTally,
} from './types.js'

export type GovernorHistoryParameters = {
  /** What readGovernor says of the governor (at the end block, ideally). */
  governor: Pick<GovernorInfo, 'address' | 'timelock' | 'ozVersion' | 'proposalNumbering'>
  logs: LogSource
  reads: GovernorHistoryReads
  /** Inclusive; the caller resolves `latest`, so every read of one replay sees the same chain. */
  fromBlock: number
  toBlock: number
  /** ABIs to decode the proposals' calls with (the workspace's); unknown calls stay raw. */
  decode?: DecodeContext
}
export type GovernorHistoryReturnType = GovernorHistory
export type GovernorHistoryErrorType = HistoryRangeErrorType

const GOVERNOR_EVENTS = [
  'ProposalCreated',
  'ProposalQueued',
  'ProposalExecuted',
  'ProposalCanceled',
  'ProposalExtended',
  'VoteCast',
  'VoteCastWithParams',
  'TimelockChange',
] as const
const TIMELOCK_EVENTS = ['CallScheduled', 'CallExecuted', 'CallSalt', 'Cancelled', 'RoleGranted'] as const
const SUPPORT_NAMES: VoteSupportName[] = ['against', 'for', 'abstain']
const NO_ABIS: DecodeContext = { abiFor: () => undefined }

/**
 * Every proposal of a governor in a block range, from the chain alone: its creation, votes, queue,
 * execution or cancellation, and its timelock operation, in chain order; and each checked: the id
 * recomputed from the logged fields, the timelock operation recomputed and found scheduled/executed
 * where the governor says so, and the vote events summed against the governor's own tally.
 */
export async function governorHistory(p: GovernorHistoryParameters): Promise<GovernorHistoryReturnType> {
  const { fromBlock, toBlock, reads } = p
  if (!Number.isInteger(fromBlock) || !Number.isInteger(toBlock) || fromBlock < 0 || fromBlock > toBlock)
    throw new HistoryRangeError(fromBlock, toBlock)
  const governor = getAddress(p.governor.address) as Address
  const timelock = p.governor.timelock && (getAddress(p.governor.timelock) as Address)

  const [governorLogs, timelockLogs] = await Promise.all([
    p.logs({
      address: governor,
      topics: [GOVERNOR_EVENTS.map((n) => topicOf(governorHistoryAbi, n))],
      fromBlock,
      toBlock,
    }),
    timelock
      ? p.logs({
          address: timelock,
          topics: [TIMELOCK_EVENTS.map((n) => topicOf(timelockHistoryAbi, n))],
          fromBlock,
          toBlock,
        })
      : Promise.resolve([] as Log[]),
  ])
  // A LogSource may answer in any order (ranges fetched in parallel, a cache): order once, here.
  const { operations, proposerGrants } = timelockOperations(
    timelockLogs.filter((l) => same(l.address, timelock)).sort(logChainOrder),
  )

  const history: GovernorHistory = {
    governor,
    ...(timelock ? { timelock } : {}),
    fromBlock,
    toBlock,
    numbering: p.governor.proposalNumbering,
    proposals: [],
    operations: [...operations.values()],
    governorQueueTransactions: new Map(),
    governorExecuteTransactions: new Map(),
    proposerGrants,
    findings: [],
  }
  const proposals = new Map<bigint, ProposalHistory>()
  const proposalOf = (id: bigint) => {
    let proposal = proposals.get(id)
    if (!proposal) {
      proposal = { proposalId: id, votes: [], tally: emptyTally(), actions: [], timeline: [], findings: [] }
      proposals.set(id, proposal)
    }
    return proposal
  }

  for (const log of governorLogs.filter((l) => same(l.address, governor)).sort(logChainOrder)) {
    const event = parseGovernorLog(log)
    if (!event) continue
    const at = positionOf(log)
    const a = event.args
    if (event.name === 'TimelockChange') {
      // The constructor sets the first timelock with a TimelockChange from address(0): no switch.
      if (BigInt(a[0]) === 0n) continue
      history.findings.push({
        code: 'TIMELOCK_CHANGED',
        level: 'warning',
        message: `The governor switched timelock from ${a[0]} to ${a[1]} at block ${at.blockNumber}; only ${timelock ?? 'no timelock'} is read, so operations on the other are not checked.`,
        transactionHash: at.transactionHash,
      })
      continue
    }
    const id = (event.name.startsWith('VoteCast') ? a[1] : a[0]) as bigint
    const proposal = proposalOf(id)
    switch (event.name) {
      case 'ProposalCreated': {
        const targets = [...a[2]].map((t: string) => getAddress(t) as Address)
        const description = a[8] as string
        proposal.created = {
          ...at,
          proposer: getAddress(a[1]) as Address,
          targets,
          values: [...a[3]],
          signatures: [...a[4]],
          calldatas: [...a[5]],
          voteStart: a[6],
          voteEnd: a[7],
          description,
          descriptionHash: descriptionHash(description),
        }
        proposal.timeline.push({
          ...at,
          kind: 'created',
          proposer: proposal.created.proposer,
          voteStart: a[6],
          voteEnd: a[7],
        })
        break
      }
      case 'VoteCast':
      case 'VoteCastWithParams': {
        const support = Number(a[2])
        const vote: VoteRecord = {
          ...at,
          voter: getAddress(a[0]) as Address,
          support,
          weight: a[3],
          reason: a[4],
        }
        const supportName = SUPPORT_NAMES[support]
        if (supportName) vote.supportName = supportName
        if (event.name === 'VoteCastWithParams') vote.params = a[5] as Hex
        proposal.votes.push(vote)
        if (supportName) proposal.tally[supportName] += vote.weight
        proposal.timeline.push({ ...at, kind: 'vote', vote })
        break
      }
      case 'ProposalQueued':
        proposal.queued = { ...at, eta: a[1] }
        history.governorQueueTransactions.set(at.transactionHash, id)
        proposal.timeline.push({ ...at, kind: 'queued', eta: a[1] })
        break
      case 'ProposalExecuted':
        proposal.executed = at
        history.governorExecuteTransactions.set(at.transactionHash, id)
        proposal.timeline.push({ ...at, kind: 'executed' })
        break
      case 'ProposalCanceled':
        proposal.canceled = at
        proposal.timeline.push({ ...at, kind: 'canceled' })
        break
      case 'ProposalExtended':
        proposal.extendedDeadline = a[1]
        proposal.timeline.push({ ...at, kind: 'extended', deadline: a[1] })
        break
    }
  }

  for (const proposal of proposals.values()) {
    await checkProposal(proposal, {
      governor,
      timelock,
      ozVersion: p.governor.ozVersion,
      numbering: p.governor.proposalNumbering,
      operations,
      reads,
      toBlock,
      fromBlock,
      decode: p.decode ?? NO_ABIS,
    })
    proposal.timeline.sort(byChainOrder)
    history.proposals.push(proposal)
  }
  return history
}

type CheckContext = {
  governor: Address
  timelock: Address | undefined
  ozVersion: GovernorInfo['ozVersion']
  numbering: GovernorInfo['proposalNumbering']
  operations: Map<Hex, TimelockOperation>
  reads: GovernorHistoryReads
  fromBlock: number
  toBlock: number
  decode: DecodeContext
}

async function checkProposal(proposal: ProposalHistory, ctx: CheckContext): Promise<void> {
  const { proposalId: id, created } = proposal
  const finding = (f: Omit<HistoryFinding, 'proposalId'>) => proposal.findings.push({ ...f, proposalId: id })
  if (!created) {
    // Without the fields nothing can be recomputed, and the votes cast before the range are unseen.
    finding({
      code: 'PROPOSAL_CREATED_BEFORE_RANGE',
      level: 'info',
      message: `Proposal ${id} was created before block ${ctx.fromBlock}: its id, timelock operation and votes are not checked. Start the range at or before its creation to check them.`,
    })
    return
  }
  const fields = {
    targets: created.targets,
    values: created.values,
    calldatas: created.calldatas,
    descriptionHash: created.descriptionHash,
  }
  proposal.actions = decodeProposalActions(created, ctx.decode)

  // The id: by hash locally, or by the governor's own lookup for sequential ids (the hash is not the id).
  const recomputed =
    ctx.numbering === 'sequential'
      ? await ctx.reads.getProposalId(ctx.governor, fields, ctx.toBlock)
      : hashProposal(fields)
  if (recomputed !== undefined) proposal.recomputedProposalId = recomputed
  if (recomputed !== id)
    finding({
      code: 'PROPOSAL_ID_MISMATCH',
      level: 'error',
      message:
        recomputed === undefined
          ? `Proposal ${id}: the governor's getProposalId does not know the logged fields (it reverts), so the proposal that was voted on is not the one logged.`
          : `Proposal ${id}: its logged fields give id ${recomputed} (${ctx.numbering === 'sequential' ? "the governor's getProposalId" : 'hashProposal'}), not the logged id.`,
      transactionHash: created.transactionHash,
    })

  if (ctx.timelock) checkTimelock(proposal, created, ctx, finding)

  // The governor's own tally at the end block; events after toBlock are outside both sides.
  const onChain = await ctx.reads.proposalVotes(ctx.governor, id, ctx.toBlock)
  if (onChain) {
    proposal.onChainTally = onChain
    const t = proposal.tally
    if (t.for !== onChain.for || t.against !== onChain.against || t.abstain !== onChain.abstain)
      finding({
        code: 'VOTES_DISAGREE',
        level: 'error',
        message: `Proposal ${id}: the vote events sum to for ${t.for}, against ${t.against}, abstain ${t.abstain}; the governor's proposalVotes at block ${ctx.toBlock} says for ${onChain.for}, against ${onChain.against}, abstain ${onChain.abstain}.`,
      })
  }
}

function checkTimelock(
  proposal: ProposalHistory,
  created: NonNullable<ProposalHistory['created']>,
  ctx: CheckContext,
  finding: (f: Omit<HistoryFinding, 'proposalId'>) => void,
) {
  const id = proposal.proposalId
  const salt = timelockSalt(ctx.governor, created.descriptionHash, ctx.ozVersion)
  const opId = timelockOperationId({
    targets: created.targets,
    values: created.values,
    calldatas: created.calldatas,
    salt,
  })
  proposal.timelockSalt = salt
  proposal.timelockOperationId = opId
  const op = ctx.operations.get(opId)
  if (op) {
    proposal.operation = op
    const timelockEvents: ProposalEvent[] = []
    if (op.scheduled)
      timelockEvents.push({
        ...op.scheduled,
        kind: 'timelock-scheduled',
        operationId: opId,
        delay: op.delay ?? 0n,
      })
    if (op.executed) timelockEvents.push({ ...op.executed, kind: 'timelock-executed', operationId: opId })
    if (op.cancelled) timelockEvents.push({ ...op.cancelled, kind: 'timelock-cancelled', operationId: opId })
    proposal.timeline.push(...timelockEvents)
  }

  const { queued, executed, canceled } = proposal
  if (queued && !op?.scheduled) {
    // What the queue transaction did schedule, if anything: a different id means the salt or fields differ.
    const scheduledThere = [...ctx.operations.values()].filter(
      (o) => o.scheduled?.transactionHash === queued.transactionHash,
    )
    finding(
      scheduledThere.length > 0
        ? {
            code: 'TIMELOCK_ID_MISMATCH',
            level: 'error',
            message: `Proposal ${id} was queued, and the timelock scheduled ${scheduledThere.map((o) => o.id).join(', ')}, not the recomputed ${opId} (salt ${salt}).`,
            operationId: opId,
            transactionHash: queued.transactionHash,
          }
        : {
            code: 'QUEUED_WITHOUT_TIMELOCK_SCHEDULE',
            level: 'error',
            message: `Proposal ${id} was queued (eta ${queued.eta}) but timelock ${ctx.timelock} logged no CallScheduled for its operation ${opId} in the range.`,
            operationId: opId,
            transactionHash: queued.transactionHash,
          },
    )
  }
  if (executed && !op?.executed)
    finding({
      code: 'EXECUTED_WITHOUT_TIMELOCK_EXECUTION',
      level: 'error',
      message: `Proposal ${id} was executed but timelock ${ctx.timelock} logged no CallExecuted for its operation ${opId}.`,
      operationId: opId,
      transactionHash: executed.transactionHash,
    })
  if (op?.executed && op.executed.transactionHash !== executed?.transactionHash)
    finding({
      code: 'EXECUTED_ON_TIMELOCK_DIRECTLY',
      level: 'warning',
      message: `Proposal ${id}'s operation ${opId} was executed on the timelock without the governor's execute (no ProposalExecuted in that transaction); the governor reports it Executed all the same.`,
      operationId: opId,
      transactionHash: op.executed.transactionHash,
    })
  if (canceled && queued && op?.scheduled && !op.cancelled && !op.executed)
    finding({
      code: 'CANCELED_WITHOUT_TIMELOCK_CANCEL',
      level: 'error',
      message: `Proposal ${id} was canceled after it was queued, but its timelock operation ${opId} was not cancelled: it can still be executed on the timelock.`,
      operationId: opId,
      transactionHash: canceled.transactionHash,
    })
}

function parseGovernorLog(log: Log) {
  try {
    return governorHistoryAbi.parseLog({ topics: [...log.topics], data: log.data })
  } catch {
    // A topic0 match with another layout (a non-OZ governor): not an event this history can read.
    return null
  }
}

const same = (a: string, b: string | undefined) => b !== undefined && a.toLowerCase() === b.toLowerCase()
const emptyTally = (): VoteTally => ({ against: 0n, for: 0n, abstain: 0n })
