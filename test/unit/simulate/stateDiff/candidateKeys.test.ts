import {
  encodeAbiParameters,
  encodeFunctionData,
  type Hex,
  keccak256,
  numberToHex,
  pad,
  parseAbi,
  stringToHex,
} from 'viem'
import { describe, expect, it } from 'vitest'
import type { CallFrame } from '../../../../src/simulate/callTrace.js'
import { collectCandidateKeys } from '../../../../src/simulate/stateDiff/candidateKeys.js'

const SAFE = '0xe80f3c2046c04bf94b04ca142f94fbf7480110c7'
const TREASURY = '0xe1da8919f262ee86f9be05059c9280142cf23f48'
const ALLY = '0x700b6a60ce7eaaea56f065753d8dcb9653dbad35'
const GRANTS = '0x9965507d1a55bcc2695c58ba16fb37d819b0a4dc'
const BOOK_ONLY = '0x976ea74026e726554db657fa54763abd0c3a0aa9'
const word = (n: bigint) => numberToHex(n, { size: 32 })

const allocate = encodeFunctionData({
  abi: parseAbi(['function allocate(address,address,uint256,string)']),
  args: [ALLY, GRANTS, 10n ** 19n, 'memo'],
})
const trace: CallFrame = {
  type: 'CALL',
  from: SAFE,
  to: TREASURY,
  input: allocate,
  output: word(777n),
  calls: [
    {
      type: 'CALL',
      from: TREASURY,
      to: ALLY,
      input: '0xa9059cbb',
      logs: [
        { address: ALLY, topics: [word(1234n)], data: encodeAbiParameters([{ type: 'uint256' }], [555n]) },
      ],
    },
  ],
  logs: [
    { address: TREASURY, topics: [keccak256(stringToHex('Allocated(...)')), word(12n)], data: '0xabcd' },
  ],
}

describe('collectCandidateKeys', () => {
  const keys = collectCandidateKeys({ trace, addresses: [BOOK_ONLY], abis: [] })

  it('takes calldata words after the selector, return data, log topics and data, in every frame', () => {
    for (const w of [
      pad(ALLY),
      pad(GRANTS),
      word(10n ** 19n),
      word(777n),
      word(1234n),
      word(555n),
      word(12n),
    ]) {
      expect(keys.words).toContain(w)
    }
  })

  it('takes every address of the trace and the given ones, as left-padded words', () => {
    for (const a of [SAFE, TREASURY, ALLY, BOOK_ONLY]) expect(keys.words).toContain(pad(a as Hex))
  })

  it('ignores a partial last word and always offers 0 and 1', () => {
    expect([...keys.words].every((w) => w.length === 66)).toBe(true)
    expect(keys.words).toContain(word(0n))
    expect(keys.words).toContain(word(1n))
    expect(keys.knownWords.get(word(0n))).toBe('DEFAULT_ADMIN_ROLE')
  })

  it('names role ids from `*_ROLE()` getters without inputs', () => {
    const abi = [
      'function MINTER_ROLE() view returns (bytes32)',
      'function DEFAULT_ADMIN_ROLE() view returns (bytes32)',
      'function ROLE_OF_ROLE(uint256) view returns (bytes32)',
    ]
    const k = collectCandidateKeys({ abis: [abi] })
    const minter = keccak256(stringToHex('MINTER_ROLE'))
    expect(k.knownWords.get(minter)).toBe('MINTER_ROLE')
    expect(k.words).toContain(minter)
    expect([...k.knownWords.values()].sort()).toEqual(['DEFAULT_ADMIN_ROLE', 'MINTER_ROLE'])
  })

  it("names the alliance contracts' roles by default", () => {
    const names = new Set(collectCandidateKeys().knownWords.values())
    for (const role of [
      'ALLOCATOR_ROLE',
      'GUARDIAN_ROLE',
      'REGISTRAR_ROLE',
      'RATE_SETTER_ROLE',
      'PROPOSER_ROLE',
    ]) {
      expect(names).toContain(role)
    }
    expect(collectCandidateKeys().knownWords.get(keccak256(stringToHex('ALLOCATOR_ROLE')))).toBe(
      'ALLOCATOR_ROLE',
    )
  })
})
