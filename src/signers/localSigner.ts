import { signSafeTxHash } from '../safe/signatures.js'
import type { LocalSigner } from './privateKeyFromEnv.js'
import type { SafeTxSigner } from './types.js'

/** A key in memory (environment variable, keystore) as a Safe signer: it signs the safeTxHash itself. */
export function safeTxSignerFromKey(local: LocalSigner): SafeTxSigner {
  return {
    address: local.address,
    source: local.source,
    signSafeTx: async ({ safeTxHash }) => signSafeTxHash(local.key, safeTxHash),
  }
}
