import { type Abi, encodeFunctionData } from 'viem'
import { describe, expect, it } from 'vitest'
import { parseActionFile } from '../../../src/actions/actionFile.js'
import { loadArtifact } from '../../../src/contracts/artifacts.js'
import { devnetLayout } from '../../../src/devnet/devnetLayout.js'
import { devnetWorkspace } from '../../support/workspace.js'
import { issuesOf, positionOf } from '../inputIssues.js'

const ws = devnetWorkspace()
const { contracts } = devnetLayout()
const vaultAbi = loadArtifact('StakingVault').abi as Abi

const file = (action: string) => `version: 1\nsafe: council\nactions:\n  - kind: set-reward-rate\n${action}`
const setRewardRate = (rate: bigint, duration: bigint) =>
  encodeFunctionData({ abi: vaultAbi, functionName: 'setRewardRate', args: [rate, duration] })

describe('set-reward-rate', () => {
  it('scales the rate by the reward token and reads the duration', () => {
    const text = file('    vault: ally-staking\n    rate: "0.05"\n    duration: 30d\n')
    const [action] = parseActionFile('/w/rate.yaml', text, ws).actions
    expect(action?.calls).toEqual([
      {
        to: contracts['ally-staking'],
        value: 0n,
        data: setRewardRate(50_000_000_000_000_000n, 2_592_000n),
        operation: 0,
      },
    ])
    // 0.05 ALLY/s for 30 days is 129,600 ALLY.
    expect(action?.description).toBe(
      'Set ally-staking reward rate to 0.05 ALLY/s for 30d (129,600 ALLY in total)',
    )
  })

  it('picks the only vault and takes a duration in seconds; a zero rate stops emissions', () => {
    const text = file('    rate: "0"\n    duration: 3600\n')
    const [action] = parseActionFile('/w/rate.yaml', text, ws).actions
    expect(action?.calls[0]).toMatchObject({ to: contracts['ally-staking'], data: setRewardRate(0n, 3600n) })
  })

  it('reports both a rate with more decimals than the reward token and a zero duration', () => {
    const text = file('    rate: "0.0000000000000000001"\n    duration: 0d\n')
    const issues = issuesOf(() => parseActionFile('/w/rate.yaml', text, ws))
    expect(issues).toHaveLength(2)
    expect(issues).toContainEqual({
      file: '/w/rate.yaml',
      ...positionOf(text, '0d'),
      field: 'actions[0].duration',
      message: 'duration must be greater than zero',
    })
    expect(issues).toContainEqual({
      file: '/w/rate.yaml',
      ...positionOf(text, '"0.0000000000000000001"'),
      field: 'actions[0].rate',
      message: '"0.0000000000000000001" has 19 decimals but the reward token has only 18',
    })
  })

  it('refuses a vault that is not a staking-vault', () => {
    const text = file('    vault: registry\n    rate: "1"\n    duration: 1d\n')
    expect(issuesOf(() => parseActionFile('/w/rate.yaml', text, ws))).toEqual([
      {
        file: '/w/rate.yaml',
        ...positionOf(text, 'registry'),
        field: 'actions[0].vault',
        message: '"registry" is not a staking-vault in the workspace (known: ally-staking)',
      },
    ])
  })
})
