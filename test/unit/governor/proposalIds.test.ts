import { randomBytes } from 'node:crypto'
import {
  bytesToHex,
  encodeAbiParameters,
  getAddress,
  hexToBytes,
  keccak256,
  pad,
  stringToHex,
  toHex,
} from 'viem'
import { describe, expect, it } from 'vitest'
import {
  descriptionHash,
  hashProposal,
  timelockOperationId,
  timelockSalt,
} from '../../../src/governor/proposalIds.js'
import type { Address, Hex } from '../../../src/safe/types.js'

// Governor reference §3.8: the ENS setController proposal, with an example governor for the salt.
const ENS = {
  targets: ['0xab528d626ec275e3fad363ff1393a41f581c5897'] as Address[],
  values: [0n],
  calldatas: [
    '0xe0dba60f000000000000000000000000714cb817efd08fee91558b07a924a87c3587f3c10000000000000000000000000000000000000000000000000000000000000001',
  ] as Hex[],
  description:
    'Call setController on the Root contract at root.ens.eth, passing in the address of the new DNS registrar',
  descriptionHash: '0xb50752b7dc10c4481ba214aeddadbaaeae2b0953691e4bc93b2b221d2aca3f9f',
  proposalId: 0x5faa6188098d67bab0959d7701080851ebc01239f7675314288057bfdd8ef8ccn,
  governor: '0x323A76393544d5ecca80cd6ef2A560C6a395b7E3' as Address,
  v5Salt: '0x873d248ee95411a4d122d9c02f08da680dbebeb0691e4bc93b2b221d2aca3f9f',
  opIdV4: '0x4252c82514c81d7b3917974bb10dd319f09e675481bc1a44c642869c8ca1fcda',
  opIdV5: '0xdf58f78ccc44e5af92c1abbad5b2df139a6759531a974615a16617e505f1fed0',
}

// viem, an independent ABI encoder and keccak, spells out each formula from the OZ sources.
const viem = {
  descriptionHash: (d: string) => keccak256(stringToHex(d)),
  proposalId: (t: readonly Address[], v: readonly bigint[], c: readonly Hex[], h: Hex) =>
    BigInt(
      keccak256(
        encodeAbiParameters(
          [{ type: 'address[]' }, { type: 'uint256[]' }, { type: 'bytes[]' }, { type: 'bytes32' }],
          [t, v, c, h],
        ),
      ),
    ),
  // bytes20(governor) ^ descriptionHash, byte by byte.
  saltV5: (g: Address, h: Hex) => {
    const left = hexToBytes(pad(g, { dir: 'right', size: 32 }))
    const right = hexToBytes(h)
    return bytesToHex(left.map((b, i) => b ^ right[i]!))
  },
  operationId: (t: readonly Address[], v: readonly bigint[], c: readonly Hex[], pre: Hex, salt: Hex) =>
    keccak256(
      encodeAbiParameters(
        [
          { type: 'address[]' },
          { type: 'uint256[]' },
          { type: 'bytes[]' },
          { type: 'bytes32' },
          { type: 'bytes32' },
        ],
        [t, v, c, pre, salt],
      ),
    ),
}

const ZERO32 = `0x${'00'.repeat(32)}` as Hex
const hex = (n: number) => toHex(randomBytes(n)) as Hex
const address = () => getAddress(hex(20)) as Address

describe('proposal ids: the reference vectors (§3.8)', () => {
  it('hashes the description as raw UTF-8', () => {
    expect(descriptionHash(ENS.description)).toBe(ENS.descriptionHash)
    expect(viem.descriptionHash(ENS.description)).toBe(ENS.descriptionHash)
  })

  it('computes the proposal id', () => {
    const id = hashProposal({ ...ENS, descriptionHash: ENS.descriptionHash as Hex })
    expect(id).toBe(ENS.proposalId)
    expect(id).toBe(43270757753376998995821255412816042149809304532005054196996755985972935456972n)
    expect(viem.proposalId(ENS.targets, ENS.values, ENS.calldatas, ENS.descriptionHash as Hex)).toBe(id)
  })

  it('puts the governor in the high 20 bytes of the v5 salt, and uses the bare hash in v4', () => {
    const h = ENS.descriptionHash as Hex
    expect(timelockSalt(ENS.governor, h, 5)).toBe(ENS.v5Salt)
    expect(viem.saltV5(ENS.governor, h)).toBe(ENS.v5Salt)
    expect(timelockSalt(ENS.governor, h, 4)).toBe(ENS.descriptionHash)
    // Any spelling of the governor address gives the same salt.
    expect(timelockSalt(ENS.governor.toLowerCase() as Address, h, 5)).toBe(ENS.v5Salt)
  })

  it('computes the timelock operation id for both salts', () => {
    const h = ENS.descriptionHash as Hex
    expect(timelockOperationId({ ...ENS, salt: timelockSalt(ENS.governor, h, 4) })).toBe(ENS.opIdV4)
    expect(timelockOperationId({ ...ENS, salt: timelockSalt(ENS.governor, h, 5) })).toBe(ENS.opIdV5)
    expect(viem.operationId(ENS.targets, ENS.values, ENS.calldatas, ZERO32, ENS.v5Salt as Hex)).toBe(
      ENS.opIdV5,
    )
  })

  it('hashes the predecessor when one is given', () => {
    const salt = ENS.v5Salt as Hex
    const pre = hex(32)
    const withPre = timelockOperationId({ ...ENS, predecessor: pre, salt })
    expect(withPre).not.toBe(ENS.opIdV5)
    expect(withPre).toBe(viem.operationId(ENS.targets, ENS.values, ENS.calldatas, pre, salt))
  })
})

describe('proposal ids: agree with viem on random proposals', () => {
  it('for ids, salts and operation ids of 1–5 calls with arbitrary calldata and Unicode descriptions', () => {
    for (let round = 0; round < 50; round++) {
      const n = 1 + (round % 5)
      const targets = Array.from({ length: n }, address)
      const values = Array.from({ length: n }, (_, i) => (i % 2 ? BigInt(hex(32)) : 0n))
      const calldatas = Array.from({ length: n }, (_, i) => (i === 0 ? '0x' : hex(4 + round * 7)) as Hex)
      const description = `# Round ${round} ✓ — ${hex(8)}\n\nÜnïcødé and 🚀 #proposer=${targets[0]}`
      const governor = address()

      const h = descriptionHash(description)
      expect(h).toBe(viem.descriptionHash(description))
      expect(hashProposal({ targets, values, calldatas, descriptionHash: h })).toBe(
        viem.proposalId(targets, values, calldatas, h),
      )
      const salt = timelockSalt(governor, h, 5)
      expect(salt).toBe(viem.saltV5(governor, h))
      expect(timelockOperationId({ targets, values, calldatas, salt })).toBe(
        viem.operationId(targets, values, calldatas, ZERO32, salt),
      )
    }
  })

  it('changes the id with the description: one trailing newline is another proposal', () => {
    const h1 = descriptionHash('Pay the grants')
    const h2 = descriptionHash('Pay the grants\n')
    expect(h1).not.toBe(h2)
    expect(hashProposal({ ...ENS, descriptionHash: h1 })).not.toBe(
      hashProposal({ ...ENS, descriptionHash: h2 }),
    )
  })
})
