import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { renderReportTerminal } from '../../../../src/render/report/terminal.js'
import { createTheme } from '../../../../src/render/theme.js'
import { type SimulationReport, simulationReportSchema } from '../../../../src/report/schema.js'

const load = (name: string): SimulationReport =>
  simulationReportSchema.parse(
    JSON.parse(readFileSync(new URL(`../../../fixtures/reports/${name}.json`, import.meta.url), 'utf8')),
  )
const FIXTURES = [
  'safe-batch-pass',
  'safe-batch-failed',
  'safe-batch-guard',
  'governor-voting-period',
] as const

const plain = createTheme({ color: false })
const colour = createTheme({ color: true })
// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escapes are what is looked for.
const ANSI = /\u001b\[/
// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escapes are what is stripped.
const strip = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '')
const lines = (r: SimulationReport) => renderReportTerminal(r, plain).split('\n')
const lineOf = (all: string[], pattern: RegExp) => all.findIndex((l) => pattern.test(l))

describe('renderReportTerminal', () => {
  it.each(FIXTURES)('%s: without colour there is no escape code, and colour only adds escapes', (name) => {
    const report = load(name)
    const text = renderReportTerminal(report, plain)
    expect(text).not.toMatch(ANSI)
    const coloured = renderReportTerminal(report, colour)
    expect(coloured).toMatch(ANSI)
    expect(strip(coloured)).toBe(text)
  })

  it.each(FIXTURES)(
    '%s: verdict, subject, gas and mode come first, then the headline, then the calls',
    (name) => {
      const report = load(name)
      const all = lines(report)
      expect(all[0]).toMatch(
        /^(✔ SIMULATION PASSED|✘ SIMULATION FAILED|⚠ SIMULATION PASSED WITH WARNINGS|✘ DANGER)/,
      )
      expect(all[1]).toMatch(
        report.subject.kind === 'safe'
          ? /^Safe council 0x\w{40} · nonce \d+ · safeTxHash 0x\w{64}$/
          : /^Governor governor 0x\w{40} · proposalId \d+$/,
      )
      expect(all[2]).toMatch(
        /^[\d,]+ gas \([\d.]+% of the 30,000,000 block gas limit\) · (trace-call|fork) at block \d+/,
      )
      const calls = lineOf(all, /^Calls/)
      report.headline.forEach((h, i) => {
        expect(all[3 + i]).toContain(h.text)
        expect(3 + i).toBeLessThan(calls)
      })
    },
  )

  it('names the failing call and its revert reason in the first five lines', () => {
    const top = lines(load('safe-batch-failed')).slice(0, 5).join('\n')
    expect(top).toContain('✘ SIMULATION FAILED')
    expect(top).toContain('call 2 (action 2): treasury.allocate(token: aUSD')
    expect(top).toContain(
      'BudgetExceeded(token: aUSD, epoch: 0, requested: 60,000 aUSD, remaining: 50,000 aUSD)',
    )
  })

  it('marks the failing call, and says what happened to the others', () => {
    const all = lines(load('safe-batch-failed'))
    const calls = all.slice(lineOf(all, /^Calls/))
    expect(calls[1]).toMatch(/^ {2}1\. treasury\.allocate\(token: ALLY.*\(ran, then undone by the revert\)$/)
    expect(calls[2]).toMatch(/^ {2}2\. ✘ treasury\.allocate\(token: aUSD/)
    expect(calls[3]).toMatch(/FAILS HERE: BudgetExceeded\(/)
    expect(calls[4]).toMatch(/^ {2}3\. aUSD\.transfer.*not run/)
  })

  it('puts a critical change in the first five lines', () => {
    const top = lines(load('safe-batch-guard')).slice(0, 5).join('\n')
    expect(top).toContain('✘ DANGER')
    expect(top).toMatch(/✘ council: guard 0x0{40} → 0x5FbDB2315678afecb367f032d93F642f64180aa3/)
  })

  it('walks the sections in order and highlights critical storage', () => {
    const all = lines(load('safe-batch-guard'))
    const order = [
      'Critical changes',
      'Calls',
      'Balance changes',
      'State changes',
      'Events',
      'Call trace',
      'Checks',
      'Notes',
    ]
    const at = order.map((h) => lineOf(all, new RegExp(`^${h}`)))
    expect(at.every((i) => i > 0)).toBe(true)
    expect(at).toEqual([...at].sort((a, b) => a - b))
    expect(all.find((l) => l.includes('✘ guard'))).toMatch(
      /0x0{40} → 0x5FbDB2315678afecb367f032d93F642f64180aa3 {2}CRITICAL$/,
    )
  })

  it('shows signed balance changes in green and red', () => {
    const report = load('safe-batch-pass')
    const coloured = renderReportTerminal(report, colour)
    expect(coloured).toContain(colour.green('+12,500 ALLY'))
    expect(coloured).toContain(colour.red('-12,500 ALLY'))
  })

  it('shows an unresolved slot shortened, as raw', () => {
    const line = lines(load('safe-batch-pass')).find((l) => l.includes('raw slot'))
    expect(line).toMatch(
      /slot 0x[0-9a-f]{8}…[0-9a-f]{8} +0x[0-9a-f]{8}…[0-9a-f]{8} → 0x[0-9a-f]{8}…[0-9a-f]{8} {2}\(raw slot, not resolved\)$/,
    )
  })

  it('draws the trace as a tree, with the one real DELEGATECALL marked and the proxy hop quiet', () => {
    const all = lines(load('safe-batch-pass'))
    const trace = all.slice(lineOf(all, /^Call trace/))
    expect(trace[0]).toBe('Call trace (8 frames · 1 DELEGATECALL)')
    expect(trace[1]).toMatch(/^ {2}CALL alice → council\.execTransaction\(/)
    expect(trace[2]).toMatch(/^ {2}└─ DELEGATECALL \(proxy\) council → its implementation 0x41675C/)
    expect(trace[3]).toMatch(/^ {5}└─ ⚠ DELEGATECALL council → MultiSendCallOnly\.multiSend\(/)
    expect(trace[4]).toMatch(/^ {8}├─ CALL council → treasury\.allocate\(/)
    expect(trace[5]).toMatch(/^ {8}│ {2}└─ CALL treasury → ALLY\.transfer\(/)
    expect(all.filter((l) => l.includes('⚠ DELEGATECALL'))).toHaveLength(1)
  })

  it('caps a long trace but keeps the delegatecalls and reverts past the cap', () => {
    const report = load('safe-batch-pass')
    const frame = report.trace![4]!
    const trace = Array.from({ length: 100 }, (_, i) => ({ ...frame, depth: 1, text: `frame ${i + 1}` }))
    trace[0] = { ...trace[0]!, depth: 0 }
    trace[89] = { ...trace[89]!, type: 'DELEGATECALL', delegatecall: true, text: 'sneaky delegatecall' }
    trace[94] = { ...trace[94]!, error: 'Boom()' }
    const all = lines({ ...report, trace })
    expect(all.some((l) => l.includes('frame 60'))).toBe(true)
    expect(all.some((l) => l.includes('frame 61'))).toBe(false)
    expect(all).toContain('  … 40 more frames (all are in the JSON report)')
    expect(all.find((l) => l.includes('sneaky delegatecall'))).toMatch(/⚠ DELEGATECALL/)
    expect(all.find((l) => l.includes('frame 95'))).toMatch(/✘ Boom\(\)/)
  })

  it('never caps the headline or the calls', () => {
    const report = load('safe-batch-pass')
    const headline = Array.from({ length: 40 }, (_, i) => ({
      severity: 'warning' as const,
      text: `warning ${i + 1}`,
    }))
    const calls = Array.from({ length: 80 }, (_, i) => ({
      ...report.calls[0]!,
      index: i + 1,
      text: `call number ${i + 1}`,
    }))
    const all = lines({ ...report, headline, calls })
    expect(all.slice(3, 43)).toEqual(headline.map((h) => `  ⚠ ${h.text}`))
    for (let i = 1; i <= 80; i++) expect(all.some((l) => l.includes(`call number ${i}`))).toBe(true)
  })

  it('shows a Governor proposal with its lifecycle and votes', () => {
    const all = lines(load('governor-voting-period'))
    expect(all[0]).toMatch(/^⚠ SIMULATION PASSED WITH WARNINGS/)
    expect(all[3]).toBe('  ⚠ governor: _votingPeriod 50 → 100')
    const at = lineOf(all, /^Proposal lifecycle/)
    expect(at).toBeGreaterThan(lineOf(all, /^Events/))
    expect(at).toBeLessThan(lineOf(all, /^Call trace/))
    expect(
      all.slice(at + 3, at + 7).map((l) =>
        l
          .trim()
          .split(/\s{2,}/)
          .slice(0, 2),
      ),
    ).toEqual([
      ['propose', '141'],
      ['vote', '143'],
      ['queue', '193'],
      ['execute', '194'],
    ])
    expect(all.find((l) => l.startsWith('  votes:'))).toContain('2.5× quorum')
    expect(all.find((l) => l.includes('applies to Safe transactions only'))).toMatch(/^ {2}– /)
  })

  it('says what a mode without storage or trace could not see', () => {
    const { stateDiff: _s, trace: _t, ...report } = load('safe-batch-pass')
    const text = renderReportTerminal(
      { ...report, environment: { ...report.environment, mode: 'simulate-v1' } },
      plain,
    )
    expect(text).toContain('Not available: this simulation mode (eth_simulateV1) cannot see storage.')
    expect(text).toContain('Not available: this simulation mode (eth_simulateV1) gives no call trace.')
  })

  it('lets no escape sequence, bidi override or line break from report text reach the terminal', () => {
    const report = load('safe-batch-failed')
    const reason = 'Err()\u001b[2J\u001b]8;;https://evil.example\u0007\n✔ SIMULATION PASSED'
    report.execution.failure!.reason = reason
    report.headline = [{ severity: 'danger', text: `call 2 reverted: ${reason}` }]
    report.calls[0]!.text = 'treasury.allocate(memo: "\u202egnp.exe")'
    const text = renderReportTerminal(report, plain)
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what must not appear.
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/)
    expect(text.split('\n').filter((l) => l.startsWith('✔'))).toEqual([])
    expect(text).toContain('Err()\\u001b[2J\\u001b]8;;https://evil.example\\u0007↵✔ SIMULATION PASSED')
    expect(text).toContain('memo: "\\u202egnp.exe"')
    expect(strip(renderReportTerminal(report, colour))).toBe(text)
  })
})
