import { countFindings } from './safeEntries.js'
import type {
  HistoryReconciliation,
  HistoryResimulation,
  SafeHistoryExecutionEntry,
  SafeHistoryReport,
} from './schema.js'

/**
 * The places where later stages add to a replayed Safe history: `--resimulate` (src/history/resimulate.ts,
 * results matched to executions by transaction and log index) and the Transaction Service
 * reconciliation (src/history/reconcileService.ts, one section). Their findings join the summary, so the
 * verdict and the exit code see them like the replay's own.
 */
export function attachResimulations(
  report: SafeHistoryReport,
  results: Iterable<{
    at: Pick<SafeHistoryExecutionEntry, 'transactionHash' | 'logIndex'>
    resimulation: HistoryResimulation
  }>,
): number {
  const key = (e: Pick<SafeHistoryExecutionEntry, 'transactionHash' | 'logIndex'>) =>
    `${e.transactionHash.toLowerCase()}#${e.logIndex}`
  const entries = new Map(report.executions.map((e) => [key(e), e]))
  let attached = 0
  for (const { at, resimulation } of results) {
    const entry = entries.get(key(at))
    if (!entry) continue
    entry.resimulation = resimulation
    attached++
  }
  recount(report)
  return attached
}

export function attachReconciliation(report: SafeHistoryReport, reconciliation: HistoryReconciliation): void {
  report.reconciliation = reconciliation
  recount(report)
}

function recount(report: SafeHistoryReport): void {
  const counts = { error: 0, warning: 0, info: 0 }
  const byCode: Record<string, number> = {}
  for (const e of report.executions) {
    countFindings(e.findings, counts, byCode)
    if (e.resimulation) countFindings(e.resimulation.findings, counts, byCode)
  }
  if (report.reconciliation) countFindings(report.reconciliation.findings, counts, byCode)
  report.summary.findings = counts
  report.summary.byCode = byCode
}
