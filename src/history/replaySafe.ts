import type { Log } from 'ethers'
import type { LogSource } from '../chain/logSource.js'
import type { DecodeContext } from '../decode/decodeCall.js'
import {
  HistoryStateUnavailableError,
  type HistoryStateUnavailableErrorType,
  isStateUnavailable,
  type MalformedSafeLogErrorType,
} from '../errors/history.js'
import { generatedBy } from '../report/environment.js'
import { GET_TRANSACTION_HASH_SELECTOR } from '../safe/execTransaction.js'
import type { Address, Hex } from '../safe/types.js'
import { sameAddress } from '../utils/address.js'
import { faultPoint } from '../utils/faultPoint.js'
import { mapConcurrently } from '../utils/mapConcurrently.js'
import type { AddressBook } from '../workspace/addressBook.js'
import type { WorkspaceConfig } from '../workspace/schema.js'
import type { SafeRecordCache } from './recordCache.js'
import { configChangeEntry, countFindings, named, safeExecutionEntry } from './report/safeEntries.js'
import { HISTORY_REPORT_VERSION, type HistoryFindingCounts, type SafeHistoryReport } from './report/schema.js'
import { type ChainHashBatcher, chainHashBatcher } from './safe/chainHashBatch.js'
import { configChanges } from './safe/configChanges.js'
import { decodeExecution } from './safe/decodeExecution.js'
import { EXECUTION_FAILURE_TOPIC, EXECUTION_SUCCESS_TOPIC, executionFromLog } from './safe/findExecutions.js'
import { recoverExecTransaction } from './safe/recoverExecTransaction.js'
import { readSafeAt, type SafeHistoryChain, type SafeStateAt } from './safe/safeStateAt.js'
import { MODULE_EXECUTION_TOPICS, safeStateTimeline, type TimelineState } from './safe/stateTimeline.js'
import type { SafeExecution } from './safe/types.js'
import { type SafeExecutionRecord, verifyExecution } from './safe/verifyExecution.js'

export type ReplayProgress = { done: number; total: number; fromCache: number }

export type ReplaySafeParameters = {
  chain: SafeHistoryChain
  chainId: bigint
  safe: Address
  /** Resolved and pinned by the caller (resolveHistoryRange). */
  fromBlock: number
  toBlock: number
  logs: LogSource
  decode: DecodeContext
  /** Names in the report, and action kinds read back from calls to the workspace's contracts. */
  book: AddressBook
  workspace?: { book: AddressBook; config: WorkspaceConfig }
  /** Verified executions kept between runs: an interrupted replay resumes without re-verifying them. */
  records?: SafeRecordCache
  /**
   * Executions verified at once. Default 32: each waits on two node requests, and the more are in flight
   * the more of those go out together in one JSON-RPC batch; the CPU work is the same either way.
   */
  concurrency?: number
  onProgress?: (progress: ReplayProgress) => void
  /**
   * Each execution's full record (recovered fields, signers) as it is verified or read from the cache, in
   * no particular order; the report keeps only the compact entry. Whoever needs more (the Transaction
   * Service reconciliation, re-simulation targets) takes it here instead of the report growing.
   */
  onRecord?: (record: SafeExecutionRecord) => void
}

/** What the replay asked of the node and of its caches: for progress, tests and benchmarks. */
export type ReplaySafeStats = {
  executions: number
  /** Executions answered from the record cache: nothing fetched, nothing re-verified. */
  recordsFromCache: number
  recordsVerified: number
  /** Node requests made while verifying (reads repeated within one execution are asked once). */
  transactions: number
  traces: number
  calls: number
  /** Executions whose parent-block state was derived from the previous one's (see safeStateTimeline), not read. */
  statesDerived: number
  /** eth_calls that asked the Safe's getTransactionHash for many executions at once (see chainHashBatch). */
  chainHashBatches: number
}

export type ReplaySafeReturnType = { report: SafeHistoryReport; stats: ReplaySafeStats }
export type ReplaySafeErrorType = MalformedSafeLogErrorType | HistoryStateUnavailableErrorType

/**
 * A Safe's history from the chain alone: every execution found from its logs, its execTransaction
 * recovered, its hash and signatures verified against the state before it, its batch decoded to actions,
 * and the owner/threshold/module/guard changes over time. Executions are verified a few at a time and
 * reported in chain order; each entry is compact (no traces, no calldata), so memory grows by a few
 * hundred bytes an execution, and with `records` every verified execution is on disk as soon as it is
 * done, so a run killed at any point resumes where it stopped.
 */
export async function replaySafe(p: ReplaySafeParameters): Promise<ReplaySafeReturnType> {
  const { safe, fromBlock, toBlock } = p
  const stats: ReplaySafeStats = {
    executions: 0,
    recordsFromCache: 0,
    recordsVerified: 0,
    transactions: 0,
    traces: 0,
    calls: 0,
    statesDerived: 0,
    chainHashBatches: 0,
  }
  // The queries first, together: once they are done every log is cached, whatever happens after.
  const [executionLogs, changes, moduleLogs] = await Promise.all([
    p.logs({
      address: safe,
      topics: [[EXECUTION_SUCCESS_TOPIC, EXECUTION_FAILURE_TOPIC]],
      fromBlock,
      toBlock,
    }),
    configChanges({ logs: p.logs, safe, fromBlock, toBlock }),
    p.logs({ address: safe, topics: [MODULE_EXECUTION_TOPICS], fromBlock, toBlock }),
  ])
  const found = executionLogs
    .filter((log) => log.address.toLowerCase() === safe.toLowerCase() && !log.removed)
    .map((log: Log) => ({ execution: executionFromLog(log), blockHash: log.blockHash }))
    .sort(
      (a, b) =>
        a.execution.blockNumber - b.execution.blockNumber || a.execution.logIndex - b.execution.logIndex,
    )
  stats.executions = found.length

  // recoverExecTransaction looks only at executions of the same block; handing it just those keeps a
  // 10,000-execution history linear instead of quadratic.
  const byBlock = new Map<number, SafeExecution[]>()
  for (const { execution } of found) {
    const list = byBlock.get(execution.blockNumber)
    if (list) list.push(execution)
    else byBlock.set(execution.blockNumber, [execution])
  }

  const timeline = safeStateTimeline({
    chain: p.chain,
    safe,
    executions: found.map((f) => f.execution),
    changeBlocks: [...changes, ...moduleLogs.filter((log) => !log.removed)].map((c) => c.blockNumber),
  })
  const hashes = chainHashBatcher(p.chain, safe)
  const network = p.chain.getNetwork()
  let done = 0
  let written = 0
  const entries = await mapConcurrently(
    found,
    p.concurrency ?? 32,
    async ({ execution, blockHash }, index) => {
      const key = {
        chainId: p.chainId,
        safe,
        transactionHash: execution.transactionHash,
        logIndex: execution.logIndex,
        blockHash,
      }
      let record = p.records?.read(key)
      if (record) stats.recordsFromCache++
      else {
        // Before the first await: the next execution's state derives from this one's (safeStateTimeline).
        stats.transactions++
        const transaction = p.chain.getTransaction(execution.transactionHash)
        timeline.transaction(index, transaction)
        const derivedOrRead = timeline.stateBefore(index)
        const context: ExecutionContext = { stats, network, transaction, safe, hashes }
        const chain = executionChain(p.chain, context)
        const audit = async (state: SafeStateAt & { derived?: boolean }) => {
          const recovered = await recoverExecTransaction({
            chain,
            safe,
            execution,
            executions: byBlock.get(execution.blockNumber)!,
            state,
          })
          return { recovered, state }
        }
        try {
          let { recovered, state } = await audit(await derivedOrRead)
          if (state.derived) stats.statesDerived++
          // The logged hash commits to the nonce: when the derived one does not give it, the state is read
          // (the nonce may have been written by code the events do not show) and the execution judged on that.
          if (state.derived && !(recovered.ok && recovered.value.hashMatched)) {
            stats.statesDerived--
            const read = await readSafeAt(chain, safe, execution.blockNumber - 1)
            timeline.correct(index, read)
            ;({ recovered, state } = await audit(read))
          }
          context.readAt = 'readAt' in state ? (state as TimelineState).readAt : execution.blockNumber - 1
          record = await verifyExecution({ chain, safe, execution, recovered, logs: p.logs, state })
        } catch (err) {
          if (isStateUnavailable(err)) throw new HistoryStateUnavailableError(execution.blockNumber - 1, err)
          throw err
        }
        stats.recordsVerified++
        if (p.records) {
          p.records.write(key, record)
          // A test kills the run here to prove that a resumed run fetches only what was not written.
          faultPoint(`history-after-${++written}`)
        }
      }
      const decoded = record.safeTx
        ? decodeExecution({
            safeTx: record.safeTx,
            safe,
            version: record.version,
            decode: p.decode,
            ...(p.workspace ? { workspace: p.workspace } : {}),
          })
        : undefined
      p.onRecord?.(record)
      const entry = safeExecutionEntry(record, decoded, p.book)
      done++
      p.onProgress?.({ done, total: found.length, fromCache: stats.recordsFromCache })
      return entry
    },
  )

  stats.chainHashBatches = hashes.stats.batches
  const counts: HistoryFindingCounts = { error: 0, warning: 0, info: 0 }
  const byCode: Record<string, number> = {}
  for (const entry of entries) countFindings(entry.findings, counts, byCode)
  const report: SafeHistoryReport = {
    reportVersion: HISTORY_REPORT_VERSION,
    generatedBy: generatedBy(),
    generatedAt: new Date().toISOString(),
    kind: 'safe-history',
    subject: { safe: named(safe, p.book), chainId: p.chainId.toString(), fromBlock, toBlock },
    summary: {
      executions: entries.length,
      succeeded: entries.filter((e) => e.success).length,
      failed: entries.filter((e) => !e.success).length,
      verified: entries.filter((e) => e.verified).length,
      configChanges: changes.length,
      findings: counts,
      byCode,
    },
    executions: entries,
    configChanges: changes.map((c) => configChangeEntry(c, p.book)),
  }
  return { report, stats }
}

type ExecutionContext = {
  stats: ReplaySafeStats
  network: ReturnType<SafeHistoryChain['getNetwork']>
  /** Fetched (and counted) by the caller, which hands it to the state timeline too. */
  transaction: ReturnType<SafeHistoryChain['getTransaction']>
  safe: Address
  hashes: ChainHashBatcher
  /** Where the execution's state was read, once known: its getTransactionHash is asked there. */
  readAt?: number
}

/**
 * The chain as one execution's verification sees it: recovery and verification may both read the Safe at
 * the parent block, so identical reads are asked once (and counted once); its transaction is the one
 * already being fetched; and the Safe's own getTransactionHash goes into a batch with the others asked at
 * the block its state was read (see TimelineState.readAt), where it answers as at the parent block. Per
 * execution, so nothing grows with the history.
 */
function executionChain(chain: SafeHistoryChain, c: ExecutionContext): SafeHistoryChain {
  const calls = new Map<string, Promise<string>>()
  const sent = new Map<string, ReturnType<SafeHistoryChain['send']>>()
  const single = (tx: Parameters<SafeHistoryChain['call']>[0]) => {
    c.stats.calls++
    return chain.call(tx)
  }
  const wrapped: Pick<SafeHistoryChain, 'call' | 'send' | 'getTransaction' | 'getNetwork'> = {
    call(tx) {
      const key = JSON.stringify([tx.to, tx.from, tx.data, tx.blockTag])
      let answer = calls.get(key)
      if (!answer) {
        const data = typeof tx.data === 'string' ? (tx.data as Hex) : undefined
        answer =
          c.readAt !== undefined &&
          data?.startsWith(GET_TRANSACTION_HASH_SELECTOR) &&
          tx.from === undefined &&
          typeof tx.to === 'string' &&
          sameAddress(tx.to, c.safe)
            ? c.hashes.hash(c.readAt, data, () => single(tx))
            : single(tx)
        calls.set(key, answer)
      }
      return answer
    },
    send(method, params) {
      // A second audit of the same execution (its derived state did not give the logged hash) asks for
      // the same trace: it is fetched once.
      const key = JSON.stringify([method, params])
      let answer = sent.get(key)
      if (!answer) {
        if (method === 'debug_traceTransaction') c.stats.traces++
        answer = chain.send(method, params)
        sent.set(key, answer)
      }
      return answer
    },
    getTransaction: () => c.transaction,
    getNetwork: () => c.network,
  }
  return wrapped as SafeHistoryChain
}
