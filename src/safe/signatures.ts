import {
  concat,
  getAddress,
  getBytes,
  hashMessage,
  hexlify,
  isHexString,
  N,
  type Signature,
  SigningKey,
  toBeHex,
  zeroPadValue,
} from 'ethers'
import {
  DuplicateSignerError,
  EthSignUnsupportedError,
  InvalidPrivateKeyError,
  InvalidSafeHashError,
  InvalidSignatureItemError,
  InvalidSignatureVError,
  MalformedSafeSignaturesError,
  MalleableSignatureError,
  SignerMismatchError,
  UnrecoverableSignatureError,
  UnsortedSafeSignaturesError,
} from '../errors/safe.js'
import { recoverAddress } from '../utils/recoverAddress.js'
import { normalizeAddress } from './normalizeSafeTx.js'
import type { Address, Hex } from './types.js'
import { parseSafeVersion, supportsEthSign } from './version.js'

export type SafeSignatureKind = 'eoa' | 'eth_sign' | 'approved-hash' | 'contract'

/** An ECDSA item: `data` is the 65-byte r ‖ s ‖ v with v 27/28 (eoa) or 31/32 (eth_sign). */
export type EcdsaSignatureItem = { kind: 'eoa' | 'eth_sign'; signer: Address; data: Hex }
/** A pre-validated owner (`approveHash` on chain, or the executor itself); `data` defaults to the canonical item. */
export type ApprovedHashSignatureItem = { kind: 'approved-hash'; signer: Address; data?: Hex }
/** An EIP-1271 owner: `signature` is what its `isValidSignature` receives. */
export type ContractSignatureItem = { kind: 'contract'; signer: Address; signature: Hex }
export type SafeSignatureItem = EcdsaSignatureItem | ApprovedHashSignatureItem | ContractSignatureItem

/**
 * One parsed item. `data` is the 65-byte static item, followed for contract signatures by their
 * {length}{bytes} dynamic part; `offset` is where the static item starts in the input.
 */
export type ParsedSignature =
  | { kind: 'eoa' | 'eth_sign'; signer: Address; data: Hex; offset: number }
  | { kind: 'approved-hash'; signer: Address; data: Hex; offset: number }
  | {
      kind: 'contract'
      signer: Address
      data: Hex
      offset: number
      /** The signature bytes handed to the owner's `isValidSignature` (not verified here). */
      signature: Hex
      /** Where the {length}{bytes} part starts, i.e. the item's `s` value. */
      dynamicOffset: number
    }

export type ParseSafeSignaturesOptions = {
  /** Safe version: refuses eth_sign items on Safes older than 1.1.0, which cannot check them. */
  version?: string
  /**
   * Number of static items (the threshold), as `checkNSignatures` reads them. Without it the static part
   * ends where the first contract-signature payload starts, or at the end of the bytes.
   */
  count?: number
  /** Accept items not in strictly ascending signer order (the Safe itself would revert with GS026). */
  allowUnsorted?: boolean
}

const ITEM = 65
const HALF_N = N >> 1n

/**
 * Walks Safe signature bytes like `checkNSignatures`, recovering ECDSA signers over `dataHash` (the
 * safeTxHash) and reading owner addresses of approved-hash and contract items. Contract signatures are
 * returned, not verified: that needs the chain. Malformed bytes throw typed errors naming the offset.
 */
export function parseSafeSignatures(
  signatures: Hex,
  dataHash: Hex,
  options: ParseSafeSignaturesOptions = {},
): ParsedSignature[] {
  if (typeof signatures !== 'string' || !isHexString(signatures) || signatures.length % 2 !== 0) {
    throw new MalformedSafeSignaturesError({ offset: 0, reason: 'not 0x-prefixed hex with whole bytes' })
  }
  assertHash(dataHash, 'data hash')
  const version = options.version === undefined ? undefined : parseSafeVersion(options.version)
  const bytes = getBytes(signatures)

  let staticEnd = bytes.length
  if (options.count !== undefined) {
    if (!Number.isSafeInteger(options.count) || options.count < 0) {
      throw new MalformedSafeSignaturesError({
        offset: 0,
        reason: `count ${options.count} is not a whole number`,
      })
    }
    staticEnd = options.count * ITEM
    if (bytes.length < staticEnd) {
      throw new MalformedSafeSignaturesError({
        offset: bytes.length,
        reason: `${options.count} signatures need ${staticEnd} bytes, only ${bytes.length} given`,
      })
    }
  }

  const parsed: ParsedSignature[] = []
  let previous = 0n
  let pos = 0
  while (pos < staticEnd) {
    if (pos + ITEM > staticEnd) {
      throw new MalformedSafeSignaturesError({
        offset: pos,
        reason:
          staticEnd === bytes.length
            ? `${staticEnd - pos} bytes left where a 65-byte item is expected`
            : `signature items end at byte ${staticEnd} (first contract-signature payload), not a multiple of 65`,
      })
    }
    const item = bytes.subarray(pos, pos + ITEM)
    const r = hexlify(item.subarray(0, 32)) as Hex
    const s = hexlify(item.subarray(32, 64)) as Hex
    const v = item[64]!
    let sig: ParsedSignature

    if (v === 0) {
      const signer = ownerFromWord(item, pos)
      const dyn = BigInt(s)
      // GS021: the payload must lie after every static item, so it cannot alias one.
      const minimum = options.count === undefined ? pos + ITEM : staticEnd
      if (dyn < BigInt(minimum)) {
        throw new MalformedSafeSignaturesError({
          offset: pos + 32,
          reason: `contract-signature offset ${dyn} points inside the signature items`,
        })
      }
      // GS022 / GS023: the length word and the bytes it announces must be inside the blob.
      if (dyn + 32n > BigInt(bytes.length)) {
        throw new MalformedSafeSignaturesError({
          offset: pos + 32,
          reason: `contract-signature offset ${dyn} is beyond the end (${bytes.length} bytes)`,
        })
      }
      const at = Number(dyn)
      const length = BigInt(hexlify(bytes.subarray(at, at + 32)))
      if (BigInt(at + 32) + length > BigInt(bytes.length)) {
        throw new MalformedSafeSignaturesError({
          offset: at,
          reason: `contract signature declares ${length} bytes, only ${bytes.length - at - 32} remain`,
        })
      }
      const payload = bytes.subarray(at + 32, at + 32 + Number(length))
      if (options.count === undefined && at < staticEnd) staticEnd = at
      sig = {
        kind: 'contract',
        signer,
        data: hexlify(concat([item, bytes.subarray(at, at + 32), payload])) as Hex,
        offset: pos,
        signature: hexlify(payload) as Hex,
        dynamicOffset: at,
      }
    } else if (v === 1) {
      sig = {
        kind: 'approved-hash',
        signer: ownerFromWord(item, pos),
        data: hexlify(item) as Hex,
        offset: pos,
      }
    } else if (v > 30) {
      if (version && !supportsEthSign(version))
        throw new EthSignUnsupportedError({ offset: pos, version: version.raw })
      if (v !== 31 && v !== 32) throw new InvalidSignatureVError({ offset: pos, v })
      const signer = recover(hashMessage(getBytes(dataHash)) as Hex, r, s, (v - 4) as 27 | 28, pos)
      sig = { kind: 'eth_sign', signer, data: hexlify(item) as Hex, offset: pos }
    } else if (v === 27 || v === 28) {
      sig = { kind: 'eoa', signer: recover(dataHash, r, s, v, pos), data: hexlify(item) as Hex, offset: pos }
    } else {
      throw new InvalidSignatureVError({ offset: pos, v })
    }

    const current = BigInt(sig.signer)
    if (!options.allowUnsorted && current <= previous) {
      throw new UnsortedSafeSignaturesError({
        offset: pos,
        signer: sig.signer,
        previous: getAddress(toBeHex(previous, 20)),
      })
    }
    previous = current
    parsed.push(sig)
    pos += ITEM
  }
  return parsed
}

export type EncodeSafeSignaturesOptions = {
  /** When given, every ECDSA item must recover to its claimed signer over this hash. */
  dataHash?: Hex
}

/**
 * Assembles the `signatures` argument of `execTransaction`: static items sorted by ascending signer (as
 * `checkNSignatures` requires), then the contract-signature payloads, with each contract item's `s`
 * pointing at its payload.
 */
export function encodeSafeSignatures(
  items: readonly SafeSignatureItem[],
  options: EncodeSafeSignaturesOptions = {},
): Hex {
  if (options.dataHash !== undefined) assertHash(options.dataHash, 'data hash')
  const entries = items.map((item, index) => prepareItem(item, index, options.dataHash))
  entries.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  for (let i = 1; i < entries.length; i++) {
    if (entries[i]!.key === entries[i - 1]!.key)
      throw new DuplicateSignerError({ signer: entries[i]!.signer })
  }
  let dynamicOffset = entries.length * ITEM
  const statics: Uint8Array[] = []
  const dynamics: Uint8Array[] = []
  for (const e of entries) {
    if (e.payload === undefined) {
      statics.push(e.item)
      continue
    }
    statics.push(getBytes(concat([zeroPadValue(e.signer, 32), toBeHex(dynamicOffset, 32), '0x00'])))
    const dynamic = getBytes(concat([toBeHex(e.payload.length, 32), e.payload]))
    dynamics.push(dynamic)
    dynamicOffset += dynamic.length
  }
  return hexlify(concat([...statics, ...dynamics])) as Hex
}

/** The item for an owner that approved the hash on chain (or is the executing account): pad32(owner) ‖ 0 ‖ 0x01. */
export function approvedHashSignature(owner: Address): Hex {
  const o = normalizeSignerAddress(owner, 0)
  return hexlify(concat([zeroPadValue(o, 32), new Uint8Array(32), '0x01'])) as Hex
}

/**
 * Signs a safeTxHash as `eth_signTypedData_v4` would: raw ECDSA over the EIP-712 digest, returned as
 * r ‖ s ‖ v with v 27/28.
 */
export function signSafeTxHash(privateKey: Hex | SigningKey, safeTxHash: Hex): Hex {
  assertHash(safeTxHash, 'safeTxHash')
  return signDigest(privateKey, safeTxHash).serialized as Hex
}

/**
 * Signs a safeTxHash as `personal_sign` / eth_sign would (what some hardware-wallet paths produce), with
 * v raised by 4 to 31/32 so the Safe (≥1.1.0) knows to apply the EIP-191 prefix.
 */
export function ethSignSafeTxHash(privateKey: Hex | SigningKey, safeTxHash: Hex): Hex {
  assertHash(safeTxHash, 'safeTxHash')
  const sig = signDigest(privateKey, hashMessage(getBytes(safeTxHash)))
  return hexlify(concat([sig.r, sig.s, toBeHex(sig.v + 4, 1)])) as Hex
}

type PreparedItem = { key: bigint; signer: Address; item: Uint8Array; payload?: Uint8Array }

function prepareItem(item: SafeSignatureItem, index: number, dataHash: Hex | undefined): PreparedItem {
  const signer = normalizeSignerAddress(item.signer, index)
  const key = BigInt(signer)
  switch (item.kind) {
    case 'eoa':
    case 'eth_sign': {
      const bytes = itemBytes(item.data, index)
      const v = bytes[64]!
      const allowed = item.kind === 'eoa' ? [27, 28] : [31, 32]
      if (!allowed.includes(v)) {
        throw new InvalidSignatureItemError({
          index,
          reason: `${item.kind} item has v = ${v}, expected ${allowed.join('/')}`,
        })
      }
      if (dataHash !== undefined) {
        const digest = (item.kind === 'eoa' ? dataHash : hashMessage(getBytes(dataHash))) as Hex
        const r = hexlify(bytes.subarray(0, 32)) as Hex
        const s = hexlify(bytes.subarray(32, 64)) as Hex
        const recovered = recover(digest, r, s, (item.kind === 'eoa' ? v : v - 4) as 27 | 28, index * ITEM)
        if (recovered !== signer) throw new SignerMismatchError({ index, claimed: signer, recovered })
      }
      return { key, signer, item: bytes }
    }
    case 'approved-hash': {
      const canonical = getBytes(approvedHashSignature(signer))
      if (item.data === undefined) return { key, signer, item: canonical }
      const bytes = itemBytes(item.data, index)
      // `s` is ignored by the Safe for v = 1, so only r and v are checked against the claimed owner.
      if (bytes[64] !== 1 || hexlify(bytes.subarray(0, 32)) !== hexlify(canonical.subarray(0, 32))) {
        throw new InvalidSignatureItemError({
          index,
          reason: 'approved-hash item must be pad32(signer) ‖ s ‖ 0x01',
        })
      }
      return { key, signer, item: bytes }
    }
    case 'contract': {
      const sig = item.signature
      if (typeof sig !== 'string' || !isHexString(sig) || sig.length % 2 !== 0) {
        throw new InvalidSignatureItemError({ index, reason: 'contract signature is not 0x-prefixed hex' })
      }
      return { key, signer, item: new Uint8Array(0), payload: getBytes(sig) }
    }
    default:
      throw new InvalidSignatureItemError({
        index,
        reason: `unknown kind ${String((item as { kind: unknown }).kind)}`,
      })
  }
}

function itemBytes(data: unknown, index: number): Uint8Array {
  if (typeof data !== 'string' || !isHexString(data, ITEM)) {
    throw new InvalidSignatureItemError({ index, reason: 'data must be 65 bytes of hex (r ‖ s ‖ v)' })
  }
  return getBytes(data)
}

function normalizeSignerAddress(value: unknown, index: number): Address {
  try {
    return normalizeAddress(value, 'signer')
  } catch (cause) {
    throw new InvalidSignatureItemError({ index, reason: 'signer is not a valid address', cause })
  }
}

/** r of an approved-hash / contract item holds the owner; the Safe truncates it, we refuse dirty high bytes. */
function ownerFromWord(item: Uint8Array, pos: number): Address {
  if (item.subarray(0, 12).some((b) => b !== 0)) {
    throw new MalformedSafeSignaturesError({ offset: pos, reason: 'r is not a left-padded owner address' })
  }
  const owner = getAddress(hexlify(item.subarray(12, 32))) as Address
  if (BigInt(owner) === 0n)
    throw new MalformedSafeSignaturesError({ offset: pos, reason: 'owner is the zero address' })
  return owner
}

function recover(digest: Hex, r: Hex, s: Hex, v: 27 | 28, offset: number): Address {
  const rN = BigInt(r)
  const sN = BigInt(s)
  if (rN === 0n || sN === 0n || rN >= N || sN >= N) throw new UnrecoverableSignatureError({ offset })
  // ecrecover accepts high s, but no compliant signer emits it: a flipped s means the bytes were altered.
  if (sN > HALF_N) throw new MalleableSignatureError({ offset })
  const signer = recoverAddress(getBytes(digest), getBytes(r), getBytes(s), (v - 27) as 0 | 1)
  if (!signer) throw new UnrecoverableSignatureError({ offset })
  return signer
}

function toSigningKey(privateKey: Hex | SigningKey): SigningKey {
  if (privateKey instanceof SigningKey) return privateKey
  // SigningKey accepts any 32 bytes and only fails at signing time, echoing the key: check the range here.
  if (typeof privateKey !== 'string' || !isHexString(privateKey, 32)) throw new InvalidPrivateKeyError()
  const k = BigInt(privateKey)
  if (k === 0n || k >= N) throw new InvalidPrivateKeyError()
  return new SigningKey(privateKey)
}

function signDigest(privateKey: Hex | SigningKey, digest: string): Signature {
  const key = toSigningKey(privateKey)
  try {
    return key.sign(digest)
  } catch {
    throw new InvalidPrivateKeyError()
  }
}

function assertHash(value: unknown, what: string): asserts value is Hex {
  if (typeof value !== 'string' || !isHexString(value, 32)) throw new InvalidSafeHashError({ what, value })
}
