import type { LogSource } from '../chain/logSource.js'
import type { DecodeContext } from '../decode/decodeCall.js'
import type { HistoryRangeErrorType } from '../errors/history.js'
import { proposalTitle } from '../governor/listProposals.js'
import type { GovernorInfo } from '../governor/readGovernor.js'
import { generatedBy } from '../report/environment.js'
import { formatAmount } from '../utils/units.js'
import type { AddressBook } from '../workspace/addressBook.js'
import { governorHistory } from './governor/governorHistory.js'
import type { GovernorHistoryReads } from './governor/historyReads.js'
import { timelockBypass } from './governor/timelockBypass.js'
import type { HistoryFinding, ProposalEvent, ProposalHistory } from './governor/types.js'
import { actionEntry, countFindings, named } from './report/safeEntries.js'
import {
  type GovernorHistoryProposalEntry,
  type GovernorHistoryReport,
  HISTORY_REPORT_VERSION,
  type HistoryFindingCounts,
  type HistoryReportFinding,
} from './report/schema.js'

export type ReplayGovernorParameters = {
  /** With `token`, vote weights read in its units when the workspace knows its decimals. */
  governor: Pick<GovernorInfo, 'address' | 'timelock' | 'ozVersion' | 'proposalNumbering'> &
    Partial<Pick<GovernorInfo, 'token'>>
  chainId: bigint
  /** Resolved and pinned by the caller (resolveHistoryRange). */
  fromBlock: number
  toBlock: number
  logs: LogSource
  reads: GovernorHistoryReads
  decode: DecodeContext
  book: AddressBook
}
export type ReplayGovernorReturnType = { report: GovernorHistoryReport }
export type ReplayGovernorErrorType = HistoryRangeErrorType

/**
 * A governor's history from the chain alone, as a report: every proposal with its timeline, ids
 * recomputed, votes summed against the governor's own tally, decoded actions and findings, and the
 * timelock operations that reached the timelock without the governor. A governor's history is a few
 * hundred proposals at most, read from a handful of log queries (cached like a Safe's), so it is built
 * in one pass with no per-proposal cache.
 */
export async function replayGovernor(p: ReplayGovernorParameters): Promise<ReplayGovernorReturnType> {
  const history = await governorHistory({
    governor: p.governor,
    logs: p.logs,
    reads: p.reads,
    fromBlock: p.fromBlock,
    toBlock: p.toBlock,
    decode: p.decode,
  })
  const bypass = await timelockBypass({ history, reads: p.reads })
  const token = p.governor.token ? p.book.byAddress(p.governor.token) : undefined
  const weight = (w: bigint) =>
    token?.kind === 'token' ? `${formatAmount(w, token.decimals)} ${token.symbol}` : `weight ${w}`
  const proposals = history.proposals.map((proposal) => proposalEntry(proposal, p.book, weight))
  const bypassEntries = bypass.map((f) => ({
    ...governorFinding(f),
    ...(f.operationId ? { operationId: f.operationId } : {}),
  }))
  const findings = history.findings.map(governorFinding)

  const counts: HistoryFindingCounts = { error: 0, warning: 0, info: 0 }
  const byCode: Record<string, number> = {}
  for (const proposal of proposals) countFindings(proposal.findings, counts, byCode)
  countFindings(bypassEntries, counts, byCode)
  countFindings(findings, counts, byCode)

  const report: GovernorHistoryReport = {
    reportVersion: HISTORY_REPORT_VERSION,
    generatedBy: generatedBy(),
    generatedAt: new Date().toISOString(),
    kind: 'governor-history',
    subject: {
      governor: named(history.governor, p.book),
      ...(history.timelock ? { timelock: named(history.timelock, p.book) } : {}),
      numbering: history.numbering,
      chainId: p.chainId.toString(),
      fromBlock: p.fromBlock,
      toBlock: p.toBlock,
    },
    summary: {
      proposals: proposals.length,
      executed: proposals.filter((x) => x.status === 'executed').length,
      canceled: proposals.filter((x) => x.status === 'canceled').length,
      timelockOperations: history.operations.length,
      findings: counts,
      byCode,
    },
    proposals,
    bypass: bypassEntries,
    findings,
  }
  return { report }
}

const governorFinding = (f: HistoryFinding): HistoryReportFinding => ({
  code: f.code,
  level: f.level,
  message: f.message,
  ...(f.transactionHash ? { transactionHash: f.transactionHash } : {}),
})

function proposalEntry(
  p: ProposalHistory,
  book: AddressBook,
  weight: (w: bigint) => string,
): GovernorHistoryProposalEntry {
  const c = p.created
  const status = p.canceled
    ? 'canceled'
    : p.executed
      ? 'executed'
      : p.queued
        ? 'queued'
        : c
          ? 'created'
          : 'unknown'
  const tally = (t: { for: bigint; against: bigint; abstain: bigint }) => ({
    for: t.for.toString(),
    against: t.against.toString(),
    abstain: t.abstain.toString(),
  })
  return {
    proposalId: p.proposalId.toString(),
    ...(p.recomputedProposalId !== undefined
      ? { recomputedProposalId: p.recomputedProposalId.toString() }
      : {}),
    status,
    ...(c
      ? {
          proposer: named(c.proposer, book),
          title: proposalTitle(c.description),
          description: c.description,
          descriptionHash: c.descriptionHash,
          created: { blockNumber: c.blockNumber, transactionHash: c.transactionHash },
        }
      : {}),
    ...(p.timelockOperationId ? { timelockOperationId: p.timelockOperationId } : {}),
    votes: {
      count: p.votes.length,
      tally: tally(p.tally),
      ...(p.onChainTally ? { onChain: tally(p.onChainTally) } : {}),
    },
    actions: p.actions.map((a) => actionEntry(a.kind, a.call, book)),
    timeline: p.timeline.map((e) => ({
      blockNumber: e.blockNumber,
      transactionHash: e.transactionHash,
      logIndex: e.logIndex,
      kind: e.kind,
      text: eventText(e, book, weight),
    })),
    findings: p.findings.map(governorFinding),
  }
}

function eventText(e: ProposalEvent, book: AddressBook, weight: (w: bigint) => string): string {
  switch (e.kind) {
    case 'created':
      return `proposed by ${book.label(e.proposer)}; voting from ${e.voteStart} to ${e.voteEnd}`
    case 'vote': {
      const v = e.vote
      const support = v.supportName ?? `support ${v.support}`
      return `${book.label(v.voter)} voted ${support} with ${weight(v.weight)}${v.reason ? `: "${v.reason}"` : ''}`
    }
    case 'queued':
      return `queued; executable from ${timestamp(e.eta)}`
    case 'extended':
      return `voting extended to ${e.deadline}`
    case 'executed':
      return 'executed through the governor'
    case 'canceled':
      return 'canceled'
    case 'timelock-scheduled':
      return `timelock scheduled operation ${e.operationId} (delay ${e.delay} s)`
    case 'timelock-executed':
      return `timelock executed operation ${e.operationId}`
    case 'timelock-cancelled':
      return `timelock cancelled operation ${e.operationId}`
  }
}

/** A Unix time as ISO 8601 when it is one a Date can hold, else the number itself. */
function timestamp(seconds: bigint): string {
  const ms = Number(seconds) * 1000
  return Number.isSafeInteger(ms) && ms < 8.64e15 ? new Date(ms).toISOString() : seconds.toString()
}
