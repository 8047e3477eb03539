import type { Address } from '../safe/types.js'
import type { AddressBook } from '../workspace/addressBook.js'
import { attachResimulations } from './report/attach.js'
import { type ResimulationEntry, resimulationEntry } from './report/resimulationEntry.js'
import type { SafeHistoryReport } from './report/schema.js'
import { type ForkStep, type ResimulateExecutionsParameters, resimulateExecutions } from './resimulate.js'
import type { SafeExecution } from './safe/types.js'

export type ResimulateHistoryParameters = Pick<
  ResimulateExecutionsParameters,
  'rpcUrl' | 'chainId' | 'resetEveryBlock' | 'forks' | 'onProgress'
> & {
  /** The replayed report; each execution gets its `resimulation` and the summary counts the findings. */
  report: SafeHistoryReport
  safe: Address
  /** The executions to re-simulate (from `replaySafe`'s `onRecord`), in any order. */
  executions: readonly SafeExecution[]
  book: AddressBook
}

export type ResimulateHistoryReturnType = {
  resimulated: number
  agreed: number
  /** Blocks replayed, by how their fork came to the parent block (reset: a fresh fork state). */
  steps: Record<ForkStep, number>
}

/**
 * `history replay --resimulate`: every execution re-executed at its block on a fork and compared with the
 * chain, each result attached to its report entry. Results are made compact as they stream (no logs kept),
 * so memory grows with the report, not with what the fork returned.
 */
export async function resimulateHistory(
  p: ResimulateHistoryParameters,
): Promise<ResimulateHistoryReturnType> {
  const entries = new Map(p.report.executions.map((e) => [key(e), e]))
  // In any order: resimulateExecutions sorts them into block order itself.
  const targets = p.executions.map((execution) => ({
    safe: p.safe,
    execution,
    // A native payment's recipient is not in any Transfer log: watched so its balance is compared too.
    watch: (entries.get(key(execution))?.actions ?? [])
      .filter((a) => a.valueWei !== '0')
      .map((a) => a.target.address as Address),
  }))
  const results: { at: SafeExecution; resimulation: ResimulationEntry }[] = []
  const steps: Record<ForkStep, number> = { started: 0, continued: 0, bridged: 0, reset: 0 }
  for await (const result of resimulateExecutions({
    rpcUrl: p.rpcUrl,
    chainId: p.chainId,
    targets,
    ...(p.resetEveryBlock !== undefined ? { resetEveryBlock: p.resetEveryBlock } : {}),
    ...(p.forks !== undefined ? { forks: p.forks } : {}),
    onProgress: (progress) => {
      steps[progress.reached]++
      p.onProgress?.(progress)
    },
  }))
    results.push({ at: result.target.execution, resimulation: resimulationEntry(result, p.book) })
  const resimulated = attachResimulations(p.report, results)
  return { resimulated, agreed: results.filter((r) => r.resimulation.agreed).length, steps }
}

const key = (e: { transactionHash: string; logIndex: number }) =>
  `${e.transactionHash.toLowerCase()}#${e.logIndex}`
