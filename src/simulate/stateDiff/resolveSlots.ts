import { getAddress, keccak256 } from 'ethers'
import type { Address, Hex } from '../../safe/types.js'
import type { CandidateKeys } from './candidateKeys.js'
import type { DecodeContext } from './decodeValue.js'
import type { StorageLayout, StorageType } from './types.js'

/** Where one changed slot sits in a layout. A slot packing several variables has one of these per variable. */
export type ResolvedVariable = {
  /** `spentInEpoch[ALLY][12]`, `_members[2].name`, `_delegateCheckpoints[alice]._checkpoints[41]._value`. */
  path: string
  /** The top-level variable the path starts from (what "critical" is decided on). */
  root: string
  typeId: string
  type: StorageType
  /**
   * `value`: a value type at byte `offset` of the slot. `bytes`: the slot of a `bytes`/`string` (short data
   * inline, or the length of long data). `chunk`: the `chunk`-th 32 bytes of long data whose length sits at
   * `lengthSlot`.
   */
  kind: 'value' | 'bytes' | 'chunk'
  offset: number
  chunk?: number
  lengthSlot?: Hex
}

export type ResolveSlotsParameters = {
  layout: StorageLayout
  /** The changed slots (any case; 32-byte hex). */
  slots: readonly Hex[]
  keys: CandidateKeys
  /** How mapping keys print: addresses through `label`, role ids through `keys.knownWords`. */
  ctx: DecodeContext
  /**
   * A dynamic array's length when known (from the diff). Needed only for arrays whose elements hold
   * dynamic data (a struct with a string): reaching that data means trying each index.
   */
  lengthOf?(slot: Hex): bigint | undefined
}

const MOD = 1n << 256n
/** A slot this close above keccak256(p) belongs to the array or bytes at p (a chance hit is ~2^-224). */
const ARRAY_SPAN = 1n << 32n
/** Indices tried for arrays with dynamic elements: bounds the work on a huge recorded length. */
const MAX_ENUMERATED_INDICES = 1024n
/**
 * Hashed hops (mapping entry, array data, bytes data) followed from a top-level variable. Deep enough for
 * `_roles[role].hasRole[account]` and nested checkpoints; it also stops a struct that holds a mapping of
 * itself from recursing forever.
 */
const MAX_DEPTH = 6
/** Hashes per call (~20 µs each): candidates multiply at each mapping level, so this bounds the time. */
const MAX_HASHES = 20_000
const UINT256: StorageType = { encoding: 'inplace', label: 'uint256', numberOfBytes: '32' }

/**
 * Maps each changed slot to the variable(s) it holds, by walking the layout: value types and packing,
 * structs, static arrays, mappings (trying every candidate key that fits the key type, nested), dynamic
 * arrays (element = keccak256(slot) + i·size, found from the distance, no key needed) and long
 * bytes/strings. The walk deepens one hashed hop at a time and stops once every slot is placed, so the
 * costly deep levels (`_roles[*].hasRole[*]`) are expanded only when something is still unexplained.
 * Slots it cannot place are left out of the result.
 */
export function resolveSlots(params: ResolveSlotsParameters): Map<Hex, ResolvedVariable[]> {
  return new Resolver(params).run()
}

class Resolver {
  readonly #types: Record<string, StorageType>
  readonly #targets = new Map<bigint, Hex>()
  readonly #unresolved = new Set<bigint>()
  readonly #found = new Map<Hex, ResolvedVariable[]>()
  readonly #static = new Map<string, boolean>()
  readonly #keysFor = new Map<string, { keys: { word: Uint8Array; label: string }[]; likely: number }>()
  /** 0: only the likely candidates of each key type; 1: all of them (see #candidatesFor). */
  #tier = 0
  /** Entry slots of a mapping at a slot, in candidate order: each deepening pass walks them again. */
  readonly #entries = new Map<bigint, bigint[]>()
  #depthLimit = 0
  #hashes = 0

  constructor(readonly params: ResolveSlotsParameters) {
    this.#types = params.layout.types ?? {}
    for (const slot of params.slots) {
      const value = BigInt(slot)
      this.#targets.set(value, toWord(value))
      this.#unresolved.add(value)
    }
  }

  run(): Map<Hex, ResolvedVariable[]> {
    // Likely keys first at every depth, then all of them: hashing is the cost (~20 µs each on a slow
    // machine), and nested mappings multiply candidates, so trying 139 words as role ids before any
    // address ever reaches `spentInEpoch[token][epoch]` would cost thousands of hashes for nothing.
    for (this.#tier = 0; this.#tier < 2 && this.#unresolved.size > 0; this.#tier++) {
      for (
        let limit = 0;
        limit <= MAX_DEPTH && this.#unresolved.size > 0 && this.#hashes < MAX_HASHES;
        limit++
      ) {
        this.#depthLimit = limit
        for (const entry of this.params.layout.storage) {
          this.#walk(entry.type, BigInt(entry.slot), entry.offset, entry.label, entry.label, 0)
        }
      }
    }
    return this.#found
  }

  #walk(typeId: string, slot: bigint, offset: number, path: string, root: string, depth: number): void {
    const type = this.#types[typeId]
    if (!type) return
    slot %= MOD
    if (type.encoding === 'mapping') this.#walkMapping(type, slot, path, root, depth)
    else if (type.encoding === 'dynamic_array') this.#walkDynamicArray(type, slot, path, root, depth)
    else if (type.encoding === 'bytes') this.#walkBytes(typeId, type, slot, path, root, depth)
    else if (type.members) this.#walkStruct(type, slot, path, root, typeId, depth)
    else if (type.base) this.#walkStaticArray(typeId, type, slot, path, root, depth)
    else if (this.#targets.has(slot)) this.#emit(slot, { path, root, typeId, type, kind: 'value', offset })
  }

  #walkStruct(type: StorageType, slot: bigint, path: string, root: string, typeId: string, depth: number) {
    if (this.#isStatic(typeId) && !this.#anyTargetIn(slot, slotsOf(type))) return
    for (const m of type.members ?? []) {
      this.#walk(m.type, slot + BigInt(m.slot), m.offset, `${path}.${m.label}`, root, depth)
    }
  }

  #walkStaticArray(
    typeId: string,
    type: StorageType,
    slot: bigint,
    path: string,
    root: string,
    depth: number,
  ) {
    const length = BigInt(/\)(\d+)_storage$/.exec(typeId)?.[1] ?? '0')
    this.#walkElements(type.base!, slot, length, path, root, depth)
  }

  #walkDynamicArray(type: StorageType, slot: bigint, path: string, root: string, depth: number) {
    if (this.#targets.has(slot)) {
      this.#emit(slot, {
        path: `${path}.length`,
        root,
        typeId: 't_uint256',
        type: UINT256,
        kind: 'value',
        offset: 0,
      })
    }
    if (depth >= this.#depthLimit) return
    const knownLength = this.params.lengthOf?.(toWord(slot))
    this.#walkElements(type.base!, this.#hash(wordBytes(slot)), undefined, path, root, depth + 1, knownLength)
  }

  /**
   * Elements of an array whose data starts at `data`. Value types pack several to a slot (never straddling
   * one); other elements take whole slots. A target inside the data area names its element by distance;
   * elements holding mappings or dynamic data are also walked one by one, up to the known length.
   */
  #walkElements(
    baseId: string,
    data: bigint,
    length: bigint | undefined,
    path: string,
    root: string,
    depth: number,
    knownLength?: bigint,
  ) {
    const elem = this.#types[baseId]
    if (!elem) return
    const size = BigInt(elem.numberOfBytes)
    const packed = elem.encoding === 'inplace' && !elem.members && !elem.base && size <= 32n
    const perSlot = packed ? 32n / size : 1n
    const elemSlots = packed ? 1n : slotsOf(elem)
    const span = length === undefined ? ARRAY_SPAN : ((length + perSlot - 1n) / perSlot) * elemSlots
    const indices = new Set<bigint>()
    for (const target of this.#targets.keys()) {
      const distance = (target - data + MOD) % MOD
      if (distance >= span) continue
      if (packed) {
        for (let j = 0n; j < perSlot; j++) {
          const index = distance * perSlot + j
          if (length !== undefined && index >= length) break
          const at = { path: `${path}[${index}]`, root, typeId: baseId, type: elem, kind: 'value' as const }
          this.#emit(target, { ...at, offset: Number(j * size) })
        }
      } else {
        indices.add(distance / elemSlots)
      }
    }
    if (!packed && !this.#isStatic(baseId)) {
      const bound = length ?? knownLength ?? 0n
      for (let i = 0n; i < bound && i < MAX_ENUMERATED_INDICES; i++) indices.add(i)
    }
    for (const index of [...indices].sort((a, b) => (a < b ? -1 : 1))) {
      this.#walk(baseId, data + index * elemSlots, 0, `${path}[${index}]`, root, depth)
    }
  }

  #walkMapping(type: StorageType, slot: bigint, path: string, root: string, depth: number) {
    // Expanding a mapping costs one hash per candidate; once every slot is placed there is nothing to find.
    if (depth >= this.#depthLimit || this.#unresolved.size === 0 || !type.key || !type.value) return
    const candidates = this.#candidatesFor(type.key)
    const keys = this.#tier === 0 ? candidates.keys.slice(0, candidates.likely) : candidates.keys
    const entries = this.#entries.get(slot) ?? []
    this.#entries.set(slot, entries)
    const preimage = new Uint8Array(64)
    preimage.set(wordBytes(slot), 32)
    for (const [i, key] of keys.entries()) {
      if (entries[i] === undefined) {
        if (this.#hashes >= MAX_HASHES) return
        preimage.set(key.word, 0)
        entries[i] = this.#hash(preimage)
      }
      this.#walk(type.value, entries[i]!, 0, `${path}[${key.label}]`, root, depth + 1)
    }
  }

  #walkBytes(typeId: string, type: StorageType, slot: bigint, path: string, root: string, depth: number) {
    if (this.#targets.has(slot)) this.#emit(slot, { path, root, typeId, type, kind: 'bytes', offset: 0 })
    if (depth >= this.#depthLimit) return
    const data = this.#hash(wordBytes(slot))
    for (const target of this.#targets.keys()) {
      const distance = (target - data + MOD) % MOD
      if (distance >= ARRAY_SPAN) continue
      const at = { path, root, typeId, type, kind: 'chunk' as const, offset: 0 }
      this.#emit(target, { ...at, chunk: Number(distance), lengthSlot: toWord(slot) })
    }
  }

  #hash(bytes: Uint8Array): bigint {
    this.#hashes++
    return cachedKeccak(bytes)
  }

  #emit(slot: bigint, variable: ResolvedVariable) {
    const key = this.#targets.get(slot)!
    const list = this.#found.get(key) ?? []
    if (list.some((v) => v.path === variable.path && v.offset === variable.offset)) return
    list.push(variable)
    this.#found.set(key, list)
    this.#unresolved.delete(slot)
  }

  #anyTargetIn(from: bigint, count: bigint): boolean {
    for (const target of this.#targets.keys()) {
      if ((target - from + MOD) % MOD < count) return true
    }
    return false
  }

  /** True when the type holds no mapping, dynamic array or bytes: all its slots follow from its start. */
  #isStatic(typeId: string): boolean {
    const hit = this.#static.get(typeId)
    if (hit !== undefined) return hit
    const type = this.#types[typeId]
    const result =
      type !== undefined &&
      type.encoding === 'inplace' &&
      (type.base === undefined || this.#isStatic(type.base)) &&
      (type.members ?? []).every((m) => this.#isStatic(m.type))
    this.#static.set(typeId, result)
    return result
  }

  /**
   * The candidate words a key of this type can be, each with how it prints, the likely ones first:
   * the prominent words when the keys name them (indexed event arguments, known addresses, role
   * ids); otherwise for bytes32 keys the named words, for wide uint keys values below 2^64, and every
   * candidate of the narrower types. The order is fixed, so the entry slots cached per mapping stay
   * valid when the second tier extends the first.
   */
  #candidatesFor(keyType: string): { keys: { word: Uint8Array; label: string }[]; likely: number } {
    const hit = this.#keysFor.get(keyType)
    if (hit) return hit
    const likely: { word: Uint8Array; label: string }[] = []
    const rest: { word: Uint8Array; label: string }[] = []
    const wide = /^t_(uint|int)(\d+)$/.exec(keyType)
    for (const word of this.params.keys.words) {
      const label = keyLabel(word, keyType, this.params.ctx, this.params.keys.knownWords)
      if (label === undefined) continue
      const value = BigInt(word)
      const prominent = this.params.keys.prominent
      const isLikely = prominent
        ? prominent.has(word)
        : keyType === 't_bytes32'
          ? this.params.keys.knownWords.has(word) || value === 0n
          : wide && Number(wide[2]) > 64
            ? value < 1n << 64n
            : true
      ;(isLikely ? likely : rest).push({ word: wordBytes(value), label })
    }
    const result = { keys: [...likely, ...rest], likely: likely.length }
    this.#keysFor.set(keyType, result)
    return result
  }
}

/**
 * How `word` prints as a key of `keyType`, or undefined when it cannot be one (an address with high bytes
 * set, a uint8 above 255). Value-type keys hash as their 32-byte ABI encoding: numbers and addresses
 * left-padded, bytesN right-padded. String and bytes keys hash unpadded and are not tried.
 */
function keyLabel(
  word: Hex,
  keyType: string,
  ctx: DecodeContext,
  knownWords: ReadonlyMap<Hex, string>,
): string | undefined {
  const value = BigInt(word)
  if (keyType.startsWith('t_address') || keyType.startsWith('t_contract')) {
    if (value >> 160n !== 0n) return undefined
    const address = getAddress(`0x${word.slice(-40)}`) as Address
    return ctx.knownAddresses?.get(address) ?? ctx.label(address)
  }
  if (keyType === 't_bool') return value === 0n ? 'false' : value === 1n ? 'true' : undefined
  const uint = /^t_uint(\d+)$/.exec(keyType)
  if (uint) return value >> BigInt(uint[1]!) === 0n ? value.toString() : undefined
  if (keyType.startsWith('t_enum')) return value < 256n ? value.toString() : undefined
  const int = /^t_int(\d+)$/.exec(keyType)
  if (int) {
    const signed = BigInt.asIntN(256, value)
    return BigInt.asIntN(Number(int[1]), signed) === signed ? signed.toString() : undefined
  }
  const bytes = /^t_bytes(\d+)$/.exec(keyType)
  if (bytes) {
    const n = Number(bytes[1])
    if (n < 32 && value % (1n << BigInt((32 - n) * 8)) !== 0n) return undefined
    return knownWords.get(word) ?? word.slice(0, 2 + n * 2)
  }
  return undefined
}

/**
 * Hashes are the whole cost, and the same (key, slot) pairs recur: `_balances` or `_roles` sit at the
 * same slot in many contracts, and a command decodes several accounts. Bounded, so a long-lived
 * process does not grow without limit.
 */
const HASH_CACHE = new Map<string, bigint>()
const HASH_CACHE_LIMIT = 200_000

/** Empties the cache: benchmarks measure what a fresh process pays. */
export function clearSlotHashCache() {
  HASH_CACHE.clear()
}

function cachedKeccak(bytes: Uint8Array): bigint {
  const key = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1')
  const hit = HASH_CACHE.get(key)
  if (hit !== undefined) return hit
  const value = BigInt(keccak256(bytes))
  if (HASH_CACHE.size >= HASH_CACHE_LIMIT) HASH_CACHE.clear()
  HASH_CACHE.set(key, value)
  return value
}

function slotsOf(type: StorageType): bigint {
  return (BigInt(type.numberOfBytes) + 31n) / 32n
}

function toWord(value: bigint): Hex {
  return `0x${value.toString(16).padStart(64, '0')}` as Hex
}

function wordBytes(value: bigint): Uint8Array {
  const out = new Uint8Array(32)
  let v = value
  for (let i = 31; i >= 0; i--) {
    out[i] = Number(v & 0xffn)
    v >>= 8n
  }
  return out
}
