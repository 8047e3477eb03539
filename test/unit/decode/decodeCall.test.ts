import { concat, encodeFunctionData, encodePacked, parseAbi, size, type Hex as ViemHex } from 'viem'
import { describe, expect, it } from 'vitest'
import { actionContext } from '../../../src/actions/actionFile.js'
import { type DecodeContext, decodeCall, flattenCalls } from '../../../src/decode/decodeCall.js'
import { GRANTS_MULTISIG, PLAY_DAO_TREASURY } from '../../../src/devnet/accounts.js'
import { devnetLayout } from '../../../src/devnet/devnetLayout.js'
import type { Address, Call } from '../../../src/safe/types.js'
import { devnetWorkspace } from '../../support/workspace.js'

const layout = devnetLayout()
const { abiFor } = actionContext(devnetWorkspace())
const ctx: DecodeContext = {
  abiFor,
  safe: layout.council,
  safeVersion: '1.4.1',
  isSafe: (a) => a === layout.council,
}
// An address the workspace has no ABI for (anvil account 3).
const STRANGER = '0x90F79bf6EB2c4f870365E785982E1f101E93b906' as Address

const erc20 = parseAbi(['function transfer(address to, uint256 amount) returns (bool)'])
const treasury = parseAbi(['function allocate(address token, address to, uint256 amount, string memo)'])
const transferData = encodeFunctionData({
  abi: erc20,
  functionName: 'transfer',
  args: [GRANTS_MULTISIG, 2_500_000_000n],
})

/** multiSend(bytes) packed by viem, so the decoder is not fed our own encoder's output. */
function multiSend(calls: Call[]): ViemHex {
  const packed = concat(
    calls.map((c) =>
      encodePacked(
        ['uint8', 'address', 'uint256', 'uint256', 'bytes'],
        [c.operation, c.to, c.value, BigInt(size(c.data)), c.data],
      ),
    ),
  )
  return encodeFunctionData({
    abi: parseAbi(['function multiSend(bytes transactions) payable']),
    functionName: 'multiSend',
    args: [packed],
  })
}

describe('decodeCall', () => {
  it('flattens a MultiSend batch into its decoded calls', () => {
    const inner: Call[] = [
      { to: layout.contracts.aUSD, value: 0n, data: transferData, operation: 0 },
      { to: GRANTS_MULTISIG, value: 250_000_000_000_000_000n, data: '0x', operation: 0 },
      {
        to: layout.contracts.treasury,
        value: 0n,
        data: encodeFunctionData({
          abi: treasury,
          functionName: 'allocate',
          args: [layout.contracts.ALLY, PLAY_DAO_TREASURY, 12_500_500_000_000_000_000_000n, 'round 7'],
        }),
        operation: 0,
      },
    ]
    const call: Call = {
      to: layout.safe.MultiSendCallOnly,
      value: 0n,
      data: multiSend(inner),
      operation: 1,
    }
    const decoded = decodeCall(call, ctx)
    expect(decoded).toMatchObject({ signature: 'multiSend(bytes)', functionName: 'multiSend', source: 'abi' })
    const leaves = flattenCalls(decoded)
    expect(leaves.map((c) => [c.to, c.value, c.functionName])).toEqual([
      [layout.contracts.aUSD, 0n, 'transfer'],
      [GRANTS_MULTISIG, 250_000_000_000_000_000n, undefined],
      [layout.contracts.treasury, 0n, 'allocate'],
    ])
    expect(leaves[0]).toMatchObject({
      source: 'abi',
      signature: 'transfer(address,uint256)',
      args: [
        { name: 'to', type: 'address', value: GRANTS_MULTISIG },
        { name: 'amount', type: 'uint256', value: 2_500_000_000n },
      ],
    })
    expect(leaves[1]?.warning).toBeUndefined()
    expect(leaves[2]?.args?.map((a) => a.value)).toEqual([
      layout.contracts.ALLY,
      PLAY_DAO_TREASURY,
      12_500_500_000_000_000_000_000n,
      'round 7',
    ])
  })

  it('warns about a batch that does not decode instead of showing part of it', () => {
    // One record whose dataLength (100) promises more bytes than follow it.
    const packed = encodePacked(['uint8', 'address', 'uint256', 'uint256'], [0, GRANTS_MULTISIG, 1n, 100n])
    const broken = encodeFunctionData({
      abi: parseAbi(['function multiSend(bytes transactions) payable']),
      functionName: 'multiSend',
      args: [packed],
    })
    const decoded = decodeCall(
      { to: layout.safe.MultiSendCallOnly, value: 0n, data: broken, operation: 1 },
      ctx,
    )
    expect(decoded.inner).toBeUndefined()
    expect(decoded.warning).toMatch(/^looks like MultiSend but does not decode/)
  })

  it('does not decode an unknown selector to an unknown address, and says so', () => {
    const data = `0xdeadbeef${'00'.repeat(32)}` as const
    const decoded = decodeCall({ to: STRANGER, value: 0n, data, operation: 0 }, ctx)
    expect(decoded.signature).toBeUndefined()
    expect(decoded.functionName).toBeUndefined()
    expect(decoded.args).toBeUndefined()
    expect(decoded.data).toBe(data)
    expect(decoded.warning).toBe('unknown function selector 0xdeadbeef: shown as raw bytes, not decoded')
  })

  it('decodes an ERC-20 transfer to an address with no ABI by its selector, and marks it so', () => {
    const decoded = decodeCall({ to: STRANGER, value: 0n, data: transferData, operation: 0 }, ctx)
    expect(decoded).toMatchObject({
      source: 'selector',
      functionName: 'transfer',
      signature: 'transfer(address,uint256)',
      args: [
        { name: 'to', value: GRANTS_MULTISIG },
        { name: 'amount', value: 2_500_000_000n },
      ],
    })
    expect(decoded.warning).toBeUndefined()
  })

  it('decodes a Safe admin call to the Safe with the Safe ABI', () => {
    const data = encodeFunctionData({
      abi: parseAbi(['function addOwnerWithThreshold(address owner, uint256 _threshold)']),
      functionName: 'addOwnerWithThreshold',
      args: [STRANGER, 3n],
    })
    const decoded = decodeCall({ to: layout.council, value: 0n, data, operation: 0 }, ctx)
    expect(decoded).toMatchObject({
      source: 'abi',
      functionName: 'addOwnerWithThreshold',
      signature: 'addOwnerWithThreshold(address,uint256)',
      args: [
        { name: 'owner', type: 'address', value: STRANGER },
        { name: 'threshold', type: 'uint256', value: 3n },
      ],
    })
    // Without knowing the target is a Safe, it is still recognised, by selector only.
    expect(decodeCall({ to: STRANGER, value: 0n, data, operation: 0 }, ctx).source).toBe('selector')
  })

  it('passes a plain value transfer through and flags calldata shorter than a selector', () => {
    expect(decodeCall({ to: STRANGER, value: 5n, data: '0x', operation: 0 }, ctx)).toEqual({
      to: STRANGER,
      value: 5n,
      operation: 0,
      data: '0x',
    })
    expect(decodeCall({ to: STRANGER, value: 0n, data: '0x1234', operation: 0 }, ctx).warning).toBe(
      'calldata shorter than a function selector',
    )
  })
})
