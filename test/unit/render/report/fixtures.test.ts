import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { simulationReportSchema } from '../../../../src/report/schema.js'

const DIR = new URL('../../../fixtures/reports/', import.meta.url)
const files = readdirSync(DIR).filter((f) => f.endsWith('.json'))

describe('report fixtures', () => {
  it('has the four kinds the renderers are tested with', () => {
    expect(files.sort()).toEqual([
      'governor-voting-period.json',
      'safe-batch-failed.json',
      'safe-batch-guard.json',
      'safe-batch-pass.json',
    ])
  })

  it.each(files)('%s is a valid simulation report', (file) => {
    const json = JSON.parse(readFileSync(new URL(file, DIR), 'utf8'))
    const parsed = simulationReportSchema.safeParse(json)
    expect(parsed.success ? [] : parsed.error.issues).toEqual([])
  })

  it('cover what the renderers must show', () => {
    const load = (f: string) =>
      simulationReportSchema.parse(JSON.parse(readFileSync(new URL(f, DIR), 'utf8')))
    const pass = load('safe-batch-pass.json')
    expect(pass.verdict).toBe('pass')
    expect(pass.balanceChanges.length).toBeGreaterThan(0)
    expect(pass.stateDiff?.flatMap((d) => d.changes).some((c) => c.variable === undefined)).toBe(true)
    expect(pass.stateDiff?.flatMap((d) => d.changes).some((c) => c.variable !== undefined)).toBe(true)
    expect(pass.trace?.filter((f) => f.delegatecall && !f.proxyForward).map((f) => f.to.label)).toEqual([
      'MultiSendCallOnly',
    ])
    expect(pass.trace?.filter((f) => f.type === 'CALL').length).toBeGreaterThan(2)

    const failed = load('safe-batch-failed.json')
    expect(failed.verdict).toBe('failed')
    expect(failed.execution.failure).toMatchObject({
      call: 2,
      reason: expect.stringMatching(/^BudgetExceeded\(/),
    })
    expect(failed.headline[0]?.text).toContain('BudgetExceeded(')

    const guard = load('safe-batch-guard.json')
    expect(guard.verdict).toBe('danger')
    expect(guard.criticalChanges).toEqual([expect.objectContaining({ what: 'guard', severity: 'danger' })])
    expect(
      guard.stateDiff
        ?.flatMap((d) => d.changes)
        .filter((c) => c.critical)
        .map((c) => c.variable),
    ).toEqual(['guard'])

    const governor = load('governor-voting-period.json')
    expect(governor.subject.kind).toBe('governor')
    expect(governor.lifecycle?.steps.map((s) => s.step)).toEqual(['propose', 'vote', 'queue', 'execute'])
    expect(governor.calls[0]).toMatchObject({ function: 'setVotingPeriod', target: { label: 'governor' } })
  })
})
