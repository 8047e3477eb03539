import { concat, type Hex, numberToHex, pad, stringToHex, toHex } from 'viem'
import { describe, expect, it } from 'vitest'
import { decodeValue } from '../../../../src/simulate/stateDiff/decodeValue.js'
import type { StorageType } from '../../../../src/simulate/stateDiff/types.js'

const t = (label: string, numberOfBytes: number): StorageType => ({
  encoding: 'inplace',
  label,
  numberOfBytes: String(numberOfBytes),
})
const STRING: StorageType = { encoding: 'bytes', label: 'string', numberOfBytes: '32' }
const BYTES: StorageType = { encoding: 'bytes', label: 'bytes', numberOfBytes: '32' }
const COUNCIL = '0xe80F3c2046C04bf94B04Ca142F94fbf7480110C7'
const ROLE = '0x2a0cd3a2fa0a6d0d8a0d4ac1bf69c5dc0a6c8d9b5c3cb5ba2c6b1a3f4d4e5f60' as Hex
const ctx = {
  label: (a: string) => (a === COUNCIL ? 'council' : a),
  knownWords: new Map([[ROLE, 'ALLOCATOR_ROLE']]),
}
const decode = (
  word: Hex,
  typeId: string,
  type: StorageType,
  offset = 0,
  chunks?: (i: number) => Hex | undefined,
) => decodeValue(word, typeId, type, offset, ctx, chunks)

/** Packs [value, byteSize] pairs from offset 0 upwards, as solc does (first variable in the lowest bytes). */
const packed = (...parts: [Hex, number][]) =>
  pad(concat(parts.reverse().map(([value, size]) => pad(value, { size }))), { size: 32 })

describe('decodeValue', () => {
  // Checkpoint208 { uint48 _key; uint208 _value } and a Safe-style { address; uint48; bool }.
  const checkpoint = packed([toHex(41), 6], [toHex(10n ** 24n), 26])
  const mixed = packed([COUNCIL.toLowerCase() as Hex, 20], [toHex(7), 6], [toHex(1), 1])

  it('reads each packed variable at its offset', () => {
    expect(decode(checkpoint, 't_uint48', t('uint48', 6), 0)).toBe('41')
    expect(decode(checkpoint, 't_uint208', t('uint208', 26), 6)).toBe((10n ** 24n).toString())
    expect(decode(mixed, 't_address', t('address', 20), 0)).toBe(`council (${COUNCIL})`)
    expect(decode(mixed, 't_uint48', t('uint48', 6), 20)).toBe('7')
    expect(decode(mixed, 't_bool', t('bool', 1), 26)).toBe('true')
  })

  it("reads signed integers as two's complement of their own width", () => {
    const word = packed([toHex(0xfe), 1], [numberToHex(2n ** 128n - 5n), 16])
    expect(decode(word, 't_int8', t('int8', 1), 0)).toBe('-2')
    expect(decode(word, 't_int128', t('int128', 16), 1)).toBe('-5')
    expect(decode(word, 't_uint128', t('uint128', 16), 1)).toBe((2n ** 128n - 5n).toString())
  })

  it('prints unknown addresses checksummed, contracts like addresses, enums as numbers', () => {
    const other = '0x9965507d1a55bcc2695c58ba16fb37d819b0a4dc'
    expect(
      decode(pad(other), 't_contract(TimelockController)3728', t('contract TimelockController', 20)),
    ).toBe('0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc')
    expect(
      decode(packed([toHex(0), 1], [toHex(3), 1]), 't_enum(ProposalState)12', t('enum ProposalState', 1), 1),
    ).toBe('3')
  })

  it('names known bytes32 words, but not the zero word', () => {
    expect(decode(ROLE, 't_bytes32', t('bytes32', 32))).toBe(`ALLOCATOR_ROLE (${ROLE})`)
    expect(decode(pad('0x'), 't_bytes32', t('bytes32', 32))).toBe(pad('0x'))
    expect(decode(packed([toHex(0), 2], ['0xa9059cbb', 4]), 't_bytes4', t('bytes4', 4), 2)).toBe('0xa9059cbb')
  })

  it('reads a short string from its slot (data left-aligned, length*2 in the last byte)', () => {
    const word = pad(stringToHex('Play DAO'), { dir: 'right', size: 31 })
    expect(decode(concat([word, toHex(16, { size: 1 })]), 't_string_storage', STRING)).toBe('"Play DAO"')
    expect(decode(pad('0x'), 't_string_storage', STRING)).toBe('""')
  })

  it('reads a long string from its chunks when all are given, else says its length', () => {
    const text = 'Play DAO, the community of players across the alliance' // 54 bytes: two chunks
    const data = pad(stringToHex(text), { dir: 'right', size: 64 })
    const chunks = [`0x${data.slice(2, 66)}`, `0x${data.slice(66)}`] as Hex[]
    const lengthWord = numberToHex(54n * 2n + 1n, { size: 32 })
    expect(decode(lengthWord, 't_string_storage', STRING, 0, (i) => chunks[i])).toBe(JSON.stringify(text))
    expect(decode(lengthWord, 't_string_storage', STRING, 0, (i) => (i === 0 ? chunks[0] : undefined))).toBe(
      '<54-byte string>',
    )
    expect(decode(lengthWord, 't_bytes_storage', BYTES)).toBe('<54-byte bytes>')
  })

  it('shows bytes, and strings that are not UTF-8, as hex', () => {
    const word = concat([pad('0xdeadbeef', { dir: 'right', size: 31 }), toHex(8, { size: 1 })])
    expect(decode(word, 't_bytes_storage', BYTES)).toBe('0xdeadbeef')
    const invalid = concat([pad('0xff', { dir: 'right', size: 31 }), toHex(2, { size: 1 })])
    expect(decode(invalid, 't_string_storage', STRING)).toBe('0xff')
  })
})
