import { recoverAddress as ethersRecoverAddress, getBytes, hexlify, N, Signature, SigningKey } from 'ethers'
import { describe, expect, it } from 'vitest'
import { parseSafeSignatures, signSafeTxHash } from '../../../src/safe/signatures.js'
import { recoverAddress } from '../../../src/utils/recoverAddress.js'
import { rng } from '../safe/random.js'

const HALF_N = N >> 1n

/** ethers' answer, the reference: an address, or undefined where it throws. */
function reference(digest: string, r: string, s: string, v: 27 | 28) {
  try {
    return ethersRecoverAddress(digest, Signature.from({ r, s, v }))
  } catch {
    return undefined
  }
}

describe('recoverAddress (libsecp256k1 in WebAssembly)', () => {
  it('recovers what ethers recovers, over 300 signatures by random keys (seed 7)', () => {
    const random = rng(7)
    for (let i = 0; i < 300; i++) {
      // A leading 0x01 keeps the key non-zero and below the curve order.
      const key = new SigningKey(hexlify(new Uint8Array([1, ...random.bytes(31)])))
      const digest = random.hex(32)
      const sig = key.sign(digest)
      const ours = recoverAddress(getBytes(digest), getBytes(sig.r), getBytes(sig.s), (sig.v - 27) as 0 | 1)
      expect(ours).toBe(reference(digest, sig.r, sig.s, sig.v))
      expect(ours).toBe(ethersRecoverAddress(digest, sig))
    }
  })

  it('agrees with ethers on 300 random (r, s, v), most of which no key signed (seed 11)', () => {
    const random = rng(11)
    let recovered = 0
    for (let i = 0; i < 300; i++) {
      const digest = random.hex(32)
      const r = random.hex(32)
      // Low s only: ethers' Signature refuses high s before recovering; the Safe parser refuses it first too.
      const s = hexlify(getBytes(`0x${(BigInt(random.hex(32)) % HALF_N).toString(16).padStart(64, '0')}`))
      const v = (27 + random.int(2)) as 27 | 28
      const ours = recoverAddress(getBytes(digest), getBytes(r), getBytes(s), (v - 27) as 0 | 1)
      expect(ours, `case ${i}`).toBe(reference(digest, r, s, v))
      if (ours) recovered++
    }
    // About half of random x are on the curve: both branches ran.
    expect(recovered).toBeGreaterThan(50)
    expect(recovered).toBeLessThan(250)
  })

  it('returns undefined for r or s zero or not below the curve order', () => {
    const digest = getBytes(`0x${'11'.repeat(32)}`)
    const one = getBytes(`0x${'00'.repeat(31)}01`)
    const zero = new Uint8Array(32)
    const order = getBytes(`0x${N.toString(16)}`)
    expect(recoverAddress(digest, zero, one, 0)).toBeUndefined()
    expect(recoverAddress(digest, one, zero, 0)).toBeUndefined()
    expect(recoverAddress(digest, order, one, 1)).toBeUndefined()
    expect(recoverAddress(digest, one, order, 1)).toBeUndefined()
  })

  it('keeps parseSafeSignatures refusing high s (malleated) before recovering', () => {
    const key = new SigningKey(`0x${'42'.repeat(32)}`)
    const hash = `0x${'ab'.repeat(32)}` as const
    const sig = getBytes(signSafeTxHash(key, hash))
    expect(parseSafeSignatures(hexlify(sig) as `0x${string}`, hash)[0]?.signer).toBe(
      ethersRecoverAddress(hash, hexlify(sig)),
    )
    const s = N - BigInt(hexlify(sig.subarray(32, 64)))
    sig.set(getBytes(`0x${s.toString(16).padStart(64, '0')}`), 32)
    sig[64] = sig[64] === 27 ? 28 : 27
    expect(() => parseSafeSignatures(hexlify(sig) as `0x${string}`, hash)).toThrow(/malleab|high|s /i)
  })
})
