import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { getBytes, hashMessage, N, SigningKey, toBeHex } from 'ethers'
import { afterAll, describe, expect, it } from 'vitest'
import { DEVNET_ACCOUNTS } from '../../../src/devnet/accounts.js'
import { ethSignSafeTxHash, signSafeTxHash } from '../../../src/safe/signatures.js'
import type { Address, Hex } from '../../../src/safe/types.js'
import { parsePastedSignature, readSignatureInput } from '../../../src/signers/pastedSignature.js'

const OWNERS = DEVNET_ACCOUNTS.slice(0, 3).map((a) => a.address as Address)
const OWNER = DEVNET_ACCOUNTS[1]!
const STRANGER = DEVNET_ACCOUNTS[5]!
const SAFE_TX_HASH = '0xad06b099fca34e51e4886643d95d9a19ace2cd024065efb66662a876e8c40343' as Hex
const OTHER_HASH = `0x${'ab'.repeat(32)}` as Hex

const parse = (text: string, version?: string) =>
  parsePastedSignature(text, { safeTxHash: SAFE_TX_HASH, owners: OWNERS, ...(version ? { version } : {}) })
const withV = (sig: Hex, v: number) => `${sig.slice(0, 130)}${toBeHex(v, 1).slice(2)}` as Hex

function failure(run: () => unknown) {
  try {
    run()
  } catch (err) {
    return err as Error & { code?: string; shortMessage?: string; details?: string[] }
  }
  throw new Error('expected a failure')
}

describe('parsePastedSignature', () => {
  it("accepts an owner's EIP-712 signature, trimmed and normalised", () => {
    const sig = signSafeTxHash(OWNER.key as Hex, SAFE_TX_HASH)
    const expected = { signer: OWNER.address, signature: sig, kind: 'eoa' }
    expect(parse(sig)).toEqual(expected)
    expect(parse(`\n  ${sig.toUpperCase().replace('0X', '0x')}  \n`)).toEqual(expected)
    expect(parse(sig.slice(2))).toEqual(expected)
  })

  it('reads v 0/1 as 27/28', () => {
    const sig = signSafeTxHash(OWNER.key as Hex, SAFE_TX_HASH)
    const v = getBytes(sig)[64]!
    expect(parse(withV(sig, v - 27))).toEqual({ signer: OWNER.address, signature: sig, kind: 'eoa' })
  })

  it('accepts eth_sign signatures: v 31/32, or 27/28 over the EIP-191 digest (cast wallet sign HASH)', () => {
    const ethSign = ethSignSafeTxHash(OWNER.key as Hex, SAFE_TX_HASH)
    expect(parse(ethSign)).toEqual({ signer: OWNER.address, signature: ethSign, kind: 'eth_sign' })
    // personal_sign of the 32 hash bytes, as wallets and `cast wallet sign 0x…` return it (v 27/28).
    const personal = new SigningKey(OWNER.key).sign(hashMessage(getBytes(SAFE_TX_HASH))).serialized
    expect(parse(personal)).toEqual({ signer: OWNER.address, signature: ethSign, kind: 'eth_sign' })
  })

  it('refuses eth_sign on a Safe older than 1.1.0', () => {
    const ethSign = ethSignSafeTxHash(OWNER.key as Hex, SAFE_TX_HASH)
    expect(failure(() => parse(ethSign, '1.0.0')).code).toBe('SAFE_SIGNATURE_ETH_SIGN_UNSUPPORTED')
    const personal = new SigningKey(OWNER.key).sign(hashMessage(getBytes(SAFE_TX_HASH))).serialized
    expect(failure(() => parse(personal, '1.0.0')).code).toBe('SIGNATURE_NOT_OWNER')
    expect(parse(signSafeTxHash(OWNER.key as Hex, SAFE_TX_HASH), '1.0.0').kind).toBe('eoa')
  })

  it('refuses a signer who is not an owner, saying who it recovered to', () => {
    const err = failure(() => parse(signSafeTxHash(STRANGER.key as Hex, SAFE_TX_HASH)))
    expect(err.code).toBe('SIGNATURE_NOT_OWNER')
    expect(err.message).toContain(`${STRANGER.address} (as EIP-712)`)
    expect(err.details?.[0]).toContain(OWNERS[0])
  })

  it("refuses an owner's signature over another hash", () => {
    const err = failure(() => parse(signSafeTxHash(OWNER.key as Hex, OTHER_HASH)))
    expect(err.code).toBe('SIGNATURE_NOT_OWNER')
    expect(err.shortMessage).not.toContain(OWNER.address)
  })

  it('refuses what is not a 65-byte signature', () => {
    const sig = signSafeTxHash(OWNER.key as Hex, SAFE_TX_HASH)
    const cases: [string, RegExp][] = [
      [sig.slice(0, 130), /64 bytes, expected 65/],
      [`${sig}00`, /66 bytes/],
      [`${sig.slice(0, 131)}`, /129 hex digits/],
      [sig.replace(/.$/, 'z'), /not hex/],
      [withV(sig, 29), /v is 29/],
      ['', /0 bytes/],
    ]
    for (const [text, reason] of cases) {
      const err = failure(() => parse(text))
      expect(err.code, text).toBe('SIGNATURE_MALFORMED')
      expect(err.message, text).toMatch(reason)
    }
  })

  it('refuses a malleable (high-s) copy of a valid signature', () => {
    const sig = new SigningKey(OWNER.key).sign(SAFE_TX_HASH)
    const flipped = `${sig.r}${toBeHex(N - BigInt(sig.s), 32).slice(2)}${toBeHex(sig.v === 27 ? 28 : 27, 1).slice(2)}`
    expect(failure(() => parse(flipped)).code).toBe('SAFE_SIGNATURE_HIGH_S')
  })
})

describe('readSignatureInput', () => {
  const dir = mkdtempSync(join(tmpdir(), 'alliance-sig-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('reads --signature or --signature-file, exactly one', () => {
    const sig = signSafeTxHash(OWNER.key as Hex, SAFE_TX_HASH)
    const file = join(dir, 'sig.txt')
    writeFileSync(file, `${sig}\n`)
    expect(parse(readSignatureInput({ signatureFile: file })).signer).toBe(OWNER.address)
    expect(readSignatureInput({ signature: sig })).toBe(sig)
    expect(failure(() => readSignatureInput({})).code).toBe('INVALID_FLAG')
    expect(failure(() => readSignatureInput({ signature: sig, signatureFile: file })).code).toBe(
      'INVALID_FLAG',
    )
    expect(failure(() => readSignatureInput({ signatureFile: join(dir, 'none') })).code).toBe(
      'FILE_NOT_FOUND',
    )
  })
})
