import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { code, fence, renderReportMarkdown, text } from '../../../../src/render/report/markdown.js'
import { type SimulationReport, simulationReportSchema } from '../../../../src/report/schema.js'

const load = (name: string): SimulationReport =>
  simulationReportSchema.parse(
    JSON.parse(readFileSync(new URL(`../../../fixtures/reports/${name}.json`, import.meta.url), 'utf8')),
  )

/** A GFM row's cells: split on pipes that are not escaped, without the outer ones. */
const cells = (row: string) =>
  row
    .trim()
    .slice(1, -1)
    .split(/(?<!\\)\|/)
/** Every table in the document, as its rows. */
const tables = (md: string) =>
  md
    .split(/\n(?!\|)/)
    .map((block) => block.split('\n').filter((l) => l.startsWith('|')))
    .filter((rows) => rows.length > 1)

describe('renderReportMarkdown', () => {
  it('opens with the verdict and the headline, before any section', () => {
    const md = renderReportMarkdown(load('safe-batch-failed'))
    const lines = md.split('\n')
    expect(lines[0]).toBe(
      '# ✘ SIMULATION FAILED — March grants: two treasury allocations and a contributor payment',
    )
    expect(lines[2]).toBe('> **✘ SIMULATION FAILED** · It would not go through as it stands.')
    expect(lines[4]).toMatch(
      /^> - ✘ \*\*DANGER\*\* call 2 \(action 2\): treasury\.allocate\(token: aUSD.*BudgetExceeded\(/,
    )
    expect(md.indexOf('BudgetExceeded')).toBeLessThan(md.indexOf('\n## '))
  })

  it.each([
    [
      'safe-batch-pass',
      ['Calls', 'Balance changes', 'State changes', 'Events', 'Call trace', 'Checks', 'Notes'],
    ],
    [
      'safe-batch-guard',
      [
        'Critical changes',
        'Calls',
        'Balance changes',
        'State changes',
        'Events',
        'Call trace',
        'Checks',
        'Notes',
      ],
    ],
    [
      'governor-voting-period',
      [
        'Critical changes',
        'Calls',
        'Balance changes',
        'State changes',
        'Events',
        'Proposal lifecycle',
        'Call trace',
        'Checks',
        'Notes',
      ],
    ],
  ] as const)('%s has its sections in order', (name, sections) => {
    const md = renderReportMarkdown(load(name))
    expect(
      md
        .split('\n')
        .filter((l) => l.startsWith('## '))
        .map((l) => l.slice(3)),
    ).toEqual(sections)
  })

  it('puts the trace and the raw events in collapsible blocks, delegatecalls outside them', () => {
    const md = renderReportMarkdown(load('safe-batch-pass'))
    expect(md).toContain('<details><summary>8 frames · 1 DELEGATECALL</summary>')
    expect(md).toContain('<details><summary>Raw events</summary>')
    const trace = md.slice(md.indexOf('## Call trace'))
    expect(trace.indexOf('**1 DELEGATECALL**')).toBeLessThan(trace.indexOf('<details>'))
    expect(trace).toMatch(/└─ ⚠ DELEGATECALL ⚠ council → MultiSendCallOnly\.multiSend/)
  })

  it('writes addresses and hashes in code spans, balances signed', () => {
    const md = renderReportMarkdown(load('safe-batch-pass'))
    expect(md).toContain(
      '| safeTxHash | `0x6768debbbb9aeaa3313296ae01cc1a0cc5f73999cced73ed00d81a56e936c8bd` |',
    )
    expect(md).toContain(
      '| grants-multisig `0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc` | ALLY `0x700b6A60ce7EaaEA56F065753d8dcB9653dbAD35` | 🟢 `+12,500 ALLY` |',
    )
    expect(md).toContain(
      '| treasury `0xe1DA8919f262Ee86f9BE05059C9280142CF23f48` | ALLY `0x700b6A60ce7EaaEA56F065753d8dcB9653dbAD35` | 🔴 `-12,500 ALLY` |',
    )
  })

  it('marks critical storage and the failing call in their tables', () => {
    expect(renderReportMarkdown(load('safe-batch-guard'))).toMatch(
      /\| ⚠ \*\*CRITICAL\*\* \| \*\*`guard`\*\* \| `0x0{40}` \| `0x5FbDB2315678afecb367f032d93F642f64180aa3` \|/,
    )
    expect(renderReportMarkdown(load('safe-batch-failed'))).toMatch(
      /\| 2 \| `treasury\.allocate\(.*\| ✘ \*\*FAILS HERE\*\* \|/,
    )
  })

  describe('escaping', () => {
    const hostile = (): SimulationReport => {
      const r = load('safe-batch-failed')
      r.subject.description =
        'pay `x` | <img src=x onerror=alert(1)> ![t](https://evil.example/t.png) **bold**'
      r.calls[0]!.text = 'treasury.note(memo: "a | b ` c `` d")'
      r.execution.failure!.reason = 'Err("|</script>")'
      r.headline = [{ severity: 'danger', text: '[click](https://evil.example) <b>x</b> | `y`' }]
      r.notes = ['line one\nline two | pipe']
      return r
    }

    it('keeps every table row at its column count, whatever the cells hold', () => {
      const md = renderReportMarkdown(hostile())
      expect(tables(md).length).toBe(3) // subject, calls, environment
      for (const rows of tables(md)) {
        const width = cells(rows[0]!).length
        for (const row of rows) expect(cells(row), row).toHaveLength(width)
      }
    })

    it('neutralises links, images, HTML and emphasis in text', () => {
      const md = renderReportMarkdown(hostile())
      expect(md).toContain('\\[click\\](https://evil.example) \\<b\\>x\\</b\\>')
      expect(md).toContain('\\<img src=x onerror=alert(1)\\>')
      expect(md).toContain('\\!\\[t\\]')
      expect(md).not.toMatch(/(?<!\\)<img/)
      expect(md).not.toMatch(/(?<!\\)<b>/)
    })

    it('fences code spans with more backticks than they contain', () => {
      const md = renderReportMarkdown(hostile())
      expect(md).toContain('| 1 | ``` treasury.note(memo: "a \\| b ` c `` d") ``` (action 1) |')
      expect(code('plain')).toBe('`plain`')
      expect(code('a ` b')).toBe('`` a ` b ``')
      expect(code('line\nbreak')).toBe('`line break`')
    })

    it('keeps a description that contains a fence inside its own block', () => {
      const r = load('governor-voting-period')
      r.subject.description = '# Title\n\n```\n</details>\n## ✔ SIMULATION PASSED\n```\n'
      const md = renderReportMarkdown(r)
      expect(md).toContain('<details><summary>Description</summary>\n\n````text\n# Title')
      expect(md).toContain('```\n\n````\n\n</details>')
      expect(md.split('\n').filter((l) => l.startsWith('## ✔'))).toEqual(['## ✔ SIMULATION PASSED'])
      expect(fence('a ```` b')).toBe('`````text\na ```` b\n`````')
    })

    it('escapes what Markdown would read as markup', () => {
      expect(text('a*b_c`d[e]f<g>h!i&j~k$l\\m')).toBe('a\\*b\\_c\\`d\\[e\\]f\\<g\\>h\\!i\\&j\\~k\\$l\\\\m')
      expect(text('one\ntwo')).toBe('one two')
    })
  })
})
