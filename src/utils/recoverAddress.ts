import { createRequire } from 'node:module'
import { getAddress, keccak256 } from 'ethers'
import type { Address } from '../safe/types.js'

type Secp256k1 = typeof import('tiny-secp256k1')

let secp256k1: Secp256k1 | undefined

/**
 * libsecp256k1 compiled to WebAssembly, loaded on first use: compiling the module costs tens of
 * milliseconds, which commands that never recover a signature should not pay at start. `require` because
 * recovery is synchronous (an `import()` is not) and the package ships a CommonJS entry for Node.
 */
function load(): Secp256k1 {
  secp256k1 ??= createRequire(import.meta.url)('tiny-secp256k1') as Secp256k1
  return secp256k1
}

/**
 * The address whose key signed the 32-byte `digest` as (r, s, yParity), or undefined when no key did (r
 * not an x-coordinate on the curve, r or s zero or not below the curve order). The same answer as ethers'
 * `recoverAddress` (which `recoverAddress.test.ts` checks over random signatures), three to four times
 * faster: ethers recovers in pure JavaScript, ~5 ms a signature on a busy 2-core machine, and a history
 * replay recovers two per execution. High `s` is recovered as ecrecover does; refusing it is the
 * caller's rule.
 */
export function recoverAddress(digest: Uint8Array, r: Uint8Array, s: Uint8Array, yParity: 0 | 1) {
  const rs = new Uint8Array(64)
  rs.set(r, 0)
  rs.set(s, 32)
  let publicKey: Uint8Array | null
  try {
    publicKey = load().recover(digest, rs, yParity, false)
  } catch {
    // The package throws for r or s out of range and r off the curve: no key signed these bytes.
    return undefined
  }
  if (!publicKey) return undefined
  return getAddress(`0x${keccak256(publicKey.subarray(1)).slice(-40)}`) as Address
}
