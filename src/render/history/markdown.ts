import type {
  GovernorHistoryReport,
  HistoryReport,
  HistoryReportFinding,
  SafeHistoryExecutionEntry,
  SafeHistoryReport,
} from '../../history/report/schema.js'
import type { ReportNamedAddress } from '../../report/schema.js'
import { joinedLines } from '../../utils/chunks.js'
import { code, fence, text } from '../report/markdown.js'
import { reconciliationText, resimulationText } from './extras.js'
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
  signerText,
  summaryText,
  votesText,
} from './sections.js'

/**
 * The history report as GitHub-flavoured Markdown. Every string that came from the chain (descriptions,
 * vote reasons, decoded arguments) is untrusted: it is written through the simulation report's `text`,
 * `code` and `fence`, which it cannot break out of.
 */
export function renderHistoryMarkdown(original: HistoryReport): string {
  return [...joinedLines(historyMarkdownLines(original))].join('')
}

/**
 * The document's lines, for writing to a file as they are drawn: a Safe's executions are made visible and
 * drawn one at a time, so a long history is never one string.
 */
export function* historyMarkdownLines(original: HistoryReport): Generator<string> {
  const report = displayHistoryShell(original)
  const v = historyVerdict(report)
  const who = report.kind === 'safe-history' ? named(report.subject.safe) : named(report.subject.governor)
  yield* [
    `# ${v.mark} ${v.title}`,
    '',
    `${who} · ${text(rangeText(report))}`,
    '',
    `> ${text(summaryText(report))}`,
    '',
  ]
  if (report.kind === 'safe-history') yield* safe(report, (original as SafeHistoryReport).executions)
  else yield* governor(report)
  yield* [
    '',
    `<sub>${text(report.generatedBy)} · ${text(report.generatedAt)} · report version ${report.reportVersion}</sub>`,
    '',
  ]
}

/** `report` is the visible copy without its executions; they are drawn from `executions` one by one. */
function* safe(
  report: SafeHistoryReport,
  executions: readonly SafeHistoryExecutionEntry[],
): Generator<string> {
  yield* ['## Executions', '']
  if (executions.length === 0) yield 'No executions in the range.'
  for (const original of executions) yield* execution(displayHistory(original))
  const out = ['## Configuration changes', '']
  if (report.configChanges.length === 0) out.push('None in the range.')
  else
    out.push(
      table(
        ['block', 'change', 'transaction'],
        report.configChanges.map((c) => [String(c.blockNumber), text(c.text), code(c.transactionHash)]),
      ),
    )
  if (report.reconciliation) {
    out.push('', '## Transaction Service reconciliation', '')
    out.push(text(reconciliationText(report.reconciliation)), '')
    for (const f of report.reconciliation.findings) out.push(`- ${finding(f)}`)
  }
  yield* out
}

function execution(e: SafeHistoryExecutionEntry): string[] {
  const mark = e.verified ? (e.success ? '✔' : '⚠') : '✘'
  const out = [
    `### ${mark} Block ${e.blockNumber} · ${code(e.transactionHash)}`,
    '',
    `- ${text(executionHeadline(e))}`,
    `- safeTxHash ${code(hashText(e))}`,
    `- signers (threshold ${e.threshold}): ${e.signers.map((s) => text(signerText(s))).join(', ') || 'none recovered'}`,
  ]
  if (e.resimulation) out.push(`- re-simulated: ${text(resimulationText(e.resimulation))}`)
  for (const a of e.actions)
    out.push(`- ${a.kind === 'raw' ? 'raw call' : `**${text(a.kind)}**`}: ${code(a.text)}`)
  for (const f of executionFindings(e)) out.push(`- ${finding(f)}`)
  out.push('')
  return out
}

function governor(report: GovernorHistoryReport): string[] {
  const out: string[] = []
  for (const f of report.findings) out.push(`- ${finding(f)}`)
  out.push('## Proposals', '')
  if (report.proposals.length === 0) out.push('No proposals in the range.')
  for (const p of report.proposals) {
    out.push(
      `### Proposal ${code(p.proposalId)} · ${text(STATUS[p.status])}`,
      '',
      ...(p.title ? [`**${text(p.title)}**`, ''] : []),
      `- ${p.proposer ? `proposer ${named(p.proposer)} · ` : ''}${text(idText(p))}`,
      ...(p.timelockOperationId ? [`- timelock operation ${code(p.timelockOperationId)}`] : []),
      `- ${text(votesText(p))}`,
    )
    for (const a of p.actions)
      out.push(`- ${a.kind === 'call' ? 'call' : `**${text(a.kind)}**`}: ${code(a.text)}`)
    for (const f of p.findings) out.push(`- ${finding(f)}`)
    if (p.timeline.length)
      out.push(
        '',
        table(
          ['block', 'event'],
          p.timeline.map((e) => [String(e.blockNumber), text(e.text)]),
        ),
      )
    if (p.description)
      out.push('', '<details><summary>Description</summary>', '', fence(p.description), '', '</details>')
    out.push('')
  }
  out.push('## Timelock operations outside the governor', '')
  if (report.bypass.length === 0) out.push('None.')
  for (const f of report.bypass) out.push(`- ${finding(f)}`)
  return out
}

const named = (a: ReportNamedAddress) =>
  a.label === a.address ? code(a.address) : `${text(a.label)} ${code(a.address)}`

function finding(f: HistoryReportFinding): string {
  const l = LEVEL[f.level]
  return `${l.mark} **${l.word}** ${code(f.code)} ${text(f.message)}`
}

/** Cells are already escaped; a pipe ends a cell even inside a code span, so every pipe is escaped. */
function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.map((c) => c.replace(/\|/g, '\\|') || ' ').join(' | ')} |`
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n')
}
