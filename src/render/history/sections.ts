import type {
  GovernorHistoryProposalEntry,
  GovernorHistoryReport,
  HistoryReport,
  HistoryReportFinding,
  SafeHistoryExecutionEntry,
  SafeHistoryReport,
} from '../../history/report/schema.js'
import { visible } from '../report/sections.js'

/**
 * What the terminal, Markdown and HTML history renderers share: the wording of the verdict, of an
 * execution's hashes and signers, of the summary. Each renderer only decides how to draw.
 */

export type Tone = 'ok' | 'info' | 'warn' | 'bad'

export const LEVEL: Record<HistoryReportFinding['level'], { mark: string; word: string; tone: Tone }> = {
  error: { mark: '✘', word: 'error', tone: 'bad' },
  warning: { mark: '⚠', word: 'warning', tone: 'warn' },
  info: { mark: 'ℹ', word: 'info', tone: 'info' },
}

/** The report's verdict: the worst finding level, in words a reader acts on. */
export function historyVerdict(report: HistoryReport): { mark: string; title: string; tone: Tone } {
  const f = report.summary.findings
  const what = report.kind === 'safe-history' ? 'SAFE HISTORY' : 'GOVERNOR HISTORY'
  if (f.error > 0)
    return { mark: '✘', title: `${what}: ${f.error} ERROR${f.error === 1 ? '' : 'S'}`, tone: 'bad' }
  if (f.warning > 0)
    return {
      mark: '⚠',
      title: `${what} VERIFIED WITH ${f.warning} WARNING${f.warning === 1 ? '' : 'S'}`,
      tone: 'warn',
    }
  return { mark: '✔', title: `${what} VERIFIED`, tone: 'ok' }
}

export const subjectText = (report: HistoryReport) =>
  report.kind === 'safe-history'
    ? `${report.subject.safe.label} ${report.subject.safe.address}`
    : `${report.subject.governor.label} ${report.subject.governor.address}${report.subject.timelock ? ` (timelock ${report.subject.timelock.label})` : ''}`

export const rangeText = (report: HistoryReport) =>
  `chain ${report.subject.chainId}, blocks ${report.subject.fromBlock}–${report.subject.toBlock}`

export function summaryText(report: HistoryReport): string {
  const f = report.summary.findings
  const findings = `findings: ${f.error} error(s), ${f.warning} warning(s), ${f.info} info`
  if (report.kind === 'safe-history') {
    const s = report.summary
    return `${s.executions} execution(s): ${s.succeeded} succeeded, ${s.failed} failed; ${s.verified} verified · ${s.configChanges} configuration change(s) · ${findings}`
  }
  const s = report.summary
  return `${s.proposals} proposal(s): ${s.executed} executed, ${s.canceled} canceled · ${s.timelockOperations} timelock operation(s) · ${findings}`
}

const BATCH: Record<NonNullable<SafeHistoryExecutionEntry['batch']>, string> = {
  single: 'single call',
  'multisend-call-only': 'MultiSendCallOnly batch',
  multisend: 'MultiSend batch',
  delegatecall: 'DELEGATECALL',
}

/** `nonce 4 · MultiSendCallOnly batch of 3 · via trace · executed by ops-safe` */
export function executionHeadline(e: SafeHistoryExecutionEntry): string {
  const parts = [e.nonce !== undefined ? `nonce ${e.nonce}` : 'nonce unknown']
  if (e.batch) parts.push(e.batch === 'single' ? BATCH.single : `${BATCH[e.batch]} of ${e.actions.length}`)
  parts.push(e.success ? 'succeeded' : 'FAILED')
  if (e.via === 'trace') parts.push('found in the call trace')
  if (e.executor) parts.push(`executed by ${e.executor.label}`)
  return parts.join(' · ')
}

/** The three hashes side by side; equal ones are said once. */
export function hashText(e: SafeHistoryExecutionEntry): string {
  const h = e.safeTxHash
  if (h.recomputed === undefined) return `${h.logged} logged; not recomputed`
  const same = h.recomputed === h.logged && (h.chain === undefined || h.chain === h.logged)
  if (same) return `${h.logged} (logged = recomputed${h.chain ? ' = Safe' : ''})`
  return `logged ${h.logged}, recomputed ${h.recomputed}${h.chain ? `, Safe ${h.chain}` : ''}`
}

const KIND: Record<SafeHistoryExecutionEntry['signers'][number]['kind'], string> = {
  eoa: 'EIP-712',
  eth_sign: 'eth_sign',
  'approved-hash': 'approved hash',
  contract: 'EIP-1271 contract',
}

/** `alice (EIP-712 ✔)`, `ops-safe (EIP-1271 contract ✔, owner)`, `mallory (EIP-712 ✘ not an owner)` */
export function signerText(s: SafeHistoryExecutionEntry['signers'][number]): string {
  const how = [KIND[s.kind]]
  if (s.evidence === 'executor') how.push('as the executor')
  else if (s.evidence === 'approved-before-block' || s.evidence === 'approved-in-block')
    how.push('approveHash on chain')
  const verdict = s.valid && s.owner ? '✔' : `✘ ${!s.owner ? 'not an owner' : (s.reason ?? 'invalid')}`
  return `${s.signer.label} (${how.join(', ')} ${verdict})`
}

export const signersText = (e: SafeHistoryExecutionEntry) =>
  `${e.signers.filter((s) => s.valid && s.owner).length} of threshold ${e.threshold}: ${e.signers.map(signerText).join(', ') || 'none recovered'}`

export const STATUS: Record<GovernorHistoryProposalEntry['status'], string> = {
  created: 'created',
  queued: 'queued',
  executed: 'executed',
  canceled: 'canceled',
  unknown: 'created before the range',
}

export function votesText(p: GovernorHistoryProposalEntry): string {
  const t = p.votes.tally
  const agree = p.votes.onChain
    ? p.votes.onChain.for === t.for &&
      p.votes.onChain.against === t.against &&
      p.votes.onChain.abstain === t.abstain
      ? "; the governor's tally agrees"
      : `; the governor says for ${p.votes.onChain.for}, against ${p.votes.onChain.against}, abstain ${p.votes.onChain.abstain}`
    : ''
  return `${p.votes.count} vote(s): for ${t.for}, against ${t.against}, abstain ${t.abstain}${agree}`
}

export function idText(p: GovernorHistoryProposalEntry): string {
  if (p.recomputedProposalId === undefined) return 'id not recomputed'
  return p.recomputedProposalId === p.proposalId
    ? 'id recomputed ✔'
    : `id recomputed ✘ ${p.recomputedProposalId}`
}

export const isSafeReport = (r: HistoryReport): r is SafeHistoryReport => r.kind === 'safe-history'
export const isGovernorReport = (r: HistoryReport): r is GovernorHistoryReport =>
  r.kind === 'governor-history'

/** Findings of an execution, its resimulation and (later) reconciliation, in one list. */
export const executionFindings = (e: SafeHistoryExecutionEntry): HistoryReportFinding[] => [
  ...e.findings,
  ...(e.resimulation?.findings ?? []),
]

/**
 * The report (or any part of it) with every string made `visible` (control and bidi characters written as their code), as
 * the simulation report's renderers draw it; renderers draw this copy, the embedded JSON keeps the original.
 */
export function displayHistory<T>(report: T, options: { newlines?: boolean } = {}): T {
  const map = (value: unknown): unknown => {
    if (typeof value === 'string') return visible(value, options)
    if (Array.isArray(value)) return value.map(map)
    if (value !== null && typeof value === 'object')
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, map(v)]))
    return value
  }
  return map(report) as T
}

/**
 * The report made visible without a Safe's executions (an empty list): renderers that draw a long
 * history one execution at a time display each execution as they draw it, never a copy of them all.
 */
export const displayHistoryShell = (report: HistoryReport, options: { newlines?: boolean } = {}) =>
  displayHistory(report.kind === 'safe-history' ? { ...report, executions: [] } : report, options)
