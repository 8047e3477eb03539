import { getAddress } from 'ethers'
import type { Address } from '../safe/types.js'

export type ParsedAddress =
  | { ok: true; address: Address }
  | { ok: false; problem: 'format' | 'checksum'; reason: string }

const HEX_ADDRESS = /^0x[0-9a-fA-F]{40}$/

export const looksLikeAddress = (value: string) => /^0x[0-9a-fA-F]*$/.test(value)

/** The same address whatever its case (nodes answer lowercase, the address book checksums). */
export const sameAddress = (a: string | undefined, b: string | undefined) =>
  a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase()

/**
 * Accepts a checksummed or single-case address. A mixed-case address whose checksum is wrong is refused:
 * it is almost always a typo, and a typo in a payee is money gone.
 */
export function parseAddress(value: string): ParsedAddress {
  if (!HEX_ADDRESS.test(value)) {
    return {
      ok: false,
      problem: 'format',
      reason: `"${value}" is not an address (expected 0x followed by 40 hex digits)`,
    }
  }
  const body = value.slice(2)
  const singleCase = body === body.toLowerCase() || body === body.toUpperCase()
  const checksummed = getAddress(value.toLowerCase()) as Address
  if (!singleCase && checksummed !== value) {
    return {
      ok: false,
      problem: 'checksum',
      reason: `bad address checksum in ${value} (did you mean ${checksummed}?)`,
    }
  }
  return { ok: true, address: checksummed }
}
