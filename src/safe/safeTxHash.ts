import { keccak256 } from 'ethers'
import { InvalidSafeTxError } from '../errors/safe.js'
import { normalizeAddress, normalizeSafeTx } from './normalizeSafeTx.js'
import type { Address, Hex, SafeTx, SafeTxHashes } from './types.js'
import { domainHasChainId, domainTypehash, parseSafeVersion, safeTxTypehash } from './version.js'

// Every member of the domain and of the SafeTx struct is a static type, so abi.encode is just 32-byte
// words side by side: built here as hex, it costs a fraction of ethers' coder, which re-parses the type
// strings and checksums every address on each call (a history replay hashes twice per execution).
const uintWord = (v: bigint) => v.toString(16).padStart(64, '0')
const addressWord = (a: Address) => a.slice(2).toLowerCase().padStart(64, '0')

// Per Safe, chain and version: a replay of one Safe asks for the same separator thousands of times.
const domains = new Map<string, Hex>()

export type DomainSeparatorParameters = {
  /** Ignored for Safes ≤1.2.0, whose domain has no chainId. */
  chainId: bigint
  safe: Address
  version: string
}

/** The Safe's EIP-712 domain separator: `{chainId, verifyingContract}` from 1.3.0, `{verifyingContract}` before. */
export function domainSeparator({ chainId, safe, version }: DomainSeparatorParameters): Hex {
  const key = `${typeof chainId === 'bigint' ? chainId : String(chainId)}:${safe}:${version}`
  let hash = domains.get(key)
  if (!hash) {
    hash = computeDomainSeparator({ chainId, safe, version })
    // Bounded: a process hashing for many Safes (tests) keeps a few hundred, not all.
    if (domains.size >= 256) domains.clear()
    domains.set(key, hash)
  }
  return hash
}

function computeDomainSeparator({ chainId, safe, version }: DomainSeparatorParameters): Hex {
  const v = parseSafeVersion(version)
  const verifyingContract = normalizeAddress(safe, 'safe')
  if (!domainHasChainId(v)) {
    return keccak256(`${domainTypehash(v)}${addressWord(verifyingContract)}`) as Hex
  }
  if (typeof chainId !== 'bigint' || chainId <= 0n || chainId >= 1n << 256n) {
    throw new InvalidSafeTxError({ field: 'chainId', reason: 'must be a positive uint256 bigint' })
  }
  return keccak256(`${domainTypehash(v)}${uintWord(chainId)}${addressWord(verifyingContract)}`) as Hex
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
    [
      safeTxTypehash(v),
      addressWord(t.to),
      uintWord(t.value),
      keccak256(t.data).slice(2),
      uintWord(BigInt(t.operation)),
      uintWord(t.safeTxGas),
      uintWord(t.baseGas),
      uintWord(t.gasPrice),
      addressWord(t.gasToken),
      addressWord(t.refundReceiver),
      uintWord(t.nonce),
    ].join(''),
  ) as Hex
  const safeTxHash = keccak256(`0x1901${domainHash.slice(2)}${messageHash.slice(2)}`) as Hex
  return { domainHash, messageHash, safeTxHash }
}
