import { dataSlice, getAddress, Interface, isHexString } from 'ethers'
import { ExecTransactionDecodeError } from '../errors/safe.js'
import { normalizeData, normalizeSafeTx } from './normalizeSafeTx.js'
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
      to: getAddress(r[0]) as Address,
      value: r[1] as bigint,
      data: (r[2] as string).toLowerCase() as Hex,
      operation,
      safeTxGas: r[4] as bigint,
      baseGas: r[5] as bigint,
      gasPrice: r[6] as bigint,
      gasToken: getAddress(r[7]) as Address,
      refundReceiver: getAddress(r[8]) as Address,
    },
    signatures: (r[9] as string).toLowerCase() as Hex,
  }
}

/** Calldata for the Safe's own `getTransactionHash`, to compare our hash with the chain's. */
export function encodeGetTransactionHash(tx: SafeTx): Hex {
  const t = normalizeSafeTx(tx)
  return safeInterface.encodeFunctionData('getTransactionHash', [
    t.to,
    t.value,
    t.data,
    t.operation,
    t.safeTxGas,
    t.baseGas,
    t.gasPrice,
    t.gasToken,
    t.refundReceiver,
    t.nonce,
  ]) as Hex
}
