import { stringify } from 'yaml'
import { parseActionFile } from '../actions/actionFile.js'
import type { ChainReads } from '../chain/safeReads.js'
import { SentProposalDiffersError } from '../errors/governor.js'
import { proposeCalldata } from '../governor/calls.js'
import { proposalTitle } from '../governor/listProposals.js'
import type { GovernorProposal } from '../governor/types.js'
import { sameAddress } from '../utils/address.js'
import type { Workspace } from '../workspace/loadWorkspace.js'
import { buildSafePlan } from './buildSafePlan.js'
import type { SafePlan } from './types.js'

export type ProposeThroughSafeParameters = {
  proposal: GovernorProposal
  /** The Safe that proposes (a name or address from the workspace). */
  safe: string
  /** The file name the generated action file is recorded under in the plan. */
  file: string
  workspace: Workspace
  reads: ChainReads
}

/**
 * A Governor proposal made by a Safe: the `propose` call becomes an ordinary action file (one `call`
 * action) and from it an ordinary plan, so the council reviews, signs and executes it like any other,
 * and `sign`/`execute` re-encode it from the embedded YAML. The plan's call must be byte for byte the
 * `propose` calldata of the proposal that was built and simulated.
 */
export async function proposeThroughSafe(
  p: ProposeThroughSafeParameters,
): Promise<{ plan: SafePlan; actionFileText: string }> {
  const { proposal } = p
  const text = stringify(
    {
      version: 1,
      safe: p.safe,
      route: 'safe',
      description: `Propose to the governor: ${proposalTitle(proposal.description)} (proposal ${proposal.proposalId})`,
      actions: [
        {
          kind: 'call',
          to: proposal.governor,
          function: 'propose',
          args: [
            proposal.targets,
            proposal.values.map((v) => v.toString()),
            proposal.calldatas,
            proposal.description,
          ],
        },
      ],
    },
    { lineWidth: 0 },
  )
  const file = parseActionFile(p.file, text, p.workspace)
  const plan = await buildSafePlan(file, p.reads)
  const [call] = file.actions.flatMap((a) => a.calls)
  if (!call || !sameAddress(call.to, proposal.governor) || call.data !== proposeCalldata(proposal))
    throw new SentProposalDiffersError({
      what: "the Safe plan's call is not the proposal's propose calldata",
    })
  return { plan, actionFileText: text }
}
