import { describe, expect, it } from 'vitest'
import { envelope, runCli } from '../support/cli.js'

describe('alliance demo', () => {
  it('runs the whole story on its own devnet and shows what changed', async () => {
    const human = await runCli(['demo'])
    expect(human.code, `${human.stderr}\n${human.stdout.slice(-1500)}`).toBe(0)
    for (const step of [
      '1. Devnet ready',
      '2. Validate',
      '3. Plan',
      '4. Simulate',
      '5. Sign',
      '6. Execute',
      '7. What changed',
      '8. Recurring payouts',
    ]) {
      expect(human.stdout).toContain(step)
    }
    expect(human.stdout).toContain('✔ SIMULATION PASSED')
    expect(human.stdout).toContain('treasury ALLY: 4,000,000 → 3,987,499.5')
    expect(human.stdout).toContain('ally-staking reward rate: 0.01 → 0.05 ALLY/s')
    expect(human.stdout).toContain('PLAY DAO (15%)')
    expect(human.stdout).toContain('proposed 3 payments in 1 transaction(s)')
    expect(human.stdout).toContain('run again: nothing to do')
  })

  it('reports every step in --json', async () => {
    const r = await runCli(['demo', '--json'])
    expect(r.code, `${r.stderr}\n${r.stdout.slice(-1500)}`).toBe(0)
    const steps = envelope(r).data.steps as { step: string }[]
    expect(steps.map((s) => s.step)).toEqual([
      'devnet',
      'validate',
      'plan',
      'simulate',
      'sign',
      'sign',
      'execute',
      'state',
      'payouts',
    ])
    const payouts = envelope(r).data.steps.at(-1)
    expect(payouts.executed).toHaveLength(1)
    expect(payouts.rerun).toBe('nothing-to-do')
  })
})
