import { parseActionFile } from '../actions/actionFile.js'
import type { ChainReads } from '../chain/safeReads.js'
import { buildSafePlan } from '../plan/buildSafePlan.js'
import type { SafePlan } from '../plan/types.js'
import type { Workspace } from '../workspace/loadWorkspace.js'
import { chunk, payoutActionFile } from './payoutActions.js'
import type { PayoutLine, PayoutSchedule } from './schedule.js'

/** What a batch's simulation said: enough to split on gas and to refuse a revert. */
export type BatchSimulation = { success: boolean; gasUsed: bigint; reason?: string }

/** One Safe transaction of a period's payouts. */
export type PayoutBatch = {
  plan: SafePlan
  lines: PayoutLine[]
  /** The generated action file (the plan's embedded source), under the name it is written as. */
  actionFile: { name: string; text: string }
  simulation?: BatchSimulation
}

export type BuildPayoutBatchesParameters = {
  schedule: PayoutSchedule
  period: string
  /** The due lines, in schedule order. */
  lines: readonly PayoutLine[]
  workspace: Workspace
  reads: ChainReads
  /** The nonce of the first transaction; the others follow it. */
  firstNonce: bigint
  /** Simulates one plan; without it nothing is simulated and no split on gas happens. */
  simulate?: (plan: SafePlan) => Promise<BatchSimulation>
  blockGasLimit: bigint
}

/**
 * Due lines → Safe transactions at consecutive nonces, split first by the schedule's call count, then
 * by simulated gas (a transaction over the limit is halved until it fits). The split is made in schedule
 * order, so the same due lines always give the same transactions.
 */
export async function buildPayoutBatches(p: BuildPayoutBatchesParameters): Promise<PayoutBatch[]> {
  const maxGas = p.schedule.maxGasPerTransaction ?? (p.blockGasLimit * 3n) / 4n
  const pending = chunk(p.lines, p.schedule.maxCallsPerTransaction)
  const batches: PayoutBatch[] = []
  while (pending.length) {
    const lines = pending.shift()!
    const nonce = p.firstNonce + BigInt(batches.length)
    const name = `${p.schedule.id}-${p.period}-${batches.length + 1}.yaml`
    const text = payoutActionFile(p.schedule, p.period, lines, batches.length)
    const file = parseActionFile(name, text, p.workspace)
    const plan = await buildSafePlan(file, p.reads, { nonce })
    const simulation = p.simulate ? await p.simulate(plan) : undefined
    if (simulation?.success && simulation.gasUsed > maxGas && lines.length > 1) {
      const half = Math.ceil(lines.length / 2)
      pending.unshift(lines.slice(0, half), lines.slice(half))
      continue
    }
    batches.push({ plan, lines, actionFile: { name, text }, ...(simulation ? { simulation } : {}) })
  }
  return batches
}
