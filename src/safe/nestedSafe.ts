import { AbiCoder, concat } from 'ethers'
import { InvalidSafeHashError } from '../errors/safe.js'
import { normalizeAddress, normalizeUint } from './normalizeSafeTx.js'
import {
  type HashSafeMessageErrorType,
  type HashSafeMessageReturnType,
  hashSafeMessage,
  hashSafeMessageData,
  type SafeMessageDataHashes,
  type SafeMessageInput,
} from './safeMessage.js'
import { safeTxFor } from './safeTxFor.js'
import type { Address, Hex, SafeTx } from './types.js'
import { parseSafeVersion, safeVersionAtLeast } from './version.js'

const abi = AbiCoder.defaultAbiCoder()

export const APPROVE_HASH_SELECTOR = '0xd4d9bdcd'

/**
 * The transaction an owner Safe executes to approve a parent Safe's transaction on chain (what
 * safe-tx-hashes-util and Safe{Wallet} build): `parent.approveHash(parentSafeTxHash)`, a plain call with
 * no value, no gas refund and the owner Safe's own nonce. The parent then counts it as a `v = 1` signature.
 * Hash it with `hashSafeTx` under the owner (nested) Safe's address and version.
 */
export function nestedApproveHashTx(parentSafe: Address, parentSafeTxHash: Hex, nonce: bigint): SafeTx {
  if (typeof parentSafeTxHash !== 'string' || !/^0x[0-9a-fA-F]{64}$/.test(parentSafeTxHash)) {
    throw new InvalidSafeHashError({ what: 'parent safeTxHash', value: parentSafeTxHash })
  }
  return safeTxFor(
    {
      to: normalizeAddress(parentSafe, 'parentSafe'),
      value: 0n,
      data: concat([APPROVE_HASH_SELECTOR, parentSafeTxHash]).toLowerCase() as Hex,
      operation: 0,
    },
    normalizeUint(nonce, 'nonce'),
  )
}

/**
 * Which bytes the owner Safe's fallback handler receives when the parent checks the owner's contract
 * signature (`v = 0`) — and so which SafeMessage the owner's owners must sign:
 * - `same-message`: the parent passes the message bytes on unchanged (the Safe ≤1.2 itself, and the 1.3.0
 *   CompatibilityFallbackHandler): the owner signs the same SafeMessage under its own domain.
 * - `preimage`: the 1.4.1 handler passes the 66-byte preimage `0x1901 ‖ domain ‖ struct` of the parent's
 *   safeMessageHash: the owner signs `SafeMessage(preimage)`, whose struct hashes the parentSafeMessageHash.
 * - `hash`: a 1.5.0 parent calls the owner's `isValidSignature(bytes32 parentSafeMessageHash)`, which the
 *   handler re-wraps as `abi.encode(hash)`: the owner signs `SafeMessage(abi.encode(parentSafeMessageHash))`.
 */
export type NestedMessageScheme = 'same-message' | 'preimage' | 'hash'

/**
 * The scheme for a parent Safe of `parentVersion` whose fallback handler is `handlerVersion` (by default
 * the CompatibilityFallbackHandler of the parent's own release, as Safe{Wallet} deploys it).
 */
export function nestedMessageScheme(parentVersion: string, handlerVersion?: string): NestedMessageScheme {
  const parent = parseSafeVersion(parentVersion)
  if (safeVersionAtLeast(parent, '1.5.0')) return 'hash'
  if (!safeVersionAtLeast(parent, '1.3.0')) return 'same-message'
  return safeVersionAtLeast(handlerVersion ?? parent, '1.4.1') ? 'preimage' : 'same-message'
}

export type HashNestedSafeMessageParameters = {
  chainId: bigint
  /** The Safe the dApp asked to sign (the parent), whose owner is `nestedSafe`. */
  parentSafe: Address
  parentVersion: string
  /** Version of the parent's CompatibilityFallbackHandler when known (read from chain); default: the parent's. */
  parentHandlerVersion?: string
  message: SafeMessageInput
  /** The owner that is itself a Safe; the hashes below are under its domain (same chain as the parent). */
  nestedSafe: Address
  nestedVersion: string
}

export type HashNestedSafeMessageReturnType = SafeMessageDataHashes & {
  scheme: NestedMessageScheme
  /** The message bytes the owner Safe's handler receives (`getMessageHashForSafe(nestedSafe, data)`). */
  data: Hex
  /** The parent's hashes, which the nested ones wrap. */
  parent: HashSafeMessageReturnType
}

export type HashNestedSafeMessageErrorType = HashSafeMessageErrorType

/**
 * The hashes the owners of a nested Safe sign so that it can sign a message for the parent Safe it owns:
 * the parent's message re-wrapped as a SafeMessage under the owner Safe's domain, in the form the parent's
 * signature check hands to the owner (see `NestedMessageScheme`).
 */
export function hashNestedSafeMessage(p: HashNestedSafeMessageParameters): HashNestedSafeMessageReturnType {
  const parent = hashSafeMessage({
    chainId: p.chainId,
    safe: p.parentSafe,
    version: p.parentVersion,
    message: p.message,
  })
  const scheme = nestedMessageScheme(p.parentVersion, p.parentHandlerVersion)
  const data = (
    scheme === 'hash'
      ? abi.encode(['bytes32'], [parent.safeMessageHash])
      : scheme === 'preimage'
        ? concat(['0x1901', parent.domainHash, parent.messageHash])
        : abi.encode(['bytes32'], [parent.rawMessageHash])
  ).toLowerCase() as Hex
  const nested = hashSafeMessageData({
    chainId: p.chainId,
    safe: p.nestedSafe,
    version: p.nestedVersion,
    data,
  })
  return { ...nested, scheme, data, parent }
}
