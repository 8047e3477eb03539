import { describe, expect, it } from 'vitest'
import { canonicalJson, sha256Hex } from '../../../src/utils/canonicalJson.js'

describe('canonicalJson', () => {
  it('sorts keys at every depth, whatever the insertion order', () => {
    const a = canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: 3 } })
    const b = canonicalJson({ a: { c: 3, d: [{ y: 2, z: 1 }] }, b: 1 })
    expect(a).toBe(b)
    expect(a).toBe('{"a":{"c":3,"d":[{"y":2,"z":1}]},"b":1}')
  })

  it('writes bigints as decimal strings, exactly', () => {
    expect(canonicalJson({ v: 2n ** 256n - 1n })).toBe(
      `{"v":"${'115792089237316195423570985008687907853269984665640564039457584007913129639935'}"}`,
    )
  })

  it('drops undefined fields and keeps array order', () => {
    expect(canonicalJson({ a: undefined, b: [3, 1, 2], c: null })).toBe('{"b":[3,1,2],"c":null}')
  })
})

describe('sha256Hex', () => {
  it('matches the FIPS 180-2 test vectors', () => {
    expect(sha256Hex('')).toBe('0xe3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')
    expect(sha256Hex('abc')).toBe('0xba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
  })
})
