import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { embeddedJson, escapeHtml, renderReportHtml } from '../../../../src/render/report/html.js'
import { type SimulationReport, simulationReportSchema } from '../../../../src/report/schema.js'

const load = (name: string): SimulationReport =>
  simulationReportSchema.parse(
    JSON.parse(readFileSync(new URL(`../../../fixtures/reports/${name}.json`, import.meta.url), 'utf8')),
  )

const JSON_OPEN = '<script type="application/json" id="alliance-report">'
/** The embedded report as a browser reads it: the data block's text up to the first `</script`. */
const embedded = (html: string) => {
  const start = html.indexOf(JSON_OPEN) + JSON_OPEN.length
  return JSON.parse(html.slice(start, html.indexOf('</script', start)))
}

const XSS_IMG = '<img src=x onerror=alert(1)>'
const XSS_SCRIPT = '</script><script>alert(document.domain)</script>'

/** A report whose every free-text field carries markup, as untrusted chain data and user files may. */
function hostile(): SimulationReport {
  const r = load('safe-batch-failed')
  r.subject.description = `Grants ${XSS_IMG}\nsecond line ${XSS_SCRIPT}`
  r.execution.failure!.reason = `Unauthorized("${XSS_SCRIPT}")`
  r.headline = [{ severity: 'danger', text: `call 2 reverted: Unauthorized("${XSS_SCRIPT}") ${XSS_IMG}` }]
  r.calls[1]!.text = `treasury.allocate(memo: "${XSS_IMG}")`
  r.trace![0]!.error = XSS_SCRIPT
  r.trace![1]!.to = { ...r.trace![1]!.to, label: '"><svg onload=alert(1)>' }
  r.events = [{ ...load('safe-batch-pass').events[0]!, text: `Transfer(memo=${XSS_IMG})` }]
  r.checks.results[0]!.name = `<b onmouseover=alert(1)>check</b>`
  r.notes = [`note ${XSS_IMG} & 'quotes'`]
  r.generatedBy = 'alliance "><script>alert(1)</script>'
  return r
}

describe('escapeHtml', () => {
  it('escapes the five characters that can leave text or an attribute', () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;',
    )
  })
})

describe('renderReportHtml', () => {
  it('is one self-contained document: inline style, no script to run, nothing fetched', () => {
    const html = renderReportHtml(load('safe-batch-pass'))
    expect(html.startsWith('<!doctype html>\n<html lang="en">')).toBe(true)
    expect(html).toContain('<meta name="alliance-report-version" content="1">')
    expect(html).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    )
    expect(html.match(/<script\b[^>]*>/g)).toEqual([JSON_OPEN])
    expect(html).not.toMatch(/\s(src|href|srcset|action)=/i)
    expect(html).not.toMatch(/<link\b|@import|url\(|@font-face/i)
    expect(html).not.toMatch(/\son[a-z]+=/i)
  })

  it('embeds the report as JSON that parses back to the same report', () => {
    for (const name of [
      'safe-batch-pass',
      'safe-batch-failed',
      'safe-batch-guard',
      'governor-voting-period',
    ]) {
      const report = load(name)
      expect(embedded(renderReportHtml(report))).toEqual(report)
    }
  })

  it('keeps the order: banner, headline, then the sections', () => {
    const html = renderReportHtml(load('safe-batch-guard'))
    const ids = [
      'id="verdict"',
      'id="headline"',
      'id="critical"',
      'id="calls"',
      'id="balances"',
      'id="state"',
      'id="events"',
      'id="trace"',
      'id="checks"',
      'id="notes"',
      'id="environment"',
    ]
    const at = ids.map((id) => html.indexOf(id))
    expect(at.every((i) => i > 0)).toBe(true)
    expect(at).toEqual([...at].sort((a, b) => a - b))
  })

  it.each([
    ['safe-batch-pass', 'ok', '✔ SIMULATION PASSED'],
    ['safe-batch-failed', 'bad', '✘ SIMULATION FAILED'],
    ['safe-batch-guard', 'bad', '✘ DANGER'],
    ['governor-voting-period', 'warn', '⚠ SIMULATION PASSED WITH WARNINGS'],
  ] as const)('%s: the banner is coloured by the verdict', (name, tone, title) => {
    const html = renderReportHtml(load(name))
    expect(html).toContain(`<div class="banner tone-${tone}" id="verdict">\n<h1>${title}</h1>`)
  })

  it('puts the failing call in the headline and marks its row', () => {
    const html = renderReportHtml(load('safe-batch-failed'))
    const headline = html.slice(
      html.indexOf('<ul class="headline"'),
      html.indexOf('</ul>', html.indexOf('<ul class="headline"')),
    )
    expect(headline).toContain('call 2 (action 2): treasury.allocate(token: aUSD')
    expect(headline).toContain(
      'BudgetExceeded(token: aUSD, epoch: 0, requested: 60,000 aUSD, remaining: 50,000 aUSD)',
    )
    expect(html).toMatch(/<tr class="call-failed"><td class="num">2<\/td>/)
    expect(html).toMatch(/<tr class="call-not-run"><td class="num">3<\/td>/)
  })

  it('draws the trace as nested lists, the real delegatecall highlighted and the proxy hop quiet', () => {
    const html = renderReportHtml(load('safe-batch-pass'))
    const tree = html.slice(
      html.indexOf('<div class="tree">'),
      html.indexOf('</details>', html.indexOf('<div class="tree">')),
    )
    expect(tree.match(/<div class="frame[^"]*">/g)).toHaveLength(8)
    expect(tree.match(/class="frame delegatecall"/g)).toHaveLength(1)
    expect(tree.match(/class="frame proxy"/g)).toHaveLength(1)
    // nested five lists deep: execTransaction > proxy > multiSend > allocate > transfer
    const before = tree.slice(0, tree.indexOf('ALLY.transfer'))
    expect(before.split('<ul>').length - before.split('</ul>').length).toBe(5)
    expect(html).toContain('<details class="trace" open><summary>8 frames · 1 DELEGATECALL</summary>')
  })

  it('highlights critical storage', () => {
    const html = renderReportHtml(load('safe-batch-guard'))
    expect(html).toMatch(
      /<tr class="critical"><td><code title="0x4a204f62[0-9a-f]{56}">guard<\/code> <span class="tag tag-critical">CRITICAL<\/span>/,
    )
  })

  describe('untrusted text', () => {
    const html = renderReportHtml(hostile())

    it('renders markup from the report inert', () => {
      expect(html).not.toContain(XSS_IMG)
      expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;')
      expect(html).not.toMatch(/<(img|svg|b)\b/i)
      expect(html).not.toMatch(/<[^>]*\son[a-z]+=/i)
      expect(html).toContain('&quot;&gt;&lt;svg onload=alert(1)&gt;')
      expect(html).toContain(
        '<meta name="generator" content="alliance &quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">',
      )
    })

    it('leaves exactly one script element, the JSON one, closed where it should be', () => {
      expect(html.match(/<script\b[^>]*>/gi)).toEqual([JSON_OPEN])
      expect(html.match(/<\/script/gi)).toHaveLength(1)
      expect(html.trimEnd().endsWith('</script>\n</body>\n</html>')).toBe(true)
    })

    it('shows control and bidi characters by their code, and embeds them as they are', () => {
      const report = load('safe-batch-pass')
      report.calls[0]!.text = 'treasury.allocate(memo: "\u202egnp.exe\u0000")'
      const page = renderReportHtml(report)
      expect(page).toContain('treasury.allocate(memo: &quot;\\u202egnp.exe\\u0000&quot;)')
      // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what must not appear.
      expect(page).not.toMatch(/[\u0000\u202e]/)
      expect(embedded(page).calls[0].text).toBe('treasury.allocate(memo: "\u202egnp.exe\u0000")')
    })

    it('embeds a revert reason containing </script> so that it round-trips', () => {
      const report = hostile()
      expect(embeddedJson(report)).not.toContain('<')
      expect(embedded(html)).toEqual(report)
      expect(embedded(html).execution.failure.reason).toBe(`Unauthorized("${XSS_SCRIPT}")`)
    })
  })
})
