import { join } from 'node:path'
import { Flags } from '@oclif/core'
import type { RangedLogSourceStats } from '../../src/chain/rangedLogSource.js'
import { AllianceCommand } from '../../src/cli/baseCommand.js'
import { decodeContext, openChain, openWorkspace } from '../../src/cli/context.js'
import { openGovernor } from '../../src/cli/governorInput.js'
import { HistoryFindingsError } from '../../src/errors/history.js'
import { InvalidFlagError } from '../../src/errors/input.js'
import { governorHistoryReads } from '../../src/history/governor/historyReads.js'
import { historyLogSource, resolveHistoryRange } from '../../src/history/historyLogs.js'
import { openRecordCache } from '../../src/history/recordCache.js'
import { replayGovernor } from '../../src/history/replayGovernor.js'
import { type ReplaySafeStats, replaySafe } from '../../src/history/replaySafe.js'
import type { HistoryReport } from '../../src/history/report/schema.js'
import { checkHistoryReportPath, writeHistoryReport } from '../../src/render/history/writeHistoryReport.js'
import { renderHistoryTerminal } from '../../src/render/historyView.js'

/** What `history replay --json` prints as `data`: the report, and what the run fetched and reused. */
export type HistoryReplayResult = {
  report: HistoryReport
  stats: { logs: RangedLogSourceStats; records?: ReplaySafeStats; cacheDir?: string }
}

const FAIL_ON = ['error', 'warning'] as const

export default class HistoryReplay extends AllianceCommand {
  static override summary =
    "Replay a Safe's or a Governor's whole history from the chain: re-decoded, re-hashed, re-verified."
  static override description =
    `A Safe: every execution is found from its ExecutionSuccess/ExecutionFailure logs; its execTransaction is recovered from the transaction (or from its call trace when another contract, such as a nested Safe, called the Safe); the safeTxHash is recomputed with the Safe's version at that block and compared with the logged hash and the Safe's own getTransactionHash; every signature is recovered (EIP-712, eth_sign, approved hash, EIP-1271 contract signatures asked of the owner contract) and checked against the owners and threshold at that block; the batch is decoded into alliance actions. Owner, threshold, module and guard changes are listed over time.

A Governor: every proposal's creation, votes, queue, execution or cancellation and timelock operation; the proposal id and operation id recomputed; votes summed against the governor's tally; timelock operations that did not go through the governor flagged.

Logs are fetched in ranges and kept in a cache (default <workspace>/.alliance/cache), as is every verified Safe execution, so a re-run or an interrupted run fetches nothing twice. The end block is pinned when the run starts.

Exit codes: 0 when no finding reaches --fail-on (default: error); 1 when one does (a hash or signature that does not hold, an id that does not match, a bypass of the governor), or when the replay itself fails. With --fail-on warning a failed execution or an untrusted delegatecall also exits 1.`
  static override examples = [
    '<%= config.bin %> history replay --safe council',
    '<%= config.bin %> history replay --safe council --from-block 19000000 --report council-history.html',
    '<%= config.bin %> history replay --safe 0x5aFE…0001 --to-block 20000000 --json > history.json',
    '<%= config.bin %> history replay --governor governor --report governor-history.md',
    '<%= config.bin %> history replay --safe council --fail-on warning --no-cache',
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
    for (const path of flags.report ?? []) checkHistoryReportPath(path)

    const workspace = openWorkspace(flags.workspace)
    const safeRef = flags.safe !== undefined ? workspace.book.resolveSafe(flags.safe) : undefined
    if (safeRef && !safeRef.ok) throw new InvalidFlagError('--safe', safeRef.reason)
    const cacheDir = flags['no-cache']
      ? undefined
      : (flags['cache-dir'] ?? join(workspace.dir, '.alliance', 'cache'))

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
        onProgress: (p) => progress.show(`logs: ${p.doneBlocks}/${p.totalBlocks} blocks`),
      })
      const decode = decodeContext(workspace)
      let result: HistoryReplayResult
      if (safeRef?.ok) {
        const { report, stats } = await replaySafe({
          chain: chain.provider,
          chainId,
          safe: safeRef.value.address,
          ...range,
          logs,
          decode,
          book: workspace.book,
          workspace,
          ...(cacheDir !== undefined ? { records: openRecordCache(join(cacheDir, 'replay')) } : {}),
          onProgress: (p) =>
            progress.show(`executions: ${p.done}/${p.total} verified (${p.fromCache} from the cache)`),
        })
        result = { report, stats: { logs: { ...logs.stats }, records: stats } }
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
      this.say(renderHistoryTerminal(result.report, this.t))
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

/** One line on stderr, rewritten in place at most ten times a second; nothing unless a person is watching. */
class ProgressLine {
  #last = 0
  #shown = false
  constructor(readonly enabled: boolean) {}
  show(text: string) {
    if (!this.enabled) return
    const now = Date.now()
    if (now - this.#last < 100) return
    this.#last = now
    this.#shown = true
    process.stderr.write(`\r\u001b[2K${text}`)
  }
  clear() {
    if (this.#shown) process.stderr.write('\r\u001b[2K')
    this.#shown = false
  }
}
