import {
  type Abi,
  encodeErrorResult,
  encodeFunctionData,
  getAddress,
  parseAbi,
  parseEther,
  parseUnits,
} from 'viem'
import { describe, expect, it } from 'vitest'
import { artifactInterface, loadArtifact } from '../../../src/contracts/artifacts.js'
import { workspaceDecodeContext } from '../../../src/decode/workspaceDecodeContext.js'
import { COUNCIL_OWNERS, GRANTS_MULTISIG } from '../../../src/devnet/accounts.js'
import { devnetLayout } from '../../../src/devnet/devnetLayout.js'
import { reportTrace } from '../../../src/report/trace.js'
import { canonicalDeployments } from '../../../src/safe/deployments.js'
import { encodeMultiSend } from '../../../src/safe/multiSend.js'
import type { Address, Hex } from '../../../src/safe/types.js'
import type { CallFrame } from '../../../src/simulate/callTrace.js'
import { devnetWorkspace } from '../../support/workspace.js'

const ws = devnetWorkspace()
const decode = workspaceDecodeContext(ws)
const layout = devnetLayout()
const SAFE = layout.council
const { treasury: TREASURY, ALLY, aUSD } = layout.contracts
const ALICE = COUNCIL_OWNERS[0].address
const ZERO = '0x0000000000000000000000000000000000000000' as Address
/** anvil account 3: an address the book does not name. */
const STRANGER = '0x90F79bf6EB2c4f870365E785982E1f101E93b906' as Address
const CREATED = '0x5555555555555555555555555555555555555555' as Address
const d141 = canonicalDeployments('1.4.1')
const SINGLETON = d141.singleton.address
const MSCO = d141.multiSendCallOnly.address

const AMOUNT = parseUnits('12500.5', 18)
const allocate = artifactInterface('AllianceTreasury').encodeFunctionData('allocate', [
  ALLY,
  GRANTS_MULTISIG,
  AMOUNT,
  'round 8',
]) as Hex
const transferAusd = encodeFunctionData({
  abi: parseAbi(['function transfer(address to, uint256 amount) returns (bool)']),
  functionName: 'transfer',
  args: [GRANTS_MULTISIG, parseUnits('250', 6)],
})
const batch = encodeMultiSend([
  { to: TREASURY, value: 0n, data: allocate, operation: 0 },
  { to: aUSD, value: 0n, data: transferAusd, operation: 0 },
])
const exec = encodeFunctionData({
  abi: parseAbi([
    'function execTransaction(address to, uint256 value, bytes data, uint8 operation, uint256 safeTxGas, uint256 baseGas, uint256 gasPrice, address gasToken, address refundReceiver, bytes signatures) payable returns (bool)',
  ]),
  functionName: 'execTransaction',
  args: [MSCO, 0n, batch, 1, 0n, 0n, 0n, ZERO, ZERO, '0x'],
})

// Revert data encoded by viem, independently of the ethers decoding under test.
const errorString = (message: string) =>
  encodeErrorResult({
    abi: [{ type: 'error', name: 'Error', inputs: [{ name: 'message', type: 'string' }] }],
    errorName: 'Error',
    args: [message],
  })
const budgetExceeded = encodeErrorResult({
  abi: loadArtifact('AllianceTreasury').abi as Abi,
  errorName: 'BudgetExceeded',
  args: [ALLY, 3n, AMOUNT, parseUnits('100', 18)],
})

/** geth's callTracer writes lowercase addresses. */
const frame = (
  type: string,
  from: string,
  to: string,
  input: Hex,
  fields: Partial<CallFrame> & { gasUsed?: string } = {},
): CallFrame => ({ type, from: from.toLowerCase(), to: to.toLowerCase(), input, ...fields })

describe('reportTrace', () => {
  // alice → Safe proxy → singleton → MultiSendCallOnly → (treasury.allocate → ALLY.transfer), ETH payment;
  // then the singleton makes a failing static call, and the proxy creates a contract.
  const trace = frame('CALL', ALICE, SAFE, exec, {
    gasUsed: '0x1d4c0',
    calls: [
      frame('DELEGATECALL', SAFE, SINGLETON, exec, {
        calls: [
          frame('DELEGATECALL', SAFE, MSCO, batch, {
            value: '0x5',
            calls: [
              frame('CALL', SAFE, TREASURY, allocate, {
                calls: [
                  frame(
                    'CALL',
                    TREASURY,
                    ALLY,
                    encodeFunctionData({
                      abi: parseAbi(['function transfer(address to, uint256 amount) returns (bool)']),
                      functionName: 'transfer',
                      args: [GRANTS_MULTISIG, AMOUNT],
                    }),
                  ),
                ],
              }),
              frame('CALL', SAFE, GRANTS_MULTISIG, '0x', { value: `0x${parseEther('1').toString(16)}` }),
            ],
          }),
          frame('STATICCALL', SAFE, STRANGER, '0xdeadbeef', { error: 'out of gas' }),
        ],
      }),
      frame('CREATE', SAFE, CREATED, '0x6080604052', { value: `0x${parseEther('0.5').toString(16)}` }),
    ],
  })
  const rows = reportTrace(trace, decode, ws.book)

  it('lists every frame in execution order (pre-order) with its depth', () => {
    expect(rows.map((r) => [r.depth, r.type, r.to.label])).toEqual([
      [0, 'CALL', 'council'],
      [1, 'DELEGATECALL', SINGLETON],
      [2, 'DELEGATECALL', MSCO],
      [3, 'CALL', 'treasury'],
      [4, 'CALL', 'ALLY'],
      [3, 'CALL', 'grants-multisig'],
      [2, 'STATICCALL', STRANGER],
      [1, 'CREATE', CREATED],
    ])
  })

  it('names from and to by the address book, checksummed', () => {
    expect(rows[0]!.from).toEqual({ address: ALICE, label: 'alice' })
    expect(rows[0]!.to).toEqual({ address: SAFE, label: 'council' })
    expect(rows[4]!.from).toEqual({ address: TREASURY, label: 'treasury' })
    expect(rows[1]!.to).toEqual({ address: getAddress(SINGLETON), label: SINGLETON })
  })

  it('marks every delegatecall, and only the proxy forwarding as such', () => {
    expect(rows.map((r) => [r.delegatecall, r.proxyForward])).toEqual([
      [false, false],
      [true, true],
      [true, false],
      [false, false],
      [false, false],
      [false, false],
      [false, false],
      [false, false],
    ])
    expect(rows[1]!.text).toBe(`council: proxy forwarding to its implementation ${SINGLETON}`)
  })

  it('decodes function names: the Safe’s, MultiSend’s, the alliance contracts’ and tokens’', () => {
    expect(rows.map((r) => r.function)).toEqual([
      'execTransaction',
      'execTransaction',
      'multiSend',
      'allocate',
      'transfer',
      undefined,
      undefined,
      undefined,
    ])
    expect(rows[3]!.text).toBe(
      'treasury.allocate(token: ALLY, to: grants-multisig, amount: 12,500.5 ALLY, memo: "round 8")',
    )
    expect(rows[4]!.text).toBe('ALLY.transfer(to: grants-multisig, amount: 12,500.5 ALLY)')
    expect(rows[0]!.text).toMatch(
      new RegExp(`^council\\.execTransaction\\(to: ${MSCO}, value: 0 ETH, data: 0x8d80ff0a.*operation: 1,`),
    )
    expect(rows[6]!.text).toBe(`${STRANGER}: unknown function 0xdeadbeef (4 bytes)`)
  })

  it('values: what CALLs and CREATEs carry, never a delegatecall’s context value', () => {
    expect(rows.map((r) => r.valueWei)).toEqual([
      '0',
      '0',
      '0',
      '0',
      '0',
      parseEther('1').toString(),
      '0',
      parseEther('0.5').toString(),
    ])
    expect(rows[5]!.text).toBe('plain transfer to grants-multisig sending 1 ETH')
    expect(rows[7]!.text).toBe(`creates ${CREATED} with 0.5 ETH`)
  })

  it('gas used in decimal, 0 when the node gave none', () => {
    expect(rows.map((r) => r.gasUsed)).toEqual(['120000', '0', '0', '0', '0', '0', '0', '0'])
  })

  it('only failed frames carry an error; without revert data it is the node’s error', () => {
    expect(rows.map((r) => r.error)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      'out of gas',
      undefined,
    ])
    expect(rows[0]).not.toHaveProperty('error')
  })

  it('decodes the revert reasons of a failed batch: Error(string), a custom error, and a silent revert', () => {
    const failing = frame('CALL', ALICE, SAFE, exec, {
      error: 'execution reverted',
      output: errorString('GS013'),
      calls: [
        frame('DELEGATECALL', SAFE, SINGLETON, exec, {
          error: 'execution reverted',
          output: errorString('GS013'),
          calls: [
            // MultiSend reverts with no data: the reason is the failing call's beneath it.
            frame('DELEGATECALL', SAFE, MSCO, batch, {
              error: 'execution reverted',
              output: '0x',
              calls: [
                frame('CALL', SAFE, TREASURY, allocate, {
                  error: 'execution reverted',
                  output: budgetExceeded,
                }),
              ],
            }),
          ],
        }),
        frame('CALL', SAFE, aUSD, transferAusd, {
          error: 'execution reverted',
          output: errorString('ERC20: transfer amount exceeds balance'),
        }),
      ],
    })
    const budget = `BudgetExceeded(${ALLY}, 3, ${AMOUNT}, ${parseUnits('100', 18)})`
    expect(reportTrace(failing, decode, ws.book).map((r) => [r.depth, r.error])).toEqual([
      [0, 'GS013: an inner call failed (safeTxGas and gasPrice are 0, so the Safe reverts)'],
      [1, 'GS013: an inner call failed (safeTxGas and gasPrice are 0, so the Safe reverts)'],
      [2, budget],
      [3, budget],
      [1, 'ERC20: transfer amount exceeds balance'],
    ])
  })

  it('a single frame is one row at depth 0', () => {
    const rows = reportTrace(frame('CALL', ALICE, GRANTS_MULTISIG, '0x'), decode, ws.book)
    expect(rows).toEqual([
      {
        depth: 0,
        type: 'CALL',
        from: { address: ALICE, label: 'alice' },
        to: { address: GRANTS_MULTISIG, label: 'grants-multisig' },
        valueWei: '0',
        text: 'plain transfer to grants-multisig',
        gasUsed: '0',
        delegatecall: false,
        proxyForward: false,
      },
    ])
  })
})
