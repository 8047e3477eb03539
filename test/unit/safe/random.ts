import type { Address, Hex } from '../../../src/safe/types.js'

/**
 * Seeded generator (xorshift32) so a failing random case can be replayed: the seed is in the test name.
 * Not cryptographic; keys derived from it are only for tests.
 */
export function rng(seed: number) {
  let state = seed >>> 0 || 0x9e3779b9
  const next = (): number => {
    state ^= state << 13
    state >>>= 0
    state ^= state >>> 17
    state ^= state << 5
    state >>>= 0
    return state
  }
  const int = (maxExclusive: number): number => next() % maxExclusive
  const bytes = (n: number): Uint8Array => {
    const out = new Uint8Array(n)
    for (let i = 0; i < n; i++) out[i] = next() & 0xff
    return out
  }
  const hex = (n: number): Hex => `0x${Buffer.from(bytes(n)).toString('hex')}` as Hex
  const bigint = (nBytes: number): bigint => BigInt(nBytes === 0 ? 0 : hex(nBytes))
  // Mix in small, large and boundary values: most bugs live at 0 and 2^256-1.
  const uint = (): bigint => {
    const k = int(6)
    if (k === 0) return 0n
    if (k === 1) return (1n << 256n) - 1n
    if (k === 2) return BigInt(int(1000))
    return bigint(1 + int(32))
  }
  const address = (): Address => {
    const k = int(10)
    if (k === 0) return '0x0000000000000000000000000000000000000000'
    return hex(20) as Address
  }
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!
  return { next, int, bytes, hex, bigint, uint, address, pick }
}

/** A valid secp256k1 private key (below the curve order, non-zero) from the generator. */
export function randomKey(r: ReturnType<typeof rng>): Hex {
  for (;;) {
    const k = r.hex(32)
    const n = BigInt(k)
    if (n > 0n && n < 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n) return k
  }
}
