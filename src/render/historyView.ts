import type { ChalkInstance } from 'chalk'
import type {
  GovernorHistoryReport,
  HistoryReport,
  HistoryReportFinding,
  SafeHistoryExecutionEntry,
  SafeHistoryReport,
} from '../history/report/schema.js'
import { reconciliationText, resimulationText } from './history/extras.js'
import {
  displayHistory,
  displayHistoryShell,
  executionFindings,
  executionHeadline,
  hashText,
  historyVerdict,
  idText,
  LEVEL,
  rangeText,
  STATUS,
  signersText,
  subjectText,
  summaryText,
  type Tone,
  votesText,
} from './history/sections.js'

/**
 * A history report for the terminal: the verdict and summary first, then every execution (or proposal)
 * in chain order with what it did and what was found, then the configuration changes. Strings from the
 * chain (descriptions, vote reasons) may hold terminal control sequences; they are made visible, never
 * sent to the terminal as they are.
 */
export function renderHistoryTerminal(untrusted: HistoryReport, t: ChalkInstance): string {
  return [...historyTerminalLines(untrusted, t)].join('\n').trimEnd()
}

/**
 * The same lines one by one, for printing as they are drawn: a Safe's executions are made visible and
 * drawn one at a time, so 10,000 of them are never one string.
 */
export function* historyTerminalLines(untrusted: HistoryReport, t: ChalkInstance): Generator<string> {
  // One field cannot print a line that looks like the report's own: line breaks are shown as ↵ too.
  const report = displayHistoryShell(untrusted, { newlines: false })
  const v = historyVerdict(report)
  yield* [
    paint(t, v.tone, t.bold(`${v.mark} ${v.title}`)),
    `${subjectText(report)} · ${rangeText(report)}`,
    summaryText(report),
    '',
  ]
  if (report.kind === 'safe-history') yield* safeLines(report, (untrusted as SafeHistoryReport).executions, t)
  else yield* governorLines(report, t)
}

/** `report` is the visible copy without its executions; they are drawn from `executions` one by one. */
function* safeLines(
  report: SafeHistoryReport,
  executions: readonly SafeHistoryExecutionEntry[],
  t: ChalkInstance,
): Generator<string> {
  if (executions.length === 0) yield t.dim('No executions in the range.')
  for (const original of executions) {
    const e = displayHistory(original, { newlines: false })
    const worst = worstTone(executionFindings(e))
    const mark = e.verified ? (e.success ? '✔' : '⚠') : '✘'
    const out = [
      `${paint(t, e.verified ? (e.success ? worst : 'warn') : 'bad', mark)} ${t.bold(`block ${e.blockNumber}`)} ${t.dim(e.transactionHash)}`,
      `    ${executionHeadline(e)}`,
      `    safeTxHash ${hashText(e)}`,
      `    signers ${signersText(e)}`,
    ]
    if (e.resimulation) out.push(`    re-simulated: ${resimulationText(e.resimulation)}`)
    for (const a of e.actions) out.push(`    - ${a.kind === 'raw' ? '' : `${t.cyan(a.kind)} `}${a.text}`)
    for (const f of executionFindings(e)) out.push(`    ${finding(t, f)}`)
    yield* out
  }
  const out = ['', t.bold('Configuration changes')]
  if (report.configChanges.length === 0) out.push(t.dim('  none in the range'))
  for (const c of report.configChanges) out.push(`  block ${c.blockNumber}  ${c.text}`)
  if (report.reconciliation) {
    out.push('', t.bold('Transaction Service reconciliation'))
    out.push(`  ${reconciliationText(report.reconciliation)}`)
    for (const f of report.reconciliation.findings) out.push(`  ${finding(t, f)}`)
  }
  yield* out
}

function governorLines(report: GovernorHistoryReport, t: ChalkInstance): string[] {
  const out: string[] = []
  for (const f of report.findings) out.push(finding(t, f))
  if (report.proposals.length === 0) out.push(t.dim('No proposals in the range.'))
  for (const p of report.proposals) {
    const tone = worstTone(p.findings)
    out.push(
      `${paint(t, tone === 'info' ? 'ok' : tone, '●')} ${t.bold(`Proposal ${p.proposalId}`)} ${STATUS[p.status]}${p.title ? ` — ${p.title}` : ''}`,
      `    ${p.proposer ? `proposer ${p.proposer.label} · ` : ''}${idText(p)}${p.timelockOperationId ? ` · operation ${p.timelockOperationId}` : ''}`,
      `    ${votesText(p)}`,
    )
    for (const a of p.actions) out.push(`    - ${a.kind === 'call' ? '' : `${t.cyan(a.kind)} `}${a.text}`)
    for (const e of p.timeline) out.push(t.dim(`    block ${e.blockNumber}  `) + e.text)
    for (const f of p.findings) out.push(`    ${finding(t, f)}`)
  }
  out.push('', t.bold('Timelock operations outside the governor'))
  if (report.bypass.length === 0) out.push(t.dim('  none'))
  for (const f of report.bypass) out.push(`  ${finding(t, f)}`)
  return out
}

function finding(t: ChalkInstance, f: HistoryReportFinding): string {
  const l = LEVEL[f.level]
  return `${paint(t, l.tone, `${l.mark} ${f.code}`)} ${f.message}`
}

function worstTone(findings: readonly HistoryReportFinding[]): Tone {
  if (findings.some((f) => f.level === 'error')) return 'bad'
  if (findings.some((f) => f.level === 'warning')) return 'warn'
  return 'ok'
}

function paint(t: ChalkInstance, tone: Tone, s: string): string {
  return tone === 'bad' ? t.red(s) : tone === 'warn' ? t.yellow(s) : tone === 'info' ? t.blue(s) : t.green(s)
}
