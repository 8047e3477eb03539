import { dataSlice, Interface, isHexString } from 'ethers'
import { ExecTransactionDecodeError } from '../errors/safe.js'
import { normalizeAddress, normalizeData, normalizeSafeTx } from './normalizeSafeTx.js'
import type { Address, Hex, Operation, SafeTx } from './types.js'

export const EXEC_TRANSACTION_SELECTOR = '0x6a761202'
export const GET_TRANSACTION_HASH_SELECTOR = '0xd8d11f78'

// `Enum.Operation` is a uint8 in the ABI; the signatures below give the selectors above.
const safeInterface = new Interface([
  'function execTransaction(address to, uint256 value, bytes data, uint8 operation, uint256 safeTxGas, uint256 baseGas, uint256 gasPrice, address gasToken, address refundReceiver, bytes signatures) payable returns (bool success)',
  'function getTransactionHash(address to, uint256 value, bytes data, uint8 operation, uint256 safeTxGas, uint256 baseGas, uint256 gasPrice, address gasToken, address refundReceiver, uint256 _nonce) view returns (bytes32)',
])

/** Calldata for `Safe.execTransaction`; the nonce is not an argument, the Safe uses its current one. */
export function encodeExecTransaction(tx: SafeTx, signatures: Hex): Hex {
  const t = normalizeSafeTx(tx)
  const sigs = normalizeData(signatures, 'signatures')
  return safeInterface.encodeFunctionData('execTransaction', [
    t.to,
    t.value,
    t.data,
    t.operation,
    t.safeTxGas,
    t.baseGas,
    t.gasPrice,
    t.gasToken,
    t.refundReceiver,
    sigs,
  ]) as Hex
}

export type DecodeExecTransactionReturnType = { tx: Omit<SafeTx, 'nonce'>; signatures: Hex }

/** Decodes an `execTransaction` input back to its transaction fields and signature bytes. */
export function decodeExecTransaction(data: Hex): DecodeExecTransactionReturnType {
  if (typeof data !== 'string' || !isHexString(data) || data.length % 2 !== 0) {
    throw new ExecTransactionDecodeError({ reason: 'not 0x-prefixed hex' })
  }
  if (data.length < 10 || dataSlice(data, 0, 4) !== EXEC_TRANSACTION_SELECTOR) {
    throw new ExecTransactionDecodeError({ reason: `selector ${data.slice(0, 10)} is not 0x6a761202` })
  }
  const canonical = decodeCanonical(data)
  if (canonical) return canonical
  let r: ReturnType<typeof safeInterface.decodeFunctionData>
  try {
    r = safeInterface.decodeFunctionData('execTransaction', data)
  } catch (cause) {
    throw new ExecTransactionDecodeError({ reason: 'arguments do not ABI-decode', cause })
  }
  // Read the raw word: ethers masks a uint8 to its low byte, so 0x101 would pass as 1, while the Safe's
  // decoder rejects any Enum word above 1 and such calldata can never execute.
  const operationWord = BigInt(dataSlice(data, 4 + 3 * 32, 4 + 4 * 32))
  if (operationWord !== 0n && operationWord !== 1n) {
    throw new ExecTransactionDecodeError({ reason: `operation word ${operationWord} is neither 0 nor 1` })
  }
  const operation = Number(operationWord) as Operation
  return {
    tx: {
      to: normalizeAddress(r[0], 'to'),
      value: r[1] as bigint,
      data: (r[2] as string).toLowerCase() as Hex,
      operation,
      safeTxGas: r[4] as bigint,
      baseGas: r[5] as bigint,
      gasPrice: r[6] as bigint,
      gasToken: normalizeAddress(r[7], 'gasToken'),
      refundReceiver: normalizeAddress(r[8], 'refundReceiver'),
    },
    signatures: (r[9] as string).toLowerCase() as Hex,
  }
}

/**
 * The common case decoded directly: the canonical encoding every ABI encoder writes (the two byte strings
 * at the offsets a standard encoder gives, zero padding, clean address words, operation 0 or 1, nothing
 * after). ethers' decoder gives the same values for such input at several times the cost (a replay decodes
 * one per execution); anything else returns undefined and is left to it, so what it accepts or rejects is
 * unchanged.
 */
function decodeCanonical(data: string): DecodeExecTransactionReturnType | undefined {
  const hex = data.slice(10).toLowerCase()
  const word = (i: number) => hex.slice(64 * i, 64 * (i + 1))
  const HEAD = 10 * 64
  if (hex.length < HEAD + 2 * 64) return undefined
  const cleanAddress = (w: string) =>
    w.startsWith('000000000000000000000000') ? `0x${w.slice(24)}` : undefined
  const bytesAt = (offsetWord: string, at: number) => {
    if (BigInt(`0x${offsetWord}`) !== BigInt(at / 2)) return undefined
    const length = BigInt(`0x${hex.slice(at, at + 64)}`)
    if (length > BigInt(hex.length)) return undefined
    const start = at + 64
    const end = start + Number(length) * 2
    const padded = start + Math.ceil(Number(length) / 32) * 64
    if (padded > hex.length || !/^0*$/.test(hex.slice(end, padded))) return undefined
    return { bytes: `0x${hex.slice(start, end)}` as Hex, next: padded }
  }
  const to = cleanAddress(word(0))
  const gasToken = cleanAddress(word(7))
  const refundReceiver = cleanAddress(word(8))
  const operation = word(3)
  if (!to || !gasToken || !refundReceiver || !/^0{63}[01]$/.test(operation)) return undefined
  const inner = bytesAt(word(2), HEAD)
  if (!inner) return undefined
  const signatures = bytesAt(word(9), inner.next)
  if (!signatures || signatures.next !== hex.length) return undefined
  return {
    tx: {
      to: normalizeAddress(to, 'to'),
      value: BigInt(`0x${word(1)}`),
      data: inner.bytes,
      operation: Number(operation.slice(63)) as Operation,
      safeTxGas: BigInt(`0x${word(4)}`),
      baseGas: BigInt(`0x${word(5)}`),
      gasPrice: BigInt(`0x${word(6)}`),
      gasToken: normalizeAddress(gasToken, 'gasToken'),
      refundReceiver: normalizeAddress(refundReceiver, 'refundReceiver'),
    },
    signatures: signatures.bytes,
  }
}

/** Calldata for the Safe's own `getTransactionHash`, to compare our hash with the chain's. */
export function encodeGetTransactionHash(tx: SafeTx): Hex {
  const t = normalizeSafeTx(tx)
  // Encoded by hand (ten head words, then the bytes): ethers' coder re-parses the signature and
  // checksums each address on every call, and a history replay asks this once per execution.
  const data = t.data.slice(2)
  const padded = data.padEnd(Math.ceil(data.length / 64) * 64, '0')
  return `${GET_TRANSACTION_HASH_SELECTOR}${[
    word(t.to),
    word(t.value),
    word(10n * 32n),
    word(BigInt(t.operation)),
    word(t.safeTxGas),
    word(t.baseGas),
    word(t.gasPrice),
    word(t.gasToken),
    word(t.refundReceiver),
    word(t.nonce),
    word(BigInt(data.length / 2)),
  ].join('')}${padded}`.toLowerCase() as Hex
}

/** One 32-byte ABI word: a uint, or an address left-padded. */
const word = (v: bigint | Address) => (typeof v === 'bigint' ? v.toString(16) : v.slice(2)).padStart(64, '0')
