import type { CheckReport } from '../checks/runChecks.js'
import type { DecodeContext } from '../decode/decodeCall.js'
import type { DecodedLog } from '../decode/decodeLog.js'
import type { Address } from '../safe/types.js'
import type { BalanceChange } from '../simulate/balanceChanges.js'
import type { CallFrame } from '../simulate/callTrace.js'
import type { SimulationEnvironment } from '../simulate/environment.js'
import type { ContractStorageDiff } from '../simulate/stateDiff/types.js'
import type { AddressBook } from '../workspace/addressBook.js'
import { reportBalanceChanges } from './balances.js'
import { gasShare, generatedBy, reportEnvironment } from './environment.js'
import { reportEvents } from './events.js'
import { headline, verdictOf } from './headline.js'
import { named } from './named.js'
import { REPORT_VERSION, type SimulationReport } from './schema.js'
import { reportStateDiff } from './stateDiff.js'
import { reportTrace } from './trace.js'

/** What a Safe or a Governor simulation has in common, as the report builders hand it over. */
export type ReportParts = {
  subject: SimulationReport['subject']
  calls: SimulationReport['calls']
  /** Which action (0-based) produced each call. */
  actionOfCall: number[]
  environment: SimulationEnvironment
  success: boolean
  gasUsed: bigint
  failure?: { step?: string; callIndex?: number; target?: Address; reason: string }
  events: DecodedLog[]
  balanceChanges: BalanceChange[]
  stateDiff?: ContractStorageDiff[]
  /** The account that makes the calls (the Safe, or the timelock): its critical changes are dangers. */
  executor: Address
  trace?: CallFrame
  checks: CheckReport
  lifecycle?: SimulationReport['lifecycle']
  notes: string[]
  book: AddressBook
  decode: DecodeContext
  now?: Date
}

/** The report from its parts: the execution, the diff and the checks decide the verdict and headline. */
export function assembleReport(p: ReportParts): SimulationReport {
  const { book, failure: f } = p
  const execution: SimulationReport['execution'] = {
    success: p.success,
    gasUsed: p.gasUsed.toString(),
    gasShare: gasShare(p.gasUsed, p.environment.blockGasLimit),
    ...(f
      ? {
          failure: {
            ...(f.step ? { step: f.step } : {}),
            ...(f.callIndex !== undefined ? { call: f.callIndex + 1 } : {}),
            ...(f.callIndex !== undefined && p.actionOfCall[f.callIndex] !== undefined
              ? { action: p.actionOfCall[f.callIndex]! + 1 }
              : {}),
            ...(f.target ? { target: named(f.target, book) } : {}),
            reason: f.reason,
          },
        }
      : {}),
  }
  const diff = p.stateDiff
    ? reportStateDiff(p.stateDiff, book, p.executor)
    : { criticalChanges: [] as SimulationReport['criticalChanges'] }
  const checks = reportChecks(p.checks)
  const partial = { execution, criticalChanges: diff.criticalChanges, checks, calls: p.calls }
  return {
    reportVersion: REPORT_VERSION,
    generatedBy: generatedBy(),
    generatedAt: (p.now ?? new Date()).toISOString(),
    verdict: verdictOf(partial),
    headline: headline(partial),
    subject: p.subject,
    environment: reportEnvironment(p.environment),
    execution,
    calls: p.calls,
    balanceChanges: reportBalanceChanges(p.balanceChanges),
    ...(diff.stateDiff ? { stateDiff: diff.stateDiff } : {}),
    criticalChanges: diff.criticalChanges,
    events: reportEvents(p.events, book),
    ...(p.trace ? { trace: reportTrace(p.trace, p.decode, book) } : {}),
    ...(p.lifecycle ? { lifecycle: p.lifecycle } : {}),
    checks,
    notes: p.notes,
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
