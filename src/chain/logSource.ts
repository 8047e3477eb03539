import type { Log } from 'ethers'
import type { AllianceProvider } from './provider.js'

/** One eth_getLogs question: an address (or several), topic filters, an inclusive block range. */
export type LogQuery = {
  address: string | string[]
  /** Topic filters as eth_getLogs takes them: null matches anything, an array matches any of its values. */
  topics?: (string | string[] | null)[]
  fromBlock: number
  toBlock: number
}

/**
 * Where history comes from. Passed in, so the code that reads history stays independent of how logs are
 * fetched (straight from the node, in ranges with a disk cache, …) and testable.
 */
export type LogSource = (query: LogQuery) => Promise<Log[]>

/** The simplest source: one eth_getLogs for the whole range (fine for a devnet, not for mainnet history). */
export const providerLogSource =
  (provider: AllianceProvider): LogSource =>
  (query) =>
    provider.getLogs({
      address: query.address,
      topics: query.topics,
      fromBlock: query.fromBlock,
      toBlock: query.toBlock,
    })
