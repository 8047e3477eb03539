import type { SafeState } from '../chain/safeReads.js'
import type { ProposalQueue } from './types.js'

/** The Safe's next nonce after everything already queued for it (what Safe{Wallet} proposes by default). */
export async function nextQueueNonce(queue: ProposalQueue, safe: SafeState): Promise<bigint> {
  const pending = await queue.pending(safe.address, safe.nonce)
  return pending.reduce((next, t) => (t.safeTx.nonce >= next ? t.safeTx.nonce + 1n : next), safe.nonce)
}
