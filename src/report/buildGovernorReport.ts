import type { CheckReport } from '../checks/runChecks.js'
import type { DecodeContext } from '../decode/decodeCall.js'
import type { GovernorProposal } from '../governor/types.js'
import type { GovernorSimulation } from '../simulate/governor/simulateProposal.js'
import { formatAmount } from '../utils/units.js'
import type { AddressBook } from '../workspace/addressBook.js'
import { assembleReport } from './assembleReport.js'
import { reportCallList } from './calls.js'
import { named } from './named.js'
import type { SimulationReport } from './schema.js'

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
  const executor = proposal.timelock ?? proposal.governor
  const diffs = sim.stateDiff?.map((d) => ({
    ...d,
    changes: d.changes.filter((c) => !(c.variable && BOOKKEEPING.test(c.variable))),
  }))
  const notes = [...sim.notes]
  if (sim.proposalId !== undefined && sim.proposalId !== proposal.proposalId)
    notes.push(
      `this governor numbers its proposals: on the fork it was given id ${sim.proposalId}; the id on chain is given when it is proposed (its hash is ${proposal.proposalId})`,
    )
  if (diffs)
    notes.push('governance bookkeeping (proposal records, timelock timestamps) is left out of the state diff')
  return assembleReport({
    subject: {
      kind: 'governor',
      governor: named(proposal.governor, book),
      ...(proposal.timelock ? { timelock: named(proposal.timelock, book) } : {}),
      // The id the governor gave it on the fork: the hash, or the next number for a sequential-id governor.
      proposalId: (sim.proposalId ?? proposal.proposalId).toString(),
      descriptionHash: proposal.descriptionHash,
      ...(proposal.timelockOperationId ? { timelockOperationId: proposal.timelockOperationId } : {}),
      description: proposal.description,
      proposer: named(sim.proposer, book),
      clockMode: sim.governor.clockMode,
      existing: sim.existing,
      ...(p.file ? { file: p.file } : {}),
    },
    calls,
    actionOfCall,
    environment: sim.environment,
    success: sim.success,
    gasUsed: sim.gasUsed,
    ...(sim.failure ? { failure: sim.failure } : {}),
    events: sim.events,
    balanceChanges: sim.balanceChanges,
    ...(diffs ? { stateDiff: diffs.filter((d) => d.changes.length || d.balance || d.codeChanged) } : {}),
    executor,
    ...(sim.capture?.trace ? { trace: sim.capture.trace } : {}),
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
    checks: p.checks,
    notes,
    book,
    decode: p.decode,
    ...(p.now ? { now: p.now } : {}),
  })
}
