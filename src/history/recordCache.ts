import { closeSync, fstatSync, mkdirSync, openSync, readFileSync, readSync, writeSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { Address, Hex } from '../safe/types.js'
import type { SafeExecutionRecord } from './safe/verifyExecution.js'

/** Bumped whenever what verification records changes, so older entries are misses, not data. */
const RECORD_FORMAT = 2

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

/** One Safe's records file: where each line starts, by key, and the descriptor it is appended through. */
type RecordLog = { fd: number; index: Map<string, { offset: number; length: number }>; torn: boolean }

const TAB = 0x09
const NEWLINE = 0x0a

/**
 * Verified executions, appended one line each to `<dir>/<chainId>/<safe>/records.jsonl`: the key, a tab,
 * the record. What is kept is the audit from the chain (recovered fields, hashes, signers, findings), not
 * the decoded words: decoding is local and cheap, and redone each run so a changed workspace (names, ABIs)
 * shows at once.
 *
 * One append per record rather than a file each: creating and renaming a file costs about a millisecond
 * of kernel time, ten seconds over a 10,000-execution history, an append a hundredth of that. A record is
 * on disk as soon as it is written, so a killed run still resumes where it stopped. The key repeats the
 * format and the block hash, so a line for another block (a reorg, a restarted devnet) or an older format
 * is never served; a later line for the same key wins. A line cut short by a kill, or damaged by hand, is
 * a miss: the execution is verified again and appended anew.
 */
export function openRecordCache(dir: string): SafeRecordCache {
  const logs = new Map<string, RecordLog>()
  const logOf = (k: RecordKey): RecordLog => {
    const path = join(dir, k.chainId.toString(), k.safe.toLowerCase(), 'records.jsonl')
    let log = logs.get(path)
    if (!log) {
      log = openLog(path)
      logs.set(path, log)
    }
    return log
  }
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
      const log = logOf(key)
      const text = keyText(key)
      const at = log.index.get(text)
      if (!at) return undefined
      try {
        const line = Buffer.alloc(at.length)
        if (readSync(log.fd, line, 0, at.length, at.offset) !== at.length) return undefined
        const tab = line.indexOf(TAB)
        // Another process appending at the same moment can move a line: the key must be there too.
        if (tab < 0 || line.toString('utf8', 0, tab) !== text) return undefined
        const record = JSON.parse(line.toString('utf8', tab + 1), revive) as SafeExecutionRecord | null
        return record ?? undefined
      } catch {
        return undefined
      }
    },
    write(key, record) {
      const log = logOf(key)
      const text = keyText(key)
      // A line cut short by a killed run is ended first, so this one starts on its own.
      if (log.torn) writeAll(log.fd, Buffer.from('\n'))
      log.torn = false
      const line = Buffer.from(`${text}\t${JSON.stringify(record, replace)}\n`)
      writeAll(log.fd, line)
      log.index.set(text, { offset: fstatSync(log.fd).size - line.length, length: line.length - 1 })
    },
  }
}

function writeAll(fd: number, bytes: Buffer) {
  for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done)
}

/** Opens (creating) a records file for reading and appending, and indexes its lines by key. */
function openLog(path: string): RecordLog {
  mkdirSync(dirname(path), { recursive: true })
  const fd = openSync(path, 'a+')
  const index = new Map<string, { offset: number; length: number }>()
  let content: Buffer
  try {
    content = readFileSync(fd)
  } catch (err) {
    closeSync(fd)
    throw err
  }
  let start = 0
  while (start < content.length) {
    const end = content.indexOf(NEWLINE, start)
    if (end < 0) break
    const tab = content.indexOf(TAB, start)
    if (tab > start && tab < end)
      index.set(content.toString('utf8', start, tab), { offset: start, length: end - start })
    start = end + 1
  }
  return { fd, index, torn: content.length > 0 && content[content.length - 1] !== NEWLINE }
}

// bigints (nonce, value, gas fields, chain id) are tagged rather than guessed back from digit strings.
const replace = (_: string, v: unknown) => (typeof v === 'bigint' ? { $bigint: v.toString() } : v)
const revive = (_: string, v: unknown) =>
  v && typeof v === 'object' && typeof (v as { $bigint?: unknown }).$bigint === 'string'
    ? BigInt((v as { $bigint: string }).$bigint)
    : v
