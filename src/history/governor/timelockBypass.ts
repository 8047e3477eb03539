import type { Address, Hex } from '../../safe/types.js'
import type { GovernorHistoryReads } from './historyReads.js'
import { byChainOrder } from './positions.js'
import type {
  ChainPosition,
  GovernorHistory,
  HistoryFinding,
  ProposalHistory,
  TimelockCall,
  TimelockOperation,
} from './types.js'

export type TimelockBypassParameters = {
  history: GovernorHistory
  reads: Pick<GovernorHistoryReads, 'transaction'>
}

/** A finding about one timelock operation, with what it calls and who sent the transaction. */
export type TimelockBypassFinding = HistoryFinding & {
  operationId?: Hex
  calls: TimelockCall[]
  transactionHash: Hex
  /** The transaction's sender and recipient: when `to` is the timelock, `from` is the scheduler itself. */
  sender?: { from: Address; to?: Address }
}
export type TimelockBypassReturnType = TimelockBypassFinding[]

/**
 * Operations that reached the timelock without the governor: ids no proposal of the history accounts
 * for (scheduled or executed by another proposer or admin), a proposal's own id scheduled outside the
 * governor's queue transaction, and PROPOSER_ROLE grants that open such a path. An operation counts as
 * the governor's only when its id is a proposal's recomputed id and the proposal's ProposalQueued sits
 * in the transaction that scheduled it: the timelock's events do not name the caller.
 */
export async function timelockBypass({
  history,
  reads,
}: TimelockBypassParameters): Promise<TimelockBypassReturnType> {
  const findings: TimelockBypassFinding[] = []
  const byOperation = new Map<Hex, ProposalHistory>()
  for (const proposal of history.proposals)
    if (proposal.timelockOperationId) byOperation.set(proposal.timelockOperationId, proposal)
  const byId = new Map(history.proposals.map((p) => [p.proposalId, p]))
  const senderOf = async (hash: Hex) => reads.transaction(hash)

  for (const op of history.operations) {
    const first = op.scheduled ?? op.executed ?? op.cancelled
    if (!first) continue
    const proposal = byOperation.get(op.id)
    if (proposal) {
      if (op.scheduled && proposal.queued?.transactionHash !== op.scheduled.transactionHash) {
        const sender = await senderOf(op.scheduled.transactionHash)
        findings.push({
          code: 'TIMELOCK_SCHEDULED_OUTSIDE_GOVERNOR',
          level: 'error',
          message: `Operation ${op.id} of proposal ${proposal.proposalId} was scheduled ${by(sender, history)} in ${op.scheduled.transactionHash}, not by the governor's queue${proposal.queued ? '' : ' (the proposal was never queued)'}. ${callsText(op)}`,
          proposalId: proposal.proposalId,
          operationId: op.id,
          transactionHash: op.scheduled.transactionHash,
          calls: op.calls,
          sender,
        })
      }
      continue
    }
    // The governor's own queue or execute transaction for a proposal created before the range.
    const governorTx = governorProposalIn(history, op)
    if (governorTx !== undefined) {
      const owner = byId.get(governorTx)
      // With the fields in range, governorHistory has already reported the id as a TIMELOCK_ID_MISMATCH.
      if (owner?.created) continue
      findings.push({
        code: 'TIMELOCK_OPERATION_UNVERIFIED',
        level: 'info',
        message: `Operation ${op.id} went through the governor for proposal ${governorTx}, created before block ${history.fromBlock}: its id is not checked. ${callsText(op)}`,
        proposalId: governorTx,
        operationId: op.id,
        transactionHash: first.transactionHash,
        calls: op.calls,
      })
      continue
    }
    if (!op.scheduled && !op.executed) {
      findings.push({
        code: 'TIMELOCK_OPERATION_UNVERIFIED',
        level: 'info',
        message: `Operation ${op.id} was cancelled in the range, scheduled before block ${history.fromBlock}: start the range earlier to see who scheduled it.`,
        operationId: op.id,
        transactionHash: first.transactionHash,
        calls: op.calls,
      })
      continue
    }
    const sender = await senderOf(first.transactionHash)
    findings.push({
      code: 'TIMELOCK_OPERATION_WITHOUT_PROPOSAL',
      level: 'error',
      message: `Operation ${op.id} was ${what(op)} ${by(sender, history)} in ${first.transactionHash}, and no proposal of governor ${history.governor} accounts for it. ${callsText(op)}`,
      operationId: op.id,
      transactionHash: first.transactionHash,
      calls: op.calls,
      sender,
    })
  }

  for (const grant of history.proposerGrants) {
    if (grant.account === history.governor) continue
    findings.push({
      code: 'TIMELOCK_PROPOSER_GRANTED',
      level: 'warning',
      message: `${grant.account} was granted PROPOSER_ROLE on timelock ${history.timelock} by ${grant.sender} at block ${grant.blockNumber}: it can schedule operations without a vote.`,
      transactionHash: grant.transactionHash,
      calls: [],
    })
  }
  const positions = positionsByTransaction(history)
  const rank = (f: TimelockBypassFinding) =>
    positions.get(f.transactionHash) ?? { blockNumber: Number.MAX_SAFE_INTEGER, logIndex: 0 }
  return findings.sort((x, y) => byChainOrder(rank(x), rank(y)))
}

/** The proposal whose governor queue (for a schedule) or execute (otherwise) transaction holds the operation. */
function governorProposalIn(history: GovernorHistory, op: TimelockOperation): bigint | undefined {
  if (op.scheduled) return history.governorQueueTransactions.get(op.scheduled.transactionHash)
  if (op.executed) return history.governorExecuteTransactions.get(op.executed.transactionHash)
  return undefined
}

const what = (op: TimelockOperation) =>
  op.scheduled && op.executed ? 'scheduled and executed' : op.scheduled ? 'scheduled' : 'executed'

function by(sender: { from: Address; to?: Address }, history: GovernorHistory): string {
  if (sender.to === history.timelock) return `directly by ${sender.from}`
  return `by a transaction from ${sender.from} to ${sender.to ?? 'a new contract'}`
}

function callsText(op: TimelockOperation): string {
  if (op.calls.length === 0) return 'Its calls are not in the range.'
  const calls = op.calls.map((c) => `${c.target} value ${c.value} data ${shorten(c.data)}`)
  return `Calls: ${calls.join('; ')}.`
}

const shorten = (data: Hex) => (data.length > 74 ? `${data.slice(0, 74)}…` : data)

/** Where each transaction of the history's timelock events sits, to put findings in chain order. */
function positionsByTransaction(history: GovernorHistory): Map<Hex, ChainPosition> {
  const map = new Map<Hex, ChainPosition>()
  const firsts = [
    ...history.operations.flatMap((op) => [op.scheduled, op.executed, op.cancelled]),
    ...history.proposerGrants,
  ]
  for (const at of firsts) if (at && !map.has(at.transactionHash)) map.set(at.transactionHash, at)
  return map
}
