import { type Abi, encodeFunctionData } from 'viem'
import { describe, expect, it } from 'vitest'
import { parseActionFile } from '../../../src/actions/actionFile.js'
import { loadArtifact } from '../../../src/contracts/artifacts.js'
import { GRANTS_MULTISIG } from '../../../src/devnet/accounts.js'
import { devnetLayout } from '../../../src/devnet/devnetLayout.js'
import { devnetWorkspace } from '../../support/workspace.js'
import { issuesOf, positionOf } from '../inputIssues.js'

const ws = devnetWorkspace()
const { contracts } = devnetLayout()
// The compiled contract's ABI, through viem: independent of the ethers fragment the action kind encodes with.
const treasuryAbi = loadArtifact('AllianceTreasury').abi as Abi

const file = (action: string) => `version: 1\nsafe: council\nactions:\n  - kind: allocate-treasury\n${action}`
const allocate = (token: string, to: string, amount: bigint, memo: string) =>
  encodeFunctionData({ abi: treasuryAbi, functionName: 'allocate', args: [token, to, amount, memo] })

describe('allocate-treasury', () => {
  it('scales "12500.5" ALLY by 18 decimals and encodes allocate on the only treasury', () => {
    const text = file(
      '    token: ALLY\n    to: grants-multisig\n    amount: "12500.5"\n    memo: Grants round 7\n',
    )
    const parsed = parseActionFile('/w/pay.yaml', text, ws)
    expect(parsed.safe).toEqual({ name: 'council', address: devnetLayout().council })
    expect(parsed.route).toBe('safe')
    const [action] = parsed.actions
    expect(action?.kind).toBe('allocate-treasury')
    expect(action?.calls).toEqual([
      {
        to: contracts.treasury,
        value: 0n,
        data: allocate(contracts.ALLY, GRANTS_MULTISIG, 12_500_500_000_000_000_000_000n, 'Grants round 7'),
        operation: 0,
      },
    ])
    expect(action?.description).toBe(
      'Allocate 12,500.5 ALLY from treasury to grants-multisig (memo "Grants round 7")',
    )
    expect(action?.input).toEqual({
      kind: 'allocate-treasury',
      token: 'ALLY',
      to: 'grants-multisig',
      amount: '12500.5',
      memo: 'Grants round 7',
    })
  })

  it('scales by the token decimals: aUSD has 6', () => {
    const text = file(
      '    treasury: treasury\n    token: aUSD\n    to: play-dao-treasury\n    amount: "12500.5"\n',
    )
    const [action] = parseActionFile('/w/pay.yaml', text, ws).actions
    expect(action?.calls[0]?.data).toBe(
      allocate(
        contracts.aUSD,
        devnetWorkspace().book.byName('play-dao-treasury')!.address,
        12_500_500_000n,
        '',
      ),
    )
  })

  it('takes the native coin as the zero address and a literal payee address', () => {
    const payee = '0x90F79bf6EB2c4f870365E785982E1f101E93b906'
    const text = file(`    token: ETH\n    to: "${payee.toLowerCase()}"\n    amount: "1.5"\n`)
    const [action] = parseActionFile('/w/pay.yaml', text, ws).actions
    expect(action?.calls[0]?.data).toBe(
      allocate('0x0000000000000000000000000000000000000000', payee, 1_500_000_000_000_000_000n, ''),
    )
  })

  it('refuses a zero amount and a treasury that is another kind of contract', () => {
    const text = file('    treasury: registry\n    token: ALLY\n    to: council\n    amount: "0"\n')
    const issues = issuesOf(() => parseActionFile('/w/pay.yaml', text, ws))
    expect(issues).toEqual([
      expect.objectContaining({
        ...positionOf(text, 'registry'),
        field: 'actions[0].treasury',
        message: expect.stringContaining('is not a treasury'),
      }),
      expect.objectContaining({
        ...positionOf(text, '"0"'),
        field: 'actions[0].amount',
        message: 'amount must be greater than zero',
      }),
    ])
  })
})
