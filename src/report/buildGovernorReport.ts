import type { CheckReport } from '../checks/runChecks.js'
import type { DecodeContext } from '../decode/decodeCall.js'
import type { GovernorProposal } from '../governor/types.js'
import type { GovernorSimulation } from '../simulate/governor/simulateProposal.js'
import { formatAmount } from '../utils/units.js'
import type { AddressBook } from '../workspace/addressBook.js'
import { reportBalanceChanges } from './balances.js'
import { reportChecks } from './buildSafeReport.js'
import { reportCallList } from './calls.js'
import { gasShare, generatedBy, reportEnvironment } from './environment.js'
import { reportEvents } from './events.js'
import { headline, verdictOf } from './headline.js'
import { named } from './named.js'
import { REPORT_VERSION, type SimulationReport } from './schema.js'
import { reportStateDiff } from './stateDiff.js'
import { reportTrace } from './trace.js'

export type BuildGovernorReportParameters = {
  proposal: GovernorProposal
  simulation: GovernorSimulation
  checks: CheckReport
  book: AddressBook
  decode: DecodeContext
  file?: string
  now?: Date
}

/**
 * Governance bookkeeping that every execution writes (the proposal's own record, the timelock's
 * operation timestamps, the governor's self-call queue): left out of the diff, as seatbelt does,
 * so what the proposal itself changes stands out.
 */
const BOOKKEEPING = /^(_proposals|_timestamps|_governanceCall|_timelockIds)\b/

/** A Governor proposal's lifecycle simulation and checks as the shared report. */
function votesInUnits(sim: GovernorSimulation, book: AddressBook) {
  const token = book.byAddress(sim.governor.token)
  if (token?.kind !== 'token') return {}
  return {
    formattedFor: `${formatAmount(sim.votes.forVotes, token.decimals)} ${token.symbol}`,
    formattedQuorum: `${formatAmount(sim.votes.quorum, token.decimals)} ${token.symbol}`,
  }
}

export function buildGovernorReport(p: BuildGovernorReportParameters): SimulationReport {
  const { proposal, simulation: sim, book } = p
  const actionOfCall = proposal.actions.flatMap((a) => Array.from({ length: a.calls }, () => a.index))
  const calls = reportCallList(
    proposal.targets.map((to, i) => ({
      to,
      value: proposal.values[i]!,
      data: proposal.calldatas[i]!,
      operation: 0 as const,
    })),
    actionOfCall,
    p.decode,
    book,
    sim.failure?.callIndex !== undefined
      ? { callIndex: sim.failure.callIndex, reason: sim.failure.reason }
      : undefined,
  )
  const f = sim.failure
  const execution: SimulationReport['execution'] = {
    success: sim.success,
    gasUsed: sim.gasUsed.toString(),
    gasShare: gasShare(sim.gasUsed, sim.environment.blockGasLimit),
    ...(f
      ? {
          failure: {
            step: f.step,
            ...(f.callIndex !== undefined ? { call: f.callIndex + 1 } : {}),
            ...(f.callIndex !== undefined && actionOfCall[f.callIndex] !== undefined
              ? { action: actionOfCall[f.callIndex]! + 1 }
              : {}),
            ...(f.target ? { target: named(f.target, book) } : {}),
            reason: f.reason,
          },
        }
      : {}),
  }
  const executor = proposal.timelock ?? proposal.governor
  const diffs = sim.stateDiff?.map((d) => ({
    ...d,
    changes: d.changes.filter((c) => !(c.variable && BOOKKEEPING.test(c.variable))),
  }))
  const diff = diffs
    ? reportStateDiff(
        diffs.filter((d) => d.changes.length || d.balance || d.codeChanged),
        book,
        executor,
      )
    : { criticalChanges: [] as SimulationReport['criticalChanges'] }
  const checks = reportChecks(p.checks)
  const partial = { execution, criticalChanges: diff.criticalChanges, checks, calls }
  const notes = [...sim.notes]
  if (diffs)
    notes.push('governance bookkeeping (proposal records, timelock timestamps) is left out of the state diff')
  return {
    reportVersion: REPORT_VERSION,
    generatedBy: generatedBy(),
    generatedAt: (p.now ?? new Date()).toISOString(),
    verdict: verdictOf(partial),
    headline: headline(partial),
    subject: {
      kind: 'governor',
      governor: named(proposal.governor, book),
      ...(proposal.timelock ? { timelock: named(proposal.timelock, book) } : {}),
      proposalId: proposal.proposalId.toString(),
      descriptionHash: proposal.descriptionHash,
      ...(proposal.timelockOperationId ? { timelockOperationId: proposal.timelockOperationId } : {}),
      description: proposal.description,
      proposer: named(sim.proposer, book),
      clockMode: sim.governor.clockMode,
      existing: sim.existing,
      ...(p.file ? { file: p.file } : {}),
    },
    environment: reportEnvironment(sim.environment),
    execution,
    calls,
    balanceChanges: reportBalanceChanges(sim.balanceChanges),
    ...(diff.stateDiff ? { stateDiff: diff.stateDiff } : {}),
    criticalChanges: diff.criticalChanges,
    events: reportEvents(sim.events, book),
    ...(sim.capture?.trace ? { trace: reportTrace(sim.capture.trace, p.decode, book) } : {}),
    lifecycle: {
      steps: sim.steps.map((s) => ({
        step: s.step,
        block: s.block.toString(),
        timestamp: s.timestamp.toString(),
        ...(s.txHash ? { txHash: s.txHash } : {}),
        ...(s.gasUsed !== undefined ? { gasUsed: s.gasUsed.toString() } : {}),
        stateAfter: s.stateAfter,
        skipped: s.skipped,
      })),
      votes: {
        method: sim.votes.method,
        voters: sim.votes.voters.map((v) => named(v, book)),
        forVotes: sim.votes.forVotes.toString(),
        quorum: sim.votes.quorum.toString(),
        token: named(sim.governor.token, book),
        ...votesInUnits(sim, book),
      },
      ...(sim.eta !== undefined ? { eta: sim.eta.toString() } : {}),
    },
    checks,
    notes,
  }
}
