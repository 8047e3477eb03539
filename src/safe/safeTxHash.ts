import { AbiCoder, concat, keccak256 } from 'ethers'
import { InvalidSafeTxError } from '../errors/safe.js'
import { normalizeAddress, normalizeSafeTx } from './normalizeSafeTx.js'
import type { Address, Hex, SafeTx, SafeTxHashes } from './types.js'
import { domainHasChainId, domainTypehash, parseSafeVersion, safeTxTypehash } from './version.js'

const abi = AbiCoder.defaultAbiCoder()

export type DomainSeparatorParameters = {
  /** Ignored for Safes ≤1.2.0, whose domain has no chainId. */
  chainId: bigint
  safe: Address
  version: string
}

/** The Safe's EIP-712 domain separator: `{chainId, verifyingContract}` from 1.3.0, `{verifyingContract}` before. */
export function domainSeparator({ chainId, safe, version }: DomainSeparatorParameters): Hex {
  const v = parseSafeVersion(version)
  const verifyingContract = normalizeAddress(safe, 'safe')
  if (!domainHasChainId(v)) {
    return keccak256(abi.encode(['bytes32', 'address'], [domainTypehash(v), verifyingContract])) as Hex
  }
  if (typeof chainId !== 'bigint' || chainId <= 0n || chainId >= 1n << 256n) {
    throw new InvalidSafeTxError({ field: 'chainId', reason: 'must be a positive uint256 bigint' })
  }
  return keccak256(
    abi.encode(['bytes32', 'uint256', 'address'], [domainTypehash(v), chainId, verifyingContract]),
  ) as Hex
}

export type HashSafeTxParameters = { chainId: bigint; safe: Address; version: string; tx: SafeTx }
export type HashSafeTxReturnType = SafeTxHashes

/**
 * Computes the three hashes a signer should compare: the domain hash and message (struct) hash that a
 * Ledger shows while blind-signing, and the safeTxHash the Safe checks signatures against.
 */
export function hashSafeTx({ chainId, safe, version, tx }: HashSafeTxParameters): HashSafeTxReturnType {
  const v = parseSafeVersion(version)
  const t = normalizeSafeTx(tx)
  const domainHash = domainSeparator({ chainId, safe, version })
  // EIP-712 encodes a `bytes` member as its keccak; the gas field keeps its position whatever its name.
  const messageHash = keccak256(
    abi.encode(
      [
        'bytes32',
        'address',
        'uint256',
        'bytes32',
        'uint8',
        'uint256',
        'uint256',
        'uint256',
        'address',
        'address',
        'uint256',
      ],
      [
        safeTxTypehash(v),
        t.to,
        t.value,
        keccak256(t.data),
        t.operation,
        t.safeTxGas,
        t.baseGas,
        t.gasPrice,
        t.gasToken,
        t.refundReceiver,
        t.nonce,
      ],
    ),
  ) as Hex
  const safeTxHash = keccak256(concat(['0x1901', domainHash, messageHash])) as Hex
  return { domainHash, messageHash, safeTxHash }
}
