import type { SimulationReport } from './schema.js'

type Headline = SimulationReport['headline']

/** How many findings besides failures and critical changes make the headline. */
const MAX_FINDINGS = 5

/**
 * The first lines a signer reads, most severe first: why it would fail, what it changes that
 * controls a contract, then the worst check findings. Failures and critical changes are never cut.
 */
export function headline(
  report: Pick<SimulationReport, 'execution' | 'criticalChanges' | 'checks' | 'calls'>,
): Headline {
  const lines: Headline = []
  const f = report.execution.failure
  if (f) {
    const call = f.call !== undefined ? report.calls.find((c) => c.index === f.call) : undefined
    const where = [
      f.step ? `${f.step} failed` : undefined,
      f.call !== undefined
        ? `call ${f.call}${f.action !== undefined ? ` (action ${f.action})` : ''}`
        : undefined,
      call ? call.text : f.target?.label,
    ]
      .filter(Boolean)
      .join(': ')
    lines.push({ severity: 'danger', text: `${where ? `${where} reverted` : 'reverted'}: ${f.reason}` })
  }
  const bySeverity = (a: { severity: string }, b: { severity: string }) =>
    a.severity === b.severity ? 0 : a.severity === 'danger' ? -1 : 1
  for (const c of [...report.criticalChanges].sort(bySeverity)) {
    lines.push({ severity: c.severity, text: `${c.contract.label}: ${c.what} ${c.before} → ${c.after}` })
  }
  const critical = new Set(report.criticalChanges.map((c) => `${c.contract.label}: ${c.what}`))
  const findings = report.checks.results
    .flatMap((r) => r.findings)
    .filter((x) => x.severity !== 'info')
    // critical-state findings repeat the critical changes already listed
    .filter((x) => !(x.check === 'critical-state' && [...critical].some((k) => x.message.startsWith(k))))
    .sort(bySeverity)
  for (const x of findings.slice(0, MAX_FINDINGS)) lines.push({ severity: x.severity, text: x.message })
  if (findings.length > MAX_FINDINGS) {
    lines.push({ severity: 'info', text: `… and ${findings.length - MAX_FINDINGS} more findings below` })
  }
  return lines
}

/** failed when it would not go through; otherwise the worst check finding. */
export function verdictOf(
  report: Pick<SimulationReport, 'execution' | 'checks'>,
): SimulationReport['verdict'] {
  return report.execution.success ? report.checks.verdict : 'failed'
}
