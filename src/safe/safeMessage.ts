import {
  AbiCoder,
  concat,
  hashMessage,
  keccak256,
  TypedDataEncoder,
  type TypedDataField,
  toUtf8Bytes,
} from 'ethers'
import { InvalidTypedDataError, type InvalidTypedDataErrorType } from '../errors/hash.js'
import type { InvalidSafeTxErrorType, UnknownSafeVersionErrorType } from '../errors/safe.js'
import { domainSeparator } from './safeTxHash.js'
import type { Address, Hex } from './types.js'

const abi = AbiCoder.defaultAbiCoder()

export const SAFE_MESSAGE_TYPE = 'SafeMessage(bytes message)'
/** `SAFE_MSG_TYPEHASH` of the Safe ≤1.2 and of every CompatibilityFallbackHandler: 0x60b3cbf8…fbca. */
export const SAFE_MESSAGE_TYPEHASH = keccak256(toUtf8Bytes(SAFE_MESSAGE_TYPE)) as Hex

/** The JSON a wallet receives for `eth_signTypedData_v4`. `primaryType` may be omitted when it is unambiguous. */
export type TypedDataDocument = {
  types: Record<string, readonly { name: string; type: string }[]>
  primaryType?: string
  domain: Record<string, unknown>
  message: Record<string, unknown>
}

/** What the dApp asked the Safe to sign: plain text (EIP-191 `personal_sign`) or EIP-712 typed data. */
export type SafeMessageInput = { kind: 'text'; text: string } | { kind: 'typed'; data: TypedDataDocument }

export type HashSafeMessageParameters = {
  /** Ignored for Safes ≤1.2.0, whose domain has no chainId. */
  chainId: bigint
  safe: Address
  version: string
  message: SafeMessageInput
}

export type SafeMessageDataHashes = {
  /** The Safe's EIP-712 domain separator. */
  domainHash: Hex
  /** `keccak256(abi.encode(SAFE_MSG_TYPEHASH, keccak256(message)))`: the "Message hash" a Ledger shows. */
  messageHash: Hex
  /** `keccak256(0x1901 ‖ domainHash ‖ messageHash)`: what the owners sign; the Tx Service keys messages by it. */
  safeMessageHash: Hex
}

export type HashSafeMessageReturnType = SafeMessageDataHashes & {
  /** The dApp-level hash: EIP-191 of the text or EIP-712 of the typed data (what an EOA would sign). */
  rawMessageHash: Hex
}

export type HashSafeMessageErrorType =
  | InvalidTypedDataErrorType
  | InvalidSafeTxErrorType
  | UnknownSafeVersionErrorType

/**
 * The hashes of a Safe off-chain message (EIP-1271): the dApp's own hash, wrapped as
 * `SafeMessage(bytes message)` with message = abi.encode(rawMessageHash) under the Safe's domain — what
 * the Safe{Wallet} UI and the Transaction Service compute, and what `isValidSignature(bytes32, …)` checks.
 */
export function hashSafeMessage({
  chainId,
  safe,
  version,
  message,
}: HashSafeMessageParameters): HashSafeMessageReturnType {
  const rawMessageHash = hashRawMessage(message)
  const data = abi.encode(['bytes32'], [rawMessageHash]) as Hex
  return { rawMessageHash, ...hashSafeMessageData({ chainId, safe, version, data }) }
}

export type HashSafeMessageDataParameters = { chainId: bigint; safe: Address; version: string; data: Hex }

/**
 * The SafeMessage hashes of arbitrary message bytes: what `CompatibilityFallbackHandler.getMessageHashForSafe
 * (safe, data)` (or `getMessageHash(data)` on a Safe ≤1.2) returns. Nested Safes sign other bytes than
 * abi.encode(rawMessageHash), hence this lower-level form.
 */
export function hashSafeMessageData({
  chainId,
  safe,
  version,
  data,
}: HashSafeMessageDataParameters): SafeMessageDataHashes {
  const domainHash = domainSeparator({ chainId, safe, version })
  const messageHash = keccak256(
    abi.encode(['bytes32', 'bytes32'], [SAFE_MESSAGE_TYPEHASH, keccak256(data)]),
  ) as Hex
  const safeMessageHash = keccak256(concat(['0x1901', domainHash, messageHash])) as Hex
  return { domainHash, messageHash, safeMessageHash }
}

/** EIP-191 for text (UTF-8, byte length in the prefix), EIP-712 for typed data. */
export function hashRawMessage(message: SafeMessageInput): Hex {
  if (message.kind === 'text') {
    if (typeof message.text !== 'string') throw new TypeError('text message must be a string')
    return hashMessage(message.text) as Hex
  }
  return hashTypedDataDocument(message.data)
}

type Fields = TypedDataField[]

function hashTypedDataDocument(doc: unknown): Hex {
  if (!isRecord(doc)) throw invalid('the document must be a JSON object')
  const { types, domain, message, primaryType } = doc
  if (!isRecord(types)) throw invalid('"types" must be an object of struct definitions')
  if (!isRecord(domain)) throw invalid('"domain" must be an object')
  if (!isRecord(message)) throw invalid('"message" must be an object')
  if (primaryType !== undefined && typeof primaryType !== 'string')
    throw invalid('"primaryType" must be a string')

  const structs: Record<string, Fields> = {}
  for (const [name, fields] of Object.entries(types)) structs[name] = checkFields(name, fields)
  // ethers derives the domain type itself and treats a declared EIP712Domain as an unused type, so it is
  // split off here and, when declared, hashed with exactly the fields declared (as wallets do).
  const { EIP712Domain: declaredDomain, ...messageTypes } = structs
  let primary = primaryType
  if (primary === undefined) {
    try {
      primary = TypedDataEncoder.getPrimaryType(messageTypes)
    } catch (cause) {
      throw invalid(`no "primaryType" given and ${reasonOf(cause)}`, cause)
    }
  }
  if (primary === 'EIP712Domain') throw invalid('primaryType EIP712Domain (a bare domain) is not supported')
  if (!messageTypes[primary]) throw invalid(`primaryType "${primary}" is not defined in "types"`)
  // Keep only what the primary type reaches: unused definitions would make ethers refuse the set.
  const reachable = reachableTypes(messageTypes, primary)

  checkNumbers(domain, 'domain')
  checkNumbers(message, 'message')
  checkStruct(reachable, primary, message, 'message')
  let domainHash: string
  try {
    if (declaredDomain) {
      checkStruct({ EIP712Domain: declaredDomain }, 'EIP712Domain', domain, 'domain')
      domainHash = TypedDataEncoder.from({ EIP712Domain: declaredDomain }).hashStruct('EIP712Domain', domain)
    } else {
      domainHash = TypedDataEncoder.hashDomain(domain)
    }
  } catch (cause) {
    if (cause instanceof InvalidTypedDataError) throw cause
    throw invalid(`domain: ${reasonOf(cause)}`, cause)
  }
  let structHash: string
  try {
    structHash = TypedDataEncoder.from(reachable).hashStruct(primary, message)
  } catch (cause) {
    throw invalid(`message: ${reasonOf(cause)}`, cause)
  }
  return keccak256(concat(['0x1901', domainHash, structHash])) as Hex
}

function checkFields(name: string, fields: unknown): Fields {
  if (!Array.isArray(fields)) throw invalid(`types.${name} must be an array of {name, type}`)
  return fields.map((f, i) => {
    if (!isRecord(f) || typeof f.name !== 'string' || typeof f.type !== 'string') {
      throw invalid(`types.${name}[${i}] must be {"name": string, "type": string}`)
    }
    return { name: f.name, type: f.type }
  })
}

const ARRAY_SUFFIX = /\[(\d*)\]$/

function reachableTypes(types: Record<string, Fields>, primary: string): Record<string, Fields> {
  const out: Record<string, Fields> = {}
  const visit = (name: string) => {
    if (out[name] || !types[name]) return
    out[name] = types[name]
    for (const f of types[name]) visit(f.type.replace(/(\[\d*\])+$/, ''))
  }
  visit(primary)
  return out
}

/**
 * Walks the value along its declared type before ethers encodes it, for errors with a path and to refuse
 * what ethers would silently accept: a string "false" for a bool (encoded as true), or keys that are not
 * part of the type (a wallet may show them, but they are not signed).
 */
function checkStruct(types: Record<string, Fields>, name: string, value: unknown, path: string): void {
  if (!isRecord(value)) throw invalid(`${path} must be an object (type ${name})`)
  const fields = types[name]!
  const declared = new Set(fields.map((f) => f.name))
  for (const key of Object.keys(value)) {
    if (!declared.has(key))
      throw invalid(`${path}.${key} is not a field of ${name}, so it would not be signed`)
  }
  for (const f of fields) checkValue(types, f.type, value[f.name], `${path}.${f.name}`)
}

function checkValue(types: Record<string, Fields>, type: string, value: unknown, path: string): void {
  if (value === undefined || value === null) throw invalid(`${path} is missing (type ${type})`)
  const array = ARRAY_SUFFIX.exec(type)
  if (array) {
    if (!Array.isArray(value)) throw invalid(`${path} must be an array (type ${type})`)
    if (array[1] !== '' && value.length !== Number(array[1])) {
      throw invalid(`${path} must have ${array[1]} elements, has ${value.length}`)
    }
    const inner = type.slice(0, array.index)
    for (const [i, v] of value.entries()) checkValue(types, inner, v, `${path}[${i}]`)
  } else if (types[type]) {
    checkStruct(types, type, value, path)
  } else if (type === 'bool' && typeof value !== 'boolean') throw invalid(`${path} must be true or false`)
}

/** JSON numbers past 2^53 were already rounded by the parser: the hash would be of another value. */
function checkNumbers(value: unknown, path: string): void {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) {
      throw invalid(
        `${path} is the JSON number ${value}, which is not an exact integer; quote it as a string`,
      )
    }
  } else if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) checkNumbers(v, `${path}[${i}]`)
  } else if (isRecord(value)) {
    for (const [k, v] of Object.entries(value)) checkNumbers(v, `${path}.${k}`)
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

const reasonOf = (cause: unknown) =>
  (cause as { shortMessage?: string }).shortMessage ??
  (cause instanceof Error ? cause.message : String(cause))

const invalid = (reason: string, cause?: unknown) =>
  new InvalidTypedDataError(cause === undefined ? { reason } : { reason, cause })
