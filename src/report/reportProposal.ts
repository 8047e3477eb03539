import type { AllianceProvider } from '../chain/provider.js'
import { checkProposal } from '../checks/checkProposal.js'
import type { CheckReads } from '../checks/types.js'
import type { DecodeContext } from '../decode/decodeCall.js'
import type { GovernorProposal } from '../governor/types.js'
import type { Address } from '../safe/types.js'
import type { ForkRequest } from '../simulate/environment.js'
import { type GovernorSimulation, simulateProposal } from '../simulate/governor/simulateProposal.js'
import type { Workspace } from '../workspace/loadWorkspace.js'
import { buildGovernorReport } from './buildGovernorReport.js'
import type { SimulationReport } from './schema.js'

export type ReportProposalParameters = {
  proposal: GovernorProposal
  workspace: Workspace
  decode: DecodeContext
  chain: { provider: AllianceProvider; checkReads: CheckReads }
  fork?: ForkRequest
  existing?: { proposer: Address }
  file?: string
}

/** Run a proposal's whole lifecycle on a fork, check what it did, and build the report. */
export async function reportProposal(
  p: ReportProposalParameters,
): Promise<{ report: SimulationReport; simulation: GovernorSimulation }> {
  const simulation = await simulateProposal({
    proposal: p.proposal,
    provider: p.chain.provider,
    chainId: BigInt(p.workspace.config.chain.chainId),
    book: p.workspace.book,
    abiFor: p.decode.abiFor,
    ...(p.fork ? { fork: p.fork } : {}),
    ...(p.existing ? { existing: p.existing } : {}),
  })
  const checks = await checkProposal(p.proposal, p.workspace, p.decode, p.chain.checkReads, {
    ...(simulation.capture?.trace ? { trace: simulation.capture.trace } : {}),
    ...(simulation.stateDiff ? { stateDiff: simulation.stateDiff } : {}),
    balanceChanges: simulation.balanceChanges,
  })
  const report = buildGovernorReport({
    proposal: p.proposal,
    simulation,
    checks,
    book: p.workspace.book,
    decode: p.decode,
    ...(p.file ? { file: p.file } : {}),
  })
  return { report, simulation }
}
