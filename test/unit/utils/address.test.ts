import { getAddress } from 'viem'
import { describe, expect, it } from 'vitest'
import { parseAddress } from '../../../src/utils/address.js'

// anvil account 1; viem computes the checksum independently of the ethers code under test.
const CHECKSUMMED = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'

describe('parseAddress', () => {
  it('accepts a lowercase address and returns it checksummed', () => {
    expect(parseAddress(CHECKSUMMED.toLowerCase())).toEqual({ ok: true, address: getAddress(CHECKSUMMED) })
  })

  it('accepts an all-uppercase body and a correct checksum', () => {
    expect(parseAddress(`0x${CHECKSUMMED.slice(2).toUpperCase()}`)).toEqual({
      ok: true,
      address: CHECKSUMMED,
    })
    expect(parseAddress(CHECKSUMMED)).toEqual({ ok: true, address: CHECKSUMMED })
  })

  it('refuses a mixed-case address with a wrong checksum and suggests the right one', () => {
    // One letter's case flipped: still mixed case, checksum now wrong.
    const typo = CHECKSUMMED.replace('C51812', 'c51812')
    const r = parseAddress(typo)
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.reason).toContain('checksum')
    expect(r.reason).toContain(typo)
    expect(r.reason).toContain(`did you mean ${CHECKSUMMED}`)
  })

  it('refuses wrong lengths and non-hex', () => {
    for (const bad of [
      CHECKSUMMED.slice(0, -1),
      `${CHECKSUMMED}0`,
      CHECKSUMMED.slice(2),
      `0x${'g'.repeat(40)}`,
      '',
      '0x',
    ]) {
      const r = parseAddress(bad)
      expect(r.ok, bad).toBe(false)
      if (!r.ok) expect(r.reason).toContain('40 hex digits')
    }
  })
})
