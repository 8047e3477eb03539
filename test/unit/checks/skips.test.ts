import { describe, expect, it } from 'vitest'
import { ALL_CHECKS } from '../../../src/checks/index.js'
import { runChecks } from '../../../src/checks/runChecks.js'
import type { CheckContext, RiskCheck, SimulationEvidence } from '../../../src/checks/types.js'
import type { Address } from '../../../src/safe/types.js'
import { plainCheckContext } from '../../support/checkContext.js'
import { devnetWorkspace } from '../../support/workspace.js'

const ws = devnetWorkspace()
const _ZERO = '0x0000000000000000000000000000000000000000' as Address
const NEEDS_SIMULATION = 'needs a simulation (alliance simulate)'
const SAFE_ONLY = 'applies to Safe transactions only'

const ctx = (extra: Partial<CheckContext> = {}): CheckContext => ({ ...plainCheckContext(ws), ...extra })
const simulation: SimulationEvidence = { balanceChanges: [] }

/** A check that records the contexts it ran with and always warns. */
function spy(id: string, flags: Pick<RiskCheck, 'needsSimulation' | 'safeOnly'>) {
  const ran: CheckContext[] = []
  const check: RiskCheck = {
    id,
    name: `check ${id}`,
    ...flags,
    run: async (c) => {
      ran.push(c)
      return [{ severity: 'warning', message: `${id} ran` }]
    },
  }
  return { check, ran }
}

describe('runChecks skips', () => {
  it('skips a check that needs a simulation when none ran, without running it, and says why', async () => {
    const sim = spy('sim', { needsSimulation: true })
    const plain = spy('plain', {})
    const report = await runChecks(ctx(), [sim.check, plain.check])
    expect(sim.ran).toEqual([])
    expect(plain.ran).toHaveLength(1)
    expect(report.results).toEqual([
      { id: 'sim', name: 'check sim', findings: [], skipped: NEEDS_SIMULATION },
      {
        id: 'plain',
        name: 'check plain',
        findings: [{ check: 'plain', severity: 'warning', message: 'plain ran' }],
      },
    ])
    // A skipped check counts for nothing.
    expect(report.counts).toEqual({ info: 0, warning: 1, danger: 0 })
  })

  it('runs a check that needs a simulation when one ran, and hands it the evidence', async () => {
    const sim = spy('sim', { needsSimulation: true })
    const report = await runChecks(ctx({ simulation }), [sim.check])
    expect(sim.ran).toHaveLength(1)
    expect(sim.ran[0]!.simulation).toBe(simulation)
    expect(report.results).toEqual([
      { id: 'sim', name: 'check sim', findings: [{ check: 'sim', severity: 'warning', message: 'sim ran' }] },
    ])
    expect(report.verdict).toBe('warning')
  })

  it('skips Safe-only checks for a Governor proposal, and runs them for a Safe transaction', async () => {
    const safeOnly = spy('safe-only', { safeOnly: true })
    const any = spy('any', {})
    const governor = await runChecks(ctx({ route: 'governor' }), [safeOnly.check, any.check])
    expect(safeOnly.ran).toEqual([])
    expect(governor.results.map((r) => [r.id, r.skipped, r.findings.length])).toEqual([
      ['safe-only', SAFE_ONLY, 0],
      ['any', undefined, 1],
    ])
    expect(governor.results[1]).not.toHaveProperty('skipped')

    for (const route of ['safe', undefined] as const) {
      const report = await runChecks(ctx(route ? { route } : {}), [safeOnly.check])
      expect(report.results[0]).toEqual({
        id: 'safe-only',
        name: 'check safe-only',
        findings: [{ check: 'safe-only', severity: 'warning', message: 'safe-only ran' }],
      })
    }
    expect(safeOnly.ran).toHaveLength(2)
  })

  it('a Safe-only check is skipped for a Governor proposal even with a simulation; the reason is the route', async () => {
    const both = spy('both', { safeOnly: true, needsSimulation: true })
    const governor = await runChecks(ctx({ route: 'governor' }), [both.check])
    expect(governor.results[0]!.skipped).toBe(SAFE_ONLY)
    const simulated = await runChecks(ctx({ route: 'governor', simulation }), [both.check])
    expect(simulated.results[0]!.skipped).toBe(SAFE_ONLY)
    expect(both.ran).toEqual([])
    // On the Safe route, the missing simulation is the reason.
    expect((await runChecks(ctx({ route: 'safe' }), [both.check])).results[0]!.skipped).toBe(NEEDS_SIMULATION)
  })

  it('a report of only skipped checks passes', async () => {
    const report = await runChecks(ctx({ route: 'governor' }), [
      spy('a', { safeOnly: true }).check,
      spy('b', { needsSimulation: true }).check,
    ])
    expect(report.results.map((r) => r.skipped)).toEqual([SAFE_ONLY, NEEDS_SIMULATION])
    expect(report.verdict).toBe('pass')
    expect(report.counts).toEqual({ info: 0, warning: 0, danger: 0 })
  })

  it('with ALL_CHECKS on the governor route, the Safe-only checks are the ones skipped for it', async () => {
    const report = await runChecks(ctx({ route: 'governor', simulation }))
    expect(report.results.map((r) => r.id)).toEqual(ALL_CHECKS.map((c) => c.id))
    expect(report.results.filter((r) => r.skipped === SAFE_ONLY).map((r) => r.id)).toEqual([
      'delegatecall',
      'safe-config-change',
      'gas-refund',
      'safe-version',
      'nonce',
    ])
    expect(report.results.filter((r) => r.skipped === NEEDS_SIMULATION)).toEqual([])
    // With a simulation, the simulation checks ran (and, with no trace or state diff, said what they could not see).
    expect(
      report.results
        .filter((r) => ['trace-delegatecall', 'critical-state', 'balance-drop'].includes(r.id))
        .map((r) => [r.id, r.findings.map((f) => f.severity)]),
    ).toEqual([
      ['trace-delegatecall', ['info']],
      ['critical-state', ['info']],
      ['balance-drop', []],
    ])
  })
})
