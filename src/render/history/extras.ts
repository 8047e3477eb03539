import type { ResimulationEntry } from '../../history/report/resimulationEntry.js'
import type { HistoryReconciliation, HistoryResimulation } from '../../history/report/schema.js'

/**
 * The wording of what later stages attach to a Safe history (`--resimulate`, the Transaction Service
 * reconciliation), shared by the terminal, Markdown and HTML renderers like sections.ts. Their findings
 * are drawn by the renderers with the others; these lines say what was compared. Both sections are loose
 * in the schema, so a field this file does not find is left out rather than trusted.
 */

/** `same outcome (succeeded), same 3 log(s), same 4 balance change(s) on a fork of block 41` */
export function resimulationText(r: HistoryResimulation): string {
  const e = r as Partial<ResimulationEntry>
  const fork = typeof e.forkBlock === 'number' ? ` on a fork of block ${e.forkBlock}` : ''
  if (e.outcome?.fork === undefined) return `could not be re-executed${fork} (see the finding)`
  const balances = Array.isArray(e.balances) ? e.balances.length : 0
  if (e.agreed)
    return `agrees: same outcome (${e.outcome.fork}), same ${e.logs?.chain ?? 0} log(s), same ${balances} balance change(s)${fork}`
  return `DIFFERS from the chain${fork}: ${r.findings.length} difference(s), listed below`
}

/** `Transaction Service at http://… · nonces 4–9 · 6 record(s) held, 5 execution(s) compared · agrees` */
export function reconciliationText(r: HistoryReconciliation): string {
  const parts: string[] = []
  if (typeof r.service === 'string') parts.push(r.service)
  const nonces = r.nonces as { from?: unknown; to?: unknown } | undefined
  if (nonces && typeof nonces.from === 'string' && typeof nonces.to === 'string')
    parts.push(
      BigInt(nonces.to) > BigInt(nonces.from)
        ? `nonces ${nonces.from}–${BigInt(nonces.to) - 1n}`
        : `no nonce used in the range (nonce ${nonces.from})`,
    )
  const held = typeof r.queued === 'number' ? `${r.queued} record(s) held` : undefined
  const compared = typeof r.executions === 'number' ? `${r.executions} execution(s) compared` : undefined
  if (held || compared) parts.push([held, compared].filter(Boolean).join(', '))
  parts.push(r.findings.length ? `${r.findings.length} finding(s)` : 'the service and the chain agree')
  return parts.join(' · ')
}
