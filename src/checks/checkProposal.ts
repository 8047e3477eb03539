import type { DecodeContext, DecodedCall } from '../decode/decodeCall.js'
import { decodeCall } from '../decode/decodeCall.js'
import type { GovernorProposal } from '../governor/types.js'
import { safeTxFor } from '../safe/safeTxFor.js'
import type { Workspace } from '../workspace/loadWorkspace.js'
import { type CheckReport, runChecks } from './runChecks.js'
import type { CheckReads, SimulationEvidence } from './types.js'

/**
 * Runs the risk checks that make sense for a Governor proposal: its calls are made by the timelock
 * (or the governor without one), which stands where the Safe stands for a Safe transaction. The
 * Safe-only checks (operation, refunds, nonce, the Safe's version) report themselves skipped.
 */
export async function checkProposal(
  proposal: GovernorProposal,
  workspace: Workspace,
  decode: DecodeContext,
  reads?: CheckReads,
  simulation?: SimulationEvidence,
): Promise<CheckReport> {
  const executor = proposal.timelock ?? proposal.governor
  const calls: DecodedCall[] = proposal.targets.map((to, i) =>
    decodeCall({ to, value: proposal.values[i]!, data: proposal.calldatas[i]!, operation: 0 }, decode),
  )
  const outer: DecodedCall = {
    to: proposal.governor,
    value: 0n,
    operation: 0,
    data: '0x',
    inner: calls,
  }
  return runChecks({
    route: 'governor',
    safe: { address: executor, version: '' },
    // No Safe transaction exists; the Safe-only checks that would read it are skipped.
    safeTx: safeTxFor({ to: proposal.governor, value: 0n, data: '0x', operation: 0 }, 0n),
    decoded: outer,
    calls,
    book: workspace.book,
    policy: workspace.config.policy,
    ...(reads ? { reads } : {}),
    ...(simulation ? { simulation } : {}),
  })
}
