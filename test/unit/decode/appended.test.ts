import { concat, encodeFunctionData, type Hex, parseAbi, toHex } from 'viem'
import { describe, expect, it } from 'vitest'
import { actionContext } from '../../../src/actions/actionFile.js'
import { type DecodeContext, decodeCall } from '../../../src/decode/decodeCall.js'
import { GRANTS_MULTISIG, PLAY_DAO_TREASURY } from '../../../src/devnet/accounts.js'
import { devnetLayout } from '../../../src/devnet/devnetLayout.js'
import type { Address } from '../../../src/safe/types.js'
import { devnetWorkspace } from '../../support/workspace.js'

const layout = devnetLayout()
const { abiFor } = actionContext(devnetWorkspace())
const ctx: DecodeContext = {
  abiFor,
  safe: layout.council,
  safeVersion: '1.4.1',
  isSafe: (a) => a === layout.council,
}
// An address the workspace has no ABI for (anvil account 3): decoded by selector only.
const STRANGER = '0x90F79bf6EB2c4f870365E785982E1f101E93b906' as Address

const erc20 = parseAbi(['function transfer(address to, uint256 amount) returns (bool)'])
const treasury = parseAbi(['function allocate(address token, address to, uint256 amount, string memo)'])
const transferData = encodeFunctionData({ abi: erc20, functionName: 'transfer', args: [GRANTS_MULTISIG, 7n] })
const call = (to: Address, data: Hex) => ({ to, value: 0n, data, operation: 0 as const })

describe('decodeCall: bytes after the arguments', () => {
  it('shows a transfer’s appended memo as text, on a known token and by selector', () => {
    const memo = toHex('payout:contributors:2026-11')
    for (const to of [layout.contracts.aUSD, STRANGER]) {
      const decoded = decodeCall(call(to, concat([transferData, memo])), ctx)
      expect(decoded.functionName, to).toBe('transfer')
      expect(decoded.args?.map((a) => a.value)).toEqual([GRANTS_MULTISIG, 7n])
      expect(decoded.appended).toEqual({ bytes: 27, data: memo, text: 'payout:contributors:2026-11' })
      expect(decoded.warning).toBeUndefined()
    }
  })

  it('shows non-printable appended bytes as data, without text', () => {
    for (const tail of ['0x00ff10', toHex('line\n'), toHex('café')] as Hex[]) {
      const decoded = decodeCall(call(layout.contracts.aUSD, concat([transferData, tail])), ctx)
      expect(decoded.functionName).toBe('transfer')
      expect(decoded.appended).toEqual({ bytes: (tail.length - 2) / 2, data: tail })
      expect(decoded.appended).not.toHaveProperty('text')
    }
  })

  it('reports nothing appended for a call of exactly its arguments', () => {
    const decoded = decodeCall(call(layout.contracts.aUSD, transferData), ctx)
    expect(decoded.functionName).toBe('transfer')
    expect(decoded).not.toHaveProperty('appended')
  })

  it('never reports appended bytes for a function with dynamic arguments', () => {
    const allocate = encodeFunctionData({
      abi: treasury,
      functionName: 'allocate',
      args: [layout.contracts.ALLY, PLAY_DAO_TREASURY, 5n, 'payout:contributors:2026-11'],
    })
    const plain = decodeCall(call(layout.contracts.treasury, allocate), ctx)
    expect(plain.functionName).toBe('allocate')
    expect(plain).not.toHaveProperty('appended')
    // Even with bytes after the encoding: where a dynamic encoding ends is not known from its head.
    const extra = decodeCall(call(layout.contracts.treasury, concat([allocate, toHex('trailing')])), ctx)
    expect(extra).not.toHaveProperty('appended')
    expect(extra.functionName).toBe('allocate')
    expect(extra.args?.[3]?.value).toBe('payout:contributors:2026-11')
  })
})
