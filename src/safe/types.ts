/** Shared shapes of the Safe layer. Addresses are checksummed; amounts are bigint (uint256). */

export type Hex = `0x${string}`
/** A checksummed 20-byte address. */
export type Address = `0x${string}`

export const Operation = { Call: 0, DelegateCall: 1 } as const
export type Operation = 0 | 1

/** One call of a batch (MultiSend) or the payload of a Safe transaction. */
export type Call = { to: Address; value: bigint; data: Hex; operation: Operation }

/** The ten fields the Safe hashes and executes (`execTransaction` takes all but `nonce`). */
export type SafeTx = {
  to: Address
  value: bigint
  data: Hex
  operation: Operation
  safeTxGas: bigint
  /** Named `dataGas` in Safe 0.1.0; same position and meaning. */
  baseGas: bigint
  gasPrice: bigint
  gasToken: Address
  refundReceiver: Address
  nonce: bigint
}

/** What a Ledger shows (domain + message hash) and what the Tx Service / approveHash use (safeTxHash). */
export type SafeTxHashes = { domainHash: Hex; messageHash: Hex; safeTxHash: Hex }
