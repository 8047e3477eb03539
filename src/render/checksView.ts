import type { ChalkInstance } from 'chalk'
import type { CheckReport } from '../checks/runChecks.js'
import type { Severity } from '../checks/types.js'

const MARK: Record<Severity, (t: ChalkInstance) => string> = {
  danger: (t) => t.red.bold('DANGER '),
  warning: (t) => t.yellow('warning'),
  info: (t) => t.dim('info   '),
}

/** Every check that ran, with what it found: a passed check is shown too, so silence is never ambiguous. */
export function renderChecks(report: CheckReport, t: ChalkInstance): string {
  const out = [t.bold('Checks')]
  for (const r of report.results) {
    if (r.skipped) {
      out.push(t.dim(`  – ${r.name} (skipped: ${r.skipped})`))
      continue
    }
    const worst = r.findings.some((f) => f.severity === 'danger')
      ? t.red('✘')
      : r.findings.some((f) => f.severity === 'warning')
        ? t.yellow('!')
        : t.green('✔')
    out.push(`  ${worst} ${r.name}`)
    for (const f of r.findings) out.push(`      ${MARK[f.severity](t)} ${f.message}`)
  }
  const { danger, warning } = report.counts
  const ran = report.results.filter((r) => !r.skipped).length
  out.push(
    report.verdict === 'danger'
      ? t.red.bold(
          `  ${danger} danger finding${danger === 1 ? '' : 's'}: do not sign before you understand ${danger === 1 ? 'it' : 'them'}`,
        )
      : report.verdict === 'warning'
        ? t.yellow(`  ${warning} warning${warning === 1 ? '' : 's'}`)
        : t.green('  no warnings'),
  )
  if (ran < report.results.length) {
    out.push(t.dim(`  ${ran} of ${report.results.length} checks ran; run \`alliance simulate\` for the rest`))
  }
  return out.join('\n')
}
