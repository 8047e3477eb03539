import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Log, LogParams } from 'ethers'
import { writeFileAtomic } from '../utils/atomicWrite.js'
import { canonicalJson, sha256Hex } from '../utils/canonicalJson.js'
import type { LogQuery } from './logSource.js'

/** The logs of one filter over a contiguous block range inside one chunk of the block grid. */
export type LogCacheEntry = {
  fromBlock: number
  toBlock: number
  /**
   * Hash of `toBlock` when the logs were fetched. A block hash commits to every block before it, so if the
   * chain still has this hash at `toBlock`, nothing in `[fromBlock, toBlock]` has changed since.
   */
  toBlockHash: string
  logs: LogParams[]
}

export type LogCache = {
  read(chunkStart: number): LogCacheEntry | undefined
  write(chunkStart: number, entry: LogCacheEntry): void
}

export type OpenLogCacheParameters = {
  dir: string
  chainId: bigint
  query: Pick<LogQuery, 'address' | 'topics'>
  chunkSize: number
}

const FORMAT_VERSION = 1

/**
 * One JSON file per (chain, filter, chunk): `<dir>/<chainId>/<filter hash>/<chunkSize>/<chunkStart>.json`.
 * The chain id keeps chains apart; the stored `toBlockHash` (checked by the caller against the chain)
 * tells apart two histories of one chain id, such as a restarted anvil. Each file repeats its key, so a
 * file that does not match what was asked (hash collision, hand edit, older format) is a miss, not data.
 */
export function openLogCache({ dir, chainId, query, chunkSize }: OpenLogCacheParameters): LogCache {
  const filter = normalizeFilter(query)
  const folder = join(dir, chainId.toString(), sha256Hex(canonicalJson(filter)).slice(2), String(chunkSize))
  const fileOf = (chunkStart: number) => join(folder, `${chunkStart}.json`)
  const key = { version: FORMAT_VERSION, chainId: chainId.toString(), filter, chunkSize }

  return {
    read(chunkStart) {
      let stored: unknown
      try {
        stored = JSON.parse(readFileSync(fileOf(chunkStart), 'utf8'))
      } catch {
        // Missing or unreadable: fetch again and overwrite (writes are atomic, so this is not a torn write).
        return undefined
      }
      return parseEntry(stored, canonicalJson({ ...key, chunkStart }))
    },
    write(chunkStart, entry) {
      const file = { ...key, chunkStart, ...entry, logs: entry.logs.map(toLogParams) }
      writeFileAtomic(fileOf(chunkStart), JSON.stringify(file))
    },
  }
}

/** Logs as plain `LogParams`: the fields `new Log(params, provider)` takes, without the provider. */
export function toLogParams(log: Log | LogParams): LogParams {
  return {
    transactionHash: log.transactionHash,
    blockHash: log.blockHash,
    blockNumber: log.blockNumber,
    removed: log.removed,
    address: log.address,
    data: log.data,
    topics: [...log.topics],
    index: log.index,
    transactionIndex: log.transactionIndex,
  }
}

/**
 * The filter as eth_getLogs understands it, so that equivalent filters share a cache: addresses are
 * case-insensitive and unordered, each topic position is an unordered set, trailing wildcards match anything.
 */
export function normalizeFilter(query: Pick<LogQuery, 'address' | 'topics'>) {
  const set = (values: string[]) => [...new Set(values.map((v) => v.toLowerCase()))].sort()
  const address = set(Array.isArray(query.address) ? query.address : [query.address])
  const topics = (query.topics ?? []).map((t) => {
    if (t === null) return null
    const values = set(Array.isArray(t) ? t : [t])
    return values.length === 1 ? values[0]! : values
  })
  while (topics.length > 0 && topics[topics.length - 1] === null) topics.pop()
  return { address, topics }
}

function parseEntry(stored: unknown, expectedKey: string): LogCacheEntry | undefined {
  if (!stored || typeof stored !== 'object') return undefined
  const s = stored as Record<string, unknown>
  const storedKey = canonicalJson({
    version: s['version'],
    chainId: s['chainId'],
    filter: s['filter'],
    chunkSize: s['chunkSize'],
    chunkStart: s['chunkStart'],
  })
  if (storedKey !== expectedKey) return undefined
  const { fromBlock, toBlock, toBlockHash, logs } = s
  if (!Number.isSafeInteger(fromBlock) || !Number.isSafeInteger(toBlock)) return undefined
  if (typeof toBlockHash !== 'string' || !Array.isArray(logs)) return undefined
  return {
    fromBlock: fromBlock as number,
    toBlock: toBlock as number,
    toBlockHash,
    logs: logs as LogParams[],
  }
}
