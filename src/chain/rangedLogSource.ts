import { type Filter, Log, type LogParams, type Provider } from 'ethers'
import { AllianceError } from '../errors/base.js'
import { LogFetchFailedError, LogQueryInvalidError, LogRangeRefusedError } from '../errors/logs.js'
import { mapConcurrently } from '../utils/mapConcurrently.js'
import { type LogCache, openLogCache, toLogParams } from './logCache.js'
import type { LogQuery, LogSource } from './logSource.js'

/** What the source needs from a provider; `AllianceProvider` fits, and a test can stub it with four functions. */
export type LogReadingProvider = {
  getLogs(filter: Filter): Promise<Log[]>
  getBlock(blockNumber: number): Promise<{ hash: string | null } | null>
  getBlockNumber(): Promise<number>
  getNetwork(): Promise<{ chainId: bigint }>
}

export type LogProgress = {
  doneBlocks: number
  totalBlocks: number
  /** How many of `doneBlocks` were answered from the cache. */
  fromCache: number
}

export type RangedLogSourceOptions = {
  /** Blocks per eth_getLogs request, and the grid the cache is kept on. Default 10 000. */
  chunkSize?: number
  /** Chunks in flight at once. Default 4. */
  concurrency?: number
  /** Where fetched chunks are kept between runs; without it nothing is cached. */
  cacheDir?: string
  /**
   * Blocks below the head that are not cached. Default 64 (two epochs: where Ethereum mainnet finalizes).
   * Correctness does not rest on it, since a cached range is served only while the chain still has the
   * stored hash of its last block; it keeps out ranges that a load-balanced RPC answers from a node behind
   * the head (an empty answer that would otherwise be cached next to a valid hash). A devnet passes 0.
   */
  reorgDepth?: number
  /** Halvings of one chunk before giving up on a node that refuses ranges as too large. Default 24. */
  maxSplitDepth?: number
  onProgress?: (progress: LogProgress) => void
}

/** Counters over the source's lifetime, for tests and benchmarks. */
export type RangedLogSourceStats = {
  /** Every request sent: eth_getLogs, eth_getBlockByNumber, eth_blockNumber. */
  rpcRequests: number
  logRequests: number
  /** Chunks answered entirely from the cache. */
  cacheHits: number
  /** Chunks (or parts of chunks the cache lacked) fetched from the node. */
  chunksFetched: number
  /** Ranges the node refused as too large and that were halved. */
  rangeSplits: number
}

export type RangedLogSource = LogSource & { readonly stats: Readonly<RangedLogSourceStats> }

export type RangedLogSourceErrorType = LogQueryInvalidError | LogRangeRefusedError | LogFetchFailedError

/** An inclusive block range; `chunkStart` is the start of the grid chunk it lies in. */
export type BlockRange = { chunkStart: number; fromBlock: number; toBlock: number }

/**
 * A `LogSource` for long histories: the range is cut into chunks fetched a few at a time, a range the node
 * refuses as too large is halved, and with `cacheDir` the final chunks are kept on disk so that a re-run or
 * a resumed run fetches nothing twice. Logs come back sorted by (blockNumber, index), each once.
 */
export function rangedLogSource(
  provider: LogReadingProvider,
  options: RangedLogSourceOptions = {},
): RangedLogSource {
  const chunkSize = positiveInteger('chunkSize', options.chunkSize ?? 10_000)
  const concurrency = positiveInteger('concurrency', options.concurrency ?? 4)
  const reorgDepth = nonNegativeInteger('reorgDepth', options.reorgDepth ?? 64)
  const maxSplitDepth = nonNegativeInteger('maxSplitDepth', options.maxSplitDepth ?? 24)
  const stats: RangedLogSourceStats = {
    rpcRequests: 0,
    logRequests: 0,
    cacheHits: 0,
    chunksFetched: 0,
    rangeSplits: 0,
  }
  // Lowered when a node states a block-range limit, so later chunks do not each fail first. Result-count
  // limits are not learned: they depend on how busy a range is, and one busy range must not slow the rest.
  let learnedSpan = Number.POSITIVE_INFINITY

  // Logs read from the cache are bound to the caller's provider, as provider.getLogs binds its own, so that
  // `log.getBlock()` and friends work the same on both paths; only a real provider is ever asked those.
  const logOf = (params: LogParams) => new Log(params, provider as unknown as Provider)

  async function getLogs(query: LogQuery, fromBlock: number, toBlock: number, depth = 0): Promise<Log[]> {
    const span = toBlock - fromBlock + 1
    if (span > learnedSpan) {
      const logs: Log[] = []
      for (let start = fromBlock; start <= toBlock; start += learnedSpan)
        logs.push(...(await getLogs(query, start, Math.min(toBlock, start + learnedSpan - 1), depth)))
      return logs
    }
    try {
      stats.rpcRequests++
      stats.logRequests++
      return await provider.getLogs({ address: query.address, topics: query.topics, fromBlock, toBlock })
    } catch (err) {
      if (err instanceof AllianceError) throw err
      const refusal = rangeRefusal(err)
      if (!refusal) throw new LogFetchFailedError(fromBlock, toBlock, err)
      if (span === 1 || depth >= maxSplitDepth) throw new LogRangeRefusedError(fromBlock, toBlock, err)
      stats.rangeSplits++
      const half = Math.ceil(span / 2)
      if (refusal === 'blockRange') learnedSpan = Math.min(learnedSpan, half)
      const lower = await getLogs(query, fromBlock, fromBlock + half - 1, depth + 1)
      const upper = await getLogs(query, fromBlock + half, toBlock, depth + 1)
      return [...lower, ...upper]
    }
  }

  async function source(query: LogQuery): Promise<Log[]> {
    checkQuery(query)
    const { fromBlock, toBlock } = query
    const totalBlocks = toBlock - fromBlock + 1
    let cache: LogCache | undefined
    let lastFinalBlock = -1
    if (options.cacheDir !== undefined) {
      const { chainId } = await provider.getNetwork()
      cache = openLogCache({ dir: options.cacheDir, chainId, query, chunkSize })
      stats.rpcRequests++
      lastFinalBlock = (await provider.getBlockNumber()) - reorgDepth
    }
    // Per query, not per source: a devnet reverted to a snapshot between two queries reuses block numbers.
    const blockHashes = new Map<number, Promise<string | undefined>>()
    const hashOfBlock = (blockNumber: number) => {
      let hash = blockHashes.get(blockNumber)
      if (!hash) {
        stats.rpcRequests++
        hash = provider.getBlock(blockNumber).then((block) => block?.hash ?? undefined)
        blockHashes.set(blockNumber, hash)
      }
      return hash
    }

    async function fetchCached(
      cache: LogCache,
      range: BlockRange,
    ): Promise<{ logs: Log[]; fromCache: boolean }> {
      let entry = cache.read(range.chunkStart)
      if (entry && (await hashOfBlock(entry.toBlock)) !== entry.toBlockHash) entry = undefined
      if (entry && entry.fromBlock <= range.fromBlock && range.toBlock <= entry.toBlock) {
        stats.cacheHits++
        return { logs: entry.logs.filter((l) => inRange(l, range)).map(logOf), fromCache: true }
      }
      // The entry grows to cover the request and whatever lies between, so it stays one contiguous range.
      const fromBlock = Math.min(range.fromBlock, entry?.fromBlock ?? range.fromBlock)
      const toBlock = Math.max(range.toBlock, entry?.toBlock ?? range.toBlock)
      // Read before the logs: if the chain changes in between, the stored hash is the old one and the
      // entry is refetched next time, never served with logs from another history.
      const toBlockHash = await hashOfBlock(toBlock)
      const fetched: (Log | LogParams)[] = []
      if (!entry) fetched.push(...(await getLogs(query, fromBlock, toBlock)))
      else {
        if (fromBlock < entry.fromBlock)
          fetched.push(...(await getLogs(query, fromBlock, entry.fromBlock - 1)))
        fetched.push(...entry.logs)
        if (toBlock > entry.toBlock) fetched.push(...(await getLogs(query, entry.toBlock + 1, toBlock)))
      }
      stats.chunksFetched++
      const logs = sortUnique(fetched.filter((l) => l.blockNumber >= fromBlock && l.blockNumber <= toBlock))
      if (toBlockHash)
        cache.write(range.chunkStart, { fromBlock, toBlock, toBlockHash, logs: logs.map(toLogParams) })
      return {
        logs: logs.filter((l) => inRange(l, range)).map((l) => (l instanceof Log ? l : logOf(l))),
        fromCache: false,
      }
    }

    async function fetchRange(range: BlockRange): Promise<{ logs: Log[]; fromCache: boolean }> {
      if (cache && range.toBlock <= lastFinalBlock) return fetchCached(cache, range)
      const logs = await getLogs(query, range.fromBlock, range.toBlock)
      stats.chunksFetched++
      return { logs: logs.filter((l) => inRange(l, range)), fromCache: false }
    }

    const ranges = chunkRange(fromBlock, toBlock, chunkSize).flatMap((r) => splitAt(r, lastFinalBlock))
    let doneBlocks = 0
    let fromCache = 0
    const perRange = await mapConcurrently(ranges, concurrency, async (range) => {
      const result = await fetchRange(range)
      const blocks = range.toBlock - range.fromBlock + 1
      doneBlocks += blocks
      if (result.fromCache) fromCache += blocks
      options.onProgress?.({ doneBlocks, totalBlocks, fromCache })
      return result.logs
    })
    return sortUnique(perRange.flat())
  }

  return Object.assign(source, { stats })
}

/**
 * Cuts `[fromBlock, toBlock]` on a grid of `chunkSize` blocks starting at block 0. A fixed grid, rather
 * than chunks counted from `fromBlock`, lets queries over different ranges share cached chunks.
 */
export function chunkRange(fromBlock: number, toBlock: number, chunkSize: number): BlockRange[] {
  const ranges: BlockRange[] = []
  for (let chunkStart = fromBlock - (fromBlock % chunkSize); chunkStart <= toBlock; chunkStart += chunkSize) {
    ranges.push({
      chunkStart,
      fromBlock: Math.max(fromBlock, chunkStart),
      toBlock: Math.min(toBlock, chunkStart + chunkSize - 1),
    })
  }
  return ranges
}

/** Splits a range so that blocks up to `lastFinalBlock` and the blocks after it are never in one piece. */
function splitAt(range: BlockRange, lastFinalBlock: number): BlockRange[] {
  if (range.fromBlock > lastFinalBlock || range.toBlock <= lastFinalBlock) return [range]
  return [
    { ...range, toBlock: lastFinalBlock },
    { ...range, fromBlock: lastFinalBlock + 1 },
  ]
}

const inRange = (log: { blockNumber: number }, range: { fromBlock: number; toBlock: number }) =>
  log.blockNumber >= range.fromBlock && log.blockNumber <= range.toBlock

/** Sorted by (blockNumber, index), each position once: ranges are disjoint, but nodes have been known to repeat logs. */
function sortUnique<T extends { blockNumber: number; index: number }>(logs: T[]): T[] {
  const sorted = [...logs].sort((a, b) => a.blockNumber - b.blockNumber || a.index - b.index)
  return sorted.filter((l, i) => {
    const previous = sorted[i - 1]
    return !previous || previous.blockNumber !== l.blockNumber || previous.index !== l.index
  })
}

/**
 * How a node says a range is too large, across clients and providers: a block-range limit (Alchemy,
 * QuickNode, Ankr, BSC/Polygon nodes, Besu) or a result limit (Infura's -32005 "more than 10000
 * results", response-size and query-timeout limits). Refusals arrive wrapped by ethers, so the message,
 * the JSON-RPC error it carries and the cause chain are all looked at.
 */
export function rangeRefusal(err: unknown): 'blockRange' | 'results' | undefined {
  const texts: string[] = []
  const codes: unknown[] = []
  let current: unknown = err
  for (let depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
    const e = current as {
      message?: unknown
      shortMessage?: unknown
      code?: unknown
      error?: { code?: unknown; message?: unknown }
      info?: { error?: { code?: unknown; message?: unknown } }
      cause?: unknown
    }
    for (const t of [e.message, e.shortMessage, e.error?.message, e.info?.error?.message])
      if (typeof t === 'string') texts.push(t)
    codes.push(e.code, e.error?.code, e.info?.error?.code)
    current = e.cause
  }
  const text = texts.join('\n')
  if (
    /block range|range (is )?too (wide|large|big)|exceeds? (the )?max(imum)? (block )?range|range limit|limited to (a )?[\d,]+ (block )?range|max(imum)? range/i.test(
      text,
    )
  )
    return 'blockRange'
  if (
    codes.includes(-32005) ||
    /more than [\d,]+ results|too many (results|logs)|max(imum)? results|response size|query timeout|results? limit/i.test(
      text,
    )
  )
    return 'results'
  return undefined
}

function checkQuery({ fromBlock, toBlock }: LogQuery) {
  if (!Number.isSafeInteger(fromBlock) || fromBlock < 0)
    throw new LogQueryInvalidError(`fromBlock ${fromBlock}`)
  if (!Number.isSafeInteger(toBlock) || toBlock < 0) throw new LogQueryInvalidError(`toBlock ${toBlock}`)
  if (fromBlock > toBlock)
    throw new LogQueryInvalidError(`fromBlock ${fromBlock} is after toBlock ${toBlock}`)
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new LogQueryInvalidError(`${name} ${value}`)
  return value
}

function nonNegativeInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new LogQueryInvalidError(`${name} ${value}`)
  return value
}
