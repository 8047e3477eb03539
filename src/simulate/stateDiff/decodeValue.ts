import { getAddress, toUtf8String } from 'ethers'
import type { Address, Hex } from '../../safe/types.js'
import type { StorageType } from './types.js'

/** How addresses and well-known words are shown. */
export type DecodeContext = {
  label(address: Address): string
  /** 32-byte words with a name (role ids): a bytes32 equal to one prints with its name. */
  knownWords?: ReadonlyMap<Hex, string>
  /** Addresses with a meaning in one contract (the Safe's linked-list sentinel). */
  knownAddresses?: ReadonlyMap<Address, string>
}

/**
 * Reads the bytes of a `bytes`/`string` variable's data area (`keccak256(slot) + chunk`), or undefined when
 * the caller does not know them. A state diff only carries the chunks that changed.
 */
export type ChunkReader = (chunk: number) => Hex | undefined

/**
 * Decodes the variable of type `typeId` stored at byte `offset` of the 32-byte slot `word`. Storage packs
 * from the low-order end: a variable at offset o of size n is bytes [32-o-n, 32-o) of the big-endian word.
 * `bytes`/`string` read the word as their length slot: short values live in it, long ones need `chunks`.
 */
export function decodeValue(
  word: Hex,
  typeId: string,
  type: StorageType,
  offset: number,
  ctx: DecodeContext,
  chunks?: ChunkReader,
): string {
  if (type.encoding === 'bytes') return decodeBytes(word, typeId.startsWith('t_string'), chunks)
  const size = Number(type.numberOfBytes)
  const raw = sliceSlot(word, offset, size)
  const value = BigInt(raw)
  if (typeId.startsWith('t_uint') || typeId.startsWith('t_enum')) return value.toString()
  if (typeId.startsWith('t_int')) return BigInt.asIntN(size * 8, value).toString()
  if (typeId === 't_bool') return value === 0n ? 'false' : 'true'
  if (typeId.startsWith('t_address') || typeId.startsWith('t_contract')) {
    return renderAddress(getAddress(raw) as Address, ctx)
  }
  if (typeId === 't_bytes32') {
    // A zero value is "empty" far more often than DEFAULT_ADMIN_ROLE, so only non-zero words get a name.
    const name = value === 0n ? undefined : ctx.knownWords?.get(raw)
    return name ? `${name} (${raw})` : raw
  }
  // bytesN, user-defined value types, anything else in place: the bytes themselves.
  return raw
}

/** `name (0x…)` when the address book knows the address, the checksummed address otherwise. */
export function renderAddress(address: Address, ctx: DecodeContext): string {
  const name = ctx.knownAddresses?.get(address) ?? ctx.label(address)
  return name === address ? address : `${name} (${address})`
}

/** Bytes [32-offset-size, 32-offset) of the slot, as 0x-prefixed lowercase hex. */
export function sliceSlot(word: Hex, offset: number, size: number): Hex {
  const hex = word.slice(2).toLowerCase().padStart(64, '0')
  const end = 64 - offset * 2
  return `0x${hex.slice(end - size * 2, end)}` as Hex
}

/**
 * solc's bytes/string encoding: below 32 bytes the data sits left-aligned in the slot and the lowest byte
 * is length*2; from 32 bytes the slot holds length*2+1 and the data starts at keccak256(slot).
 */
function decodeBytes(word: Hex, isString: boolean, chunks?: ChunkReader): string {
  const value = BigInt(word)
  const hex = word.slice(2).toLowerCase().padStart(64, '0')
  if ((value & 1n) === 0n) {
    const length = Number(value & 0xffn) / 2
    return render(`0x${hex.slice(0, length * 2)}` as Hex, isString)
  }
  const length = Number((value - 1n) / 2n)
  const parts: string[] = []
  for (let i = 0; i * 32 < length; i++) {
    const chunk = chunks?.(i)
    if (chunk === undefined) return `<${length}-byte ${isString ? 'string' : 'bytes'}>`
    parts.push(chunk.slice(2).toLowerCase().padStart(64, '0'))
  }
  return render(`0x${parts.join('').slice(0, length * 2)}` as Hex, isString)
}

function render(data: Hex, isString: boolean): string {
  if (!isString) return data
  try {
    return JSON.stringify(toUtf8String(data))
  } catch {
    // Not UTF-8: a string variable can hold any bytes.
    return data
  }
}
