import { join } from 'node:path'
import type { LogProgress, LogReadingProvider, RangedLogSource } from '../chain/rangedLogSource.js'
import { rangedLogSource } from '../chain/rangedLogSource.js'
import { HistoryBlockAfterHeadError, HistoryRangeError } from '../errors/history.js'

/** anvil's and Hardhat's chain id: a devnet whose head is final the moment it is mined. */
const DEVNET_CHAIN_ID = 31337n

export type HistoryRange = { fromBlock: number; toBlock: number }

/**
 * The replay's block range, with `latest` resolved once: every read of one replay is pinned to the same
 * end block, so a replay of a live chain does not drift while it runs.
 */
export async function resolveHistoryRange(
  provider: Pick<LogReadingProvider, 'getBlockNumber'>,
  options: { fromBlock?: number; toBlock?: number },
): Promise<HistoryRange> {
  const head = await provider.getBlockNumber()
  const fromBlock = options.fromBlock ?? 0
  const toBlock = options.toBlock ?? head
  if (toBlock > head) throw new HistoryBlockAfterHeadError(toBlock, head)
  if (!Number.isSafeInteger(fromBlock) || fromBlock < 0 || fromBlock > toBlock)
    throw new HistoryRangeError(fromBlock, toBlock)
  return { fromBlock, toBlock }
}

export type HistoryLogSourceOptions = {
  chainId: bigint
  /** The replay cache's root; logs go to `<cacheDir>/logs`. Without it nothing is cached. */
  cacheDir?: string
  onProgress?: (progress: LogProgress) => void
}

/**
 * Ranged eth_getLogs with the on-disk cache. On a devnet every block is final as mined (reorg depth 0);
 * elsewhere the last 64 blocks are not cached (see rangedLogSource's `reorgDepth`).
 */
export function historyLogSource(
  provider: LogReadingProvider,
  options: HistoryLogSourceOptions,
): RangedLogSource {
  return rangedLogSource(provider, {
    reorgDepth: options.chainId === DEVNET_CHAIN_ID ? 0 : 64,
    ...(options.cacheDir !== undefined ? { cacheDir: join(options.cacheDir, 'logs') } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  })
}
