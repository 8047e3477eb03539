import { encodeFunctionData, parseAbi, parseAbiItem } from 'viem'
import { describe, expect, it } from 'vitest'
import { GRANTS_MULTISIG, PLAY_DAO_TREASURY } from '../../../src/devnet/accounts.js'
import { TxBuilderEncodeError } from '../../../src/errors/txbuilder.js'
import type { TxBuilderContractInput, TxBuilderTransaction } from '../../../src/txbuilder/schema.js'
import { parseInputValue, txBuilderTransactionData } from '../../../src/txbuilder/transactionData.js'

const TOKEN = '0x5FbDB2315678afecb367f032d93F642f64180aa3'

/** An ABI-form entry as Safe{Wallet} writes it: `data: null`, every value a string. */
const abiEntry = (
  name: string,
  inputs: TxBuilderContractInput[],
  values: Record<string, string>,
  extra: Partial<TxBuilderTransaction> = {},
): TxBuilderTransaction => ({
  to: TOKEN,
  value: '0',
  data: null,
  contractMethod: { name, payable: false, inputs },
  contractInputsValues: values,
  ...extra,
})
const input = (name: string, type: string, components?: TxBuilderContractInput[]) => ({
  internalType: type,
  name,
  type,
  ...(components ? { components } : {}),
})
const dataOf = (tx: TxBuilderTransaction) => txBuilderTransactionData(tx).data

describe('calldata of a Transaction Builder entry (safe.md §5.2), compared with viem', () => {
  const transfer = parseAbi(['function transfer(address to, uint256 amount)'])
  const transferInputs = [input('to', 'address'), input('amount', 'uint256')]

  it('encodes contractMethod + contractInputsValues when data is null', () => {
    const tx = abiEntry('transfer', transferInputs, { to: GRANTS_MULTISIG, amount: '2500000000' })
    expect(txBuilderTransactionData(tx)).toEqual({
      data: encodeFunctionData({
        abi: transfer,
        functionName: 'transfer',
        args: [GRANTS_MULTISIG, 2_500_000_000n],
      }),
      from: 'contractMethod',
    })
  })

  it('reads integers the BN.js way: 0x-hex, bare digits with a–f as hex, plain digits as decimal, quotes stripped', () => {
    const cases: [string, bigint][] = [
      ['10', 10n],
      ['0x10', 16n],
      ['1a', 26n],
      ['"42"', 42n],
      [" '7' ", 7n],
      ['115792089237316195423570985008687907853269984665640564039457584007913129639935', 2n ** 256n - 1n],
    ]
    for (const [text, value] of cases) {
      expect(dataOf(abiEntry('transfer', transferInputs, { to: GRANTS_MULTISIG, amount: text }))).toBe(
        encodeFunctionData({ abi: transfer, functionName: 'transfer', args: [GRANTS_MULTISIG, value] }),
      )
    }
    const signed = parseAbi(['function set(int256 delta)'])
    expect(dataOf(abiEntry('set', [input('delta', 'int256')], { delta: '-5' }))).toBe(
      encodeFunctionData({ abi: signed, functionName: 'set', args: [-5n] }),
    )
  })

  it('reads booleans as true/false/1/0 in any case', () => {
    const abi = parseAbi(['function pause(bool on)'])
    for (const [text, value] of [
      ['true', true],
      ['True', true],
      ['1', true],
      ['FALSE', false],
      ['0', false],
    ] as const) {
      expect(dataOf(abiEntry('pause', [input('on', 'bool')], { on: text }))).toBe(
        encodeFunctionData({ abi, functionName: 'pause', args: [value] }),
      )
    }
    expect(() => dataOf(abiEntry('pause', [input('on', 'bool')], { on: 'yes' }))).toThrow(
      TxBuilderEncodeError,
    )
  })

  it('reads arrays with the bracket splitter, string arrays and tuples as JSON', () => {
    const abi = parseAbi([
      'function batch(address[] to, uint256[] amounts, uint8[][] grid, string[] notes, bytes32 salt, string memo, bytes blob)',
    ])
    const salt = `0x${'ab'.repeat(32)}` as const
    const tx = abiEntry(
      'batch',
      [
        input('to', 'address[]'),
        input('amounts', 'uint256[]'),
        input('grid', 'uint8[][]'),
        input('notes', 'string[]'),
        input('salt', 'bytes32'),
        input('memo', 'string'),
        input('blob', 'bytes'),
      ],
      {
        to: `["${GRANTS_MULTISIG}", ${PLAY_DAO_TREASURY}]`,
        amounts: '[1, 0x10, "1a"]',
        grid: '[[1,2], [3]]',
        notes: '["a, b", "c"]',
        salt,
        memo: 'Round 8',
        blob: '0x1234',
      },
    )
    expect(dataOf(tx)).toBe(
      encodeFunctionData({
        abi,
        functionName: 'batch',
        args: [
          [GRANTS_MULTISIG, PLAY_DAO_TREASURY],
          [1n, 16n, 26n],
          [[1, 2], [3]],
          ['a, b', 'c'],
          salt,
          'Round 8',
          '0x1234',
        ],
      }),
    )

    const tupleAbi = [parseAbiItem('function pay((address to, uint256 amount) p)')]
    const tuple = abiEntry(
      'pay',
      [input('p', 'tuple', [input('to', 'address'), input('amount', 'uint256')])],
      { p: `["${GRANTS_MULTISIG}", "5"]` },
    )
    expect(dataOf(tuple)).toBe(
      encodeFunctionData({ abi: tupleAbi, functionName: 'pay', args: [{ to: GRANTS_MULTISIG, amount: 5n }] }),
    )
  })

  it('looks an unnamed input up by its index', () => {
    const tx = abiEntry('transfer', [input('', 'address'), input('', 'uint256')], {
      0: GRANTS_MULTISIG,
      1: '3',
    })
    expect(dataOf(tx)).toBe(
      encodeFunctionData({ abi: transfer, functionName: 'transfer', args: [GRANTS_MULTISIG, 3n] }),
    )
  })

  it('uses non-empty data as is, falls through an empty string, and sends 0x without a method', () => {
    const data = '0xdeadbeef'
    const both = abiEntry('transfer', transferInputs, { to: GRANTS_MULTISIG, amount: '1' }, { data })
    expect(txBuilderTransactionData(both)).toEqual({ data, from: 'data' })
    const empty = abiEntry('transfer', transferInputs, { to: GRANTS_MULTISIG, amount: '1' }, { data: '' })
    expect(txBuilderTransactionData(empty).from).toBe('contractMethod')
    expect(txBuilderTransactionData({ to: TOKEN, value: '5', data: null, contractMethod: null })).toEqual({
      data: '0x',
      from: 'none',
    })
    expect(txBuilderTransactionData({ to: TOKEN, value: '5' })).toEqual({ data: '0x', from: 'none' })
    expect(dataOf(abiEntry('receive', [], {}, { value: '5' }))).toBe('0x')
  })

  it('refuses what Safe{Wallet} would silently send as "0x": a missing, empty or malformed value', () => {
    expect(() => dataOf(abiEntry('transfer', transferInputs, { amount: '1' }))).toThrow(/input "to"/)
    expect(() => dataOf(abiEntry('transfer', transferInputs, { to: GRANTS_MULTISIG, amount: '' }))).toThrow(
      /input "amount" \(uint256\): an integer cannot be empty/,
    )
    expect(() =>
      dataOf(abiEntry('transfer', transferInputs, { to: GRANTS_MULTISIG, amount: '1.5' })),
    ).toThrow(TxBuilderEncodeError)
    expect(() => dataOf(abiEntry('transfer', transferInputs, { to: GRANTS_MULTISIG, amount: '-1' }))).toThrow(
      /does not encode/,
    )
    expect(() => parseInputValue('uint256[]', '[1,,2]')).toThrow(/empty/)
  })
})
