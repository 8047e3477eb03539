import type { ChainReads } from '../chain/safeReads.js'
import type { ProposalQueue, QueuedTransaction } from '../queue/types.js'
import type { Address } from '../safe/types.js'
import { type ReconcileRecord, reconcileServiceWithChain, type ServiceFinding } from './reconcileService.js'
import { attachReconciliation } from './report/attach.js'
import type { HistoryReconciliation, HistoryReportFinding, SafeHistoryReport } from './report/schema.js'
import { type SafeHistoryChain, safeReadAbi } from './safe/safeStateAt.js'

export type ReconcileHistoryParameters = {
  /** The replayed report: gets the `reconciliation` section, the summary counts its findings. */
  report: SafeHistoryReport
  queue: Pick<Required<ProposalQueue>, 'history' | 'description'>
  reads: Pick<ChainReads, 'chainId' | 'readSafe'>
  /** Reads the Safe's nonce at the range's ends. */
  chain: Pick<SafeHistoryChain, 'call'>
  safe: Address
  /** The range's verified executions (`replaySafe`'s `onRecord`, slimmed by `reconcileRecord`). */
  records: readonly ReconcileRecord[]
  fromBlock: number
  toBlock: number
}

/**
 * What the report shows of a reconciliation: the queue it asked, the nonces compared (a record outside
 * them is not judged: its execution was not replayed), how much each side held, and the findings.
 */
export type ReconciliationSection = HistoryReconciliation & {
  service: string
  /** `from` inclusive, `to` exclusive. */
  nonces: { from: string; to: string }
  /** Records the queue holds for the Safe, at any nonce. */
  queued: number
  /** Executions of the range compared with them. */
  executions: number
  findings: HistoryReportFinding[]
}

/**
 * `history replay` with a Transaction Service or queue directory configured: the queue's whole history
 * for the Safe compared with the replayed executions (reconcileServiceWithChain), over the nonces the
 * range covers, the Safe's nonce before its first block and after its last.
 */
export async function reconcileHistory(p: ReconcileHistoryParameters): Promise<ReconciliationSection> {
  const [from, to] = await Promise.all([
    nonceAt(p.chain, p.safe, p.fromBlock - 1),
    nonceAt(p.chain, p.safe, p.toBlock),
  ])
  let queued = 0
  const counted = {
    async *history(safe: Address): AsyncIterable<QueuedTransaction> {
      for await (const t of p.queue.history(safe)) {
        queued++
        yield t
      }
    },
  }
  const findings = await reconcileServiceWithChain({
    queue: counted,
    reads: p.reads,
    safe: p.safe,
    records: p.records,
    nonces: { from, to },
  })
  const section: ReconciliationSection = {
    service: p.queue.description,
    nonces: { from: from.toString(), to: to.toString() },
    queued,
    executions: p.records.length,
    findings: findings.map(reportFinding),
  }
  attachReconciliation(p.report, section)
  return section
}

/** The record a finding is about leads its message: the service's own words rarely name it. */
const reportFinding = (f: ServiceFinding): HistoryReportFinding => ({
  code: f.code,
  level: f.level,
  message: `${f.nonce !== undefined ? `nonce ${f.nonce}, ` : ''}safeTxHash ${f.safeTxHash}: ${f.message}`,
})

/** The Safe's nonce at the end of `block`; 0 before block 0 or before the Safe was deployed. */
async function nonceAt(chain: Pick<SafeHistoryChain, 'call'>, safe: Address, block: number): Promise<bigint> {
  if (block < 0) return 0n
  const out = await chain.call({ to: safe, data: safeReadAbi.encodeFunctionData('nonce'), blockTag: block })
  return out === '0x' ? 0n : (safeReadAbi.decodeFunctionResult('nonce', out)[0] as bigint)
}
