import { Interface } from 'ethers'
import { encodeFunctionData, parseAbi, toFunctionSelector } from 'viem'
import { describe, expect, it } from 'vitest'
import { ExecTransactionDecodeError, InvalidSafeTxError } from '../../../src/errors/safe.js'
import {
  decodeExecTransaction,
  EXEC_TRANSACTION_SELECTOR,
  encodeExecTransaction,
  encodeGetTransactionHash,
  GET_TRANSACTION_HASH_SELECTOR,
} from '../../../src/safe/execTransaction.js'
import type { Hex, SafeTx } from '../../../src/safe/types.js'
import { rng } from './random.js'

const safeAbi = parseAbi([
  'function execTransaction(address to, uint256 value, bytes data, uint8 operation, uint256 safeTxGas, uint256 baseGas, uint256 gasPrice, address gasToken, address refundReceiver, bytes signatures) payable returns (bool success)',
  'function getTransactionHash(address to, uint256 value, bytes data, uint8 operation, uint256 safeTxGas, uint256 baseGas, uint256 gasPrice, address gasToken, address refundReceiver, uint256 _nonce) view returns (bytes32)',
])

function randomTx(r: ReturnType<typeof rng>): SafeTx {
  return {
    to: r.address(),
    value: r.uint(),
    data: r.hex(r.int(301)),
    operation: r.pick([0, 1] as const),
    safeTxGas: r.uint(),
    baseGas: r.uint(),
    gasPrice: r.uint(),
    gasToken: r.address(),
    refundReceiver: r.address(),
    nonce: r.uint(),
  }
}

const args = (tx: SafeTx) =>
  [
    tx.to,
    tx.value,
    tx.data,
    tx.operation,
    tx.safeTxGas,
    tx.baseGas,
    tx.gasPrice,
    tx.gasToken,
    tx.refundReceiver,
  ] as const

describe('execTransaction / getTransactionHash calldata (safe.md §4.1, §4.7)', () => {
  it('uses the reference selectors', () => {
    expect(EXEC_TRANSACTION_SELECTOR).toBe('0x6a761202')
    expect(GET_TRANSACTION_HASH_SELECTOR).toBe('0xd8d11f78')
    expect(toFunctionSelector(safeAbi[0])).toBe(EXEC_TRANSACTION_SELECTOR)
    expect(toFunctionSelector(safeAbi[1])).toBe(GET_TRANSACTION_HASH_SELECTOR)
  })

  it('encodes like viem and decodes back, for 200 random transactions', () => {
    const r = rng(0xe7ec)
    for (let i = 0; i < 200; i++) {
      const tx = randomTx(r)
      const signatures = r.hex(r.int(4) * 65)
      const ours = encodeExecTransaction(tx, signatures)
      expect(ours.startsWith(EXEC_TRANSACTION_SELECTOR)).toBe(true)
      expect(ours).toBe(
        encodeFunctionData({
          abi: safeAbi,
          functionName: 'execTransaction',
          args: [...args(tx), signatures],
        }),
      )
      const decoded = decodeExecTransaction(ours)
      const { nonce: _nonce, ...rest } = tx
      expect(decoded.signatures).toBe(signatures)
      expect({
        ...decoded.tx,
        to: decoded.tx.to.toLowerCase(),
        gasToken: decoded.tx.gasToken.toLowerCase(),
        refundReceiver: decoded.tx.refundReceiver.toLowerCase(),
      }).toEqual({
        ...rest,
        to: rest.to.toLowerCase(),
        gasToken: rest.gasToken.toLowerCase(),
        refundReceiver: rest.refundReceiver.toLowerCase(),
      })

      const hashCall = encodeGetTransactionHash(tx)
      expect(hashCall).toBe(
        encodeFunctionData({
          abi: safeAbi,
          functionName: 'getTransactionHash',
          args: [...args(tx), tx.nonce],
        }),
      )
    }
  })

  it('returns checksummed addresses when decoding', () => {
    const tx: SafeTx = {
      to: '0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48',
      value: 0n,
      data: '0x',
      operation: 0,
      safeTxGas: 0n,
      baseGas: 0n,
      gasPrice: 0n,
      gasToken: '0x0000000000000000000000000000000000000000',
      refundReceiver: '0x0000000000000000000000000000000000000000',
      nonce: 0n,
    }
    expect(decodeExecTransaction(encodeExecTransaction(tx, '0x')).tx.to).toBe(
      '0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48',
    )
  })

  it('rejects calldata that is not execTransaction or does not decode', () => {
    const tx = randomTx(rng(1))
    const good = encodeExecTransaction(tx, '0x')
    const cases: Hex[] = [
      '0x',
      '0x6a7612',
      `0x12345678${good.slice(10)}`,
      good.slice(0, 100) as Hex,
      '0xnothex' as Hex,
      `${good}0` as Hex,
    ]
    for (const data of cases) {
      let err: unknown
      try {
        decodeExecTransaction(data)
      } catch (e) {
        err = e
      }
      expect(err, data).toBeInstanceOf(ExecTransactionDecodeError)
      expect((err as ExecTransactionDecodeError).code).toBe('SAFE_EXEC_CALLDATA_INVALID')
    }
  })

  it('decodes non-canonical encodings as ethers does (the direct path takes the canonical one only)', () => {
    const reference = new Interface([
      'function execTransaction(address to, uint256 value, bytes data, uint8 operation, uint256 safeTxGas, uint256 baseGas, uint256 gasPrice, address gasToken, address refundReceiver, bytes signatures) payable returns (bool success)',
    ])
    const asEthers = (data: Hex) => {
      try {
        const r = reference.decodeFunctionData('execTransaction', data)
        return { to: r[0], value: r[1], data: r[2], gasToken: r[7], refundReceiver: r[8], signatures: r[9] }
      } catch {
        return 'throws'
      }
    }
    const ours = (data: Hex) => {
      try {
        const { tx, signatures } = decodeExecTransaction(data)
        return {
          to: tx.to,
          value: tx.value,
          data: tx.data,
          gasToken: tx.gasToken,
          refundReceiver: tx.refundReceiver,
          signatures,
        }
      } catch {
        return 'throws'
      }
    }
    const r = rng(0xca70)
    for (let i = 0; i < 50; i++) {
      const tx = { ...randomTx(r), data: r.hex(1 + r.int(70)) }
      const signatures = r.hex(65 * (1 + r.int(3)))
      const good = encodeExecTransaction(tx, signatures)
      const head = good.slice(0, 10 + 10 * 64)
      const tail = good.slice(10 + 10 * 64)
      const dataWords = 1 + Math.ceil((tx.data.length - 2) / 64)
      const dataPart = tail.slice(0, dataWords * 64)
      const sigPart = tail.slice(dataWords * 64)
      const setWord = (h: string, n: number, v: bigint) =>
        h.slice(0, 10 + n * 64) + v.toString(16).padStart(64, '0') + h.slice(10 + (n + 1) * 64)
      // Signatures first, then the data: offsets a standard encoder would not write.
      let swapped = setWord(head, 9, 320n)
      swapped = setWord(swapped, 2, BigInt(320 + sigPart.length / 2))
      const variants = [
        good,
        `${good}${'00'.repeat(32)}`,
        `${swapped}${sigPart}${dataPart}`,
        // A non-zero last byte of the data's part: padding, unless its length is a multiple of 32.
        `${head}${dataPart.slice(0, -2)}ff${sigPart}`,
        // A dirty high byte in the `to` word.
        `${head.slice(0, 10)}ff${head.slice(12)}${tail}`,
      ] as Hex[]
      for (const data of variants) expect(ours(data), data).toEqual(asEthers(data))
    }
  })

  it('rejects an operation word above 1 even if its low byte is 0 or 1', () => {
    const tx = { ...randomTx(rng(2)), operation: 1 as const }
    const good = encodeExecTransaction(tx, '0x')
    // Operation is the fourth head word: selector (10 hex chars) + 3 × 64.
    const at = 10 + 3 * 64
    for (const word of ['02', '0101']) {
      const bad = (good.slice(0, at) + word.padStart(64, '0') + good.slice(at + 64)) as Hex
      expect(() => decodeExecTransaction(bad)).toThrow(ExecTransactionDecodeError)
    }
  })

  it('validates the transaction before encoding', () => {
    const tx = randomTx(rng(3))
    expect(() => encodeExecTransaction({ ...tx, operation: 3 as 0 }, '0x')).toThrow(InvalidSafeTxError)
    expect(() => encodeExecTransaction(tx, '0x1' as Hex)).toThrow(InvalidSafeTxError)
    expect(() => encodeGetTransactionHash({ ...tx, nonce: -1n })).toThrow(InvalidSafeTxError)
  })
})
