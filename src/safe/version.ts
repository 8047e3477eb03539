import { keccak256, toUtf8Bytes } from 'ethers'
import { UnknownSafeVersionError } from '../errors/safe.js'
import type { Hex } from './types.js'

/** Every released Safe singleton version. 1.4.0 was tagged but never released, so it is refused. */
export const KNOWN_SAFE_VERSIONS = [
  '0.1.0',
  '1.0.0',
  '1.1.0',
  '1.1.1',
  '1.2.0',
  '1.3.0',
  '1.4.1',
  '1.5.0',
] as const
export type KnownSafeVersion = (typeof KNOWN_SAFE_VERSIONS)[number]

export type SafeVersion = {
  major: number
  minor: number
  patch: number
  /** `+L2` suffix: the event-emitting singleton; hashing and signature rules are the same. */
  l2: boolean
  /** The string as given, e.g. `1.3.0+L2`. */
  raw: string
}

export type SafeVersionInput = string | SafeVersion

/**
 * Parses a Safe version as the Transaction Service reports it (`1.3.0+L2`) or `VERSION()` returns it.
 * Only released versions pass: a typo must not silently select the wrong hashing rules.
 */
export function parseSafeVersion(v: string): SafeVersion {
  const match = /^(\d+)\.(\d+)\.(\d+)(\+L2)?$/.exec(v)
  if (!match)
    throw new UnknownSafeVersionError({ version: v, reason: 'expected MAJOR.MINOR.PATCH with optional +L2' })
  const base = `${match[1]}.${match[2]}.${match[3]}`
  if (!(KNOWN_SAFE_VERSIONS as readonly string[]).includes(base)) {
    const reason = base === '1.4.0' ? '1.4.0 was never released (1.4.1 is the release)' : undefined
    throw new UnknownSafeVersionError({ version: v, ...(reason ? { reason } : {}) })
  }
  const version: SafeVersion = {
    major: Number(match[1]),
    minor: Number(match[2]),
    patch: Number(match[3]),
    l2: match[4] !== undefined,
    raw: v,
  }
  // SafeL2 first shipped with 1.3.0; an older "+L2" is a data error, not a variant.
  if (version.l2 && !atLeast(version, 1, 3, 0)) {
    throw new UnknownSafeVersionError({ version: v, reason: 'no L2 singleton exists before 1.3.0' })
  }
  return version
}

const toVersion = (v: SafeVersionInput): SafeVersion => (typeof v === 'string' ? parseSafeVersion(v) : v)

function atLeast(v: SafeVersion, major: number, minor: number, patch: number): boolean {
  if (v.major !== major) return v.major > major
  if (v.minor !== minor) return v.minor > minor
  return v.patch >= patch
}

/** True when `v` is at or above `min` (e.g. `safeVersionAtLeast('1.3.0+L2', '1.3.0')`). */
export function safeVersionAtLeast(v: SafeVersionInput, min: string): boolean {
  const m = parseSafeVersion(min)
  return atLeast(toVersion(v), m.major, m.minor, m.patch)
}

export const SAFE_TX_TYPE_BASE_GAS =
  'SafeTx(address to,uint256 value,bytes data,uint8 operation,uint256 safeTxGas,uint256 baseGas,uint256 gasPrice,address gasToken,address refundReceiver,uint256 nonce)'
export const SAFE_TX_TYPE_DATA_GAS =
  'SafeTx(address to,uint256 value,bytes data,uint8 operation,uint256 safeTxGas,uint256 dataGas,uint256 gasPrice,address gasToken,address refundReceiver,uint256 nonce)'
export const DOMAIN_TYPE_WITH_CHAIN_ID = 'EIP712Domain(uint256 chainId,address verifyingContract)'
export const DOMAIN_TYPE_WITHOUT_CHAIN_ID = 'EIP712Domain(address verifyingContract)'

const SAFE_TX_TYPEHASH_BASE_GAS = keccak256(toUtf8Bytes(SAFE_TX_TYPE_BASE_GAS)) as Hex
const SAFE_TX_TYPEHASH_DATA_GAS = keccak256(toUtf8Bytes(SAFE_TX_TYPE_DATA_GAS)) as Hex
const DOMAIN_TYPEHASH_WITH_CHAIN_ID = keccak256(toUtf8Bytes(DOMAIN_TYPE_WITH_CHAIN_ID)) as Hex
const DOMAIN_TYPEHASH_WITHOUT_CHAIN_ID = keccak256(toUtf8Bytes(DOMAIN_TYPE_WITHOUT_CHAIN_ID)) as Hex

/** 0.1.0 named the third gas field `dataGas`; only the type string (hence the typehash) differs. */
export function safeTxTypehash(version: SafeVersionInput): Hex {
  return atLeast(toVersion(version), 1, 0, 0) ? SAFE_TX_TYPEHASH_BASE_GAS : SAFE_TX_TYPEHASH_DATA_GAS
}

export function domainTypehash(version: SafeVersionInput): Hex {
  return domainHasChainId(version) ? DOMAIN_TYPEHASH_WITH_CHAIN_ID : DOMAIN_TYPEHASH_WITHOUT_CHAIN_ID
}

/** ≥1.3.0 computes the domain with chainId on every call; ≤1.2.0 stored it at setup without one. */
export function domainHasChainId(version: SafeVersionInput): boolean {
  return atLeast(toVersion(version), 1, 3, 0)
}

/** `checkNSignatures` gained the `v > 30` eth_sign branch in 1.1.0. */
export function supportsEthSign(version: SafeVersionInput): boolean {
  return atLeast(toVersion(version), 1, 1, 0)
}

/** 1.5.0 re-throws the inner call's revert data from execTransaction instead of a bare GS013. */
export function bubblesInnerRevert(version: SafeVersionInput): boolean {
  return atLeast(toVersion(version), 1, 5, 0)
}

/** Without chainId in the domain, a Safe at the same address on another chain accepts the same signatures. */
export function isCrossChainReplayable(version: SafeVersionInput): boolean {
  return !domainHasChainId(version)
}

/** 1.5.0 MultiSend / MultiSendCallOnly read a zero `to` as `address(this)`, i.e. the Safe. */
export function multiSendMapsZeroToSelf(version: SafeVersionInput): boolean {
  return atLeast(toVersion(version), 1, 5, 0)
}
