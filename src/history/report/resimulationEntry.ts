import type { ReportNamedAddress } from '../../report/schema.js'
import type { AddressBook } from '../../workspace/addressBook.js'
import type { ResimulationResult } from '../resimulate.js'
import { named } from './safeEntries.js'
import type { HistoryReportFinding, HistoryResimulation } from './schema.js'

/** One balance that moved in the block, on the chain or on the fork (decimal strings; `token` absent: native). */
export type ResimulationBalanceEntry = {
  holder: ReportNamedAddress
  token?: ReportNamedAddress
  before: string
  chain: string
  fork: string
}

/**
 * What `--resimulate` attaches to an execution of the report (`resimulation`): the verdict, what was
 * compared, and the differences as findings. Compact like the rest of the entry: counts of logs, not logs.
 */
export type ResimulationEntry = HistoryResimulation & {
  /** Nothing differs. */
  agreed: boolean
  /** The fork started from the end of this block (the execution's parent). */
  forkBlock: number
  outcome: { chain: 'succeeded' | 'reverted'; fork?: 'succeeded' | 'reverted' }
  /** Absent on the fork when the block could not be replayed (RESIMULATION_FAILED says why). */
  logs: { chain: number; fork?: number }
  /** Only the balances that changed on either side; unchanged ones compared equal and say nothing. */
  balances: ResimulationBalanceEntry[]
  findings: HistoryReportFinding[]
}

/** A re-simulation result in the report's words, names resolved through the address book. */
export function resimulationEntry(result: ResimulationResult, book: AddressBook): ResimulationEntry {
  const { execution } = result.target
  const word = (status: boolean): 'succeeded' | 'reverted' => (status ? 'succeeded' : 'reverted')
  return {
    agreed: result.agreed,
    forkBlock: execution.blockNumber - 1,
    outcome: {
      chain: word(result.chain.status),
      ...(result.fork ? { fork: word(result.fork.status) } : {}),
    },
    logs: { chain: result.chain.logs.length, ...(result.fork ? { fork: result.fork.logs.length } : {}) },
    balances: result.balances
      .filter((b) => b.chain !== b.before || b.fork !== b.before)
      .map((b) => ({
        holder: named(b.holder, book),
        ...(b.token ? { token: named(b.token, book) } : {}),
        before: b.before.toString(),
        chain: b.chain.toString(),
        fork: b.fork.toString(),
      })),
    findings: result.findings.map((f) => ({
      code: f.code,
      level: f.severity,
      message: f.message,
      transactionHash: execution.transactionHash,
    })),
  }
}
