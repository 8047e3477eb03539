import { join } from 'node:path'
import { Flags } from '@oclif/core'
import type { RangedLogSourceStats } from '../../src/chain/rangedLogSource.js'
import { AllianceCommand } from '../../src/cli/baseCommand.js'
import { decodeContext, openChain, openWorkspace } from '../../src/cli/context.js'
import { openGovernor } from '../../src/cli/governorInput.js'
import { ProgressLine } from '../../src/cli/progressBar.js'
import { openQueue, queueFlags } from '../../src/cli/queueInput.js'
import { HistoryFindingsError } from '../../src/errors/history.js'
import { InvalidFlagError } from '../../src/errors/input.js'
import { QueueNotConfiguredError } from '../../src/errors/queue.js'
import { governorHistoryReads } from '../../src/history/governor/historyReads.js'
import { historyLogSource, resolveHistoryRange } from '../../src/history/historyLogs.js'
import { reconcileHistory } from '../../src/history/reconcileHistory.js'
import { type ReconcileRecord, reconcileRecord } from '../../src/history/reconcileService.js'
import { openRecordCache } from '../../src/history/recordCache.js'
import { replayGovernor } from '../../src/history/replayGovernor.js'
import { type ReplaySafeStats, replaySafe } from '../../src/history/replaySafe.js'
import type { HistoryReport } from '../../src/history/report/schema.js'
import type { ForkStep } from '../../src/history/resimulate.js'
import { resimulateHistory } from '../../src/history/resimulateHistory.js'
import type { SafeExecution } from '../../src/history/safe/types.js'
import type { ProposalQueue } from '../../src/queue/types.js'
import { checkHistoryReportPath, writeHistoryReport } from '../../src/render/history/writeHistoryReport.js'
import { historyTerminalLines } from '../../src/render/historyView.js'
import type { Address } from '../../src/safe/types.js'

/** What `history replay --json` prints as `data`: the report, and what the run fetched and reused. */
export type HistoryReplayResult = {
  report: HistoryReport
  stats: {
    logs: RangedLogSourceStats
    records?: ReplaySafeStats
    cacheDir?: string
    /**
     * With --resimulate: executions re-executed on the forks, how many agreed with the chain, and the
     * blocks replayed by how their fork reached the parent block (started, continued, bridged, reset).
     */
    resimulation?: { executions: number; agreed: number; steps: Record<ForkStep, number> }
  }
}

const FAIL_ON = ['error', 'warning'] as const

export default class HistoryReplay extends AllianceCommand {
  static override summary =
    "Replay a Safe's or a Governor's whole history from the chain: re-decoded, re-hashed, re-verified."
  static override description =
    `A Safe: every execution is found from its ExecutionSuccess/ExecutionFailure logs; its execTransaction is recovered from the transaction (or from its call trace when another contract, such as a nested Safe, called the Safe); the safeTxHash is recomputed with the Safe's version at that block and compared with the logged hash and the Safe's own getTransactionHash; every signature is recovered (EIP-712, eth_sign, approved hash, EIP-1271 contract signatures asked of the owner contract) and checked against the owners and threshold at that block; the batch is decoded into alliance actions. Owner, threshold, module and guard changes are listed over time.

A Governor: every proposal's creation, votes, queue, execution or cancellation and timelock operation; the proposal id and operation id recomputed; votes summed against the governor's tally; timelock operations that did not go through the governor flagged.

With --resimulate, every execution is then executed again on a local anvil fork of its parent block — the whole block, in its order, with its senders, gas and fees — and the receipt's status, its logs and the balances it moved (ERC-20 holders from Transfer logs, the Safe, the sender, native payment recipients) are compared with the chain: each difference is a RESIMULATION_DIFFERS error, a block that cannot be replayed a RESIMULATION_FAILED one. Two forks work side by side; a fork goes on from the block it just replayed (or replays the few blocks in between) only when those blocks gave the chain's own receipts root, and is reset to the parent block otherwise, or always with --reset-every-block. The forks need anvil (bundled) and a node that serves old state (an archive node).

When a Transaction Service or a queue directory is configured (--tx-service-url, --queue-dir, or queue: in alliance.yaml), everything it holds for the Safe is reconciled with the replayed executions over the nonces the range covers: records filed under a hash their own fields do not give (SERVICE_HASH_MISMATCH), fields or transaction hashes that differ from what ran (SERVICE_DATA_DIFFERS, SERVICE_TX_HASH_DIFFERS), executions it never heard of (SERVICE_MISSING), records it marks executed that the chain never ran, pending ones that can never run, and confirmations the execution did not use. Without one, nothing is reconciled.

Logs are fetched in ranges and kept in a cache (default <workspace>/.alliance/cache), as is every verified Safe execution, so a re-run or an interrupted run fetches nothing twice. The end block is pinned when the run starts.

Exit codes: 0 when no finding reaches --fail-on (default: error); 1 when one does (a hash or signature that does not hold, an id that does not match, a bypass of the governor), or when the replay itself fails. With --fail-on warning a failed execution, an untrusted delegatecall or an execution the service never heard of also exits 1.`
  static override examples = [
    '<%= config.bin %> history replay --safe council',
    '<%= config.bin %> history replay --safe council --from-block 19000000 --report council-history.html',
    '<%= config.bin %> history replay --safe 0x5aFE…0001 --to-block 20000000 --json > history.json',
    '<%= config.bin %> history replay --governor governor --report governor-history.md',
    '<%= config.bin %> history replay --safe council --fail-on warning --no-cache',
    '<%= config.bin %> history replay --safe council --resimulate --report council-history.html',
    '<%= config.bin %> history replay --safe council --resimulate --reset-every-block --json',
    '<%= config.bin %> history replay --safe council --tx-service-url https://safe-transaction-mainnet.safe.global/api',
    '<%= config.bin %> history replay --safe council --from-block 19000000 --resimulate --queue-dir ./queue --json',
  ]
  static override flags = {
    safe: Flags.string({ summary: 'The Safe to replay, by workspace name or address.' }),
    governor: Flags.string({ summary: 'The governor to replay, by workspace name or address.' }),
    'from-block': Flags.integer({ summary: 'First block of the history (default 0).', min: 0 }),
    'to-block': Flags.integer({ summary: 'Last block (default: the head when the run starts).', min: 0 }),
    report: Flags.string({
      summary: 'Also write the report to FILE (.md, .html or .json); repeatable.',
      multiple: true,
    }),
    'cache-dir': Flags.string({
      summary: 'Where fetched logs and verified executions are kept (default <workspace>/.alliance/cache).',
    }),
    'no-cache': Flags.boolean({
      summary: 'Read and write no cache: fetch and verify everything.',
      exclusive: ['cache-dir'],
    }),
    resimulate: Flags.boolean({
      summary:
        'Also execute every Safe execution again on an anvil fork of its parent block and compare the outcome, logs and balance changes with the chain.',
    }),
    'reset-every-block': Flags.boolean({
      summary:
        'With --resimulate: start every block from a fresh fork of its parent, never from the fork the block before left behind (slower; rules out state a replay changed without a visible trace).',
      dependsOn: ['resimulate'],
    }),
    ...queueFlags,
    'fail-on': Flags.option({
      options: FAIL_ON,
      default: 'error' as const,
      summary: 'Exit 1 when a finding is this severe (or worse).',
      env: 'ALLIANCE_HISTORY_FAIL_ON',
    })(),
  }

  async run(): Promise<HistoryReplayResult> {
    const { flags } = await this.parse(HistoryReplay)
    if ((flags.safe === undefined) === (flags.governor === undefined))
      throw new InvalidFlagError(
        '--safe/--governor',
        'give exactly one of --safe NAME|ADDR or --governor NAME|ADDR',
      )
    if (
      flags['from-block'] !== undefined &&
      flags['to-block'] !== undefined &&
      flags['to-block'] < flags['from-block']
    )
      throw new InvalidFlagError('--to-block', 'must not be before --from-block')
    if (flags.governor !== undefined) {
      if (flags.resimulate)
        throw new InvalidFlagError(
          '--resimulate',
          're-simulation replays Safe executions: use it with --safe',
        )
      if (flags['tx-service-url'] !== undefined || flags['queue-dir'] !== undefined)
        throw new InvalidFlagError(
          flags['queue-dir'] !== undefined ? '--queue-dir' : '--tx-service-url',
          'the Transaction Service is reconciled with a Safe: use it with --safe',
        )
    }
    for (const path of flags.report ?? []) checkHistoryReportPath(path)

    const workspace = openWorkspace(flags.workspace)
    const safeRef = flags.safe !== undefined ? workspace.book.resolveSafe(flags.safe) : undefined
    if (safeRef && !safeRef.ok) throw new InvalidFlagError('--safe', safeRef.reason)
    const cacheDir = flags['no-cache']
      ? undefined
      : (flags['cache-dir'] ?? join(workspace.dir, '.alliance', 'cache'))

    // Opened, and asked for its first record, first: a queue configured wrongly or a service that cannot
    // be reached fails before the replay, not after it.
    const queue = safeRef?.ok ? await configuredQueue(workspace, flags, safeRef.value.address) : undefined
    const chain = await openChain(workspace, flags['rpc-url'])
    const progress = new ProgressLine(process.stderr.isTTY === true && !this.jsonEnabled())
    try {
      const { chainId } = await chain.provider.getNetwork()
      const range = await resolveHistoryRange(chain.provider, {
        ...(flags['from-block'] !== undefined ? { fromBlock: flags['from-block'] } : {}),
        ...(flags['to-block'] !== undefined ? { toBlock: flags['to-block'] } : {}),
      })
      const logs = historyLogSource(chain.provider, {
        chainId,
        ...(cacheDir !== undefined ? { cacheDir } : {}),
        onProgress: (p) =>
          progress.count('logs (blocks)', p.doneBlocks, p.totalBlocks, `${p.fromCache} from the cache`),
      })
      const decode = decodeContext(workspace)
      let result: HistoryReplayResult
      if (safeRef?.ok) {
        const safe = safeRef.value.address
        // Only what the later stages read of each record is kept: its log for the fork, the fields and
        // signers for the reconciliation.
        const executions: SafeExecution[] = []
        const records: ReconcileRecord[] = []
        const { report, stats } = await replaySafe({
          chain: chain.provider,
          chainId,
          safe,
          ...range,
          logs,
          decode,
          book: workspace.book,
          workspace,
          ...(cacheDir !== undefined ? { records: openRecordCache(join(cacheDir, 'replay')) } : {}),
          onProgress: (p) =>
            progress.count('executions verified', p.done, p.total, `${p.fromCache} from the cache`),
          onRecord: (record) => {
            if (flags.resimulate) executions.push(record.execution)
            if (queue) records.push(reconcileRecord(record))
          },
        })
        result = { report, stats: { logs: { ...logs.stats }, records: stats } }
        if (flags.resimulate) {
          const { resimulated, agreed, steps } = await resimulateHistory({
            rpcUrl: chain.provider.url,
            chainId,
            report,
            safe,
            executions,
            book: workspace.book,
            resetEveryBlock: flags['reset-every-block'],
            onProgress: (p) =>
              progress.count('executions re-simulated', p.done, p.total, `block ${p.blockNumber}`),
          })
          result.stats.resimulation = { executions: resimulated, agreed, steps }
        }
        if (queue) {
          progress.show(`reconciling with ${queue.description}`)
          await reconcileHistory({
            report,
            queue,
            reads: chain.reads,
            chain: chain.provider,
            safe,
            records,
            ...range,
          })
        }
      } else {
        const { info } = await openGovernor(workspace, chain, flags.governor)
        const { report } = await replayGovernor({
          governor: info,
          chainId,
          ...range,
          logs,
          reads: governorHistoryReads(chain.provider),
          decode,
          book: workspace.book,
        })
        result = { report, stats: { logs: { ...logs.stats } } }
      }
      if (cacheDir !== undefined) result.stats.cacheDir = cacheDir
      progress.clear()

      for (const path of flags.report ?? []) writeHistoryReport(path, result.report)
      this.sayLines(historyTerminalLines(result.report, this.t))
      if (safeRef?.ok && !queue)
        this.say(
          this.t.dim(
            'No Transaction Service or queue directory configured (--tx-service-url, --queue-dir, queue: in alliance.yaml): nothing reconciled.',
          ),
        )
      for (const path of flags.report ?? []) this.say(this.t.dim(`report written to ${path}`))
      const { error, warning } = result.report.summary.findings
      if (error > 0 || (flags['fail-on'] === 'warning' && warning > 0))
        return this.failWith(result, new HistoryFindingsError({ error, warning }, flags['fail-on']))
      return result
    } finally {
      progress.clear()
      chain.close()
    }
  }
}

/**
 * The workspace's or the flags' queue, if any: reconciliation is skipped without one. A queue that cannot
 * list its history cannot be reconciled, which is a mistake to report, not to skip.
 */
async function configuredQueue(
  workspace: Parameters<typeof openQueue>[0],
  flags: Parameters<typeof openQueue>[1],
  safe: Address,
): Promise<Pick<Required<ProposalQueue>, 'history' | 'description'> | undefined> {
  let queue: ProposalQueue
  try {
    queue = await openQueue(workspace, flags)
  } catch (err) {
    if (err instanceof QueueNotConfiguredError) return undefined
    throw err
  }
  const { history, description } = queue
  if (!history)
    throw new InvalidFlagError('--tx-service-url/--queue-dir', `${description} cannot list its history`)
  // One page of the history, read and dropped: it proves the service answers (and knows the Safe) before
  // a replay that may take minutes. The whole history is read again, fresh, for the reconciliation.
  for await (const _ of history.call(queue, safe)) break
  return { history: history.bind(queue), description }
}
