import { describe, expect, it } from 'vitest'
import { ALL_CHECKS } from '../../../src/checks/index.js'
import { type CheckReport, failsPolicy, runChecks } from '../../../src/checks/runChecks.js'
import type { CheckFinding, RiskCheck, Severity } from '../../../src/checks/types.js'
import { GRANTS_MULTISIG } from '../../../src/devnet/accounts.js'
import type { Address } from '../../../src/safe/types.js'
import { plainCheckContext } from '../../support/checkContext.js'
import { devnetWorkspace } from '../../support/workspace.js'

const ws = devnetWorkspace()
const _ZERO = '0x0000000000000000000000000000000000000000' as Address
const ctx = (to: Address = GRANTS_MULTISIG) => plainCheckContext(ws, { call: { to, value: 1n } })

const returning = (id: string, ...findings: CheckFinding[]): RiskCheck => ({
  id,
  name: `check ${id}`,
  run: async () => findings,
})
const finding = (severity: Severity, call?: number): CheckFinding => ({
  severity,
  message: `a ${severity}`,
  ...(call ? { call } : {}),
})

describe('runChecks', () => {
  it('reports every check in order, tags findings with their check, and counts them', async () => {
    const report = await runChecks(ctx(), [
      returning('a', finding('info'), finding('warning', 2)),
      returning('b'),
      returning('c', finding('warning'), finding('info'), finding('info')),
    ])
    expect(report.results).toEqual([
      {
        id: 'a',
        name: 'check a',
        findings: [
          { check: 'a', severity: 'info', message: 'a info' },
          { check: 'a', severity: 'warning', message: 'a warning', call: 2 },
        ],
      },
      { id: 'b', name: 'check b', findings: [] },
      { id: 'c', name: 'check c', findings: expect.any(Array) },
    ])
    expect(report.counts).toEqual({ info: 3, warning: 2, danger: 0 })
    expect(report.verdict).toBe('warning')
  })

  it('the verdict is the worst severity found, or pass', async () => {
    const verdict = async (...severities: Severity[]) =>
      (await runChecks(ctx(), [returning('x', ...severities.map((s) => finding(s)))])).verdict
    expect(await verdict()).toBe('pass')
    expect(await verdict('info', 'info')).toBe('info')
    expect(await verdict('info', 'warning', 'info')).toBe('warning')
    expect(await verdict('warning', 'danger', 'info')).toBe('danger')
  })

  it('turns a check that throws into a danger finding, and runs the others', async () => {
    const broken: RiskCheck = {
      id: 'broken',
      name: 'A check that cannot run',
      run: async () => {
        throw new Error('node unreachable\nstack details')
      },
    }
    const report = await runChecks(ctx(), [broken, returning('ok', finding('info'))])
    expect(report.results[0]!.findings).toEqual([
      { check: 'broken', severity: 'danger', message: 'the check could not run: node unreachable' },
    ])
    expect(report.results[1]!.findings).toHaveLength(1)
    expect(report.verdict).toBe('danger')
    expect(report.counts.danger).toBe(1)
  })

  it('runs ALL_CHECKS by default: a small offline payment to a known address is only info', async () => {
    const report = await runChecks(ctx())
    expect(report.results.map((r) => r.id)).toEqual(ALL_CHECKS.map((c) => c.id))
    expect(new Set(report.results.map((r) => r.id)).size).toBe(11)
    // With no simulation in the context, the three checks that judge one are skipped, and say why.
    expect(report.results.filter((r) => r.skipped).map((r) => r.id)).toEqual([
      'trace-delegatecall',
      'critical-state',
      'balance-drop',
    ])
    expect(report.verdict).toBe('info')
    expect(report.counts).toMatchObject({ warning: 0, danger: 0 })
    // The same payment to an address the book does not name is a warning.
    const stranger = await runChecks(ctx('0x90F79bf6EB2c4f870365E785982E1f101E93b906'))
    expect(stranger.verdict).toBe('warning')
    expect(stranger.results.find((r) => r.id === 'unknown-target')!.findings).toEqual([
      expect.objectContaining({ severity: 'warning', call: 1 }),
    ])
  })
})

describe('failsPolicy', () => {
  const report = (verdict: CheckReport['verdict']): CheckReport => ({
    results: [],
    verdict,
    counts: { info: 0, warning: 0, danger: 0 },
  })

  it('fails when the verdict is at least --fail-on, never without --fail-on', () => {
    const table = (['pass', 'info', 'warning', 'danger'] as const).map((v) => [
      v,
      failsPolicy(report(v), 'warning'),
      failsPolicy(report(v), 'danger'),
      failsPolicy(report(v), undefined),
    ])
    expect(table).toEqual([
      ['pass', false, false, false],
      ['info', false, false, false],
      ['warning', true, false, false],
      ['danger', true, true, false],
    ])
  })
})
