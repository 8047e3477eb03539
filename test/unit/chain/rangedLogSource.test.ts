import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Filter, id, Log, type LogParams, makeError, type Provider, toBeHex, zeroPadValue } from 'ethers'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  chunkRange,
  type LogProgress,
  type LogReadingProvider,
  rangedLogSource,
  rangeRefusal,
} from '../../../src/chain/rangedLogSource.js'
import { ChainUnreachableError } from '../../../src/errors/chain.js'
import { LogFetchFailedError, LogQueryInvalidError, LogRangeRefusedError } from '../../../src/errors/logs.js'

const TOKEN = '0x5FbDB2315678afecb367f032d93F642f64180aa3'
const TRANSFER = id('Transfer(address,address,uint256)')

type FakeChainOptions = {
  /** Distinguishes two histories of the same chain id (a restarted anvil). */
  history?: string
  head?: number
  /** Blocks that carry logs, and how many each. */
  logsPerBlock?: Map<number, number>
  /** Refuses any request returning more logs than this, as Infura does (-32005). */
  maxResults?: number
  /** Refuses any request spanning more blocks than this. */
  maxRange?: number
  /** Fails with a non-range error for requests touching this block. */
  brokenBlock?: number
}

/** A chain in memory behind the four provider calls the source uses, counting what it is asked. */
function fakeChain(options: FakeChainOptions = {}) {
  const history = options.history ?? 'a'
  const head = options.head ?? 1_000
  const hashOf = (n: number) => id(`${history}:${n}`)
  const logs: LogParams[] = []
  for (const [block, count] of [...(options.logsPerBlock ?? new Map())].sort((a, b) => a[0] - b[0])) {
    for (let i = 0; i < count; i++) {
      logs.push({
        transactionHash: id(`${history}:tx:${block}:${i}`),
        blockHash: hashOf(block),
        blockNumber: block,
        removed: false,
        address: TOKEN,
        data: toBeHex(block * 100 + i, 32),
        topics: [TRANSFER, zeroPadValue(TOKEN, 32), zeroPadValue(toBeHex(block), 32)],
        index: i,
        transactionIndex: i,
      })
    }
  }
  const requests: { fromBlock: number; toBlock: number }[] = []
  const provider: LogReadingProvider & { blockRequests: number } = {
    blockRequests: 0,
    async getLogs(filter: Filter) {
      const fromBlock = Number(filter.fromBlock)
      const toBlock = Number(filter.toBlock)
      requests.push({ fromBlock, toBlock })
      if (options.maxRange !== undefined && toBlock - fromBlock + 1 > options.maxRange)
        throw rpcError(-32000, `exceed maximum block range: ${options.maxRange}`)
      if (
        options.brokenBlock !== undefined &&
        fromBlock <= options.brokenBlock &&
        options.brokenBlock <= toBlock
      )
        throw rpcError(-32603, 'internal error')
      const found = logs.filter((l) => l.blockNumber >= fromBlock && l.blockNumber <= Math.min(toBlock, head))
      if (options.maxResults !== undefined && found.length > options.maxResults)
        throw rpcError(-32005, `query returned more than ${options.maxResults} results`)
      // Reversed, so the source has to sort.
      return found.reverse().map((l) => new Log(l, provider as unknown as Provider))
    },
    async getBlock(blockNumber: number) {
      provider.blockRequests++
      return blockNumber <= head ? { hash: hashOf(blockNumber) } : null
    },
    async getBlockNumber() {
      return head
    },
    async getNetwork() {
      return { chainId: 31337n }
    },
  }
  return { provider, requests, logs }
}

/** An error shaped as ethers reports a JSON-RPC error. */
function rpcError(code: number, message: string) {
  return makeError('could not coalesce error', 'UNKNOWN_ERROR', {
    error: { code, message },
    payload: { method: 'eth_getLogs', params: [], id: 1, jsonrpc: '2.0' },
  })
}

const everyBlock = (from: number, to: number, count = 1) =>
  new Map(Array.from({ length: to - from + 1 }, (_, i) => [from + i, count]))

const positions = (logs: Log[]) => logs.map((l) => `${l.blockNumber}:${l.index}`)
const query = (fromBlock: number, toBlock: number) => ({
  address: TOKEN,
  topics: [TRANSFER],
  fromBlock,
  toBlock,
})

let cacheDir: string
beforeEach(() => {
  cacheDir = mkdtempSync(join(tmpdir(), 'alliance-logcache-'))
})
afterEach(() => {
  rmSync(cacheDir, { recursive: true, force: true })
})

describe('chunkRange', () => {
  it('cuts on a grid from block 0, so different queries share chunks', () => {
    expect(chunkRange(0, 24_999, 10_000)).toEqual([
      { chunkStart: 0, fromBlock: 0, toBlock: 9_999 },
      { chunkStart: 10_000, fromBlock: 10_000, toBlock: 19_999 },
      { chunkStart: 20_000, fromBlock: 20_000, toBlock: 24_999 },
    ])
    expect(chunkRange(9_999, 10_000, 10_000)).toEqual([
      { chunkStart: 0, fromBlock: 9_999, toBlock: 9_999 },
      { chunkStart: 10_000, fromBlock: 10_000, toBlock: 10_000 },
    ])
  })

  it('gives one chunk for a range inside one, and covers every block once', () => {
    expect(chunkRange(12_345, 12_346, 10_000)).toEqual([
      { chunkStart: 10_000, fromBlock: 12_345, toBlock: 12_346 },
    ])
    const ranges = chunkRange(7, 1_234, 100)
    expect(ranges).toHaveLength(13)
    const covered = ranges.reduce((n, r) => n + r.toBlock - r.fromBlock + 1, 0)
    expect(covered).toBe(1_234 - 7 + 1)
    for (let i = 1; i < ranges.length; i++) expect(ranges[i]!.fromBlock).toBe(ranges[i - 1]!.toBlock + 1)
  })
})

describe('rangedLogSource without a cache', () => {
  it('returns what one eth_getLogs returns, sorted, in chunks fetched concurrently', async () => {
    const chain = fakeChain({ logsPerBlock: new Map([...everyBlock(5, 40), [777, 3], [999, 2]]) })
    const source = rangedLogSource(chain.provider, { chunkSize: 10, concurrency: 3 })
    const logs = await source(query(3, 1_000))
    expect(positions(logs)).toEqual(chain.logs.map((l) => `${l.blockNumber}:${l.index}`))
    // Blocks 3-9, ten-block chunks up to 999, and block 1000 alone.
    expect(source.stats.logRequests).toBe(101)
    expect(source.stats.chunksFetched).toBe(101)
    expect(chain.requests[0]).toEqual({ fromBlock: 3, toBlock: 9 })
  })

  it('returns each log once when the node repeats one or answers outside the range', async () => {
    const chain = fakeChain({ logsPerBlock: everyBlock(0, 30) })
    const getLogs = chain.provider.getLogs
    chain.provider.getLogs = async (filter) => {
      const logs = await getLogs(filter)
      const outside = new Log({ ...logs[0]!, blockNumber: 500 }, chain.provider as unknown as Provider)
      return [...logs, logs[0]!, outside]
    }
    const logs = await rangedLogSource(chain.provider, { chunkSize: 7 })(query(0, 30))
    expect(positions(logs)).toEqual(chain.logs.map((l) => `${l.blockNumber}:${l.index}`))
  })

  it('halves a range the node refuses for too many results, and only there', async () => {
    const chain = fakeChain({ logsPerBlock: new Map([...everyBlock(100, 119, 1), [500, 2]]), maxResults: 4 })
    const source = rangedLogSource(chain.provider, { chunkSize: 1_000, concurrency: 1 })
    const logs = await source(query(0, 999))
    expect(logs).toHaveLength(22)
    expect(source.stats.rangeSplits).toBeGreaterThan(0)
    // The empty second half is asked in one piece: a result limit says nothing about other ranges.
    expect(chain.requests).toContainEqual({ fromBlock: 500, toBlock: 999 })
  })

  it('learns a stated block-range limit, so later chunks do not fail first', async () => {
    const chain = fakeChain({ logsPerBlock: everyBlock(0, 3_999), head: 4_000, maxRange: 250 })
    const source = rangedLogSource(chain.provider, { chunkSize: 1_000, concurrency: 1 })
    const logs = await source(query(0, 3_999))
    expect(logs).toHaveLength(4_000)
    // First chunk: 1000 and 500 refused, then 4 × 250; the three others: 4 × 250 each.
    expect(source.stats.logRequests).toBe(2 + 4 + 12)
    expect(source.stats.rangeSplits).toBe(2)
  })

  it('gives up with a typed error when the node refuses a single block', async () => {
    const chain = fakeChain({ logsPerBlock: new Map([[10, 5]]), maxResults: 4 })
    const error = await rangedLogSource(chain.provider, { chunkSize: 64 })(query(0, 63)).catch((e) => e)
    expect(error).toBeInstanceOf(LogRangeRefusedError)
    expect(error.code).toBe('LOG_RANGE_REFUSED')
    expect(error.shortMessage).toContain('block 10')
  })

  it('stops halving at maxSplitDepth', async () => {
    const chain = fakeChain({ logsPerBlock: everyBlock(0, 63), maxResults: 1 })
    const source = rangedLogSource(chain.provider, { chunkSize: 64, maxSplitDepth: 2 })
    await expect(source(query(0, 63))).rejects.toBeInstanceOf(LogRangeRefusedError)
    expect(source.stats.rangeSplits).toBe(2)
  })

  it('reports other node errors as LogFetchFailedError and lets its own errors through', async () => {
    const chain = fakeChain({ brokenBlock: 50 })
    const error = await rangedLogSource(chain.provider, { chunkSize: 20 })(query(0, 99)).catch((e) => e)
    expect(error).toBeInstanceOf(LogFetchFailedError)
    expect(error.shortMessage).toBe('eth_getLogs failed for blocks 40-59')

    chain.provider.getLogs = async () => {
      throw new ChainUnreachableError('http://127.0.0.1:1', 3, new Error('ECONNREFUSED'))
    }
    await expect(rangedLogSource(chain.provider)(query(0, 99))).rejects.toBeInstanceOf(ChainUnreachableError)
  })

  it('refuses invalid queries and options', async () => {
    const source = rangedLogSource(fakeChain().provider)
    await expect(source(query(10, 9))).rejects.toBeInstanceOf(LogQueryInvalidError)
    await expect(source(query(-1, 9))).rejects.toBeInstanceOf(LogQueryInvalidError)
    await expect(source(query(0, 1.5))).rejects.toBeInstanceOf(LogQueryInvalidError)
    expect(() => rangedLogSource(fakeChain().provider, { chunkSize: 0 })).toThrow(LogQueryInvalidError)
    expect(() => rangedLogSource(fakeChain().provider, { concurrency: 0 })).toThrow(LogQueryInvalidError)
  })

  it('reports progress up to the whole range', async () => {
    const progress: LogProgress[] = []
    const chain = fakeChain()
    await rangedLogSource(chain.provider, { chunkSize: 100, onProgress: (p) => progress.push(p) })(
      query(50, 449),
    )
    expect(progress).toHaveLength(5)
    expect(progress.at(-1)).toEqual({ doneBlocks: 400, totalBlocks: 400, fromCache: 0 })
  })
})

describe('rangedLogSource with a cache', () => {
  const options = () => ({ chunkSize: 100, concurrency: 2, cacheDir, reorgDepth: 0 })

  it('answers a second run from disk with no eth_getLogs, as the same Log objects', async () => {
    const chain = fakeChain({ logsPerBlock: new Map([...everyBlock(10, 250), [900, 4]]) })
    const first = rangedLogSource(chain.provider, options())
    const fetched = await first(query(0, 999))
    expect(first.stats.logRequests).toBe(10)

    const progress: LogProgress[] = []
    const second = rangedLogSource(chain.provider, { ...options(), onProgress: (p) => progress.push(p) })
    const cached = await second(query(0, 999))
    expect(second.stats.logRequests).toBe(0)
    expect(second.stats.cacheHits).toBe(10)
    expect(progress.at(-1)).toEqual({ doneBlocks: 1_000, totalBlocks: 1_000, fromCache: 1_000 })
    expect(cached.map((l) => l.toJSON())).toEqual(fetched.map((l) => l.toJSON()))
    expect(cached.every((l) => l instanceof Log && l.provider === (chain.provider as unknown))).toBe(true)
  })

  it('resumes a failed run without fetching again what was written', async () => {
    const broken = fakeChain({ logsPerBlock: everyBlock(0, 999), brokenBlock: 650 })
    const first = rangedLogSource(broken.provider, { ...options(), concurrency: 1 })
    await expect(first(query(0, 999))).rejects.toBeInstanceOf(LogFetchFailedError)

    const chain = fakeChain({ logsPerBlock: everyBlock(0, 999) })
    const second = rangedLogSource(chain.provider, options())
    expect(await second(query(0, 999))).toHaveLength(1_000)
    expect(chain.requests.map((r) => r.fromBlock).sort((a, b) => a - b)).toEqual([600, 700, 800, 900])
  })

  it('extends a cached chunk by only the blocks it lacks', async () => {
    const chain = fakeChain({ logsPerBlock: everyBlock(0, 999) })
    await rangedLogSource(chain.provider, options())(query(20, 50))
    chain.requests.length = 0
    const logs = await rangedLogSource(chain.provider, options())(query(10, 80))
    expect(logs.map((l) => l.blockNumber)).toEqual(Array.from({ length: 71 }, (_, i) => 10 + i))
    expect(chain.requests).toEqual([
      { fromBlock: 10, toBlock: 19 },
      { fromBlock: 51, toBlock: 80 },
    ])
    chain.requests.length = 0
    expect(await rangedLogSource(chain.provider, options())(query(15, 75))).toHaveLength(61)
    expect(chain.requests).toEqual([])
  })

  it('shares the cache between equivalent filters and keeps different filters apart', async () => {
    const chain = fakeChain({ logsPerBlock: everyBlock(0, 99) })
    await rangedLogSource(chain.provider, options())(query(0, 99))
    const same = rangedLogSource(chain.provider, options())
    await same({ address: [TOKEN.toLowerCase()], topics: [[TRANSFER], null], fromBlock: 0, toBlock: 99 })
    expect(same.stats.logRequests).toBe(0)
    const other = rangedLogSource(chain.provider, options())
    await other({ address: TOKEN, topics: [TRANSFER, zeroPadValue(TOKEN, 32)], fromBlock: 0, toBlock: 99 })
    expect(other.stats.logRequests).toBe(1)
  })

  it('refetches a chunk cached from another history of the same chain id', async () => {
    const before = fakeChain({ history: 'first anvil', logsPerBlock: everyBlock(0, 99) })
    await rangedLogSource(before.provider, options())(query(0, 299))

    const after = fakeChain({ history: 'restarted anvil', logsPerBlock: new Map([[42, 2]]) })
    const source = rangedLogSource(after.provider, options())
    const logs = await source(query(0, 299))
    expect(source.stats.cacheHits).toBe(0)
    expect(source.stats.logRequests).toBe(3)
    expect(positions(logs)).toEqual(['42:0', '42:1'])
    expect(logs[0]!.blockHash).toBe(id('restarted anvil:42'))
  })

  it('never caches blocks within reorgDepth of the head', async () => {
    const chain = fakeChain({ head: 999, logsPerBlock: everyBlock(900, 999) })
    await rangedLogSource(chain.provider, { ...options(), reorgDepth: 30 })(query(0, 999))
    chain.requests.length = 0
    const again = rangedLogSource(chain.provider, { ...options(), reorgDepth: 30 })
    expect(await again(query(0, 999))).toHaveLength(100)
    // Blocks up to 969 are final and came from disk; 970-999 are asked again.
    expect(chain.requests).toEqual([{ fromBlock: 970, toBlock: 999 }])
  })

  it('checks each cached chunk with one block hash per query', async () => {
    const chain = fakeChain({ logsPerBlock: everyBlock(0, 999) })
    await rangedLogSource(chain.provider, options())(query(0, 999))
    chain.provider.blockRequests = 0
    await rangedLogSource(chain.provider, options())(query(0, 999))
    expect(chain.provider.blockRequests).toBe(10)
  })
})

describe('rangeRefusal', () => {
  it('tells block-range limits from result limits across providers', () => {
    expect(rangeRefusal(rpcError(-32005, 'query returned more than 10000 results'))).toBe('results')
    expect(rangeRefusal(rpcError(-32602, 'Log response size exceeded.'))).toBe('results')
    expect(rangeRefusal(rpcError(-32000, 'block range is too wide'))).toBe('blockRange')
    expect(rangeRefusal(rpcError(-32000, 'exceed maximum block range: 5000'))).toBe('blockRange')
    expect(rangeRefusal(rpcError(-32602, 'eth_getLogs is limited to a 10,000 range'))).toBe('blockRange')
    expect(rangeRefusal(new Error('wrapped', { cause: rpcError(-32005, 'limit exceeded') }))).toBe('results')
    expect(rangeRefusal(rpcError(-32603, 'internal error'))).toBeUndefined()
    expect(rangeRefusal(new Error('ECONNREFUSED'))).toBeUndefined()
  })
})
