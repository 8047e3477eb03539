import { getAddress } from 'ethers'
import { encodeAbiParameters, type Hex, hexToBigInt, keccak256, numberToHex, pad, stringToHex } from 'viem'
import { describe, expect, it } from 'vitest'
import { loadArtifact } from '../../../../src/contracts/artifacts.js'
import type { CandidateKeys } from '../../../../src/simulate/stateDiff/candidateKeys.js'
import { resolveSlots } from '../../../../src/simulate/stateDiff/resolveSlots.js'
import type { StorageLayout } from '../../../../src/simulate/stateDiff/types.js'

// Expected slots are computed here with viem, following the Solidity storage rules directly.
const word = (n: bigint): Hex => numberToHex(n, { size: 32 })
const mappingSlot = (keyType: string, key: unknown, base: bigint | Hex): Hex =>
  keccak256(
    encodeAbiParameters([{ type: keyType }, { type: typeof base === 'bigint' ? 'uint256' : 'bytes32' }], [
      key,
      base,
    ] as never),
  )
const plus = (slot: Hex, n: bigint): Hex => word(hexToBigInt(slot) + n)
const arrayData = (slot: bigint | Hex) => keccak256(typeof slot === 'bigint' ? word(slot) : slot)

const ALICE = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'
const BOB = '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC'
const ROLE = keccak256(stringToHex('ALLOCATOR_ROLE'))
const SELECTOR = '0xa9059cbb'

const v = (label: string, numberOfBytes: string) => ({ encoding: 'inplace' as const, label, numberOfBytes })
const entry = (label: string, slot: number, type: string, offset = 0) => ({
  label,
  slot: String(slot),
  type,
  offset,
})

/** A layout exercising every encoding, in solc's format. */
const LAYOUT: StorageLayout = {
  storage: [
    entry('delay', 0, 't_uint48'),
    entry('period', 0, 't_uint32', 6),
    entry('paused', 0, 't_bool', 10),
    entry('owner', 1, 't_address'),
    entry('balances', 2, 't_mapping(t_address,t_uint256)'),
    entry('spent', 3, 't_mapping(t_address,t_mapping(t_uint256,t_uint256))'),
    entry('_roles', 4, 't_mapping(t_bytes32,t_struct(RoleData)1_storage)'),
    entry('_checkpoints', 5, 't_array(t_struct(Checkpoint)2_storage)dyn_storage'),
    entry('small', 6, 't_array(t_uint64)dyn_storage'),
    entry('fixed', 7, 't_array(t_uint128)3_storage'),
    entry('name', 9, 't_string_storage'),
    entry('members', 10, 't_array(t_struct(Member)3_storage)dyn_storage'),
    entry('byInt', 11, 't_mapping(t_int8,t_uint256)'),
    entry('bySelector', 12, 't_mapping(t_bytes4,t_address)'),
    entry('pair', 13, 't_struct(Pair)4_storage'),
  ],
  types: {
    t_uint48: v('uint48', '6'),
    t_uint32: v('uint32', '4'),
    t_bool: v('bool', '1'),
    t_address: v('address', '20'),
    t_uint256: v('uint256', '32'),
    t_uint208: v('uint208', '26'),
    t_uint128: v('uint128', '16'),
    t_uint64: v('uint64', '8'),
    t_uint16: v('uint16', '2'),
    t_int8: v('int8', '1'),
    t_bytes4: v('bytes4', '4'),
    t_bytes32: v('bytes32', '32'),
    t_string_storage: { encoding: 'bytes', label: 'string', numberOfBytes: '32' },
    't_mapping(t_address,t_uint256)': {
      encoding: 'mapping',
      label: 'm',
      numberOfBytes: '32',
      key: 't_address',
      value: 't_uint256',
    },
    't_mapping(t_uint256,t_uint256)': {
      encoding: 'mapping',
      label: 'm',
      numberOfBytes: '32',
      key: 't_uint256',
      value: 't_uint256',
    },
    't_mapping(t_address,t_mapping(t_uint256,t_uint256))': {
      encoding: 'mapping',
      label: 'm',
      numberOfBytes: '32',
      key: 't_address',
      value: 't_mapping(t_uint256,t_uint256)',
    },
    't_mapping(t_address,t_bool)': {
      encoding: 'mapping',
      label: 'm',
      numberOfBytes: '32',
      key: 't_address',
      value: 't_bool',
    },
    't_mapping(t_bytes32,t_struct(RoleData)1_storage)': {
      encoding: 'mapping',
      label: 'm',
      numberOfBytes: '32',
      key: 't_bytes32',
      value: 't_struct(RoleData)1_storage',
    },
    't_mapping(t_int8,t_uint256)': {
      encoding: 'mapping',
      label: 'm',
      numberOfBytes: '32',
      key: 't_int8',
      value: 't_uint256',
    },
    't_mapping(t_bytes4,t_address)': {
      encoding: 'mapping',
      label: 'm',
      numberOfBytes: '32',
      key: 't_bytes4',
      value: 't_address',
    },
    't_struct(RoleData)1_storage': {
      encoding: 'inplace',
      label: 'struct RoleData',
      numberOfBytes: '64',
      members: [entry('hasRole', 0, 't_mapping(t_address,t_bool)'), entry('adminRole', 1, 't_bytes32')],
    },
    't_struct(Checkpoint)2_storage': {
      encoding: 'inplace',
      label: 'struct Checkpoint',
      numberOfBytes: '32',
      members: [entry('_key', 0, 't_uint48'), entry('_value', 0, 't_uint208', 6)],
    },
    't_array(t_struct(Checkpoint)2_storage)dyn_storage': {
      encoding: 'dynamic_array',
      label: 'struct Checkpoint[]',
      numberOfBytes: '32',
      base: 't_struct(Checkpoint)2_storage',
    },
    't_array(t_uint64)dyn_storage': {
      encoding: 'dynamic_array',
      label: 'uint64[]',
      numberOfBytes: '32',
      base: 't_uint64',
    },
    't_array(t_uint128)3_storage': {
      encoding: 'inplace',
      label: 'uint128[3]',
      numberOfBytes: '64',
      base: 't_uint128',
    },
    't_struct(Member)3_storage': {
      encoding: 'inplace',
      label: 'struct Member',
      numberOfBytes: '64',
      members: [entry('name', 0, 't_string_storage'), entry('weight', 1, 't_uint16')],
    },
    't_array(t_struct(Member)3_storage)dyn_storage': {
      encoding: 'dynamic_array',
      label: 'struct Member[]',
      numberOfBytes: '32',
      base: 't_struct(Member)3_storage',
    },
    't_struct(Pair)4_storage': {
      encoding: 'inplace',
      label: 'struct Pair',
      numberOfBytes: '64',
      members: [entry('x', 0, 't_uint256'), entry('y', 1, 't_uint256')],
    },
  },
}

const addressWord = (a: string) => pad(a.toLowerCase() as Hex) as Hex
const KEYS: CandidateKeys = {
  words: new Set<Hex>([
    addressWord(ALICE),
    addressWord(BOB),
    word(12n),
    ROLE,
    word(2n ** 256n - 1n), // int8 -1, sign-extended
    pad(SELECTOR, { dir: 'right' }),
  ]),
  knownWords: new Map([[ROLE, 'ALLOCATOR_ROLE']]),
}
const ctx = { label: (a: string) => (a === ALICE ? 'alice' : a) }

const resolve = (slots: Hex[], lengthOf?: (slot: Hex) => bigint | undefined) =>
  resolveSlots({ layout: LAYOUT, slots, keys: KEYS, ctx, ...(lengthOf ? { lengthOf } : {}) })
const paths = (slots: Hex[], lengthOf?: (slot: Hex) => bigint | undefined) =>
  [...resolve(slots, lengthOf).values()].flat().map((r) => `${r.path}@${r.offset}:${r.kind}`)

describe('resolveSlots', () => {
  it('splits a packed slot into every variable it holds, with byte offsets', () => {
    expect(paths([word(0n)])).toEqual(['delay@0:value', 'period@6:value', 'paused@10:value'])
  })

  it('places mappings under candidate keys, addresses printed through the label function', () => {
    const slot = mappingSlot('address', ALICE, 2n)
    const found = resolve([slot]).get(slot)!
    expect(found.map((f) => [f.path, f.root, f.type.label])).toEqual([
      ['balances[alice]', 'balances', 'uint256'],
    ])
    const bob = mappingSlot('address', BOB, 2n)
    expect(resolve([bob]).get(bob)![0]!.path).toBe(`balances[${getAddress(BOB)}]`)
  })

  it('follows nested mappings: spent[alice][12]', () => {
    const slot = mappingSlot('uint256', 12n, mappingSlot('address', ALICE, 3n))
    expect(paths([slot])).toEqual(['spent[alice][12]@0:value'])
  })

  it('names role ids and follows a mapping inside a struct inside a mapping', () => {
    const role = mappingSlot('bytes32', ROLE, 4n)
    const hasRole = mappingSlot('address', ALICE, role)
    expect(paths([hasRole, plus(role, 1n)])).toEqual([
      '_roles[ALLOCATOR_ROLE].adminRole@0:value',
      '_roles[ALLOCATOR_ROLE].hasRole[alice]@0:value',
    ])
  })

  it('finds dynamic array elements by distance from keccak256(slot), without a key', () => {
    const data = arrayData(5n)
    expect(paths([word(5n), plus(data, 41n)])).toEqual([
      '_checkpoints.length@0:value',
      '_checkpoints[41]._key@0:value',
      '_checkpoints[41]._value@6:value',
    ])
  })

  it('packs small elements of a dynamic array four to a slot', () => {
    // uint64: slot data+1 holds elements 4..7, element 4 in the lowest-order bytes.
    expect(paths([plus(arrayData(6n), 1n)])).toEqual([
      'small[4]@0:value',
      'small[5]@8:value',
      'small[6]@16:value',
      'small[7]@24:value',
    ])
  })

  it('packs a static array and stops at its length', () => {
    // uint128[3] at slot 7: [0],[1] in slot 7, [2] alone in slot 8; slot 9 is the next variable.
    expect(paths([word(8n)])).toEqual(['fixed[2]@0:value'])
    expect(paths([word(9n)])).toEqual(['name@0:bytes'])
  })

  it('places struct members at base + member slot', () => {
    expect(paths([word(14n)])).toEqual(['pair.y@0:value'])
  })

  it('places a long string: the length slot and the data chunks at keccak256(slot) + i', () => {
    const found = resolve([word(9n), plus(arrayData(9n), 2n)])
    expect([...found.values()].flat()).toMatchObject([
      { path: 'name', kind: 'bytes' },
      { path: 'name', kind: 'chunk', chunk: 2, lengthSlot: word(9n) },
    ])
  })

  it('reaches strings inside dynamic array elements by trying indices up to the known length', () => {
    // members[1] starts at keccak256(10) + 2 (two slots per element); its name's data at keccak256(that).
    const element = plus(arrayData(10n), 2n)
    const chunk = plus(keccak256(element), 1n)
    expect(paths([chunk], (slot) => (slot === word(10n) ? 2n : undefined))).toEqual([
      'members[1].name@0:chunk',
    ])
    // Without the length the element cannot be reached (its data slot is a hash of the element's slot).
    expect(paths([chunk])).toEqual([])
    expect(paths([plus(element, 1n)])).toEqual(['members[1].weight@0:value'])
  })

  it('hashes signed and fixed-bytes keys by their ABI encoding', () => {
    const int = keccak256(encodeAbiParameters([{ type: 'int8' }, { type: 'uint256' }], [-1, 11n]))
    const sel = keccak256(`0x${pad(SELECTOR, { dir: 'right' }).slice(2)}${word(12n).slice(2)}`)
    expect(paths([int, sel])).toEqual(['byInt[-1]@0:value', `bySelector[${SELECTOR}]@0:value`])
  })

  it('leaves slots it cannot place out of the result', () => {
    const unknownKey = mappingSlot('address', '0x000000000000000000000000000000000000dEaD', 2n)
    expect(resolve([unknownKey, word(99n)]).size).toBe(0)
  })

  it('follows a struct holding a mapping of itself, and stops when nothing matches', () => {
    const layout: StorageLayout = {
      storage: [entry('root', 0, 't_struct(Node)1_storage')],
      types: {
        t_uint256: v('uint256', '32'),
        't_struct(Node)1_storage': {
          encoding: 'inplace',
          label: 'struct Node',
          numberOfBytes: '64',
          members: [
            entry('value', 0, 't_uint256'),
            entry('children', 1, 't_mapping(t_uint256,t_struct(Node)1_storage)'),
          ],
        },
        't_mapping(t_uint256,t_struct(Node)1_storage)': {
          encoding: 'mapping',
          label: 'm',
          numberOfBytes: '64',
          key: 't_uint256',
          value: 't_struct(Node)1_storage',
        },
      },
    }
    const child = mappingSlot('uint256', 12n, 1n)
    const grandchild = mappingSlot('uint256', 12n, plus(child, 1n))
    const found = resolveSlots({ layout, slots: [grandchild, word(12345n)], keys: KEYS, ctx })
    expect([...found.values()].flat().map((f) => f.path)).toEqual(['root.children[12].children[12].value'])
  })

  it("resolves the treasury's nested mapping from the real artifact layout", () => {
    const layout = loadArtifact('AllianceTreasury').storageLayout as StorageLayout
    const slot = mappingSlot('uint256', 12n, mappingSlot('address', ALICE, 3n))
    const found = resolveSlots({ layout, slots: [slot], keys: KEYS, ctx }).get(slot)
    expect(found?.map((f) => f.path)).toEqual(['spentInEpoch[alice][12]'])
  })
})
