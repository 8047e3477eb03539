import type { Address, Hex, SafeTxHashes } from '../safe/types.js'

/**
 * Anything that can confirm a Safe transaction: a private key (environment variable, keystore) or a
 * hardware wallet. It is handed all three hashes because a hardware wallet signs the domain and message
 * hashes (and shows them), while a key signs the safeTxHash they combine into.
 */
export type SafeTxSigner = {
  address: Address
  /** Where the key lives, for messages; never the key: "$ALICE_KEY", "keystore alice.json", "Ledger m/44'/60'/0'/0/0". */
  source: string
  /** An r ‖ s ‖ v signature (v = 27 or 28) over the safeTxHash, as the Safe checks an owner's EOA signature. */
  signSafeTx(hashes: SafeTxHashes): Promise<Hex>
}
