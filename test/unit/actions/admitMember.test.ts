import { type Abi, encodeFunctionData } from 'viem'
import { describe, expect, it } from 'vitest'
import { parseActionFile } from '../../../src/actions/actionFile.js'
import { loadArtifact } from '../../../src/contracts/artifacts.js'
import { PLAY_DAO_TREASURY } from '../../../src/devnet/accounts.js'
import { devnetLayout } from '../../../src/devnet/devnetLayout.js'
import { devnetWorkspace } from '../../support/workspace.js'
import { issuesOf, positionOf } from '../inputIssues.js'

const ws = devnetWorkspace()
const { contracts } = devnetLayout()
const registryAbi = loadArtifact('AllianceRegistry').abi as Abi

const file = (action: string) => `version: 1\nsafe: council\nactions:\n  - kind: admit-member\n${action}`

describe('admit-member', () => {
  it('encodes admitMember on the registry with the weight in basis points', () => {
    const text = file(
      '    name: PLAY DAO\n    token: PLAY\n    treasury: play-dao-treasury\n    weight-bps: 1500\n',
    )
    const [action] = parseActionFile('/w/admit.yaml', text, ws).actions
    expect(action?.calls).toEqual([
      {
        to: contracts.registry,
        value: 0n,
        data: encodeFunctionData({
          abi: registryAbi,
          functionName: 'admitMember',
          args: ['PLAY DAO', contracts.PLAY, PLAY_DAO_TREASURY, 1500],
        }),
        operation: 0,
      },
    ])
    expect(action?.description).toBe(
      'Admit "PLAY DAO" to registry (token PLAY, treasury play-dao-treasury, weight 15.00%)',
    )
  })

  it('accepts the bounds 0 and 10000', () => {
    for (const w of [0, 10_000]) {
      const text = file(
        `    name: X\n    token: PLAY\n    treasury: play-dao-treasury\n    weight-bps: ${w}\n`,
      )
      expect(parseActionFile('/w/admit.yaml', text, ws).actions).toHaveLength(1)
    }
  })

  it('refuses a fractional weight and a quoted one', () => {
    for (const [w, message] of [
      ['15.5', 'expected a whole number of basis points'],
      ['"1500"', 'expected a whole number of basis points (0–10000)'],
    ] as const) {
      const text = file(
        `    name: X\n    token: PLAY\n    treasury: play-dao-treasury\n    weight-bps: ${w}\n`,
      )
      expect(issuesOf(() => parseActionFile('/w/admit.yaml', text, ws))).toEqual([
        { file: '/w/admit.yaml', ...positionOf(text, w), field: 'actions[0].weight-bps', message },
      ])
    }
  })
})
