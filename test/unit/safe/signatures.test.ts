import { getAddress, hashTypedData } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { describe, expect, it } from 'vitest'
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
} from '../../../src/errors/safe.js'
import { hashSafeTx } from '../../../src/safe/safeTxHash.js'
import {
  approvedHashSignature,
  encodeSafeSignatures,
  ethSignSafeTxHash,
  type ParsedSignature,
  parseSafeSignatures,
  type SafeSignatureItem,
  signSafeTxHash,
} from '../../../src/safe/signatures.js'
import type { Address, Hex, SafeTx } from '../../../src/safe/types.js'
import { SAFE_TX_TYPES } from '../../support/safeTypedData.js'
import { randomKey, rng } from './random.js'

const HASH = '0xad06b099fca34e51e4886643d95d9a19ace2cd024065efb66662a876e8c40343' as Hex
const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n

function catchError(fn: () => unknown): unknown {
  try {
    fn()
  } catch (e) {
    return e
  }
  throw new Error('expected an error')
}

const word = (n: bigint | number) => BigInt(n).toString(16).padStart(64, '0')
const pad = (a: string) => a.slice(2).toLowerCase().padStart(64, '0')

describe('signSafeTxHash / ethSignSafeTxHash', () => {
  it('equals eth_signTypedData_v4 over the SafeTx (viem account.signTypedData)', async () => {
    const r = rng(0x5167)
    for (let i = 0; i < 10; i++) {
      const pk = randomKey(r)
      const account = privateKeyToAccount(pk)
      const safe = getAddress(r.hex(20)) as Address
      const tx: SafeTx = {
        to: getAddress(r.hex(20)) as Address,
        value: r.uint(),
        data: r.hex(r.int(100)),
        operation: r.pick([0, 1] as const),
        safeTxGas: 0n,
        baseGas: 0n,
        gasPrice: 0n,
        gasToken: '0x0000000000000000000000000000000000000000',
        refundReceiver: '0x0000000000000000000000000000000000000000',
        nonce: BigInt(r.int(1000)),
      }
      const { safeTxHash } = hashSafeTx({ chainId: 1n, safe, version: '1.4.1', tx })
      const typed = {
        domain: { chainId: 1, verifyingContract: safe },
        types: SAFE_TX_TYPES,
        primaryType: 'SafeTx',
        message: tx,
      } as const
      expect(hashTypedData(typed)).toBe(safeTxHash)
      const ours = signSafeTxHash(pk, safeTxHash)
      expect(ours).toBe(await account.signTypedData(typed))
      expect(ours).toBe(await account.sign({ hash: safeTxHash }))
      expect([27, 28]).toContain(Number.parseInt(ours.slice(-2), 16))
    }
  })

  it('eth_sign variant signs the EIP-191 digest with v + 4', async () => {
    const r = rng(0xe7)
    for (let i = 0; i < 10; i++) {
      const pk = randomKey(r)
      const hash = r.hex(32)
      const viemSig = await privateKeyToAccount(pk).signMessage({ message: { raw: hash } })
      const ours = ethSignSafeTxHash(pk, hash)
      expect(ours.slice(0, 130)).toBe(viemSig.slice(0, 130))
      expect(Number.parseInt(ours.slice(130), 16)).toBe(Number.parseInt(viemSig.slice(130), 16) + 4)
    }
  })

  it('rejects bad keys without echoing them, and bad hashes', () => {
    const secret = `0x${'ff'.repeat(32)}` as Hex // above the curve order
    const err = catchError(() => signSafeTxHash(secret, HASH)) as InvalidPrivateKeyError
    expect(err).toBeInstanceOf(InvalidPrivateKeyError)
    expect(err.code).toBe('SAFE_INVALID_PRIVATE_KEY')
    expect(err.message).not.toContain('ff'.repeat(8))
    expect(err.cause).toBeUndefined()
    expect(() => signSafeTxHash('0x1234', HASH)).toThrow(InvalidPrivateKeyError)
    expect(() => signSafeTxHash(randomKey(rng(9)), '0x1234')).toThrow(InvalidSafeHashError)
  })
})

describe('parseSafeSignatures', () => {
  it('recovers EOA signers from random keys (sorted, like checkNSignatures)', () => {
    const r = rng(0xa11ce)
    for (let round = 0; round < 20; round++) {
      const hash = r.hex(32)
      const keys = Array.from({ length: 1 + r.int(5) }, () => randomKey(r))
      const owners = keys.map((k) => privateKeyToAccount(k).address)
      const items: SafeSignatureItem[] = keys.map((k, i) => ({
        kind: 'eoa',
        signer: owners[i]!,
        data: signSafeTxHash(k, hash),
      }))
      const bytes = encodeSafeSignatures(items)
      const parsed = parseSafeSignatures(bytes, hash)
      const sorted = [...owners].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1))
      expect(parsed.map((p) => p.signer)).toEqual(sorted)
      expect(parsed.every((p) => p.kind === 'eoa')).toBe(true)
      expect(parsed.map((p) => p.offset)).toEqual(sorted.map((_, i) => i * 65))
    }
  })

  it('recovers eth_sign signers (v 31/32) on ≥1.1.0 and refuses them on older Safes', () => {
    const pk = randomKey(rng(7))
    const owner = privateKeyToAccount(pk).address
    const sig = ethSignSafeTxHash(pk, HASH)
    const [p] = parseSafeSignatures(sig, HASH, { version: '1.1.1' })
    expect(p).toEqual({ kind: 'eth_sign', signer: owner, data: sig, offset: 0 })
    expect(parseSafeSignatures(sig, HASH)[0]!.signer).toBe(owner)
    const err = catchError(() =>
      parseSafeSignatures(sig, HASH, { version: '1.0.0' }),
    ) as EthSignUnsupportedError
    expect(err).toBeInstanceOf(EthSignUnsupportedError)
    expect(err.code).toBe('SAFE_SIGNATURE_ETH_SIGN_UNSUPPORTED')
    // An eth_sign signature is not a valid EIP-712 one for the same hash, and vice versa.
    expect(
      parseSafeSignatures(
        `${sig.slice(0, 130)}${(Number.parseInt(sig.slice(130), 16) - 4).toString(16)}` as Hex,
        HASH,
      )[0]!.signer,
    ).not.toBe(owner)
  })

  it('reads approved-hash items: pad32(owner) ‖ 0 ‖ 01', () => {
    const owner = '0x6bc56d6CE87C86CB0756c616bECFD3Cd32b09251' as Address
    const item = approvedHashSignature(owner)
    expect(item).toBe(`0x${pad(owner)}${'0'.repeat(64)}01`)
    expect(parseSafeSignatures(item, HASH)).toEqual([
      { kind: 'approved-hash', signer: owner, data: item, offset: 0 },
    ])
    expect(approvedHashSignature(owner.toLowerCase() as Address)).toBe(item)
  })

  it('reads a contract signature and its dynamic part without verifying it', () => {
    const owner = '0x657ff0D4eC65D82b2bC1247b0a558bcd2f80A0f1' as Address
    const payload = `0x${'ab'.repeat(70)}` as Hex
    const bytes = `0x${pad(owner)}${word(65)}00${word(70)}${payload.slice(2)}` as Hex
    expect(encodeSafeSignatures([{ kind: 'contract', signer: owner, signature: payload }])).toBe(bytes)
    const [p] = parseSafeSignatures(bytes, HASH)
    expect(p).toEqual({
      kind: 'contract',
      signer: owner,
      data: bytes,
      offset: 0,
      signature: payload,
      dynamicOffset: 65,
    })
  })

  it('mixes all four kinds: encode sorts by signer, places payloads after the static part, and round-trips', () => {
    const r = rng(0xc0ffee)
    for (let round = 0; round < 25; round++) {
      const hash = r.hex(32)
      const items: SafeSignatureItem[] = []
      const n = 1 + r.int(7)
      for (let i = 0; i < n; i++) {
        const kind = r.pick(['eoa', 'eth_sign', 'approved-hash', 'contract'] as const)
        if (kind === 'eoa' || kind === 'eth_sign') {
          const pk = randomKey(r)
          const signer = privateKeyToAccount(pk).address
          items.push({
            kind,
            signer,
            data: kind === 'eoa' ? signSafeTxHash(pk, hash) : ethSignSafeTxHash(pk, hash),
          })
        } else if (kind === 'approved-hash') {
          items.push({ kind, signer: getAddress(r.hex(20)) as Address })
        } else {
          items.push({ kind, signer: getAddress(r.hex(20)) as Address, signature: r.hex(r.int(200)) })
        }
      }
      const bytes = encodeSafeSignatures(items, { dataHash: hash })
      const parsed = parseSafeSignatures(bytes, hash, { version: '1.4.1' })
      const sorted = [...items].sort((a, b) => (BigInt(a.signer) < BigInt(b.signer) ? -1 : 1))
      expect(parsed.map((p) => [p.kind, p.signer])).toEqual(sorted.map((s) => [s.kind, s.signer]))
      // Also walking exactly `count` items, as the Safe does with its threshold.
      expect(parseSafeSignatures(bytes, hash, { count: n })).toEqual(parsed)
      // Payloads come back intact and sit after the n × 65 static bytes.
      for (const p of parsed) {
        if (p.kind !== 'contract') continue
        const src = sorted.find((s) => s.signer === p.signer) as { signature: Hex }
        expect(p.signature).toBe(src.signature)
        expect(p.dynamicOffset).toBeGreaterThanOrEqual(n * 65)
      }
      // Parsed items are valid encoder input: re-encoding gives the same bytes.
      expect(encodeSafeSignatures(parsed)).toBe(bytes)
      expect(encodeSafeSignatures([...parsed].reverse())).toBe(bytes)
    }
  })

  it('parses an empty signature blob as no signatures', () => {
    expect(parseSafeSignatures('0x', HASH)).toEqual([])
    expect(encodeSafeSignatures([])).toBe('0x')
  })
})

describe('parseSafeSignatures: malformed input', () => {
  const pk = randomKey(rng(11))
  const eoa = signSafeTxHash(pk, HASH)
  const owner = '0x657ff0D4eC65D82b2bC1247b0a558bcd2f80A0f1' as Address

  function expectMalformed(sig: string, offset: number, opts = {}) {
    const err = catchError(() => parseSafeSignatures(sig as Hex, HASH, opts)) as MalformedSafeSignaturesError
    expect(err, sig).toBeInstanceOf(MalformedSafeSignaturesError)
    expect(err.code).toBe('SAFE_SIGNATURES_MALFORMED')
    expect(err.offset).toBe(offset)
  }

  it('rejects lengths that are not whole items', () => {
    expectMalformed(eoa.slice(0, -2), 0)
    expectMalformed(`${eoa}00`, 65)
    expectMalformed('0x1', 0)
    expectMalformed('0xzz', 0)
  })

  it('rejects contract-signature offsets and lengths out of range', () => {
    const head = `0x${pad(owner)}`
    expectMalformed(`${head}${word(1000)}00${word(0)}`, 32) // offset beyond the end
    expectMalformed(`${head}${word(10)}00${word(0)}`, 32) // offset inside the static item
    expectMalformed(`${head}${word(65)}00${word(5)}abcd`, 65) // declares 5 bytes, 2 present
    expectMalformed(`${head}${word(65)}00${word(2n ** 255n)}`, 65) // absurd length
    expectMalformed(`${head}${word(2n ** 256n - 1n)}00`, 32) // offset overflow
    // Payload starting mid-item: the static part would not be whole items.
    expectMalformed(`${head}${word(100)}00${'11'.repeat(35)}${word(0)}`, 65)
    // With an explicit count the payload must start after all `count` items (GS021).
    const two = `${head}${word(65)}00${eoa.slice(2)}`
    expectMalformed(two, 32, { count: 2 })
    expectMalformed(eoa, 65, { count: 2 })
  })

  it('rejects dirty owner words and the zero owner', () => {
    expectMalformed(`0x01${pad(owner).slice(2)}${'0'.repeat(64)}01`, 0)
    expectMalformed(`0x${'0'.repeat(128)}01`, 0)
  })

  it('rejects high-s (malleable) ECDSA signatures', () => {
    const s = BigInt(`0x${eoa.slice(66, 130)}`)
    const v = Number.parseInt(eoa.slice(130), 16)
    const flipped = `${eoa.slice(0, 66)}${word(N - s)}${(v === 27 ? 28 : 27).toString(16)}`
    const err = catchError(() => parseSafeSignatures(flipped as Hex, HASH)) as MalleableSignatureError
    expect(err).toBeInstanceOf(MalleableSignatureError)
    expect(err.code).toBe('SAFE_SIGNATURE_HIGH_S')
  })

  it('rejects unusable v values and unrecoverable r/s', () => {
    for (const v of [2, 26, 29, 30, 33, 255]) {
      const err = catchError(() =>
        parseSafeSignatures(`${eoa.slice(0, 130)}${v.toString(16).padStart(2, '0')}` as Hex, HASH),
      )
      expect(err, `v=${v}`).toBeInstanceOf(InvalidSignatureVError)
      expect((err as InvalidSignatureVError).code).toBe('SAFE_SIGNATURE_INVALID_V')
    }
    const zeroR = `0x${'0'.repeat(64)}${eoa.slice(66)}`
    expect(catchError(() => parseSafeSignatures(zeroR as Hex, HASH))).toBeInstanceOf(
      UnrecoverableSignatureError,
    )
    const bigR = `0x${word(N)}${eoa.slice(66)}`
    expect(catchError(() => parseSafeSignatures(bigR as Hex, HASH))).toBeInstanceOf(
      UnrecoverableSignatureError,
    )
  })

  it('rejects unsorted or repeated signers unless allowed', () => {
    const a = approvedHashSignature('0x0000000000000000000000000000000000000002')
    const b = approvedHashSignature('0x0000000000000000000000000000000000000001')
    const err = catchError(() =>
      parseSafeSignatures(`${a}${b.slice(2)}` as Hex, HASH),
    ) as UnsortedSafeSignaturesError
    expect(err).toBeInstanceOf(UnsortedSafeSignaturesError)
    expect(err.code).toBe('SAFE_SIGNATURES_UNSORTED')
    expect(err.offset).toBe(65)
    expect(() => parseSafeSignatures(`${a}${a.slice(2)}` as Hex, HASH)).toThrow(UnsortedSafeSignaturesError)
    expect(parseSafeSignatures(`${a}${b.slice(2)}` as Hex, HASH, { allowUnsorted: true })).toHaveLength(2)
  })

  it('rejects a malformed data hash', () => {
    expect(() => parseSafeSignatures(eoa, '0x1234' as Hex)).toThrow(InvalidSafeHashError)
  })
})

describe('encodeSafeSignatures: invalid items', () => {
  const pk = randomKey(rng(12))
  const signer = privateKeyToAccount(pk).address
  const eoa = signSafeTxHash(pk, HASH)

  it('rejects duplicate signers', () => {
    const err = catchError(() =>
      encodeSafeSignatures([
        { kind: 'eoa', signer, data: eoa },
        { kind: 'approved-hash', signer: signer.toLowerCase() as Address },
      ]),
    ) as DuplicateSignerError
    expect(err).toBeInstanceOf(DuplicateSignerError)
    expect(err.code).toBe('SAFE_SIGNATURES_DUPLICATE_SIGNER')
  })

  it('checks ECDSA items against the claimed signer when given the hash', () => {
    const other = privateKeyToAccount(randomKey(rng(13))).address
    expect(encodeSafeSignatures([{ kind: 'eoa', signer: other, data: eoa }])).toBe(eoa) // no hash: trusted as is
    const err = catchError(() =>
      encodeSafeSignatures([{ kind: 'eoa', signer: other, data: eoa }], { dataHash: HASH }),
    )
    expect(err).toBeInstanceOf(SignerMismatchError)
    expect((err as SignerMismatchError).code).toBe('SAFE_SIGNATURE_SIGNER_MISMATCH')
  })

  it('rejects wrong lengths, v bytes, kinds and approved-hash items for another owner', () => {
    const bad: SafeSignatureItem[] = [
      { kind: 'eoa', signer, data: eoa.slice(0, -2) as Hex },
      { kind: 'eth_sign', signer, data: eoa },
      { kind: 'eoa', signer, data: ethSignSafeTxHash(pk, HASH) },
      {
        kind: 'approved-hash',
        signer,
        data: approvedHashSignature('0x0000000000000000000000000000000000000001'),
      },
      { kind: 'contract', signer, signature: '0x123' as Hex },
      { kind: 'eoa', signer: '0x1234' as Address, data: eoa },
      { kind: 'nope', signer, data: eoa } as unknown as SafeSignatureItem,
    ]
    for (const item of bad) {
      const err = catchError(() => encodeSafeSignatures([item]))
      expect(err, JSON.stringify(item)).toBeInstanceOf(InvalidSignatureItemError)
      expect((err as InvalidSignatureItemError).code).toBe('SAFE_SIGNATURE_ITEM_INVALID')
    }
  })

  it('keeps a parsed approved-hash item byte for byte', () => {
    const owner = '0x0000000000000000000000000000000000000abc' as Address
    const withS = `0x${pad(owner)}${word(5)}01` as Hex
    const parsed: ParsedSignature[] = parseSafeSignatures(withS, HASH)
    expect(encodeSafeSignatures(parsed)).toBe(withS)
  })
})
