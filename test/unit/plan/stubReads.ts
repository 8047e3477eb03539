import type { ChainReads, SafeState } from '../../../src/chain/safeReads.js'
import { COUNCIL_OWNERS, COUNCIL_THRESHOLD } from '../../../src/devnet/accounts.js'
import { canonicalSafe141 } from '../../../src/safe/deployments.js'
import { hashSafeTx } from '../../../src/safe/safeTxHash.js'
import type { Address, Hex } from '../../../src/safe/types.js'

export const CHAIN_ID = 31337n

/**
 * A fixed chain for plan and sign tests: the devnet council as a 2-of-3 Safe 1.4.1 at nonce 0, and code
 * at every address. `safeTransactionHash` answers with our own hash; override it to disagree.
 */
export function stubReads(overrides: Partial<ChainReads> & { safe?: Partial<SafeState> } = {}): ChainReads {
  const { safe: safeOverrides, ...rest } = overrides
  return {
    chainId: async () => CHAIN_ID,
    readSafe: async (address: Address): Promise<SafeState> => ({
      address,
      version: '1.4.1',
      nonce: 0n,
      owners: COUNCIL_OWNERS.map((o) => o.address),
      threshold: COUNCIL_THRESHOLD,
      singleton: canonicalSafe141.Safe,
      ...safeOverrides,
    }),
    safeTransactionHash: async (safe, tx) =>
      hashSafeTx({ chainId: CHAIN_ID, safe, version: '1.4.1', tx }).safeTxHash,
    code: async (): Promise<Hex> => '0x60',
    ...rest,
  }
}
