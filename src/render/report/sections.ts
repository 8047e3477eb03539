import type {
  ReportContractDiff,
  ReportNamedAddress,
  ReportTraceFrame,
  SimulationReport,
} from '../../report/schema.js'
import { formatAmount } from '../../utils/units.js'

/**
 * What the terminal, Markdown and HTML renderers share: the wording of a verdict, the order of the
 * sections, and how numbers, hashes and trees are written. Each renderer only decides how to draw.
 */

export type Verdict = SimulationReport['verdict']
export type Severity = 'info' | 'warning' | 'danger'
/** The colour family a verdict or finding is drawn in. */
export type Tone = 'ok' | 'info' | 'warn' | 'bad'

export const VERDICT: Record<Verdict, { mark: string; title: string; tone: Tone; advice: string }> = {
  pass: {
    mark: '✔',
    title: 'SIMULATION PASSED',
    tone: 'ok',
    advice: 'Every call succeeds and no check found anything.',
  },
  info: {
    mark: '✔',
    title: 'SIMULATION PASSED',
    tone: 'ok',
    advice: 'Every call succeeds; the checks left notes, no warnings.',
  },
  warning: {
    mark: '⚠',
    title: 'SIMULATION PASSED WITH WARNINGS',
    tone: 'warn',
    advice: 'Every call succeeds, but read the warnings before you sign or vote.',
  },
  danger: {
    mark: '✘',
    title: 'DANGER',
    tone: 'bad',
    advice: 'It would go through, but a check found a danger: do not sign or vote before you understand it.',
  },
  failed: {
    mark: '✘',
    title: 'SIMULATION FAILED',
    tone: 'bad',
    advice: 'It would not go through as it stands.',
  },
}

/** Markers are characters, not colours, so a report without colour (or printed) still says how bad. */
export const SEVERITY: Record<Severity, { mark: string; word: string; tone: Tone }> = {
  danger: { mark: '✘', word: 'DANGER', tone: 'bad' },
  warning: { mark: '⚠', word: 'warning', tone: 'warn' },
  info: { mark: 'ℹ', word: 'info', tone: 'info' },
}

/** `✘ SIMULATION FAILED`, naming the Governor step that failed when there is one. */
export function verdictTitle(report: SimulationReport): string {
  const v = VERDICT[report.verdict]
  const step = report.verdict === 'failed' ? report.execution.failure?.step : undefined
  return `${v.mark} ${v.title}${step ? ` AT ${step.toUpperCase()}` : ''}`
}

/**
 * The sections below the verdict block, in the order a signer needs them: what controls a contract,
 * what is called, what moves, what changes, then the evidence (events, lifecycle, trace), the
 * checks and how the simulation was set up. Every renderer walks this list, so they cannot drift.
 */
export const SECTION_ORDER = [
  'critical',
  'calls',
  'balances',
  'state',
  'events',
  'lifecycle',
  'trace',
  'checks',
  'notes',
] as const
export type SectionId = (typeof SECTION_ORDER)[number]

export const SECTION_TITLE: Record<SectionId, string> = {
  critical: 'Critical changes',
  calls: 'Calls',
  balances: 'Balance changes',
  state: 'State changes',
  events: 'Events',
  lifecycle: 'Proposal lifecycle',
  trace: 'Call trace',
  checks: 'Checks',
  notes: 'Notes',
}

/**
 * The sections this report has. Calls, balances, state, events, trace and checks are always drawn,
 * empty or not, so "nothing changed" is said rather than left to be inferred from a missing heading.
 */
export function reportSections(report: SimulationReport): SectionId[] {
  return SECTION_ORDER.filter((id) => {
    if (id === 'critical') return report.criticalChanges.length > 0
    if (id === 'lifecycle') return report.lifecycle !== undefined
    if (id === 'notes') return report.notes.length > 0
    return true
  })
}

/** Why a section the mode cannot produce is empty. */
export const UNAVAILABLE = {
  state: 'Not available: this simulation mode (eth_simulateV1) cannot see storage.',
  trace: 'Not available: this simulation mode (eth_simulateV1) gives no call trace.',
} as const

// ── untrusted text ──────────────────────────────────────────────────────────────────────────────

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is neutralised.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g

/**
 * Text as a reader can trust it: a control character (an ANSI escape could clear the screen or
 * colour a line; a bidi override reorders an address) is written as its code, `\u202e`. With
 * `newlines: false` a line break is shown as `↵`, so one field cannot print a line that looks like
 * the report's own (`✔ SIMULATION PASSED`).
 */
export function visible(s: string, { newlines = true } = {}): string {
  const out = s
    .replace(/\r\n/g, '\n')
    .replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
  return newlines ? out : out.replace(/\r?\n/g, '↵')
}

/** The report with every string made `visible`; renderers draw this copy, the JSON keeps the original. */
export function displayReport(
  report: SimulationReport,
  options: { newlines?: boolean } = {},
): SimulationReport {
  const map = (value: unknown): unknown => {
    if (typeof value === 'string') return visible(value, options)
    if (Array.isArray(value)) return value.map(map)
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, map(v)]))
    }
    return value
  }
  return map(report) as SimulationReport
}

// ── numbers, hashes, names ──────────────────────────────────────────────────────────────────────

/** `1234567` → `1,234,567`; keeps the sign; anything that is not an integer is returned as is. */
export function groupDigits(decimal: string): string {
  if (!/^-?\d+$/.test(decimal)) return decimal
  const negative = decimal.startsWith('-')
  const digits = negative ? decimal.slice(1) : decimal
  return `${negative ? '-' : ''}${digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}`
}

export const plural = (n: number, word: string, many = `${word}s`) =>
  `${n.toLocaleString('en-US')} ${n === 1 ? word : many}`

export function formatEthWei(wei: string): string {
  return `${formatAmount(BigInt(wei), 18)} ETH`
}

/** Unix seconds as `2025-03-14 09:20:00 UTC`; a clock that is not a plain number is shown raw. */
export function formatTimestamp(seconds: string): string {
  if (!/^\d+$/.test(seconds)) return seconds
  const ms = Number(seconds) * 1000
  if (!Number.isSafeInteger(ms) || ms > 8.64e15) return seconds
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`
}

/** `0x1234…abcd`: enough to recognise, for values the reader does not copy. */
export function shortHex(hex: string, lead = 6, tail = 4): string {
  return hex.length <= lead + tail + 3 ? hex : `${hex.slice(0, lead)}…${hex.slice(-tail)}`
}

/** A storage word without its leading zeros (`0x…0008` → `0x8`), shortened when still long. */
export function compactWord(hex: string): string {
  if (!/^0x[0-9a-fA-F]*$/.test(hex)) return hex
  const digits = hex.slice(2).replace(/^0+/, '')
  const compact = `0x${digits || '0'}`
  return compact.length > 22 ? shortHex(compact, 10, 8) : compact
}

/** The name a reader knows, else the address itself (the address book's fallback). */
export const isUnnamed = (a: ReportNamedAddress) => a.label.toLowerCase() === a.address.toLowerCase()

/** The gas line: `98,331 gas (0.32% of the 30,000,000 block gas limit)`. */
export function gasText(report: SimulationReport): string {
  const { gasUsed, gasShare } = report.execution
  return `${groupDigits(gasUsed)} gas (${gasShare}% of the ${groupDigits(report.environment.blockGasLimit)} block gas limit)`
}

/** How it was simulated, in one line: `trace-call at block 142, chain 31337`. */
export function modeText(report: SimulationReport): string {
  const env = report.environment
  const fork = env.forkBlock !== undefined ? `, forked at block ${env.forkBlock}` : ''
  return `${env.mode} at block ${env.blockNumber}${fork}, chain ${env.chainId}`
}

/**
 * The subject as label/value pairs, most identifying first (what a signer compares on a device).
 * `who` is an address to draw with its name; `code` marks a value to set in monospace.
 */
export type SubjectField = { label: string; value: string; who?: ReportNamedAddress; code?: boolean }

export function subjectFields(report: SimulationReport): SubjectField[] {
  const s = report.subject
  if (s.kind === 'safe') {
    return [
      { label: 'Safe', who: s.safe, value: `version ${s.safeVersion}` },
      { label: 'nonce', value: s.nonce },
      { label: 'safeTxHash', value: s.safeTxHash, code: true },
      ...(s.planId ? [{ label: 'plan', value: s.planId, code: true }] : []),
      ...(s.file ? [{ label: 'file', value: s.file, code: true }] : []),
    ]
  }
  return [
    { label: 'Governor', who: s.governor, value: '' },
    ...(s.timelock ? [{ label: 'timelock', who: s.timelock, value: '' }] : []),
    { label: 'proposalId', value: s.proposalId, code: true },
    { label: 'proposer', who: s.proposer, value: '' },
    { label: 'descriptionHash', value: s.descriptionHash, code: true },
    ...(s.timelockOperationId
      ? [{ label: 'timelock operation', value: s.timelockOperationId, code: true }]
      : []),
    { label: 'clock', value: s.clockMode },
    {
      label: 'proposal',
      value: s.existing
        ? 'already on chain (simulated from its current state)'
        : 'new (proposed in the simulation)',
    },
    ...(s.file ? [{ label: 'file', value: s.file, code: true }] : []),
  ]
}

/** The description's first line without Markdown heading marks, for titles. */
export function descriptionTitle(report: SimulationReport, max = 120): string {
  const first =
    report.subject.description
      .split(/\r?\n/)
      .map((l) => l.replace(/^\s*#+\s*/, '').trim())
      .find((l) => l.length > 0) ?? ''
  return first.length > max ? `${first.slice(0, max - 1)}…` : first
}

export const environmentFields = (report: SimulationReport): { label: string; value: string }[] => {
  const env = report.environment
  return [
    { label: 'mode', value: `${env.mode}: ${env.description}` },
    { label: 'RPC', value: env.rpc },
    { label: 'chain', value: env.chainId },
    { label: 'block', value: `${env.blockNumber} (${formatTimestamp(env.blockTimestamp)})` },
    ...(env.forkBlock !== undefined ? [{ label: 'fork block', value: env.forkBlock }] : []),
    { label: 'block gas limit', value: groupDigits(env.blockGasLimit) },
  ]
}

// ── calls ───────────────────────────────────────────────────────────────────────────────────────

export type CallStatus = 'ok' | 'failed' | 'not-run' | 'reverted'

/**
 * What happened to one call. In a failed batch the calls after the failing one never ran (MultiSend
 * and the timelock stop at the first revert); the earlier ones ran but were undone with the rest.
 */
export function callStatus(report: SimulationReport, call: SimulationReport['calls'][number]): CallStatus {
  const failing = report.execution.failure?.call
  if (call.index === failing || (failing === undefined && call.reverted)) return 'failed'
  if (report.execution.success) return 'ok'
  if (failing !== undefined && call.index > failing) return 'not-run'
  return 'reverted'
}

export const CALL_STATUS_TEXT: Record<CallStatus, string> = {
  ok: 'succeeds',
  failed: 'FAILS HERE',
  'not-run': 'not run: the batch stopped before it',
  reverted: 'ran, then undone by the revert',
}

// ── balances, state ─────────────────────────────────────────────────────────────────────────────

export const deltaSign = (delta: string): -1 | 0 | 1 =>
  delta.startsWith('-') ? -1 : /^0+$/.test(delta) ? 0 : 1

/** The formatted change with its sign always written (`+12,500 ALLY`), as the report may omit `+`. */
export function signedAmount(change: SimulationReport['balanceChanges'][number]): string {
  const f = change.formatted
  return deltaSign(change.delta) > 0 && !f.startsWith('+') ? `+${f}` : f
}

/** A storage change as a reader names it; a slot the layout could not resolve shows its shortened key. */
export function storageName(change: ReportContractDiff['changes'][number]): string {
  return change.variable ?? `slot ${shortHex(change.slot, 10, 8)}`
}

/** Before and after, raw words shortened when the slot is unresolved. */
export function storageValues(change: ReportContractDiff['changes'][number]): {
  before: string
  after: string
} {
  if (change.variable !== undefined) return { before: change.before, after: change.after }
  return { before: compactWord(change.raw.before), after: compactWord(change.raw.after) }
}

// ── trace ───────────────────────────────────────────────────────────────────────────────────────

/** A delegatecall that is not a proxy forwarding to its implementation: foreign code with the caller's storage. */
export const isLoudDelegatecall = (f: ReportTraceFrame) => f.delegatecall && !f.proxyForward

export const TRACE_LIMIT = 60

export type CappedTrace = {
  shown: { frame: ReportTraceFrame; index: number }[]
  hidden: number
  /** Delegatecalls and reverts past the cap: never hidden, since they are what a reader looks for. */
  notable: { frame: ReportTraceFrame; index: number }[]
}

export function capTrace(frames: ReportTraceFrame[], limit = TRACE_LIMIT): CappedTrace {
  const all = frames.map((frame, index) => ({ frame, index }))
  const rest = all.slice(limit)
  return {
    shown: all.slice(0, limit),
    hidden: rest.length,
    notable: rest.filter(({ frame }) => isLoudDelegatecall(frame) || frame.error !== undefined),
  }
}

/** `9 frames · 1 DELEGATECALL · 2 reverted`, the line shown even when the trace is folded. */
export function traceSummary(frames: ReportTraceFrame[]): string {
  const loud = frames.filter(isLoudDelegatecall).length
  const errors = frames.filter((f) => f.error !== undefined).length
  return [
    plural(frames.length, 'frame'),
    loud ? `${loud} DELEGATECALL${loud === 1 ? '' : 'S'}` : undefined,
    errors ? `${errors} reverted` : undefined,
  ]
    .filter(Boolean)
    .join(' · ')
}

/**
 * Tree guides (`├─ `, `│  `, `└─ `) for frames listed depth-first with their depths. A frame is a
 * last child when no later frame at its depth comes before one shallower.
 */
export function treePrefixes(depths: number[]): string[] {
  const isLast = depths.map((d, i) => {
    for (let j = i + 1; j < depths.length; j++) {
      if (depths[j]! < d) return true
      if (depths[j] === d) return false
    }
    return true
  })
  const open: boolean[] = [] // open[k]: the ancestor at depth k has siblings still to come
  return depths.map((d, i) => {
    open.length = d
    let prefix = ''
    for (let k = 1; k < d; k++) prefix += open[k] ? '│  ' : '   '
    if (d > 0) prefix += isLast[i] ? '└─ ' : '├─ '
    open[d] = !isLast[i]
    return prefix
  })
}

/** The parts of a frame every renderer writes, in this order: `KIND caller → what  [value · gas]  error`. */
export function frameParts(f: ReportTraceFrame): {
  kind: string
  call: string
  value?: string
  gas: string
  error?: string
} {
  return {
    kind: f.proxyForward ? `${f.type} (proxy)` : f.type,
    // The text of a forwarding frame is about the proxy, not a call: name both ends plainly.
    call: f.proxyForward
      ? `${f.from.label} → its implementation ${f.to.label}`
      : `${f.from.label} → ${f.text}`,
    ...(deltaSign(f.valueWei) !== 0 ? { value: formatEthWei(f.valueWei) } : {}),
    gas: `${groupDigits(f.gasUsed)} gas`,
    ...(f.error !== undefined ? { error: f.error } : {}),
  }
}

// ── governor lifecycle ──────────────────────────────────────────────────────────────────────────

export function lifecycleRows(lifecycle: NonNullable<SimulationReport['lifecycle']>): string[][] {
  return lifecycle.steps.map((s) => [
    s.step,
    s.skipped ? 'skipped' : groupDigits(s.block),
    s.skipped ? '' : formatTimestamp(s.timestamp),
    s.skipped ? `${s.stateAfter} (already past it on chain)` : s.stateAfter,
    s.gasUsed !== undefined ? groupDigits(s.gasUsed) : '',
    s.txHash ?? '',
  ])
}
export const LIFECYCLE_HEADER = ['step', 'block', 'time', 'state after', 'gas', 'tx']

const VOTE_METHOD: Record<NonNullable<SimulationReport['lifecycle']>['votes']['method'], string> = {
  manufactured: 'voting power written for a stand-in voter',
  impersonated: 'real delegates voted (impersonated)',
  none: 'no votes cast in the simulation',
}

/**
 * For and quorum in the votes token's units when the report has them, else in base units; the ratio
 * says whether it passes either way.
 */
export function votesText(lifecycle: NonNullable<SimulationReport['lifecycle']>): string {
  const v = lifecycle.votes
  const ratio =
    BigInt(v.quorum) > 0n
      ? ` (${(Number((BigInt(v.forVotes) * 100n) / BigInt(v.quorum)) / 100).toString()}× quorum)`
      : ''
  const voters = v.voters.length ? `; voters: ${v.voters.map((a) => a.label).join(', ')}` : ''
  const amounts =
    v.formattedFor && v.formattedQuorum
      ? `for ${v.formattedFor}, quorum ${v.formattedQuorum}`
      : `for ${groupDigits(v.forVotes)}, quorum ${groupDigits(v.quorum)} (base units)`
  return `${amounts}${ratio}; ${VOTE_METHOD[v.method]}${voters}`
}

// ── checks ──────────────────────────────────────────────────────────────────────────────────────

export type CheckResultStatus = 'pass' | 'skipped' | Severity
type CheckResultShape = SimulationReport['checks']['results'][number]

/** A skipped check is not a passed one: it is drawn apart so silence is never read as safety. */
export function checkStatus(r: CheckResultShape): CheckResultStatus {
  if (r.findings.some((f) => f.severity === 'danger')) return 'danger'
  if (r.findings.some((f) => f.severity === 'warning')) return 'warning'
  if (r.skipped !== undefined && r.findings.length === 0) return 'skipped'
  if (r.findings.length) return 'info'
  return 'pass'
}

export const CHECK_MARK: Record<CheckResultStatus, string> = {
  pass: '✔',
  info: '✔',
  warning: '⚠',
  danger: '✘',
  skipped: '–',
}

export function checksSummary(checks: SimulationReport['checks']): string {
  const { danger, warning, info } = checks.counts
  const skipped = checks.results.filter((r) => checkStatus(r) === 'skipped').length
  const ran = checks.results.length - skipped
  const found = [
    danger ? plural(danger, 'danger finding') : undefined,
    warning ? plural(warning, 'warning') : undefined,
    info ? plural(info, 'info note') : undefined,
  ].filter(Boolean)
  return `${plural(ran, 'check')} ran${skipped ? `, ${skipped} skipped` : ''}: ${found.length ? found.join(', ') : 'nothing found'}`
}

export const findingText = (f: SimulationReport['checks']['results'][number]['findings'][number]) =>
  f.call !== undefined && !/\bcall \d/.test(f.message) ? `call ${f.call}: ${f.message}` : f.message
