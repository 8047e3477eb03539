import type { SafePlan } from '../plan/types.js'
import type { SafeSignatureKind } from '../safe/signatures.js'
import type { Address, Hex, SafeTx } from '../safe/types.js'

/** One owner's confirmation as a queue holds it: the raw 65-byte (or contract) signature and who claims it. */
export type QueuedConfirmation = {
  owner: Address
  signature: Hex
  /** As the queue labels it; alliance recovers and classifies every signature itself anyway. */
  kind?: SafeSignatureKind
  submittedAt?: string
}

/**
 * A pending Safe transaction as a queue returns it. Nothing in it is trusted: `safeTxHash` is what the
 * queue claims, and callers recompute it from `safeTx` (and compare both with a local plan when they have one).
 */
export type QueuedTransaction = {
  safe: Address
  safeTx: SafeTx
  /** The hash the queue files it under. */
  safeTxHash: Hex
  proposer?: Address
  confirmations: QueuedConfirmation[]
  /** A directory queue carries the whole plan bundle (the action file included); the service only the fields. */
  plan?: SafePlan
  /** Free text the proposer attached (the service's `origin`); alliance puts the plan's description there. */
  origin?: string
  /** Set by the service once the transaction ran; absent when the queue cannot know (a directory). */
  executed?: boolean
  /** The Ethereum transaction that executed it, as the service indexed it (only when `executed`). */
  transactionHash?: Hex
}

/**
 * Where council proposals travel between signers: the Safe Transaction Service, or a shared directory
 * of plan bundles. Each write is all-or-nothing; a refusal is a typed error saying why.
 */
export type ProposalQueue = {
  /** For messages: "Transaction Service at https://…" or "directory ./queue". */
  readonly description: string
  /** Posts a new transaction with the proposer's own confirmation. Refuses a hash already queued. */
  propose(p: { plan: SafePlan; proposer: Address; signature: Hex }): Promise<void>
  /** Adds one owner's confirmation. Refuses a duplicate. */
  confirm(p: { safeTxHash: Hex; owner: Address; signature: Hex }): Promise<void>
  /** One transaction by hash; throws QueuedTransactionNotFoundError when the queue has none. */
  get(safeTxHash: Hex): Promise<QueuedTransaction>
  /** Transactions not executed with a nonce ≥ `fromNonce`, ordered by nonce then submission. */
  pending(safe: Address, fromNonce: bigint): Promise<QueuedTransaction[]>
  /**
   * Every transaction the queue holds for the Safe, executed and replaced ones included, by nonce then
   * submission, fetched page by page. Optional: reconciling a queue with the chain needs it, the council
   * workflow does not.
   */
  history?(safe: Address): AsyncIterable<QueuedTransaction>
}
