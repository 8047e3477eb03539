import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { getAddress } from 'ethers'
import {
  concat,
  encodeAbiParameters,
  type Hex,
  hexToBigInt,
  keccak256,
  numberToHex,
  pad,
  stringToHex,
  toHex,
} from 'viem'
import { describe, expect, it } from 'vitest'
import { loadArtifact, loadImmutableReferences } from '../../../../src/contracts/artifacts.js'
import { canonicalDeployments } from '../../../../src/safe/deployments.js'
import { collectCandidateKeys } from '../../../../src/simulate/stateDiff/candidateKeys.js'
import { decodeStateDiff } from '../../../../src/simulate/stateDiff/decodeStateDiff.js'
import type { PrestateDiff } from '../../../../src/simulate/stateDiff/types.js'

const checksum = (a: string) => getAddress(a) as Hex
const word = (n: bigint): Hex => numberToHex(n, { size: 32 })
const mappingSlot = (keyType: string, key: unknown, base: bigint | Hex): Hex =>
  keccak256(
    encodeAbiParameters([{ type: keyType }, { type: typeof base === 'bigint' ? 'uint256' : 'bytes32' }], [
      key,
      base,
    ] as never),
  )
function deployed(name: string): Hex {
  let hex = loadArtifact(name).deployedBytecode.slice(2).toLowerCase()
  for (const { start, length } of loadImmutableReferences(name)) {
    hex = hex.slice(0, start * 2) + '5a'.repeat(length) + hex.slice((start + length) * 2)
  }
  return `0x${hex}`
}
const proxyCode = JSON.parse(
  readFileSync(
    join(
      dirname(createRequire(import.meta.url).resolve('@safe-global/safe-contracts/package.json')),
      'build/artifacts/contracts/proxies/SafeProxy.sol/SafeProxy.json',
    ),
    'utf8',
  ),
).deployedBytecode as Hex

const SAFE = '0xe80f3c2046c04bf94b04ca142f94fbf7480110c7'
const TREASURY = '0xe1da8919f262ee86f9be05059c9280142cf23f48'
const REGISTRY = '0x0c8e79f3534b00d9a3d4a856b665bf4ebc22f2ba'
const GOVERNOR = '0xe1aa25618fa0c7a1cfdab5d6b456af611873b629'
const ALLY = '0x700b6a60ce7eaaea56f065753d8dcb9653dbad35'
const EXECUTOR = '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266'
const FRESH = '0x00000000000000000000000000000000000f4e54'
const DOOMED = '0x00000000000000000000000000000000000d00d0'
const NEW_OWNER = '0x000000000000000000000000000000000000dead'
const NAMES: Record<string, string> = {
  [SAFE]: 'council',
  [TREASURY]: 'treasury',
  [REGISTRY]: 'registry',
  [GOVERNOR]: 'governor',
  [ALLY]: 'ALLY',
}
const label = (a: string) => NAMES[a.toLowerCase()] ?? a
const keys = collectCandidateKeys({ addresses: [ALLY], words: [word(3n)] })

const spent = mappingSlot('uint256', 3n, mappingSlot('address', ALLY, 3n))
const budget = mappingSlot('address', ALLY, 2n)
const NAME = 'Play DAO, the community of players across the alliance'
// _members[2] of AllianceRegistry: elements of 3 slots from keccak256(1); name's data at keccak256(element).
const member2 = numberToHex(hexToBigInt(keccak256(word(1n))) + 6n, { size: 32 })
const nameData = pad(stringToHex(NAME), { dir: 'right', size: 64 })
const nameChunk = (i: bigint) => numberToHex(hexToBigInt(keccak256(member2)) + i, { size: 32 })
// AllianceGovernor slot 8: uint48 _votingDelay at offset 0, uint32 _votingPeriod at offset 6.
const settings = (delay: bigint, period: bigint) =>
  pad(concat([toHex(period, { size: 4 }), toHex(delay, { size: 6 })]), { size: 32 })

const diff: PrestateDiff = {
  pre: {
    [TREASURY]: {
      balance: '0x0',
      nonce: 1,
      code: deployed('AllianceTreasury'),
      storage: { [budget]: word(10n ** 23n), [word(77n)]: word(1n) },
    },
    [SAFE]: {
      balance: '0x1',
      nonce: 1,
      code: proxyCode,
      storage: {
        [word(4n)]: word(2n),
        [word(5n)]: word(9n),
        [mappingSlot('address', '0x0000000000000000000000000000000000000001', 2n)]: pad(EXECUTOR),
      },
    },
    [FRESH]: { balance: '0x0' },
    [REGISTRY]: {
      balance: '0x0',
      nonce: 1,
      code: loadArtifact('AllianceRegistry').deployedBytecode,
      storage: { [word(1n)]: word(2n) },
    },
    [GOVERNOR]: {
      balance: '0x0',
      nonce: 1,
      code: deployed('AllianceGovernor'),
      storage: { [word(8n)]: settings(1n, 50n) },
    },
    [DOOMED]: { balance: '0x5', nonce: 1, code: '0x6000', storage: { [word(1n)]: word(1n) } },
  },
  post: {
    [TREASURY]: { storage: { [spent]: word(10n ** 19n), [word(77n)]: word(2n) } },
    [SAFE]: {
      nonce: 2,
      storage: {
        [word(4n)]: word(3n),
        [word(5n)]: word(10n),
        [mappingSlot('address', '0x0000000000000000000000000000000000000001', 2n)]: pad(NEW_OWNER),
        [mappingSlot('address', NEW_OWNER, 2n)]: pad(EXECUTOR),
        [word(999n)]: word(1n),
      },
    },
    [FRESH]: { balance: '0x64' },
    [REGISTRY]: {
      storage: {
        [word(1n)]: word(3n),
        [member2]: word(BigInt(NAME.length) * 2n + 1n),
        [nameChunk(0n)]: `0x${nameData.slice(2, 66)}` as Hex,
        [nameChunk(1n)]: `0x${nameData.slice(66)}` as Hex,
      },
    },
    [GOVERNOR]: { storage: { [word(8n)]: settings(1n, 100n) } },
  },
}

const result = decodeStateDiff(diff, {
  label,
  keys,
  sender: checksum(SAFE),
  singletonOf: () => canonicalDeployments('1.4.1').singleton.address,
})
const at = (address: string) => result.find((r) => r.address === getAddress(address))!
const rows = (address: string) =>
  at(address).changes.map((c) => [c.variable ?? c.slot, c.before, c.after, c.critical])

describe('decodeStateDiff', () => {
  it('names the Safe after its singleton and marks its configuration critical, not its nonce', () => {
    expect(at(SAFE).layoutName).toBe('Safe 1.4.1')
    expect(rows(SAFE)).toEqual([
      // NEW_OWNER is no candidate key: the linked list names it in a stored value, which makes it one.
      [
        `owners[${getAddress(NEW_OWNER)}]`,
        '0x0000000000000000000000000000000000000000',
        getAddress(EXECUTOR),
        true,
      ],
      ['owners[SENTINEL]', getAddress(EXECUTOR), getAddress(NEW_OWNER), true],
      ['threshold', '2', '3', true],
      // Only a delegatecall writes outside SafeStorage: an unexplained Safe slot is critical.
      [word(999n), word(0n), word(1n), true],
      ['nonce', '9', '10', false],
    ])
  })

  it("drops the sender's transaction nonce bump but keeps its other changes", () => {
    expect(at(SAFE).nonce).toBeUndefined()
    expect(at(SAFE).balance).toBeUndefined()
  })

  it('reads a slot absent from post as zeroed, and one absent from pre as zero before', () => {
    expect(at(TREASURY).layoutName).toBe('AllianceTreasury')
    expect(rows(TREASURY)).toEqual([
      ['epochBudget[ALLY]', (10n ** 23n).toString(), '0', true],
      ['spentInEpoch[ALLY][3]', '0', (10n ** 19n).toString(), false],
      [word(77n), word(1n), word(2n), false],
    ])
    expect(at(TREASURY).changes[2]!.variable).toBeUndefined()
  })

  it('shows a new long string once, whole, at its length slot', () => {
    expect(rows(REGISTRY)).toEqual([
      ['_members.length', '2', '3', false],
      ['_members[2].name', '""', JSON.stringify(NAME), false],
    ])
  })

  it('shows only the packed variable whose bytes changed', () => {
    expect(rows(GOVERNOR)).toEqual([['_votingPeriod', '50', '100', true]])
    expect(at(GOVERNOR).changes[0]!.type).toBe('uint32')
  })

  it('reports balance changes, new accounts and deleted ones', () => {
    expect(at(FRESH)).toEqual({
      address: getAddress(FRESH),
      changes: [],
      balance: { before: 0n, after: 100n },
      codeChanged: false,
    })
    expect(at(DOOMED)).toMatchObject({
      balance: { before: 5n, after: 0n },
      nonce: { before: 1, after: 0 },
      codeChanged: true,
    })
    expect(rows(DOOMED)).toEqual([[word(1n), word(1n), word(0n), false]])
  })

  it('puts accounts with critical changes first, then sorts by label', () => {
    expect(result.map((r) => label(r.address))).toEqual([
      'council',
      'governor',
      'treasury',
      getAddress(DOOMED),
      getAddress(FRESH),
      'registry',
    ])
  })

  it('leaves out an EOA sender whose only changes are its nonce bump and the gas it paid', () => {
    const eoa: PrestateDiff = {
      pre: { [EXECUTOR]: { balance: '0x10', nonce: 1 } },
      post: { [EXECUTOR]: { balance: '0x8', nonce: 2 } },
    }
    // Named, or inferred: only sending a transaction raises a codeless account's nonce.
    expect(decodeStateDiff(eoa, { label, keys, sender: checksum(EXECUTOR) })).toEqual([])
    expect(decodeStateDiff(eoa, { label, keys })).toEqual([])
    // Someone else's: both changes show.
    expect(decodeStateDiff(eoa, { label, keys, sender: checksum(SAFE) })[0]).toMatchObject({
      balance: { before: 16n, after: 8n },
      nonce: { before: 1, after: 2 },
    })
    // A contract's nonce rises when it creates one: that stays.
    const creator = decodeStateDiff(
      { pre: { [DOOMED]: { nonce: 1, code: '0x6000' } }, post: { [DOOMED]: { nonce: 2 } } },
      { label, keys },
    )
    expect(creator[0]?.nonce).toEqual({ before: 1, after: 2 })
  })

  it("drops the coinbase's fee income when told which account it is", () => {
    const fees: PrestateDiff = { pre: { [FRESH]: { balance: '0x1' } }, post: { [FRESH]: { balance: '0x2' } } }
    expect(decodeStateDiff(fees, { label, keys, coinbase: checksum(FRESH) })).toEqual([])
    expect(decodeStateDiff(fees, { label, keys })[0]?.balance).toEqual({ before: 1n, after: 2n })
  })
})
