import {
  AbiCoder,
  concat,
  getAddress,
  getBytes,
  hexlify,
  isHexString,
  solidityPacked,
  ZeroAddress,
} from 'ethers'
import {
  InvalidCallError,
  InvalidSafeTxError,
  MalformedMultiSendError,
  MultiSendSelfTargetError,
  NotMultiSendCalldataError,
} from '../errors/safe.js'
import { normalizeAddress, normalizeData, normalizeOperation, normalizeUint } from './normalizeSafeTx.js'
import type { Address, Call, Hex, Operation } from './types.js'
import { multiSendMapsZeroToSelf, parseSafeVersion } from './version.js'

export const MULTISEND_SELECTOR = '0x8d80ff0a'

/** operation(1) ‖ to(20) ‖ value(32) ‖ dataLength(32), then `dataLength` bytes of data. */
const HEADER_LENGTH = 85

/** The packed `transactions` argument: one `operation ‖ to ‖ value ‖ dataLength ‖ data` record per call. */
export function encodeMultiSendTransactions(calls: readonly Call[]): Hex {
  const parts = calls.map((call, index) => {
    const c = normalizeCall(call, index)
    return solidityPacked(
      ['uint8', 'address', 'uint256', 'uint256', 'bytes'],
      [c.operation, c.to, c.value, BigInt((c.data.length - 2) / 2), c.data],
    )
  })
  return (parts.length ? concat(parts) : '0x') as Hex
}

/**
 * Calldata for `multiSend(bytes)`; the Safe must execute it as a DELEGATECALL to MultiSend or
 * MultiSendCallOnly with value 0 (MultiSendCallOnly refuses inner delegatecalls).
 */
export function encodeMultiSend(calls: readonly Call[]): Hex {
  const packed = encodeMultiSendTransactions(calls)
  return concat([MULTISEND_SELECTOR, AbiCoder.defaultAbiCoder().encode(['bytes'], [packed])]) as Hex
}

export type DecodeMultiSendOptions = {
  /** Version of the executing Safe; from 1.5.0 a zero `to` means the Safe itself. */
  safeVersion?: string
  /** The executing Safe, substituted for a zero `to` on 1.5.0. */
  safe?: Address
}

/**
 * Decodes `multiSend(bytes)` calldata into its calls. Strict: the outer ABI must be canonical (offset 0x20,
 * zero padding, nothing after it) and the packed records must tile the payload exactly; any deviation throws
 * a `MalformedMultiSendError` naming the byte offset in `data`, so a reviewer never sees a partial batch.
 */
export function decodeMultiSend(data: Hex, options: DecodeMultiSendOptions = {}): Call[] {
  const bytes = toBytes(data)
  if (bytes.length < 4) throw new MalformedMultiSendError({ offset: 0, reason: 'shorter than a selector' })
  const selector = hexlify(bytes.subarray(0, 4))
  if (selector !== MULTISEND_SELECTOR) throw new NotMultiSendCalldataError({ selector })
  if (bytes.length < 4 + 64) {
    throw new MalformedMultiSendError({ offset: 4, reason: 'missing the bytes offset and length words' })
  }
  const offset = readWord(bytes, 4)
  if (offset !== 32n) {
    throw new MalformedMultiSendError({
      offset: 4,
      reason: `non-canonical bytes offset ${offset} (expected 32)`,
    })
  }
  const length = readWord(bytes, 36)
  const start = 68
  const available = bytes.length - start
  if (length > BigInt(available)) {
    throw new MalformedMultiSendError({
      offset: 36,
      reason: `declares ${length} payload bytes but only ${available} follow`,
    })
  }
  const end = start + Number(length)
  const paddedEnd = start + Math.ceil(Number(length) / 32) * 32
  if (bytes.length < paddedEnd) {
    throw new MalformedMultiSendError({
      offset: bytes.length,
      reason: 'ABI padding of the payload is truncated',
    })
  }
  for (let i = end; i < paddedEnd; i++) {
    if (bytes[i] !== 0) throw new MalformedMultiSendError({ offset: i, reason: 'non-zero ABI padding byte' })
  }
  if (bytes.length > paddedEnd) {
    throw new MalformedMultiSendError({
      offset: paddedEnd,
      reason: `${bytes.length - paddedEnd} trailing bytes after the payload`,
    })
  }
  return decodePacked(bytes, start, end, options)
}

/** Decodes the packed `transactions` bytes (no selector, no ABI wrapper); offsets are into `packed`. */
export function decodeMultiSendTransactions(packed: Hex, options: DecodeMultiSendOptions = {}): Call[] {
  const bytes = toBytes(packed)
  return decodePacked(bytes, 0, bytes.length, options)
}

function decodePacked(
  bytes: Uint8Array,
  start: number,
  end: number,
  options: DecodeMultiSendOptions,
): Call[] {
  const mapZero =
    options.safeVersion !== undefined && multiSendMapsZeroToSelf(parseSafeVersion(options.safeVersion))
  const self = options.safe === undefined ? undefined : normalizeAddress(options.safe, 'safe')
  const calls: Call[] = []
  let p = start
  while (p < end) {
    const index = calls.length
    if (end - p < HEADER_LENGTH) {
      throw new MalformedMultiSendError({
        offset: p,
        reason: `call #${index} is truncated: its header needs ${HEADER_LENGTH} bytes, ${end - p} remain`,
      })
    }
    const operation = bytes[p]!
    // MultiSend reverts on any other operation byte (its `success` stays 0), MultiSendCallOnly on 1.
    if (operation !== 0 && operation !== 1) {
      throw new MalformedMultiSendError({ offset: p, reason: `call #${index} has operation ${operation}` })
    }
    let to = getAddress(hexlify(bytes.subarray(p + 1, p + 21))) as Address
    const value = readWord(bytes, p + 21)
    const dataLength = readWord(bytes, p + 53)
    const dataStart = p + HEADER_LENGTH
    if (dataLength > BigInt(end - dataStart)) {
      throw new MalformedMultiSendError({
        offset: p + 53,
        reason: `call #${index} declares ${dataLength} data bytes but only ${end - dataStart} remain`,
      })
    }
    const dataEnd = dataStart + Number(dataLength)
    if (to === ZeroAddress && mapZero) {
      if (self === undefined) throw new MultiSendSelfTargetError({ offset: p + 1 })
      to = self
    }
    calls.push({
      to,
      value,
      data: hexlify(bytes.subarray(dataStart, dataEnd)) as Hex,
      operation: operation as Operation,
    })
    p = dataEnd
  }
  return calls
}

function normalizeCall(call: Call, index: number): Call {
  try {
    return {
      to: normalizeAddress(call.to, 'to'),
      value: normalizeUint(call.value, 'value'),
      data: normalizeData(call.data, 'data'),
      operation: normalizeOperation(call.operation, 'operation'),
    }
  } catch (cause) {
    if (cause instanceof InvalidSafeTxError) {
      throw new InvalidCallError({ index, field: cause.field, reason: cause.reason, cause })
    }
    throw cause
  }
}

function toBytes(data: Hex): Uint8Array {
  if (typeof data !== 'string' || !isHexString(data) || data.length % 2 !== 0) {
    throw new MalformedMultiSendError({ offset: 0, reason: 'input is not 0x-prefixed hex with whole bytes' })
  }
  return getBytes(data)
}

function readWord(bytes: Uint8Array, at: number): bigint {
  return BigInt(hexlify(bytes.subarray(at, at + 32)))
}
