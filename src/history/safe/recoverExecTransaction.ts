import { getAddress } from 'ethers'
import { ExecutionTransactionMissingError } from '../../errors/history.js'
import { decodeExecTransaction, EXEC_TRANSACTION_SELECTOR } from '../../safe/execTransaction.js'
import { hashSafeTx } from '../../safe/safeTxHash.js'
import type { Address, Hex, SafeTx, SafeTxHashes } from '../../safe/types.js'
import { parseSafeVersion } from '../../safe/version.js'
import type { CallFrame } from '../../simulate/callTrace.js'
import { sameAddress } from '../../utils/address.js'
import { readSafeAt, type SafeHistoryChain, type SafeStateAt } from './safeStateAt.js'
import type { SafeExecution } from './types.js'

export type RecoverExecTransactionParameters = {
  chain: SafeHistoryChain
  safe: Address
  execution: SafeExecution
  /**
   * The Safe's executions as `findExecutions` returned them, over a range that includes this block: the
   * ones earlier in the same block consumed nonces the parent block's state does not show yet.
   */
  executions: readonly SafeExecution[]
  /** The Safe at the parent block when the caller already has it (safeStateTimeline); read otherwise. */
  state?: SafeStateAt
}

export type RecoveredExecTransaction = {
  /** The ten hashed fields; `nonce` is the Safe's nonce when this call ran. */
  safeTx: SafeTx
  signatures: Hex
  /** msg.sender of the execTransaction call: an approved-hash item of this owner needs no approveHash. */
  executor: Address
  /** The transaction's own input, or a frame of its call trace (the Safe was called by a contract). */
  via: 'transaction' | 'trace'
  /** Pre-order position among the transaction's non-reverted execTransaction calls to this Safe. */
  frame: number
  /** Whether the recovered fields, hashed with the Safe's version and chain id, give the logged hash. */
  hashMatched: boolean
  /** Those hashes (domain, message, safeTxHash), so verification need not compute them again. */
  hashes: SafeTxHashes
}

export type RecoverExecTransactionReturnType =
  | { ok: true; value: RecoveredExecTransaction }
  | { ok: false; reason: string }

type Candidate = { input: Hex; from: string }

/**
 * The execTransaction arguments behind one logged execution. When the transaction calls the Safe directly
 * its input is decoded; otherwise (a nested Safe, a relayer, a batch) the node's callTracer trace is
 * searched for the calls to the Safe with the execTransaction selector.
 *
 * The nonce is not in calldata. It is computed, not searched for: `nonce()` at the parent block, plus the
 * executions of this Safe in earlier transactions of the block, plus the frame's pre-order position in
 * this transaction (each execTransaction increments the nonce before it runs its call, so nested
 * executions number in call order, not in log order). Searching for "a nonce that fits the logged hash"
 * would make the hash check prove nothing about the nonce; computing it keeps that check independent.
 * Among several candidate frames, the one whose hash equals the logged hash is chosen; a single candidate
 * that does not match is still returned (flagged) so the verifier can report the mismatch.
 */
export async function recoverExecTransaction({
  chain,
  safe,
  execution,
  executions,
  state: known,
}: RecoverExecTransactionParameters): Promise<RecoverExecTransactionReturnType> {
  const parent = execution.blockNumber - 1
  const [state, network, tx] = await Promise.all([
    known ?? readSafeAt(chain, safe, parent),
    chain.getNetwork(),
    chain.getTransaction(execution.transactionHash),
  ])
  if (!tx) throw new ExecutionTransactionMissingError(execution.transactionHash)
  const earlierInBlock = executions.filter(
    (e) =>
      e.blockNumber === execution.blockNumber &&
      e.logIndex < execution.logIndex &&
      e.transactionHash.toLowerCase() !== execution.transactionHash.toLowerCase(),
  ).length
  const nonceAtStart = state.nonce + BigInt(earlierInBlock)
  try {
    parseSafeVersion(state.version)
  } catch (err) {
    return { ok: false, reason: `cannot hash for this Safe: ${(err as Error).message.split('\n')[0]}` }
  }

  const direct =
    sameAddress(tx.to ?? undefined, safe) && tx.data.toLowerCase().startsWith(EXEC_TRANSACTION_SELECTOR)
  if (direct) {
    // The top-level call is the first to take a nonce; only a re-entrant execution needs the trace.
    const only = match([{ input: tx.data as Hex, from: tx.from }], 0, 'transaction')
    if (only?.hashMatched) return { ok: true, value: only }
  }

  const frames = await tracedExecTransactions(chain, execution.transactionHash as Hex, safe)
  if (!frames.length) {
    return { ok: false, reason: `no successful execTransaction call to ${safe} in the transaction's trace` }
  }
  const found = match(frames, 0, 'trace')
  if (found) return { ok: true, value: found }
  return {
    ok: false,
    reason: `none of the ${frames.length} execTransaction calls to the Safe hashes to ${execution.safeTxHash}`,
  }

  function match(candidates: Candidate[], first: number, via: 'transaction' | 'trace') {
    const decoded = candidates.flatMap((c, i) => {
      try {
        const d = decodeExecTransaction(c.input)
        const safeTx: SafeTx = { ...d.tx, nonce: nonceAtStart + BigInt(first + i) }
        const hashes = hashSafeTx({
          chainId: network.chainId,
          safe,
          version: state.version,
          tx: safeTx,
        })
        return [
          {
            safeTx,
            signatures: d.signatures,
            executor: getAddress(c.from) as Address,
            via,
            frame: first + i,
            hashMatched: hashes.safeTxHash.toLowerCase() === execution.safeTxHash.toLowerCase(),
            hashes,
          },
        ]
      } catch {
        // Calldata the Safe could not have executed either (bad operation word, truncated): not a candidate.
        return []
      }
    })
    return decoded.find((d) => d.hashMatched) ?? (decoded.length === 1 ? decoded[0] : undefined)
  }
}

/**
 * The CALLs to `safe` with the execTransaction selector that took effect, in pre-order (the order their
 * nonce increments ran). A reverted frame undoes its nonce increment and everything below it, so its
 * whole subtree is skipped.
 */
/** The successful execTransaction calls to `safe` in a transaction's call trace (a node with debug_traceTransaction). */
export async function tracedExecTransactions(
  chain: Pick<SafeHistoryChain, 'send'>,
  transactionHash: Hex,
  safe: Address,
): Promise<Candidate[]> {
  const trace = (await chain.send('debug_traceTransaction', [
    transactionHash,
    { tracer: 'callTracer' },
  ])) as CallFrame
  return execTransactionFrames(trace, safe)
}

export function execTransactionFrames(root: CallFrame, safe: Address): Candidate[] {
  const out: Candidate[] = []
  const walk = (frame: CallFrame) => {
    if (frame.error) return
    if (
      frame.type.toUpperCase() === 'CALL' &&
      sameAddress(frame.to, safe) &&
      frame.input.toLowerCase().startsWith(EXEC_TRANSACTION_SELECTOR)
    ) {
      out.push({ input: frame.input, from: frame.from })
    }
    for (const child of frame.calls ?? []) walk(child)
  }
  walk(root)
  return out
}
