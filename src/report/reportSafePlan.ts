import type { AllianceProvider } from '../chain/provider.js'
import type { ChainReads } from '../chain/safeReads.js'
import { checkPlan } from '../checks/checkPlan.js'
import type { CheckReport } from '../checks/runChecks.js'
import type { CheckReads } from '../checks/types.js'
import type { DecodeContext } from '../decode/decodeCall.js'
import type { SafePlan } from '../plan/types.js'
import type { ForkRequest } from '../simulate/environment.js'
import { type SafeSimulation, simulateSafePlan } from '../simulate/simulateSafePlan.js'
import type { Workspace } from '../workspace/loadWorkspace.js'
import { buildSafeReport } from './buildSafeReport.js'
import type { SimulationReport } from './schema.js'

export type ReportSafePlanParameters = {
  plan: SafePlan
  workspace: Workspace
  decode: DecodeContext
  chain: { provider: AllianceProvider; reads: ChainReads; checkReads: CheckReads; queuedNonces?: bigint[] }
  mode?: 'fast' | 'fork'
  fork?: ForkRequest
}

/** Simulate a Safe plan, run every check with what the simulation saw, and build the report. */
export async function reportSafePlan(
  p: ReportSafePlanParameters,
): Promise<{ report: SimulationReport; simulation: SafeSimulation; checks: CheckReport }> {
  const simulation = await simulateSafePlan({
    plan: p.plan,
    provider: p.chain.provider,
    reads: p.chain.reads,
    book: p.workspace.book,
    abiFor: p.decode.abiFor,
    ...(p.mode ? { mode: p.mode } : {}),
    ...(p.fork ? { fork: p.fork } : {}),
  })
  // In fast mode the simulation read the Safe as it is now: the checks need not read it again.
  const fast = simulation.environment.mode !== 'fork'
  const chain = fast ? { ...p.chain, safe: simulation.safe } : p.chain
  const checks = await checkPlan(p.plan, p.workspace, p.decode, chain, {
    ...(simulation.capture.trace ? { trace: simulation.capture.trace } : {}),
    ...(simulation.stateDiff ? { stateDiff: simulation.stateDiff } : {}),
    balanceChanges: simulation.balanceChanges,
  })
  const report = buildSafeReport({
    plan: p.plan,
    simulation,
    checks,
    book: p.workspace.book,
    decode: p.decode,
  })
  return { report, simulation, checks }
}
