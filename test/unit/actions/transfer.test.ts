import { encodeFunctionData, parseAbi } from 'viem'
import { describe, expect, it } from 'vitest'
import { parseActionFile } from '../../../src/actions/actionFile.js'
import { GRANTS_MULTISIG } from '../../../src/devnet/accounts.js'
import { devnetLayout } from '../../../src/devnet/devnetLayout.js'
import { devnetWorkspace } from '../../support/workspace.js'

const ws = devnetWorkspace()
const { contracts } = devnetLayout()
const erc20 = parseAbi(['function transfer(address to, uint256 amount) returns (bool)'])

describe('transfer', () => {
  it('sends an ERC-20 with transfer(to, amount) on the token, and ETH as a plain value call', () => {
    const text = `version: 1
safe: council
description: Contributor payments
actions:
  - kind: transfer
    token: aUSD
    to: grants-multisig
    amount: "2500"
  - kind: transfer
    token: ETH
    to: grants-multisig
    amount: "0.25"
`
    const parsed = parseActionFile('/w/transfer.yaml', text, ws)
    expect(parsed.description).toBe('Contributor payments')
    expect(parsed.actions.map((a) => a.calls)).toEqual([
      [
        {
          to: contracts.aUSD,
          value: 0n,
          data: encodeFunctionData({
            abi: erc20,
            functionName: 'transfer',
            args: [GRANTS_MULTISIG, 2_500_000_000n],
          }),
          operation: 0,
        },
      ],
      [{ to: GRANTS_MULTISIG, value: 250_000_000_000_000_000n, data: '0x', operation: 0 }],
    ])
    expect(parsed.actions.map((a) => a.description)).toEqual([
      'Transfer 2,500 aUSD to grants-multisig',
      'Transfer 0.25 ETH to grants-multisig',
    ])
    expect(parsed.actions.map((a) => a.index)).toEqual([0, 1])
  })

  it('takes the token by address when the workspace knows it', () => {
    const text = `version: 1\nsafe: council\nactions:\n  - kind: transfer\n    token: "${contracts.ALLY}"\n    to: council\n    amount: "1_000"\n`
    const [action] = parseActionFile('/w/transfer.yaml', text, ws).actions
    expect(action?.calls[0]?.data).toBe(
      encodeFunctionData({
        abi: erc20,
        functionName: 'transfer',
        args: [devnetLayout().council, 1_000_000_000_000_000_000_000n],
      }),
    )
  })
})
