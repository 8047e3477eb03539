import { type Abi, encodeFunctionData, parseAbi, parseEther, parseUnits, toFunctionSelector } from 'viem'
import { describe, expect, it } from 'vitest'
import { loadArtifact } from '../../../src/contracts/artifacts.js'
import type { DecodeContext } from '../../../src/decode/decodeCall.js'
import { decodeCall } from '../../../src/decode/decodeCall.js'
import { workspaceDecodeContext } from '../../../src/decode/workspaceDecodeContext.js'
import { GRANTS_MULTISIG, PLAY_DAO_TREASURY } from '../../../src/devnet/accounts.js'
import { devnetLayout } from '../../../src/devnet/devnetLayout.js'
import { callText, reportCallList, reportCalls } from '../../../src/report/calls.js'
import { canonicalDeployments } from '../../../src/safe/deployments.js'
import { encodeMultiSend } from '../../../src/safe/multiSend.js'
import type { Address, Call, Hex } from '../../../src/safe/types.js'
import { devnetWorkspace } from '../../support/workspace.js'

const ws = devnetWorkspace()
const book = ws.book
const layout = devnetLayout()
const SAFE = layout.council
const { treasury: TREASURY, ALLY, aUSD } = layout.contracts
const ZERO = '0x0000000000000000000000000000000000000000' as Address
/** anvil account 3: an address the book does not name. */
const STRANGER = '0x90F79bf6EB2c4f870365E785982E1f101E93b906' as Address
const MSCO = canonicalDeployments('1.4.1').multiSendCallOnly.address
const ctx: DecodeContext = { ...workspaceDecodeContext(ws), safe: SAFE, safeVersion: '1.4.1' }

// Calldata through viem and the compiled ABI, independent of the ethers decoding under test.
const treasuryAbi = loadArtifact('AllianceTreasury').abi as Abi
const erc20 = parseAbi(['function transfer(address to, uint256 amount) returns (bool)'])
const ALLOCATED = parseUnits('12500.5', 18)
const allocate = encodeFunctionData({
  abi: treasuryAbi,
  functionName: 'allocate',
  args: [ALLY, GRANTS_MULTISIG, ALLOCATED, 'round 8'],
})
const transfer = (to: Address, amount: bigint) =>
  encodeFunctionData({ abi: erc20, functionName: 'transfer', args: [to, amount] })

const call = (to: Address, data: Hex = '0x', value = 0n): Call => ({ to, value, data, operation: 0 })
const CALLS: Call[] = [
  call(TREASURY, allocate),
  call(aUSD, transfer(PLAY_DAO_TREASURY, parseUnits('250.25', 6))),
  call(STRANGER, '0x', parseEther('0.5')),
  call(STRANGER, '0xdeadbeef0001'),
]
/** The batch as the Safe executes it: a delegatecall to MultiSendCallOnly. */
const BATCH: Call = { to: MSCO, value: 0n, data: encodeMultiSend(CALLS), operation: 1 }
/** Action (0-based) of each call: the first two calls come from action 0, then one each. */
const ACTIONS = [0, 0, 1, 2]

describe('reportCalls', () => {
  it('flattens a MultiSend batch into calls numbered from 1, each with its 1-based action', () => {
    const calls = reportCalls(BATCH, ACTIONS, ctx, book)
    expect(calls.map((c) => [c.index, c.action, c.target.label, c.function])).toEqual([
      [1, 1, 'treasury', 'allocate'],
      [2, 1, 'aUSD', 'transfer'],
      [3, 2, STRANGER, undefined],
      [4, 3, STRANGER, undefined],
    ])
    expect(calls.every((c) => c.reverted === false)).toBe(true)
  })

  it('describes each call completely: decoded arguments in base units, text in token units', () => {
    const [allocateCall, , payment, unknown] = reportCalls(BATCH, ACTIONS, ctx, book)
    expect(allocateCall).toEqual({
      index: 1,
      action: 1,
      target: { address: TREASURY, label: 'treasury' },
      operation: 'call',
      valueWei: '0',
      function: 'allocate',
      selector: toFunctionSelector('allocate(address,address,uint256,string)'),
      text: 'treasury.allocate(token: ALLY, to: grants-multisig, amount: 12,500.5 ALLY, memo: "round 8")',
      args: [
        { name: 'token', type: 'address', value: 'ALLY' },
        { name: 'to', type: 'address', value: 'grants-multisig' },
        { name: 'amount', type: 'uint256', value: ALLOCATED.toString() },
        { name: 'memo', type: 'string', value: '"round 8"' },
      ],
      reverted: false,
    })
    expect(payment).toEqual({
      index: 3,
      action: 2,
      target: { address: STRANGER, label: STRANGER },
      operation: 'call',
      valueWei: parseEther('0.5').toString(),
      text: `plain transfer to ${STRANGER} sending 0.5 ETH`,
      args: [],
      reverted: false,
    })
    expect(unknown).toEqual({
      index: 4,
      action: 3,
      target: { address: STRANGER, label: STRANGER },
      operation: 'call',
      valueWei: '0',
      selector: '0xdeadbeef',
      text: `${STRANGER}: unknown function 0xdeadbeef (6 bytes)`,
      args: [],
      reverted: false,
    })
  })

  it('marks the failing call, and only it, as reverted', () => {
    const calls = reportCalls(BATCH, ACTIONS, ctx, book, { callIndex: 1, actionIndex: 0, reason: 'nope' })
    expect(calls.map((c) => c.reverted)).toEqual([false, true, false, false])
    // A failure not located in one call marks none.
    expect(reportCalls(BATCH, ACTIONS, ctx, book, { reason: 'GS013' }).map((c) => c.reverted)).toEqual([
      false,
      false,
      false,
      false,
    ])
  })

  it('leaves the action out for calls no action is known for', () => {
    const calls = reportCalls(BATCH, [0], ctx, book)
    expect(calls.map((c) => c.action)).toEqual([1, undefined, undefined, undefined])
    expect(calls[1]).not.toHaveProperty('action')
  })

  it('a single call is call 1; a MultiSend payload sent with a CALL is not opened', () => {
    expect(reportCalls(CALLS[0]!, [0], ctx, book)).toEqual([
      expect.objectContaining({ index: 1, function: 'allocate' }),
    ])
    const sentAsCall = reportCalls({ ...BATCH, operation: 0 }, [0], ctx, book)
    expect(sentAsCall).toEqual([
      expect.objectContaining({
        index: 1,
        operation: 'call',
        function: 'multiSend',
        target: { address: MSCO, label: MSCO },
      }),
    ])
  })

  it('on a 1.5.0 Safe, a batch call to the zero address is a call to the Safe itself', () => {
    const batch = { ...BATCH, data: encodeMultiSend([call(ZERO, '0x', 1n)]) }
    const [self] = reportCalls(batch, [0], { ...ctx, safeVersion: '1.5.0' }, book)
    expect(self!.target).toEqual({ address: SAFE, label: 'council' })
    const [zero] = reportCalls(batch, [0], ctx, book)
    expect(zero!.target).toEqual({ address: ZERO, label: ZERO })
  })
})

describe('reportCallList', () => {
  it('numbers calls given one by one (a Governor proposal) without opening them', () => {
    const calls = reportCallList([CALLS[0]!, BATCH], [0, 1], ctx, book, { callIndex: 0, reason: 'nope' })
    expect(calls.map((c) => [c.index, c.action, c.operation, c.function, c.reverted])).toEqual([
      [1, 1, 'call', 'allocate', true],
      [2, 2, 'delegatecall', 'multiSend', false],
    ])
  })
})

describe('callText', () => {
  const text = (c: Call) => callText(decodeCall(c, ctx), book)

  it('shows amounts in the units of the token, and names from the address book', () => {
    expect(text(CALLS[0]!)).toBe(
      'treasury.allocate(token: ALLY, to: grants-multisig, amount: 12,500.5 ALLY, memo: "round 8")',
    )
    expect(text(CALLS[1]!)).toBe('aUSD.transfer(to: play-dao-treasury, amount: 250.25 aUSD)')
    expect(text(call(ALLY, transfer(STRANGER, 1n)))).toBe(
      `ALLY.transfer(to: ${STRANGER}, amount: 0.000000000000000001 ALLY)`,
    )
  })

  it('an execTransaction value is wei, whatever token its gasToken names', () => {
    const exec = parseAbi([
      'function execTransaction(address to, uint256 value, bytes data, uint8 operation, uint256 safeTxGas, uint256 baseGas, uint256 gasPrice, address gasToken, address refundReceiver, bytes signatures) payable returns (bool)',
    ])
    const data = encodeFunctionData({
      abi: exec,
      functionName: 'execTransaction',
      args: [GRANTS_MULTISIG, parseEther('1'), '0x', 0, 0n, 0n, 0n, aUSD, ZERO, '0x'],
    })
    expect(text(call(SAFE, data))).toContain('value: 1 ETH')
  })

  it('an allocation of the native coin (the zero address) is in ETH', () => {
    const data = encodeFunctionData({
      abi: treasuryAbi,
      functionName: 'allocate',
      args: [ZERO, GRANTS_MULTISIG, parseEther('2.5'), 'gas'],
    })
    expect(text(call(TREASURY, data))).toBe(
      `treasury.allocate(token: ${ZERO}, to: grants-multisig, amount: 2.5 ETH, memo: "gas")`,
    )
  })

  it('adds the value a call sends', () => {
    expect(text(call(aUSD, transfer(GRANTS_MULTISIG, 1_000_000n), parseEther('0.1')))).toBe(
      'aUSD.transfer(to: grants-multisig, amount: 1 aUSD) sending 0.1 ETH',
    )
    expect(text(call(GRANTS_MULTISIG, '0x', parseEther('1234.5')))).toBe(
      'plain transfer to grants-multisig sending 1,234.5 ETH',
    )
    expect(text(call(GRANTS_MULTISIG))).toBe('plain transfer to grants-multisig')
  })

  it('an unknown selector stays raw: the selector and the size of the calldata', () => {
    expect(text(call(STRANGER, '0x12345678'))).toBe(`${STRANGER}: unknown function 0x12345678 (4 bytes)`)
    expect(text(call(TREASURY, `0xcafebabe${'00'.repeat(64)}`, 5n))).toBe(
      'treasury: unknown function 0xcafebabe (68 bytes) sending 0.000000000000000005 ETH',
    )
  })
})
