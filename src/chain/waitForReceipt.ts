import type { JsonRpcProvider, TransactionReceipt } from 'ethers'
import { ReceiptTimeoutError } from '../errors/chain.js'

/**
 * Polls for a receipt until it exists. ethers' `wait()` subscribes to new blocks after a first look,
 * and on an automining node the block can land in between: it then waits for a block that never
 * comes. Asking for the receipt directly has no such gap.
 */
export async function waitForReceipt(
  provider: JsonRpcProvider,
  hash: string,
  { timeoutMs = 120_000, intervalMs = 25 } = {},
): Promise<TransactionReceipt> {
  const deadline = Date.now() + timeoutMs
  for (let delay = intervalMs; ; delay = Math.min(delay * 2, 1000)) {
    const receipt = await provider.getTransactionReceipt(hash)
    if (receipt) return receipt
    if (Date.now() > deadline) throw new ReceiptTimeoutError(hash, timeoutMs)
    await new Promise((r) => setTimeout(r, delay))
  }
}
