import type { SafeSignatureItem } from '../safe/signatures.js'
import type { Address, Call, Hex, SafeTx, SafeTxHashes } from '../safe/types.js'

export const PLAN_FORMAT = 'alliance-plan'
export const PLAN_FORMAT_VERSION = 1

export type PlannedAction = {
  index: number
  kind: string
  description: string
  /** The action as written in the YAML file. */
  input: Record<string, unknown>
  calls: Call[]
}

export type PlanSignature = {
  signer: Address
  /**
   * 'eoa' / 'eth_sign': the 65-byte r ‖ s ‖ v over the safeTxHash. 'contract': an owner that is a contract
   * (another Safe): the bytes its EIP-1271 `isValidSignature` is handed, which only the chain can judge.
   */
  signature: Hex
  kind: 'eoa' | 'eth_sign' | 'contract'
}

/**
 * A Safe plan bundle: everything needed to review, sign and execute one Safe transaction, and to
 * recompute every part of it. Its `id` is a hash of the content (signatures excluded), so two
 * people holding the same id hold the same plan.
 */
export type SafePlan = {
  format: typeof PLAN_FORMAT
  formatVersion: typeof PLAN_FORMAT_VERSION
  id: Hex
  route: 'safe'
  chainId: bigint
  description: string
  /**
   * What the plan was made from; `kind` is absent for an action file, 'txbuilder' for an imported batch,
   * 'queue' for a transaction fetched from a proposal queue (`text` is its ten fields as canonical JSON).
   */
  source: { kind?: 'txbuilder' | 'queue'; file: string; sha256: Hex; text: string }
  safe: { name?: string; address: Address; version: string; threshold: number; owners: Address[] }
  actions: PlannedAction[]
  /** How the calls were batched: a single call as is, or one MultiSendCallOnly delegatecall. */
  batch: { kind: 'single' } | { kind: 'multisend-call-only'; multiSend: Address }
  safeTx: SafeTx
  hashes: SafeTxHashes
  signatures: PlanSignature[]
}

/** A plan signature as `encodeSafeSignatures` takes it. */
export const signatureItem = (s: PlanSignature): SafeSignatureItem =>
  s.kind === 'contract'
    ? { kind: 'contract', signer: s.signer, signature: s.signature }
    : { kind: s.kind, signer: s.signer, data: s.signature }
