/**
 * One replay in its own process, for bench/history.ts: the pipeline the CLI runs (ranged logs with the
 * cache, verification, the report written as HTML), timed, with the process's peak RSS. Prints one JSON
 * line. `resimulate` is `safe` followed by --resimulate's stage, which alone is timed (`ms`); the
 * verification before it reads the record cache a `safe` run left. Usage:
 * historyReplay.ts WORKSPACE safe|resimulate|governor CACHE_DIR REPORT.html
 */
import { join } from 'node:path'
import { connect } from '../src/chain/provider.js'
import { workspaceDecodeContext } from '../src/decode/workspaceDecodeContext.js'
import { governorOf } from '../src/governor/governorOf.js'
import { readGovernor } from '../src/governor/readGovernor.js'
import { governorHistoryReads } from '../src/history/governor/historyReads.js'
import { historyLogSource, resolveHistoryRange } from '../src/history/historyLogs.js'
import { openRecordCache } from '../src/history/recordCache.js'
import { replayGovernor } from '../src/history/replayGovernor.js'
import { replaySafe } from '../src/history/replaySafe.js'
import { resimulateHistory } from '../src/history/resimulateHistory.js'
import type { SafeExecution } from '../src/history/safe/types.js'
import { writeHistoryReport } from '../src/render/history/writeHistoryReport.js'
import { loadWorkspace } from '../src/workspace/loadWorkspace.js'

const [file, mode, cacheDir, reportPath] = process.argv.slice(2) as [
  string,
  'safe' | 'resimulate' | 'governor',
  string,
  string,
]
const workspace = loadWorkspace({ file })
let started = performance.now()
const provider = await connect(workspace.config.chain.rpcUrl, BigInt(workspace.config.chain.chainId), {
  timeoutMs: 60_000,
})
const chainId = BigInt(workspace.config.chain.chainId)
const range = await resolveHistoryRange(provider, {})
const logs = historyLogSource(provider, { chainId, cacheDir })
const decode = workspaceDecodeContext(workspace)
let items: number
let stats: Record<string, unknown>
if (mode === 'safe' || mode === 'resimulate') {
  const executions: SafeExecution[] = []
  const { report, stats: s } = await replaySafe({
    chain: provider,
    chainId,
    safe: workspace.config.safes.council!.address,
    ...range,
    logs,
    decode,
    book: workspace.book,
    workspace,
    records: openRecordCache(join(cacheDir, 'replay')),
    onRecord: (record) => executions.push(record.execution),
  })
  stats = { ...s, logs: logs.stats }
  if (mode === 'resimulate') {
    started = performance.now()
    const { agreed, steps } = await resimulateHistory({
      rpcUrl: workspace.config.chain.rpcUrl,
      chainId,
      report,
      safe: workspace.config.safes.council!.address,
      executions,
      book: workspace.book,
    })
    if (agreed !== executions.length)
      throw new Error(`${executions.length - agreed} executions did not agree`)
    stats = { agreed, steps }
  }
  writeHistoryReport(reportPath, report)
  items = report.summary.executions
  stats.findings = report.summary.findings
} else {
  const info = await readGovernor(provider, governorOf(workspace).governor.address)
  const { report } = await replayGovernor({
    governor: info,
    chainId,
    ...range,
    logs,
    reads: governorHistoryReads(provider),
    decode,
    book: workspace.book,
  })
  writeHistoryReport(reportPath, report)
  items = report.summary.proposals
  stats = { logs: logs.stats, findings: report.summary.findings }
}
const ms = performance.now() - started
provider.destroy()
// maxRSS is in kilobytes.
console.log(JSON.stringify({ ms, items, maxRssMB: process.resourceUsage().maxRSS / 1024, stats }))
