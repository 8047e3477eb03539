/**
 * One replay in its own process, for bench/history.ts: the pipeline the CLI runs (ranged logs with the
 * cache, verification, the report written as HTML), timed, with the process's peak RSS. Prints one JSON
 * line. Usage: historyReplay.ts WORKSPACE safe|governor CACHE_DIR REPORT.html
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
import { writeHistoryReport } from '../src/render/history/writeHistoryReport.js'
import { loadWorkspace } from '../src/workspace/loadWorkspace.js'

const [file, mode, cacheDir, reportPath] = process.argv.slice(2) as [
  string,
  'safe' | 'governor',
  string,
  string,
]
const workspace = loadWorkspace({ file })
const provider = await connect(workspace.config.chain.rpcUrl, BigInt(workspace.config.chain.chainId), {
  timeoutMs: 60_000,
})
const started = performance.now()
const chainId = BigInt(workspace.config.chain.chainId)
const range = await resolveHistoryRange(provider, {})
const logs = historyLogSource(provider, { chainId, cacheDir })
const decode = workspaceDecodeContext(workspace)
let items: number
let stats: Record<string, unknown>
if (mode === 'safe') {
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
  })
  writeHistoryReport(reportPath, report)
  items = report.summary.executions
  stats = { ...s, logs: logs.stats, findings: report.summary.findings }
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
