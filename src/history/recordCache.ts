import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Address, Hex } from '../safe/types.js'
import { writeFileAtomic } from '../utils/atomicWrite.js'
import type { SafeExecutionRecord } from './safe/verifyExecution.js'

/** Bumped whenever what verification records changes, so older entries are misses, not data. */
const RECORD_FORMAT = 1

export type RecordKey = {
  chainId: bigint
  safe: Address
  transactionHash: Hex
  logIndex: number
  /** The hash of the execution's block: a record is served only while the chain still has that block. */
  blockHash: string
}

export type SafeRecordCache = {
  read(key: RecordKey): SafeExecutionRecord | undefined
  write(key: RecordKey, record: SafeExecutionRecord): void
}

/**
 * One file per verified execution: `<dir>/<chainId>/<safe>/<txhash>-<logIndex>.json`. What is kept is the
 * audit from the chain (recovered fields, hashes, signers, findings), not the decoded words: decoding is
 * local and cheap, and redone each run so a changed workspace (names, ABIs) shows at once. Each file
 * repeats its key and the block hash; a file that does not match what is asked (a reorg, a restarted
 * devnet, an older format, a hand edit) is a miss and gets overwritten. Writes are atomic, so a run killed
 * mid-write leaves no torn entry.
 */
export function openRecordCache(dir: string): SafeRecordCache {
  const fileOf = (k: RecordKey) =>
    join(
      dir,
      k.chainId.toString(),
      k.safe.toLowerCase(),
      `${k.transactionHash.toLowerCase()}-${k.logIndex}.json`,
    )
  const keyText = (k: RecordKey) =>
    JSON.stringify({
      format: RECORD_FORMAT,
      chainId: k.chainId.toString(),
      safe: k.safe.toLowerCase(),
      transactionHash: k.transactionHash.toLowerCase(),
      logIndex: k.logIndex,
      blockHash: k.blockHash.toLowerCase(),
    })
  return {
    read(key) {
      let stored: { key?: unknown; record?: unknown }
      try {
        stored = JSON.parse(readFileSync(fileOf(key), 'utf8'), revive)
      } catch {
        return undefined
      }
      if (JSON.stringify(stored.key) !== keyText(key) || !stored.record) return undefined
      return stored.record as SafeExecutionRecord
    },
    write(key, record) {
      writeFileAtomic(fileOf(key), `{"key":${keyText(key)},"record":${JSON.stringify(record, replace)}}`)
    },
  }
}

// bigints (nonce, value, gas fields, chain id) are tagged rather than guessed back from digit strings.
const replace = (_: string, v: unknown) => (typeof v === 'bigint' ? { $bigint: v.toString() } : v)
const revive = (_: string, v: unknown) =>
  v && typeof v === 'object' && typeof (v as { $bigint?: unknown }).$bigint === 'string'
    ? BigInt((v as { $bigint: string }).$bigint)
    : v
