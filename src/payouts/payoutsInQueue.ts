import type { SafeState } from '../chain/safeReads.js'
import type { DecodeContext } from '../decode/decodeCall.js'
import { UntrustedQueuedPayoutError } from '../errors/payouts.js'
import { QueuedTransactionMismatchError } from '../errors/queue.js'
import { callsOfSafeTx } from '../plan/queuedSource.js'
import type { SafePlan } from '../plan/types.js'
import { planFromQueued } from '../queue/planFromQueued.js'
import type { ProposalQueue } from '../queue/types.js'
import type { Hex } from '../safe/types.js'
import { type PayoutCall, payoutsOfCalls } from './payoutCalls.js'

/** A pending Safe transaction that pays for the schedule, verified like any queued transaction. */
export type QueuedPayoutTransaction = {
  safeTxHash: Hex
  nonce: bigint
  payouts: PayoutCall[]
  /** The queued transaction as a verified plan with its recovered confirmations (for executing it). */
  plan: SafePlan
}

/**
 * The schedule's payments already proposed and not yet executed. A queued transaction that carries the
 * schedule's memo but does not verify (its hash, fields or confirmations do not hold) stops the run: it
 * may still be executed by someone, so proposing the same payouts again could pay twice.
 */
export async function payoutsInQueue(
  scheduleId: string,
  queue: ProposalQueue,
  safe: SafeState,
  chainId: bigint,
  decode: DecodeContext,
): Promise<QueuedPayoutTransaction[]> {
  const pending = await queue.pending(safe.address, safe.nonce)
  const out: QueuedPayoutTransaction[] = []
  for (const queued of pending) {
    const calls = callsOfSafeTx(queued.safeTx)
    const payouts = calls.ok ? payoutsOfCalls(scheduleId, calls.calls) : []
    if (payouts.length === 0) continue
    try {
      const { plan } = planFromQueued(queued, safe, chainId, decode, queue.description)
      out.push({ safeTxHash: plan.hashes.safeTxHash, nonce: plan.safeTx.nonce, payouts, plan })
    } catch (err) {
      if (err instanceof QueuedTransactionMismatchError)
        throw new UntrustedQueuedPayoutError(queued.safeTxHash, err)
      throw err
    }
  }
  return out
}
