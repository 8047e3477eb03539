import { type Abi, encodeFunctionData } from 'viem'
import { describe, expect, it } from 'vitest'
import { parseActionFile } from '../../../src/actions/actionFile.js'
import { loadArtifact } from '../../../src/contracts/artifacts.js'
import { devnetLayout } from '../../../src/devnet/devnetLayout.js'
import { devnetWorkspace } from '../../support/workspace.js'
import { issuesOf, positionOf } from '../inputIssues.js'

const ws = devnetWorkspace()
const { contracts, council } = devnetLayout()

const file = (action: string) =>
  `version: 1\nsafe: council\nactions:\n  - kind: emergency-withdraw\n${action}`

describe('emergency-withdraw', () => {
  it('sweeps the vault with the vault ABI', () => {
    const text = file('    from: ally-staking\n    token: ALLY\n    to: council\n')
    const [action] = parseActionFile('/w/ew.yaml', text, ws).actions
    expect(action?.calls).toEqual([
      {
        to: contracts['ally-staking'],
        value: 0n,
        data: encodeFunctionData({
          abi: loadArtifact('StakingVault').abi as Abi,
          functionName: 'emergencyWithdraw',
          args: [contracts.ALLY, council],
        }),
        operation: 0,
      },
    ])
    expect(action?.description).toBe('Emergency-withdraw all withdrawable ALLY from ally-staking to council')
  })

  it('sweeps the treasury with the treasury ABI', () => {
    const text = file('    from: treasury\n    token: aUSD\n    to: council\n')
    const [action] = parseActionFile('/w/ew.yaml', text, ws).actions
    expect(action?.calls[0]).toEqual({
      to: contracts.treasury,
      value: 0n,
      data: encodeFunctionData({
        abi: loadArtifact('AllianceTreasury').abi as Abi,
        functionName: 'emergencyWithdraw',
        args: [contracts.aUSD, council],
      }),
      operation: 0,
    })
  })

  it('needs "from" when the workspace has a vault and a treasury', () => {
    const text = file('    token: ALLY\n    to: council\n')
    expect(issuesOf(() => parseActionFile('/w/ew.yaml', text, ws))).toEqual([
      {
        file: '/w/ew.yaml',
        ...positionOf(text, 'kind: emergency-withdraw'),
        field: 'actions[0].from',
        message: 'the workspace has several staking-vault or treasury contracts; name one',
      },
    ])
  })
})
