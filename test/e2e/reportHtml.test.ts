import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { renderReportHtml } from '../../src/render/report/html.js'
import { type SimulationReport, simulationReportSchema } from '../../src/report/schema.js'
import {
  distinctColours,
  dominantColour,
  isAmber,
  isGreenish,
  isReddish,
  type RenderedPage,
  renderInChromium,
} from '../support/chromium.js'

const load = (name: string): SimulationReport =>
  simulationReportSchema.parse(
    JSON.parse(readFileSync(new URL(`../fixtures/reports/${name}.json`, import.meta.url), 'utf8')),
  )

const WIDTH = 1280
const HEIGHT = 2000
const GUARD = '0x5FbDB2315678afecb367f032d93F642f64180aa3'

/** The banner's background: the most common colour of its top strip, above the verdict's text. */
const bannerColour = (page: RenderedPage) => dominantColour(page.screenshot, 0, 0, WIDTH, 12)

/** The serialized DOM of one element (by id or class), up to its closing tag. */
function element(dom: string, open: RegExp, close: string): string {
  const m = open.exec(dom)
  if (!m) throw new Error(`no ${open} in the DOM`)
  return dom.slice(m.index, dom.indexOf(close, m.index))
}

/** A screenshot that is a real render: the right size, and more than a blank page's few colours. */
function expectRealScreenshot(page: RenderedPage) {
  expect([page.screenshot.width, page.screenshot.height]).toEqual([WIDTH, HEIGHT])
  expect(distinctColours(page.screenshot, 0, 0, WIDTH, 600)).toBeGreaterThan(50)
}

// Rendering in a real browser is the point: without Chromium every test fails, saying how to install it.
// Three browser runs per page, each allowed 30 s: a loaded machine must not fail on the test's own clock.
describe('the HTML report in headless Chromium', { timeout: 120_000 }, () => {
  it('a failed batch: a red banner, and the failing call is what one reads first', async () => {
    const page = await renderInChromium(renderReportHtml(load('safe-batch-failed')), {
      width: WIDTH,
      height: HEIGHT,
    })
    expectRealScreenshot(page)
    expect(isReddish(bannerColour(page)), JSON.stringify(bannerColour(page))).toBe(true)

    const headline = element(page.dom, /<ul class="headline"/, '</ul>')
    expect(headline).toContain(
      'call 2 (action 2): treasury.allocate(token: aUSD, to: play-dao-treasury, amount: 60,000 aUSD',
    )
    expect(headline).toContain(
      'BudgetExceeded(token: aUSD, epoch: 0, requested: 60,000 aUSD, remaining: 50,000 aUSD)',
    )

    // visible, not only present: before the first section, and on screen at all
    const text = page.visibleText
    expect(text.startsWith('✘ SIMULATION FAILED')).toBe(true)
    expect(text.indexOf('BudgetExceeded(')).toBeGreaterThan(0)
    expect(text.indexOf('BudgetExceeded(')).toBeLessThan(text.indexOf('\nCalls\n'))
    expect(text).toContain('FAILS HERE')
  })

  it('a guard change: a red DANGER banner with the guard in the headline', async () => {
    const page = await renderInChromium(renderReportHtml(load('safe-batch-guard')), {
      width: WIDTH,
      height: HEIGHT,
    })
    expectRealScreenshot(page)
    expect(isReddish(bannerColour(page)), JSON.stringify(bannerColour(page))).toBe(true)

    const headline = element(page.dom, /<ul class="headline"/, '</ul>')
    expect(headline).toContain(`council: guard 0x0000000000000000000000000000000000000000 → ${GUARD}`)
    const text = page.visibleText
    expect(text.startsWith('✘ DANGER')).toBe(true)
    expect(text.indexOf(`guard 0x0000000000000000000000000000000000000000 → ${GUARD}`)).toBeLessThan(
      text.indexOf('\nCalls\n'),
    )
    expect(text).toContain('CRITICAL')
    // the real delegatecall is listed outside the folded trace, so it is seen without a click
    expect(text).toContain("1 DELEGATECALL: foreign code running with the caller's storage and funds")
  })

  it('a passing batch: a green banner', async () => {
    const page = await renderInChromium(renderReportHtml(load('safe-batch-pass')), {
      width: WIDTH,
      height: HEIGHT,
    })
    expectRealScreenshot(page)
    expect(isGreenish(bannerColour(page)), JSON.stringify(bannerColour(page))).toBe(true)
    expect(page.visibleText.startsWith('✔ SIMULATION PASSED')).toBe(true)
  })

  it('a governor proposal with a warning: an amber banner and its lifecycle', async () => {
    const page = await renderInChromium(renderReportHtml(load('governor-voting-period')), {
      width: WIDTH,
      height: HEIGHT,
    })
    expectRealScreenshot(page)
    expect(isAmber(bannerColour(page)), JSON.stringify(bannerColour(page))).toBe(true)
    expect(page.visibleText.startsWith('⚠ SIMULATION PASSED WITH WARNINGS')).toBe(true)
    expect(page.visibleText).toMatch(/propose\s+141\s+2025-03-14 09:20:12 UTC\s+Pending/)
    // a long proposal description is folded: present in the DOM, not on screen until opened
    expect(page.dom).toContain('Fifty blocks (about ten minutes)')
    expect(page.visibleText).not.toContain('Fifty blocks (about ten minutes)')
  })

  it('markup in report fields stays text: no element is created and no script runs', async () => {
    const report = load('safe-batch-failed')
    // Each payload would mark the page if it ran; the Content-Security-Policy would stop it too, so
    // the DOM is checked for the elements themselves, which the policy would not remove.
    report.subject.description = `March grants <img src=x onerror="document.body.setAttribute('data-pwned','img')">`
    report.execution.failure!.reason =
      `Denied("</script><script>document.body.setAttribute('data-pwned','script')</script>")`
    report.headline = [{ severity: 'danger', text: `call 2 reverted: ${report.execution.failure!.reason}` }]
    report.calls[1]!.text =
      `treasury.allocate(memo: "<svg onload=\\"document.body.setAttribute('data-pwned','svg')\\">")`
    report.notes = [
      "<iframe srcdoc=\"<script>parent.document.body.setAttribute('data-pwned','iframe')</script>\"></iframe>",
    ]

    const page = await renderInChromium(renderReportHtml(report), { width: WIDTH, height: HEIGHT })
    expect(page.dom).not.toContain('data-pwned=')
    expect(page.dom).not.toMatch(/<(img|svg|iframe)\b/i)
    expect(page.dom.match(/<script\b[^>]*>/gi)).toEqual([
      '<script type="application/json" id="alliance-report">',
    ])

    // the payloads are shown to the reader as the text they are
    expect(page.visibleText).toContain(`<img src=x onerror="document.body.setAttribute('data-pwned','img')">`)
    expect(page.visibleText).toContain(
      `Denied("</script><script>document.body.setAttribute('data-pwned','script')</script>")`,
    )

    // and the embedded JSON, read from the browser's DOM, is still the report
    const json = element(page.dom, /<script type="application\/json" id="alliance-report">/, '</script>')
    expect(JSON.parse(json.slice(json.indexOf('>') + 1))).toEqual(report)
  })
})
