import { getAddress, isHexString } from 'ethers'
import { InvalidSafeTxError } from '../errors/safe.js'
import type { Address, Hex, Operation, SafeTx } from './types.js'

const MAX_UINT256 = (1n << 256n) - 1n

/**
 * Checks every field before it reaches the hash: a uint8 `operation` of 2 or a 21-byte address would still
 * hash, but the Safe's ABI decoder would reject the call, so the signature would be for nothing.
 * Returns a copy with checksummed addresses and lowercase data.
 */
export function normalizeSafeTx(tx: SafeTx): SafeTx {
  return {
    to: normalizeAddress(tx.to, 'to'),
    value: normalizeUint(tx.value, 'value'),
    data: normalizeData(tx.data, 'data'),
    operation: normalizeOperation(tx.operation, 'operation'),
    safeTxGas: normalizeUint(tx.safeTxGas, 'safeTxGas'),
    baseGas: normalizeUint(tx.baseGas, 'baseGas'),
    gasPrice: normalizeUint(tx.gasPrice, 'gasPrice'),
    gasToken: normalizeAddress(tx.gasToken, 'gasToken'),
    refundReceiver: normalizeAddress(tx.refundReceiver, 'refundReceiver'),
    nonce: normalizeUint(tx.nonce, 'nonce'),
  }
}

// Checksumming is a keccak: the same few addresses (the Safe, zero gas token, common targets) come back in
// every transaction a replay hashes. Keyed by the exact input, so a bad checksum is never cached.
const checksummed = new Map<string, Address>()

export function normalizeAddress(value: unknown, field: string): Address {
  if (typeof value !== 'string' || !/^0x[0-9a-fA-F]{40}$/.test(value)) {
    throw new InvalidSafeTxError({ field, reason: 'not a 20-byte hex address' })
  }
  const known = checksummed.get(value)
  if (known) return known
  try {
    const address = getAddress(value) as Address
    if (checksummed.size >= 4096) checksummed.clear()
    checksummed.set(value, address)
    return address
  } catch (cause) {
    // getAddress only fails here on a mixed-case string whose checksum is wrong: likely a typo.
    throw new InvalidSafeTxError({ field, reason: 'mixed-case address with a wrong checksum', cause })
  }
}

export function normalizeUint(value: unknown, field: string): bigint {
  if (typeof value !== 'bigint') throw new InvalidSafeTxError({ field, reason: 'must be a bigint' })
  if (value < 0n || value > MAX_UINT256)
    throw new InvalidSafeTxError({ field, reason: 'out of uint256 range' })
  return value
}

export function normalizeData(value: unknown, field: string): Hex {
  if (typeof value !== 'string' || !isHexString(value) || value.length % 2 !== 0) {
    throw new InvalidSafeTxError({ field, reason: 'must be 0x-prefixed hex with an even number of digits' })
  }
  return value.toLowerCase() as Hex
}

export function normalizeOperation(value: unknown, field: string): Operation {
  if (value !== 0 && value !== 1) {
    throw new InvalidSafeTxError({ field, reason: 'must be 0 (call) or 1 (delegatecall)' })
  }
  return value
}
