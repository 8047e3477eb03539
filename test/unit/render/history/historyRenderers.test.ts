import { describe, expect, it } from 'vitest'
import { type SafeHistoryReport, safeHistoryReportSchema } from '../../../../src/history/report/schema.js'
import { renderHistoryHtml } from '../../../../src/render/history/html.js'
import { renderHistoryMarkdown } from '../../../../src/render/history/markdown.js'
import { renderHistoryTerminal } from '../../../../src/render/historyView.js'
import { createTheme } from '../../../../src/render/theme.js'

const A = '0x5aFE3855358E112B5647B952709E6165e1c1eEEe'
const HASH = `0x${'ab'.repeat(32)}`
// What a hostile contract or token can put in a decoded argument or a revert reason.
const HOSTILE = 'x</code><img src=x onerror=alert(1)>`| \u001b[2J\u202e [link](javascript:alert(1))'

const report: SafeHistoryReport = safeHistoryReportSchema.parse({
  reportVersion: 1,
  generatedBy: 'alliance test',
  generatedAt: '2025-01-01T00:00:00.000Z',
  kind: 'safe-history',
  subject: { safe: { address: A, label: 'council' }, chainId: '1', fromBlock: 0, toBlock: 10 },
  summary: {
    executions: 1,
    succeeded: 1,
    failed: 0,
    verified: 0,
    configChanges: 0,
    findings: { error: 1, warning: 0, info: 0 },
    byCode: { BAD_SIGNATURE: 1 },
  },
  executions: [
    {
      blockNumber: 5,
      transactionHash: HASH,
      logIndex: 0,
      nonce: '0',
      success: true,
      via: 'transaction',
      version: '1.4.1',
      safeTxHash: { logged: HASH, recomputed: HASH, chain: HASH },
      threshold: 1,
      owners: [{ address: A, label: 'council' }],
      signers: [
        { kind: 'eoa', signer: { address: A, label: A }, owner: true, valid: false, reason: HOSTILE },
      ],
      batch: 'single',
      actions: [
        { kind: 'raw', text: HOSTILE, target: { address: A, label: A }, operation: 'call', valueWei: '0' },
      ],
      findings: [{ code: 'BAD_SIGNATURE', level: 'error', message: HOSTILE }],
      verified: false,
    },
  ],
  configChanges: [],
})

describe('history renderers with untrusted strings', () => {
  it('HTML: every on-chain string is text, the page has a CSP and no script to run', () => {
    const html = renderHistoryHtml(report)
    expect(html).not.toContain('<img')
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;')
    expect(html).toContain('Content-Security-Policy" content="default-src \'none\'')
    expect(html.match(/<script/g)).toHaveLength(1)
    expect(html).toContain('<script type="application/json" id="alliance-history-report">')
    // The embedded JSON cannot close its own element.
    const json = html.slice(html.indexOf('id="alliance-history-report">') + 29, html.lastIndexOf('</script>'))
    expect(json).not.toContain('<')
    expect(JSON.parse(json)).toEqual(report)
  })

  it('Markdown: outside code spans no HTML or link survives; control characters are made visible', () => {
    const md = renderHistoryMarkdown(report)
    expect(md.startsWith('# ✘ SAFE HISTORY: 1 ERROR')).toBe(true)
    // Code spans are literal in GFM; what is left outside them must have every < and [ escaped.
    const outside = md.replace(/(`+) [^\n]*? \1|`[^`\n]*`/g, '')
    expect(outside).not.toMatch(/(^|[^\\])<(img|\/code)/m)
    expect(outside).not.toMatch(/(^|[^\\])\[link/m)
    expect(md).not.toContain('\u001b')
    expect(md).not.toContain('\u202e')
    expect(md).toContain('\\u001b')
  })

  it('terminal: control characters are shown, not sent to the terminal', () => {
    const text = renderHistoryTerminal(report, createTheme({ color: false }))
    expect(text).not.toContain('\u001b')
    expect(text).not.toContain('\u202e')
    expect(text).toContain('\\u001b[2J')
    expect(text.split('\n')[0]).toBe('✘ SAFE HISTORY: 1 ERROR')
  })
})
