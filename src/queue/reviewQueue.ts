import type { SafeState } from '../chain/safeReads.js'
import type { DecodeContext } from '../decode/decodeCall.js'
import { QueuedTransactionMismatchError } from '../errors/queue.js'
import type { PlanSignature, SafePlan } from '../plan/types.js'
import { describeSafeTxCalls } from './describeQueued.js'
import { planFromQueued } from './planFromQueued.js'
import type { ProposalQueue, QueuedTransaction } from './types.js'

export type QueueEntry = {
  safeTxHash: string
  nonce: bigint
  /** Signatures that recover to current owners, out of the threshold. */
  confirmations: number
  threshold: number
  signers: string[]
  /** What the calls do, in words (decoded locally). */
  calls: string[]
  proposer?: string
  origin?: string
  /** Problems found when recomputing it: its hash or fields do not hold. Such a transaction must not be signed. */
  problems: string[]
  rejected: { owner: string; reason: string }[]
  /** Another queued transaction has the same nonce: only one of them can ever execute. */
  nonceCollision: boolean
  ready: boolean
}

/**
 * The pending transactions of a Safe, each re-verified: hash recomputed from its fields with the
 * Safe's version and the chain id, confirmations recovered; transactions sharing a nonce are flagged.
 */
export async function reviewQueue(
  queue: ProposalQueue,
  safe: SafeState,
  chainId: bigint,
  decode: DecodeContext,
  label?: (address: string) => string,
  /** Judges contract (EIP-1271) signatures on chain; without it they are counted as the queue holds them. */
  judge?: ContractSignatureJudge,
): Promise<QueueEntry[]> {
  const pending = await queue.pending(safe.address, safe.nonce)
  const byNonce = new Map<bigint, number>()
  for (const t of pending) byNonce.set(t.safeTx.nonce, (byNonce.get(t.safeTx.nonce) ?? 0) + 1)
  const entries = pending.map((t) =>
    entryOf(t, safe, chainId, decode, queue.description, (byNonce.get(t.safeTx.nonce) ?? 0) > 1, label),
  )
  if (!judge) return entries.map(({ plan: _plan, ...e }) => e)
  return Promise.all(
    entries.map(async ({ plan, ...e }) => {
      if (!plan?.signatures.some((s) => s.kind === 'contract')) return e
      const { accepted, refused } = await judge(plan)
      const signers = accepted.map((s) => s.signer)
      return {
        ...e,
        confirmations: signers.length,
        signers,
        rejected: [
          ...e.rejected,
          ...refused.map((r) => ({
            owner: r.owner,
            reason: `the Safe refuses its contract signature: ${r.reason}`,
          })),
        ],
        ready: signers.length >= safe.threshold && e.nonce === safe.nonce,
      }
    }),
  )
}

export type ContractSignatureJudge = (
  plan: SafePlan,
) => Promise<{ accepted: PlanSignature[]; refused: { owner: string; reason: string }[] }>

function entryOf(
  t: QueuedTransaction,
  safe: SafeState,
  chainId: bigint,
  decode: DecodeContext,
  where: string,
  nonceCollision: boolean,
  label?: (address: string) => string,
): QueueEntry & { plan?: SafePlan } {
  const base = {
    safeTxHash: t.safeTxHash,
    nonce: t.safeTx.nonce,
    threshold: safe.threshold,
    calls: describeSafeTxCalls(t.safeTx, decode, label),
    ...(t.proposer ? { proposer: t.proposer } : {}),
    ...(t.origin ? { origin: t.origin } : {}),
    nonceCollision,
  }
  try {
    const { plan, rejected } = planFromQueued(t, safe, chainId, decode, where)
    const signers = plan.signatures.map((s) => s.signer)
    return {
      ...base,
      confirmations: signers.length,
      signers,
      problems: [],
      rejected,
      ready: signers.length >= safe.threshold && t.safeTx.nonce === safe.nonce,
      plan,
    }
  } catch (err) {
    if (!(err instanceof QueuedTransactionMismatchError)) throw err
    return { ...base, confirmations: 0, signers: [], problems: err.details, rejected: [], ready: false }
  }
}
