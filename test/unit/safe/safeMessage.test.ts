import { TypedDataEncoder } from 'ethers'
import {
  encodeAbiParameters,
  hashDomain,
  hashMessage,
  hashStruct,
  hashTypedData,
  keccak256,
  type TypedDataDomain,
  type Address as ViemAddress,
} from 'viem'
import { describe, expect, it } from 'vitest'
import { InvalidTypedDataError } from '../../../src/errors/hash.js'
import { InvalidSafeTxError, UnknownSafeVersionError } from '../../../src/errors/safe.js'
import {
  hashRawMessage,
  hashSafeMessage,
  hashSafeMessageData,
  SAFE_MESSAGE_TYPEHASH,
  type TypedDataDocument,
} from '../../../src/safe/safeMessage.js'
import { domainSeparator } from '../../../src/safe/safeTxHash.js'
import type { Address, Hex } from '../../../src/safe/types.js'
import { rng } from './random.js'

/** The reference abbreviates some hashes as `0x1655e94a…d8c3`: compare the visible prefix and suffix. */
function expectHash(actual: Hex, expected: string) {
  const [head, tail] = expected.toLowerCase().split('…') as [string, string | undefined]
  if (tail === undefined) return expect(actual).toBe(head)
  expect(actual.startsWith(head), `${actual} starts with ${head}`).toBe(true)
  expect(actual.endsWith(tail), `${actual} ends with ${tail}`).toBe(true)
}

// safe.md §4.3 vector: the safe-tx-hashes-util README message (full text from that README; the reference
// itself only names it "Welcome to OpenSea!"), Sepolia Safe 0x657f…A0f1, v1.3.0.
const SEPOLIA_SAFE = '0x657ff0D4eC65D82b2bC1247b0a558bcd2f80A0f1' as Address
const OPENSEA = [
  'Welcome to OpenSea!',
  '',
  'Click to sign in and accept the OpenSea Terms of Service (https://opensea.io/tos) and Privacy Policy (https://opensea.io/privacy).',
  '',
  'This request will not trigger a blockchain transaction or cost any gas fees.',
  '',
  'Wallet address:',
  '0x657ff0d4ec65d82b2bc1247b0a558bcd2f80a0f1',
  '',
  'Nonce:',
  'ea499f2f-fdbc-4d04-92c4-b60aba887e06',
].join('\n')

describe('hashSafeMessage: safe.md §4.3 vector (STHU "Welcome to OpenSea!")', () => {
  it('matches the abbreviated reference and the full hashes the STHU README prints', () => {
    const h = hashSafeMessage({
      chainId: 11155111n,
      safe: SEPOLIA_SAFE,
      version: '1.3.0',
      message: { kind: 'text', text: OPENSEA },
    })
    expectHash(h.rawMessageHash, '0xcb1a9208…4236')
    expectHash(h.domainHash, '0x611379c1…c24f')
    expectHash(h.messageHash, '0xa5d2f507…f6e5')
    expectHash(h.safeMessageHash, '0x1866b559f56261ada63528391b93a1fe8e2e33baf7cace94fc6b42202d16ea08')
    // The README prints them in full (Domain and Message hash upper-cased, as a Ledger shows them).
    expect(h.rawMessageHash).toBe('0xcb1a9208c1a7c191185938c7d304ed01db68677eea4e689d688469aa72e34236')
    expect(h.domainHash).toBe(
      '0x611379C19940CAEE095CDB12BEBE6A9FA9ABB74CDB1FBD7377C49A1F198DC24F'.toLowerCase(),
    )
    expect(h.messageHash).toBe(
      '0xA5D2F507A16279357446768DB4BD47A03BCA0B6ACAC4632A4C2C96AF20D6F6E5'.toLowerCase(),
    )
  })

  it('is the hash of the LF text: CRLF or a trailing newline give other hashes (callers normalise files)', () => {
    const of = (text: string) =>
      hashSafeMessage({
        chainId: 11155111n,
        safe: SEPOLIA_SAFE,
        version: '1.3.0',
        message: { kind: 'text', text },
      }).safeMessageHash
    expect(of(OPENSEA.replace(/\n/g, '\r\n'))).not.toBe(of(OPENSEA))
    expect(of(`${OPENSEA}\n`)).not.toBe(of(OPENSEA))
  })

  it('uses SAFE_MSG_TYPEHASH 0x60b3cbf8…fbca = keccak256("SafeMessage(bytes message)")', () => {
    expect(SAFE_MESSAGE_TYPEHASH).toBe('0x60b3cbf8b4a223d68d641b3b6ddf9a298e7f33710cf3d3a9d1146b5a6150fbca')
  })

  it('reuses the Safe domain: with chainId from 1.3.0, without (replayable) before', () => {
    const at = (chainId: bigint, version: string) =>
      hashSafeMessage({ chainId, safe: SEPOLIA_SAFE, version, message: { kind: 'text', text: 'hi' } })
    for (const v of ['1.0.0', '1.1.1', '1.2.0']) {
      expect(at(1n, v).domainHash).toBe(domainSeparator({ chainId: 1n, safe: SEPOLIA_SAFE, version: v }))
      expect(at(1n, v).safeMessageHash).toBe(at(137n, v).safeMessageHash)
    }
    for (const v of ['1.3.0', '1.3.0+L2', '1.4.1', '1.5.0']) {
      expect(at(1n, v).safeMessageHash).not.toBe(at(137n, v).safeMessageHash)
      expect(at(11155111n, v).domainHash).toBe(
        '0x611379c19940caee095cdb12bebe6a9fa9abb74cdb1fbd7377c49a1f198dc24f',
      )
    }
  })

  it('rejects unknown versions and bad Safe addresses', () => {
    const base = {
      chainId: 1n,
      safe: SEPOLIA_SAFE,
      version: '1.3.0',
      message: { kind: 'text', text: 'x' },
    } as const
    expect(() => hashSafeMessage({ ...base, version: '1.4.0' })).toThrow(UnknownSafeVersionError)
    expect(() => hashSafeMessage({ ...base, safe: '0x1234' as Address })).toThrow(InvalidSafeTxError)
  })
})

// The EIP-712 specification's own example ("Ether Mail"), with its published signing hash.
const MAIL: TypedDataDocument = {
  types: {
    EIP712Domain: [
      { name: 'name', type: 'string' },
      { name: 'version', type: 'string' },
      { name: 'chainId', type: 'uint256' },
      { name: 'verifyingContract', type: 'address' },
    ],
    Person: [
      { name: 'name', type: 'string' },
      { name: 'wallet', type: 'address' },
    ],
    Mail: [
      { name: 'from', type: 'Person' },
      { name: 'to', type: 'Person' },
      { name: 'contents', type: 'string' },
    ],
  },
  primaryType: 'Mail',
  domain: {
    name: 'Ether Mail',
    version: '1',
    chainId: 1,
    verifyingContract: '0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC',
  },
  message: {
    from: { name: 'Cow', wallet: '0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826' },
    to: { name: 'Bob', wallet: '0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB' },
    contents: 'Hello, Bob!',
  },
}

describe('hashRawMessage: EIP-712 typed data', () => {
  it("gives the EIP-712 specification's example hash", () => {
    expect(hashRawMessage({ kind: 'typed', data: MAIL })).toBe(
      '0xbe609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2',
    )
  })

  it('equals ethers TypedDataEncoder.hash with EIP712Domain dropped, and needs no primaryType when unambiguous', () => {
    const { EIP712Domain: _, ...types } = MAIL.types
    const ethersHash = TypedDataEncoder.hash(MAIL.domain, types as never, MAIL.message)
    expect(hashRawMessage({ kind: 'typed', data: MAIL })).toBe(ethersHash)
    const { primaryType: __, ...noPrimary } = MAIL
    expect(hashRawMessage({ kind: 'typed', data: noPrimary })).toBe(ethersHash)
  })

  it('ignores type definitions the primary type does not reach (ethers alone would refuse them)', () => {
    const doc = { ...MAIL, types: { ...MAIL.types, Unused: [{ name: 'x', type: 'uint256' }] } }
    expect(hashRawMessage({ kind: 'typed', data: doc })).toBe(hashRawMessage({ kind: 'typed', data: MAIL }))
  })

  it('hashes the domain with the fields EIP712Domain declares, in their order', () => {
    const reordered = {
      ...MAIL,
      types: { ...MAIL.types, EIP712Domain: [...MAIL.types.EIP712Domain!].reverse() },
    }
    const viemHash = hashTypedData({
      domain: MAIL.domain as TypedDataDomain,
      types: reordered.types,
      primaryType: 'Mail',
      message: MAIL.message,
    } as never)
    expect(hashRawMessage({ kind: 'typed', data: reordered })).toBe(viemHash)
    expect(viemHash).not.toBe(hashRawMessage({ kind: 'typed', data: MAIL }))
  })

  const broken: [string, (d: TypedDataDocument) => unknown, RegExp][] = [
    [
      'a missing field',
      (d) => ({ ...d, message: { ...d.message, contents: undefined } }),
      /message\.contents is missing/,
    ],
    [
      'a field the type does not declare',
      (d) => ({ ...d, message: { ...d.message, bcc: 'x' } }),
      /message\.bcc is not a field of Mail/,
    ],
    [
      'a nested struct that is not an object',
      (d) => ({ ...d, message: { ...d.message, to: 'Bob' } }),
      /message\.to must be an object/,
    ],
    [
      'an unknown primaryType',
      (d) => ({ ...d, primaryType: 'Letter' }),
      /primaryType "Letter" is not defined/,
    ],
    [
      'an ambiguous primary type',
      (d) => ({ ...d, primaryType: undefined, types: { ...d.types, Other: [{ name: 'x', type: 'uint8' }] } }),
      /no "primaryType" given/,
    ],
    [
      'a domain key EIP712Domain does not declare',
      (d) => ({ ...d, domain: { ...d.domain, salt: `0x${'11'.repeat(32)}` } }),
      /domain\.salt is not a field of EIP712Domain/,
    ],
    [
      'a JSON number past 2^53',
      (d) => ({ ...d, domain: { ...d.domain, chainId: 2 ** 60 } }),
      /not an exact integer; quote it/,
    ],
    [
      'types that are not arrays',
      (d) => ({ ...d, types: { ...d.types, Mail: 'oops' } }),
      /types\.Mail must be an array/,
    ],
    [
      'a bad address checksum',
      (d) => ({
        ...d,
        message: { ...d.message, to: { name: 'Bob', wallet: '0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbb' } },
      }),
      /bad address checksum/,
    ],
    ['no message', (d) => ({ ...d, message: undefined }), /"message" must be an object/],
    ['an array, not a document', () => [], /must be a JSON object/],
  ]
  it.each(broken)('refuses %s with a typed error naming the place', (_name, mutate, pattern) => {
    let err: unknown
    try {
      hashRawMessage({ kind: 'typed', data: mutate(MAIL) as TypedDataDocument })
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(InvalidTypedDataError)
    expect((err as InvalidTypedDataError).code).toBe('HASH_INVALID_TYPED_DATA')
    expect((err as Error).message).toMatch(pattern)
  })

  it('refuses a string where a bool is declared (ethers would encode "false" as true)', () => {
    const doc: TypedDataDocument = {
      types: { Vote: [{ name: 'support', type: 'bool' }] },
      primaryType: 'Vote',
      domain: { name: 'Gov' },
      message: { support: 'false' },
    }
    expect(() => hashRawMessage({ kind: 'typed', data: doc })).toThrow(
      /message\.support must be true or false/,
    )
  })
})

describe('hashSafeMessage: independent cross-check against viem', () => {
  const versions = ['1.0.0', '1.1.1', '1.2.0', '1.3.0', '1.3.0+L2', '1.4.1', '1.5.0', '1.5.0+L2']

  /** viem's EIP-712 over the SafeMessage type, with the message bytes = abi.encode(rawMessageHash). */
  function viemSafeMessage(chainId: bigint, safe: Address, version: string, raw: Hex) {
    const withChainId = !/^1\.[0-2]\./.test(version)
    const domain = withChainId ? { chainId, verifyingContract: safe } : { verifyingContract: safe }
    const types = {
      EIP712Domain: withChainId
        ? [
            { name: 'chainId', type: 'uint256' },
            { name: 'verifyingContract', type: 'address' },
          ]
        : [{ name: 'verifyingContract', type: 'address' }],
      SafeMessage: [{ name: 'message', type: 'bytes' }],
    } as const
    const message = { message: encodeAbiParameters([{ type: 'bytes32' }], [raw]) }
    // biome-ignore lint/suspicious/noExplicitAny: the domain type is chosen at runtime
    const t = types as any
    return {
      domainHash: hashDomain({ domain, types: t }),
      messageHash: hashStruct({ data: message, primaryType: 'SafeMessage', types: t }),
      safeMessageHash: hashTypedData({ domain, types: t, primaryType: 'SafeMessage', message }),
    }
  }

  it('agrees on 300 random text messages (unicode, newlines, empty) across versions and chains', () => {
    const r = rng(0x3e55a9e)
    const alphabet = ['a', 'Z', ' ', '\n', '\t', 'é', 'ß', '€', '中', '😀', '\u0000', '"', '\\', '0x']
    for (let i = 0; i < 300; i++) {
      const text = Array.from({ length: r.int(80) }, () => r.pick(alphabet)).join('')
      const version = versions[i % versions.length]!
      const chainId = r.pick([1n, 10n, 137n, 42161n, 11155111n, 31337n, BigInt(1 + r.int(2 ** 31))])
      const safe = r.hex(20) as Address
      const ours = hashSafeMessage({ chainId, safe, version, message: { kind: 'text', text } })
      const raw = hashMessage(text)
      expect(ours.rawMessageHash, `case ${i}`).toBe(raw)
      expect({ ...ours, rawMessageHash: undefined }, `case ${i} (${version})`).toEqual({
        ...viemSafeMessage(chainId, safe, version, raw),
        rawMessageHash: undefined,
      })
    }
  })

  it('agrees on 200 random typed-data documents (nested structs, arrays, every atomic type)', () => {
    const r = rng(0x712712)
    for (let i = 0; i < 200; i++) {
      const { doc, viemArgs } = randomTypedData(r)
      const raw = hashRawMessage({ kind: 'typed', data: doc })
      expect(raw, `case ${i}: ${JSON.stringify(doc.types)}`).toBe(hashTypedData(viemArgs as never))
      const version = versions[i % versions.length]!
      const safe = r.hex(20) as Address
      const ours = hashSafeMessage({ chainId: 5n, safe, version, message: { kind: 'typed', data: doc } })
      expect(ours.safeMessageHash).toBe(viemSafeMessage(5n, safe, version, raw).safeMessageHash)
    }
  })

  it('hashSafeMessageData is getMessageHashForSafe over any bytes: keccak(message) inside the struct', () => {
    const data = '0xdeadbeef' as Hex
    const h = hashSafeMessageData({ chainId: 1n, safe: SEPOLIA_SAFE, version: '1.4.1', data })
    const types = {
      EIP712Domain: [
        { name: 'chainId', type: 'uint256' },
        { name: 'verifyingContract', type: 'address' },
      ],
      SafeMessage: [{ name: 'message', type: 'bytes' }],
    } as const
    expect(h.safeMessageHash).toBe(
      hashTypedData({
        domain: { chainId: 1n, verifyingContract: SEPOLIA_SAFE },
        types,
        primaryType: 'SafeMessage',
        message: { message: data },
      }),
    )
    expect(h.messageHash).toBe(
      keccak256(
        encodeAbiParameters(
          [{ type: 'bytes32' }, { type: 'bytes32' }],
          [SAFE_MESSAGE_TYPEHASH, keccak256(data)],
        ),
      ),
    )
  })
})

type Rng = ReturnType<typeof rng>
const ATOMIC = [
  'address',
  'bool',
  'string',
  'bytes',
  'bytes32',
  'bytes4',
  'uint256',
  'uint8',
  'int256',
  'int64',
] as const

/** A random EIP-712 document (JSON-safe: integers as decimal strings) and the same for viem (bigints). */
function randomTypedData(r: Rng): { doc: TypedDataDocument; viemArgs: unknown } {
  const types: Record<string, { name: string; type: string }[]> = {}
  const structCount = 1 + r.int(3)
  const names = Array.from({ length: structCount }, (_, i) => `S${i}`)
  // S0 is primary; S_i may reference S_j only for j > i, so every struct is reachable and there are no cycles.
  for (let i = 0; i < structCount; i++) {
    const fields: { name: string; type: string }[] = []
    const n = 1 + r.int(4)
    for (let f = 0; f < n; f++) {
      let type: string = r.pick(ATOMIC)
      if (i + 1 < structCount && (f === 0 || r.int(4) === 0))
        type = names[i + 1 + r.int(structCount - i - 1)]!
      if (r.int(5) === 0) type += r.pick(['[]', '[2]'])
      fields.push({ name: `f${f}`, type })
    }
    types[names[i]!] = fields
  }
  const json = (type: string): [unknown, unknown] => {
    const arr = /\[(\d*)\]$/.exec(type)
    if (arr) {
      const len = arr[1] ? Number(arr[1]) : r.int(3)
      const items = Array.from({ length: len }, () => json(type.slice(0, arr.index)))
      return [items.map((x) => x[0]), items.map((x) => x[1])]
    }
    if (types[type]) {
      const a: Record<string, unknown> = {}
      const b: Record<string, unknown> = {}
      for (const f of types[type]) [a[f.name], b[f.name]] = json(f.type)
      return [a, b]
    }
    switch (type) {
      case 'address': {
        const a = r.hex(20).toLowerCase()
        return [a, a]
      }
      case 'bool': {
        const b = r.int(2) === 1
        return [b, b]
      }
      case 'string': {
        const s = Array.from({ length: r.int(20) }, () => r.pick(['a', 'é', '😀', ' ', '\n'])).join('')
        return [s, s]
      }
      case 'bytes': {
        const h = r.hex(r.int(70))
        return [h, h]
      }
      case 'bytes32':
        return ((h) => [h, h])(r.hex(32))
      case 'bytes4':
        return ((h) => [h, h])(r.hex(4))
      case 'uint8':
        return ((n) => [n, BigInt(n)])(r.int(256))
      case 'int64': {
        const v = BigInt(r.int(2 ** 31)) * (r.int(2) ? -1n : 1n)
        return [v.toString(), v]
      }
      case 'int256': {
        const v = r.bigint(1 + r.int(31)) * (r.int(2) ? -1n : 1n)
        return [v.toString(), v]
      }
      default: {
        const v = r.uint()
        return [v.toString(), v]
      }
    }
  }
  const [jsonMessage, viemMessage] = json('S0')
  const domainFields = (['name', 'version', 'chainId', 'verifyingContract', 'salt'] as const).filter(
    () => r.int(2) === 1,
  )
  if (domainFields.length === 0) domainFields.push('name')
  const domain: Record<string, unknown> = {}
  const viemDomain: Record<string, unknown> = {}
  for (const k of domainFields) {
    if (k === 'name') domain.name = viemDomain.name = `App ${r.int(1000)}`
    if (k === 'version') domain.version = viemDomain.version = String(r.int(9))
    if (k === 'chainId') {
      const c = 1 + r.int(2 ** 31)
      domain.chainId = c
      viemDomain.chainId = BigInt(c)
    }
    if (k === 'verifyingContract')
      domain.verifyingContract = viemDomain.verifyingContract = r.hex(20) as ViemAddress
    if (k === 'salt') domain.salt = viemDomain.salt = r.hex(32)
  }
  const domainType = { EIP712Domain: canonicalDomainType(domainFields) }
  // Half the documents declare EIP712Domain (as wallets receive them), half let it be derived.
  const declare = r.int(2) === 1
  const doc: TypedDataDocument = {
    types: declare ? { ...domainType, ...types } : types,
    primaryType: 'S0',
    domain,
    message: jsonMessage as Record<string, unknown>,
  }
  const viemArgs = {
    domain: viemDomain,
    types: { ...domainType, ...types },
    primaryType: 'S0',
    message: viemMessage,
  }
  return { doc, viemArgs }
}

function canonicalDomainType(fields: readonly string[]) {
  const all = [
    { name: 'name', type: 'string' },
    { name: 'version', type: 'string' },
    { name: 'chainId', type: 'uint256' },
    { name: 'verifyingContract', type: 'address' },
    { name: 'salt', type: 'bytes32' },
  ]
  return all.filter((f) => fields.includes(f.name))
}
