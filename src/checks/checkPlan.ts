import type { ChainReads, SafeState } from '../chain/safeReads.js'
import type { DecodeContext } from '../decode/decodeCall.js'
import type { SafePlan } from '../plan/types.js'
import type { Workspace } from '../workspace/loadWorkspace.js'
import { checkContext } from './checkContext.js'
import { type CheckReport, runChecks } from './runChecks.js'
import type { CheckReads, SimulationEvidence } from './types.js'

/** Runs every risk check on a plan; with a chain, against the Safe as it is now. */
export async function checkPlan(
  plan: SafePlan,
  workspace: Workspace,
  decode: DecodeContext,
  /** `safe`, when the caller has just read it, saves reading it again. */
  chain?: { reads: ChainReads; checkReads: CheckReads; queuedNonces?: bigint[]; safe?: SafeState },
  simulation?: SimulationEvidence,
): Promise<CheckReport> {
  const safe = chain ? (chain.safe ?? (await chain.reads.readSafe(plan.safe.address))) : undefined
  return runChecks(
    checkContext(
      plan,
      workspace,
      decode,
      chain && safe
        ? {
            safe,
            reads: chain.checkReads,
            ...(chain.queuedNonces ? { queuedNonces: chain.queuedNonces } : {}),
          }
        : undefined,
      simulation,
    ),
  )
}
