import type { CheckReport } from '../checks/runChecks.js'
import type { DecodeContext } from '../decode/decodeCall.js'
import type { SafePlan } from '../plan/types.js'
import type { SafeSimulation } from '../simulate/simulateSafePlan.js'
import type { AddressBook } from '../workspace/addressBook.js'
import { reportBalanceChanges } from './balances.js'
import { reportCalls } from './calls.js'
import { gasShare, generatedBy, reportEnvironment } from './environment.js'
import { reportEvents } from './events.js'
import { headline, verdictOf } from './headline.js'
import { named } from './named.js'
import { REPORT_VERSION, type SimulationReport } from './schema.js'
import { reportStateDiff } from './stateDiff.js'
import { reportTrace } from './trace.js'

export type BuildSafeReportParameters = {
  plan: SafePlan
  simulation: SafeSimulation
  checks: CheckReport
  book: AddressBook
  decode: DecodeContext
  now?: Date
}

/** A Safe plan's simulation and checks as the one report every renderer and `--json` share. */
export function buildSafeReport(p: BuildSafeReportParameters): SimulationReport {
  const { plan, simulation: sim, book } = p
  const decode = { ...p.decode, safe: plan.safe.address, safeVersion: plan.safe.version }
  const actionOfCall = plan.actions.flatMap((a) => a.calls.map(() => a.index))
  const calls = reportCalls(plan.safeTx, actionOfCall, decode, book, sim.failure)
  const f = sim.failure
  const execution: SimulationReport['execution'] = {
    success: sim.success,
    gasUsed: sim.gasUsed.toString(),
    gasShare: gasShare(sim.gasUsed, sim.environment.blockGasLimit),
    ...(f
      ? {
          failure: {
            ...(f.callIndex !== undefined ? { call: f.callIndex + 1 } : {}),
            ...(f.actionIndex !== undefined ? { action: f.actionIndex + 1 } : {}),
            ...(f.target ? { target: named(f.target, book) } : {}),
            reason: f.reason,
          },
        }
      : {}),
  }
  const diff = sim.stateDiff
    ? reportStateDiff(sim.stateDiff, book, plan.safe.address)
    : { criticalChanges: [] as SimulationReport['criticalChanges'] }
  const checks = reportChecks(p.checks)
  const partial = { execution, criticalChanges: diff.criticalChanges, checks, calls }
  return {
    reportVersion: REPORT_VERSION,
    generatedBy: generatedBy(),
    generatedAt: (p.now ?? new Date()).toISOString(),
    verdict: verdictOf(partial),
    headline: headline(partial),
    subject: {
      kind: 'safe',
      safe: { address: plan.safe.address, label: plan.safe.name ?? book.label(plan.safe.address) },
      safeVersion: plan.safe.version,
      nonce: plan.safeTx.nonce.toString(),
      safeTxHash: plan.hashes.safeTxHash,
      planId: plan.id,
      description: plan.description,
      file: plan.source.file,
    },
    environment: reportEnvironment(sim.environment),
    execution,
    calls,
    balanceChanges: reportBalanceChanges(sim.balanceChanges),
    ...(diff.stateDiff ? { stateDiff: diff.stateDiff } : {}),
    criticalChanges: diff.criticalChanges,
    events: reportEvents(sim.events, book),
    ...(sim.capture.trace ? { trace: reportTrace(sim.capture.trace, decode, book) } : {}),
    checks,
    notes: sim.notes,
  }
}

export function reportChecks(report: CheckReport): SimulationReport['checks'] {
  return {
    verdict: report.verdict,
    counts: report.counts,
    results: report.results.map((r) => ({
      id: r.id,
      name: r.name,
      findings: r.findings.map((f) => ({
        check: f.check,
        severity: f.severity,
        message: f.message,
        ...(f.call !== undefined ? { call: f.call } : {}),
      })),
      ...(r.skipped ? { skipped: r.skipped } : {}),
    })),
  }
}
