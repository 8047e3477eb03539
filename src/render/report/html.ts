import type { ReportNamedAddress, ReportTraceFrame, SimulationReport } from '../../report/schema.js'
import {
  CALL_STATUS_TEXT,
  CHECK_MARK,
  callStatus,
  capTrace,
  checkStatus,
  checksSummary,
  deltaSign,
  descriptionTitle,
  displayReport,
  environmentFields,
  findingText,
  formatEthWei,
  formatTimestamp,
  frameParts,
  gasText,
  isLoudDelegatecall,
  isUnnamed,
  LIFECYCLE_HEADER,
  lifecycleRows,
  modeText,
  reportSections,
  SECTION_TITLE,
  SEVERITY,
  type SectionId,
  signedAmount,
  storageName,
  storageValues,
  subjectFields,
  traceSummary,
  UNAVAILABLE,
  VERDICT,
  verdictTitle,
  votesText,
} from './sections.js'

/** Far more than a person reads, few enough that a pathological trace cannot make a huge file. */
const HTML_TRACE_LIMIT = 2000
/** A trace this short is shown unfolded. */
const TRACE_OPEN_LIMIT = 40

// ── escaping ────────────────────────────────────────────────────────────────────────────────────

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

/** Text and attribute values from the report: descriptions, revert reasons and event args are untrusted. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ENTITIES[c]!)
}

/** Markup built here; anything else interpolated into `h` is escaped, so escaping cannot be forgotten. */
export class Html {
  constructor(readonly value: string) {}
}
export type Part = Html | string | number | undefined | false | Part[]

const part = (p: Part): string =>
  p instanceof Html
    ? p.value
    : Array.isArray(p)
      ? p.map(part).join('')
      : p === undefined || p === false
        ? ''
        : escapeHtml(String(p))

export function h(strings: TemplateStringsArray, ...values: Part[]): Html {
  let out = strings[0]!
  values.forEach((v, i) => {
    out += part(v) + strings[i + 1]!
  })
  return new Html(out)
}

/**
 * The report as JSON inside a data block. `<` is written as `\u003c`, so neither `</script>` nor
 * `<!--` can appear in it (both change how the HTML parser reads a script element); bidi and other
 * invisible controls are escaped too, so the file holds none even in view-source. JSON.parse reads
 * every escape back as the character.
 */
export function embeddedJson(report: unknown): string {
  return escapeEmbeddedJson(JSON.stringify(report))
}

/** embeddedJson's escaping alone, for JSON written in pieces: it works character by character. */
export function escapeEmbeddedJson(json: string): string {
  return json.replace(
    /[<\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
}

/**
 * The head both HTML reports share: UTF-8, a Content-Security-Policy that allows inline styles and data:
 * images and nothing else (no script runs, nothing is fetched), the generator and the report's version.
 */
export function htmlHead(p: {
  generator: string
  versionName: string
  version: number
  title: Part
  css: string
}): Html {
  return h`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="${p.generator}">
<meta name="${p.versionName}" content="${String(p.version)}">
<title>${p.title}</title>
<style>${new Html(p.css)}</style>
</head>`
}

// ── document ────────────────────────────────────────────────────────────────────────────────────

/**
 * The report as one self-contained HTML file: inline CSS, no script to run, no fonts, images or
 * anything else fetched, so it opens offline and attached to a forum post. A Content-Security-Policy
 * forbids scripts and loads as a second wall behind the escaping. The report itself is embedded as
 * JSON (`#alliance-report`) for tools.
 */
export function renderReportHtml(original: SimulationReport): string {
  const report = displayReport(original)
  const v = VERDICT[report.verdict]
  const title = descriptionTitle(report)
  const sections = reportSections(report).map(
    (id) => h`<section id="${id}"><h2>${SECTION_TITLE[id]}</h2>${SECTIONS[id](report)}</section>`,
  )
  return h`${htmlHead({
    generator: report.generatedBy,
    versionName: 'alliance-report-version',
    version: report.reportVersion,
    title: `${verdictTitle(report)}${title ? ` · ${title}` : ''}`,
    css: CSS,
  })}
<body class="verdict-${report.verdict}">
<header>
<div class="banner tone-${v.tone}" id="verdict">
<h1>${verdictTitle(report)}</h1>
<p class="advice">${v.advice}</p>
${title ? h`<p class="title">${title}</p>` : ''}
<dl class="subject">${subjectFields(report).map((f) => {
    const value = f.code ? h`<code>${f.value}</code>` : f.value
    return h`<div><dt>${f.label}</dt><dd>${f.who ? h`${who(f.who)}${f.value ? ', ' : ''}` : ''}${value}</dd></div>`
  })}<div><dt>gas</dt><dd>${gasText(report)}</dd></div><div><dt>simulation</dt><dd>${modeText(report)}</dd></div></dl>
</div>
${headline(report)}
</header>
<main>
${description(report)}
${sections}
<section id="environment"><details><summary>Environment</summary>${kvTable(environmentFields(report))}</details></section>
</main>
<footer>Generated by ${report.generatedBy} at ${report.generatedAt} · report version ${String(report.reportVersion)}</footer>
<script type="application/json" id="alliance-report">${new Html(embeddedJson(original))}</script>
</body>
</html>
`.value
}

function headline(report: SimulationReport): Html {
  if (!report.headline.length) return h``
  return h`<ul class="headline" id="headline">${report.headline.map((l) => {
    const s = SEVERITY[l.severity]
    return h`<li class="sev-${l.severity}"><span class="sev">${s.mark} ${s.word}</span> ${l.text}</li>`
  })}</ul>`
}

/**
 * A one-line description is already the banner's title; a longer one (a proposal's, Markdown by its
 * author) is shown as written, never interpreted.
 */
function description(report: SimulationReport): Html {
  const d = report.subject.description.trim()
  if (!d || (!d.includes('\n') && d === descriptionTitle(report))) return h``
  return h`<details class="description"><summary>Description</summary><pre>${report.subject.description}</pre></details>`
}

const kvTable = (rows: { label: string; value: string }[]) =>
  h`<table class="kv"><tbody>${rows.map((r) => h`<tr><th>${r.label}</th><td>${r.value}</td></tr>`)}</tbody></table>`

const who = (a: ReportNamedAddress) =>
  isUnnamed(a) ? h`<code>${a.address}</code>` : h`${a.label} <code class="addr">${a.address}</code>`

const empty = (text: string) => h`<p class="empty">${text}</p>`

// ── sections ────────────────────────────────────────────────────────────────────────────────────

const SECTIONS: Record<SectionId, (report: SimulationReport) => Html> = {
  critical(report) {
    return h`<table><thead><tr><th></th><th>contract</th><th>what</th><th>before</th><th>after</th></tr></thead><tbody>${report.criticalChanges.map(
      (c) =>
        h`<tr class="critical sev-${c.severity}"><td class="sev">${SEVERITY[c.severity].mark} ${SEVERITY[c.severity].word}</td><td>${who(c.contract)}</td><td><strong>${c.what}</strong></td><td><code>${c.before}</code></td><td><code>${c.after}</code></td></tr>`,
    )}</tbody></table>`
  },

  calls(report) {
    if (!report.calls.length) return empty('No calls.')
    const f = report.execution.failure
    return h`<table class="calls"><thead><tr><th>#</th><th>call</th><th>value</th><th>status</th></tr></thead><tbody>${report.calls.map(
      (c) => {
        const status = callStatus(report, c)
        const op =
          c.operation === 'delegatecall' ? h`<span class="tag tag-delegatecall">DELEGATECALL</span> ` : ''
        const action = c.action !== undefined ? h` <span class="muted">action ${c.action}</span>` : ''
        const mark =
          status === 'failed'
            ? h`<strong>✘ ${CALL_STATUS_TEXT.failed}</strong>${f ? h`<div class="reason"><code>${f.reason}</code></div>` : ''}`
            : status === 'ok'
              ? h`✔ ${CALL_STATUS_TEXT.ok}`
              : h`<span class="muted">${CALL_STATUS_TEXT[status]}</span>`
        return h`<tr class="call-${status}"><td class="num">${c.index}</td><td>${op}<code>${c.text}</code>${action}</td><td class="num">${formatEthWei(c.valueWei)}</td><td>${mark}</td></tr>`
      },
    )}</tbody></table>${
      f && f.call === undefined
        ? h`<p class="failure"><strong>${f.step ? `${f.step} reverted` : 'Reverted'}:</strong> <code>${f.reason}</code>${f.target ? h` in ${who(f.target)}` : ''}</p>`
        : ''
    }`
  },

  balances(report) {
    if (!report.balanceChanges.length) return empty('No balance changes.')
    return h`<table><thead><tr><th>holder</th><th>token</th><th>change</th></tr></thead><tbody>${report.balanceChanges.map(
      (b) => {
        const sign = deltaSign(b.delta)
        return h`<tr><td>${who(b.holder)}</td><td>${b.symbol} <code class="addr">${b.token.address}</code></td><td class="num ${sign > 0 ? 'pos' : sign < 0 ? 'neg' : ''}">${signedAmount(b)}</td></tr>`
      },
    )}</tbody></table>`
  },

  state(report) {
    if (!report.stateDiff) return empty(UNAVAILABLE.state)
    if (!report.stateDiff.length) return empty('No storage changes.')
    return h`${report.stateDiff.map((d) => {
      const rows = d.changes.map((c) => {
        const { before, after } = storageValues(c)
        const tag = c.critical
          ? h` <span class="tag tag-critical">CRITICAL</span>`
          : c.variable === undefined
            ? h` <span class="tag tag-raw">raw slot, not resolved</span>`
            : ''
        return h`<tr class="${c.critical ? 'critical' : ''}"><td><code title="${c.slot}">${storageName(c)}</code>${tag}</td><td><code>${before}</code></td><td><code>${after}</code></td></tr>`
      })
      const balance = d.balance
        ? h`<tr><td>ETH balance</td><td>${formatEthWei(d.balance.before)}</td><td>${formatEthWei(d.balance.after)}</td></tr>`
        : ''
      const code = d.codeChanged
        ? h`<tr class="critical"><td><strong>code</strong> <span class="tag tag-critical">CRITICAL</span></td><td>code</td><td>different code</td></tr>`
        : ''
      return h`<h3>${who(d.contract)}${d.layout ? h` <span class="muted">· ${d.layout}</span>` : ''}</h3><table class="state"><thead><tr><th>variable</th><th>before</th><th>after</th></tr></thead><tbody>${rows}${balance}${code}</tbody></table>`
    })}`
  },

  events(report) {
    if (!report.events.length) return empty('No events.')
    return h`<ol class="events">${report.events.map(
      (e) =>
        h`<li><strong>${e.emitter.label}</strong> <code class="${e.name ? '' : 'unknown'}">${e.text}</code></li>`,
    )}</ol><details><summary>Raw events</summary><table class="raw"><thead><tr><th>#</th><th>emitter</th><th>topics</th><th>data</th></tr></thead><tbody>${report.events.map(
      (e, i) =>
        h`<tr><td class="num">${i + 1}</td><td><code>${e.emitter.address}</code></td><td>${e.raw.topics.map((t) => h`<code>${t}</code><br>`)}</td><td><code>${e.raw.data}</code></td></tr>`,
    )}</tbody></table></details>`
  },

  lifecycle(report) {
    const l = report.lifecycle!
    return h`<table><thead><tr>${LIFECYCLE_HEADER.map((c) => h`<th>${c}</th>`)}</tr></thead><tbody>${lifecycleRows(
      l,
    ).map(
      (r) => h`<tr>${r.slice(0, 5).map((c) => h`<td>${c}</td>`)}<td><code>${r[5] ?? ''}</code></td></tr>`,
    )}</tbody></table><p><strong>Votes:</strong> ${votesText(l)}</p>${
      l.eta !== undefined ? h`<p><strong>ETA:</strong> ${formatTimestamp(l.eta)}</p>` : ''
    }`
  },

  trace(report) {
    if (!report.trace) return empty(UNAVAILABLE.trace)
    if (!report.trace.length) return empty('No frames.')
    const capped = capTrace(report.trace, HTML_TRACE_LIMIT)
    const loud = report.trace.filter(isLoudDelegatecall)
    const more = capped.hidden
      ? h`<p class="muted">… ${capped.hidden} more frames (all are in the embedded JSON report)</p>${
          capped.notable.length
            ? h`<ul class="flat">${capped.notable.map(({ frame }) => h`<li>${frameHtml(frame)}</li>`)}</ul>`
            : ''
        }`
      : ''
    // Delegatecalls stay outside the fold: they are what a reviewer looks for in a trace.
    return h`${
      loud.length
        ? h`<div class="delegatecalls"><p><strong>${loud.length} DELEGATECALL${loud.length === 1 ? '' : 'S'}</strong>: foreign code running with the caller's storage and funds</p><ul>${loud.map(
            (f) => h`<li>${who(f.from)} → ${who(f.to)}: <code>${f.text}</code></li>`,
          )}</ul></div>`
        : ''
    }<details class="trace"${report.trace.length <= TRACE_OPEN_LIMIT ? h` open` : ''}><summary>${traceSummary(report.trace)}</summary>${traceTree(capped.shown.map((s) => s.frame))}${more}</details>`
  },

  checks(report) {
    return h`<ul class="checks">${report.checks.results.map((r) => {
      const status = checkStatus(r)
      return h`<li class="check-${status}"><span class="mark">${CHECK_MARK[status]}</span> ${r.name}${
        r.skipped !== undefined ? h` <span class="muted">(skipped: ${r.skipped})</span>` : ''
      }${
        r.findings.length
          ? h`<ul>${r.findings.map((f) => {
              const s = SEVERITY[f.severity]
              return h`<li class="sev-${f.severity}"><span class="sev">${s.mark} ${s.word}</span> ${findingText(f)}</li>`
            })}</ul>`
          : ''
      }</li>`
    })}</ul><p class="summary check-${report.checks.verdict}"><strong>${checksSummary(report.checks)}</strong></p>`
  },

  notes(report) {
    return h`<ul class="notes">${report.notes.map((n) => h`<li>${n}</li>`)}</ul>`
  },
}

// ── trace tree ──────────────────────────────────────────────────────────────────────────────────

type Node = { frame: ReportTraceFrame; children: Node[] }

/** Depth-first frames back into a tree; a depth that skips a level hangs under the last frame seen. */
function nest(frames: ReportTraceFrame[]): Node[] {
  const roots: Node[] = []
  const stack: Node[] = []
  for (const frame of frames) {
    const node: Node = { frame, children: [] }
    while (stack.length && stack[stack.length - 1]!.frame.depth >= frame.depth) stack.pop()
    const parent = stack[stack.length - 1]
    if (parent) parent.children.push(node)
    else roots.push(node)
    stack.push(node)
  }
  return roots
}

function frameHtml(f: ReportTraceFrame): Html {
  const p = frameParts(f)
  const kind = isLoudDelegatecall(f)
    ? h`<span class="tag tag-delegatecall">⚠ ${f.type}</span>`
    : h`<span class="kind">${p.kind}</span>`
  return h`${kind} <code>${p.call}</code>${p.value ? h` <span class="value">${p.value}</span>` : ''} <span class="gas">${p.gas}</span>${
    p.error !== undefined ? h` <span class="error">✘ ${p.error}</span>` : ''
  }`
}

function traceTree(frames: ReportTraceFrame[]): Html {
  const list = (nodes: Node[]): Html =>
    h`<ul>${nodes.map((n) => {
      const cls = [
        'frame',
        isLoudDelegatecall(n.frame) ? 'delegatecall' : '',
        n.frame.proxyForward ? 'proxy' : '',
        n.frame.error !== undefined ? 'reverted' : '',
      ]
        .filter(Boolean)
        .join(' ')
      return h`<li><div class="${cls}">${frameHtml(n.frame)}</div>${n.children.length ? list(n.children) : ''}</li>`
    })}</ul>`
  return h`<div class="tree">${list(nest(frames))}</div>`
}

// ── style ───────────────────────────────────────────────────────────────────────────────────────

const CSS = `
:root{--ok:#1a7f37;--warn:#9a6700;--bad:#cf222e;--info:#0969da;--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--soft:#f6f8fa;--dc:#bc4c00}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;color:var(--fg);background:#fff;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"DejaVu Sans",sans-serif}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"DejaVu Sans Mono","Liberation Mono",monospace;font-size:13px}
code{overflow-wrap:anywhere;word-break:break-word}
pre{white-space:pre-wrap;overflow-wrap:anywhere;background:var(--soft);padding:12px;border-radius:6px}
.banner{color:#fff;padding:20px 32px 18px}
.banner.tone-ok{background:var(--ok)}
.banner.tone-info{background:var(--info)}
.banner.tone-warn{background:var(--warn)}
.banner.tone-bad{background:var(--bad)}
body.verdict-danger .banner{background:#a40e26}
.banner h1{margin:0;font-size:30px;letter-spacing:.03em}
.banner .advice{margin:2px 0 8px;font-size:16px}
.banner .title{margin:0 0 10px;font-size:18px;font-weight:600}
.banner code{background:rgba(255,255,255,.18);padding:0 4px;border-radius:3px;font-size:13px}
dl.subject{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:0}
dl.subject div{display:contents}
dl.subject dt{opacity:.85}
dl.subject dd{margin:0;overflow-wrap:anywhere}
ul.headline{list-style:none;margin:0;padding:12px 32px;border-bottom:1px solid var(--line)}
ul.headline li{margin:6px 0;padding:8px 12px;border-left:6px solid var(--info);background:#ddf4ff;font-weight:600;overflow-wrap:anywhere}
ul.headline li.sev-danger{border-color:var(--bad);background:#ffebe9}
ul.headline li.sev-warning{border-color:var(--warn);background:#fff8c5}
.sev{white-space:nowrap;margin-right:4px}
li.sev-danger .sev,tr.sev-danger .sev{color:var(--bad)}
li.sev-warning .sev,tr.sev-warning .sev{color:var(--warn)}
main{max-width:1240px;margin:0 auto;padding:4px 32px 24px}
h2{font-size:20px;margin:28px 0 8px;padding-bottom:4px;border-bottom:1px solid var(--line)}
h3{font-size:16px;margin:16px 0 6px}
table{border-collapse:collapse;width:100%;margin:4px 0 8px}
th,td{border:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
th{background:var(--soft);font-weight:600}
td.num{text-align:right;white-space:nowrap}
table.kv th{width:1%;white-space:nowrap}
.pos{color:var(--ok);font-weight:600}
.neg{color:var(--bad);font-weight:600}
tr.critical td{background:#ffebe9}
tr.critical.sev-warning td{background:#fff8c5}
tr.call-failed td{background:#ffebe9}
tr.call-not-run td{color:var(--muted)}
.reason code{color:var(--bad);font-weight:600}
.muted,.empty{color:var(--muted)}
.tag{display:inline-block;padding:0 6px;border-radius:3px;font-size:12px;font-weight:700;white-space:nowrap}
.tag-delegatecall{background:var(--dc);color:#fff}
.tag-critical{background:var(--bad);color:#fff}
.tag-raw{background:#fff8c5;color:#7d4e00;border:1px solid #d4a72c}
code.unknown{color:#7d4e00}
.delegatecalls{border:2px solid var(--dc);background:#fff1e5;border-radius:6px;padding:4px 12px;margin:4px 0 8px}
.delegatecalls p{margin:4px 0}
details{margin:6px 0}
details>summary{cursor:pointer;font-weight:600}
.tree ul{list-style:none;margin:0;padding-left:18px}
.tree>ul{padding-left:0}
.tree li{border-left:1px solid var(--line);padding-left:8px;margin:2px 0}
.frame{padding:1px 4px;border-radius:4px}
.frame .kind{font-weight:600;font-size:12px;color:var(--muted)}
.frame .gas,.frame .value{color:var(--muted);font-size:12px;white-space:nowrap}
.frame.delegatecall{outline:2px solid var(--dc);background:#fff1e5}
.frame.proxy{opacity:.65}
.frame .error,.error{color:var(--bad);font-weight:600}
ul.checks{list-style:none;padding-left:0}
ul.checks>li{margin:3px 0}
ul.checks ul{margin:2px 0 4px;padding-left:28px}
.check-danger>.mark{color:var(--bad)}
.check-warning>.mark{color:var(--warn)}
.check-pass>.mark,.check-info>.mark{color:var(--ok)}
.check-skipped{color:var(--muted)}
p.summary.check-danger{color:var(--bad)}
p.summary.check-warning{color:var(--warn)}
footer{color:var(--muted);font-size:12px;padding:8px 32px 32px;max-width:1240px;margin:0 auto}
@page{margin:14mm}
@media print{
  body{font-size:11pt}
  .banner,ul.headline li,.tag,tr.critical td,tr.call-failed td,.frame.delegatecall,.delegatecalls{-webkit-print-color-adjust:exact;print-color-adjust:exact}
  main,footer{max-width:none;padding-left:0;padding-right:0}
  details::details-content{content-visibility:visible;display:block}
  details>summary{list-style:none}
  tr,li{break-inside:avoid}
  h2,h3{break-after:avoid}
}
`
