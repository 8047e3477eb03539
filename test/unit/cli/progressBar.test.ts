import { describe, expect, it } from 'vitest'
import { ProgressLine, progressText } from '../../../src/cli/progressBar.js'

describe('progressText', () => {
  it('draws the bar, the percentage and the counts; the rate and time left once a second has passed', () => {
    expect(progressText({ label: 'executions', done: 0, total: 10_000 })).toBe(
      `executions ${'░'.repeat(20)} 0% 0/10,000`,
    )
    expect(progressText({ label: 'executions', done: 5_200, total: 10_000, seconds: 20, since: 0 })).toBe(
      `executions ${'█'.repeat(10)}${'░'.repeat(10)} 52% 5,200/10,000 · 260/s · about 19 s left`,
    )
    expect(
      progressText({ label: 'logs', done: 100, total: 100, seconds: 2, since: 0, note: '3 from the cache' }),
    ).toBe(`logs ${'█'.repeat(20)} 100% 100/100 · 50/s · 3 from the cache`)
    // Work already done before the count started (the cache) does not count towards the rate.
    expect(progressText({ label: 'x', done: 9_000, total: 18_000, seconds: 10, since: 8_000 })).toContain(
      '100/s · about 1 min 30 s left',
    )
  })

  it('stays inside the bar for counts past the total or an empty total', () => {
    expect(progressText({ label: 'x', done: 12, total: 10 })).toBe(`x ${'█'.repeat(20)} 100% 12/10`)
    expect(progressText({ label: 'x', done: 0, total: 0 })).toBe(`x ${'█'.repeat(20)} 100% 0/0`)
  })
})

describe('ProgressLine', () => {
  it('writes nothing when nobody is watching', () => {
    const out: string[] = []
    const line = new ProgressLine(
      false,
      () => 0,
      (t) => out.push(t),
    )
    line.count('executions', 1, 2)
    line.show('text')
    line.clear()
    expect(out).toEqual([])
  })

  it('rewrites one line at most ten times a second and clears it at the end', () => {
    let now = 1_000
    const out: string[] = []
    const line = new ProgressLine(
      true,
      () => now,
      (t) => out.push(t),
    )
    line.count('executions', 0, 100)
    now += 50
    line.count('executions', 10, 100)
    now += 1_950
    line.count('executions', 50, 100)
    line.clear()
    expect(out).toEqual([
      `\r\u001b[2Kexecutions ${'░'.repeat(20)} 0% 0/100`,
      `\r\u001b[2Kexecutions ${'█'.repeat(10)}${'░'.repeat(10)} 50% 50/100 · 25/s · about 2 s left`,
      '\r\u001b[2K',
    ])
  })
})
