import { AllianceCommand } from '../../src/cli/baseCommand.js'
import { openChain, openWorkspace } from '../../src/cli/context.js'
import { executorFlags } from '../../src/cli/flags.js'
import { openProposal, proposalIdArg, proposalLookupFlags } from '../../src/cli/governorInput.js'
import { type ExecuteProposalResult, executeProposal } from '../../src/execute/governor/execute.js'
import { renderSent } from '../../src/render/governorView.js'
import { resolveLocalSigner } from '../../src/signers/resolveSigner.js'

export default class GovernorExecute extends AllianceCommand {
  static override summary = 'Execute a queued proposal once its timelock eta has passed.'
  static override description =
    `The proposal's calls come from its ProposalCreated event and must hash to its id. Before its eta, or before it is queued, it is refused with the time left. The calls' ETH is paid from the timelock's balance; when that is short, the shortfall is sent as msg.value (the governor forwards it). The receipt must carry ProposalExecuted.`
  static override examples = ['ANY_KEY=0x… <%= config.bin %> governor execute 4242… --key-env ANY_KEY']
  static override args = { id: proposalIdArg }
  static override flags = {
    ...proposalLookupFlags,
    ...executorFlags,
  }

  async run(): Promise<ExecuteProposalResult> {
    const { args, flags } = await this.parse(GovernorExecute)
    const workspace = openWorkspace(flags.workspace)
    const signer = await resolveLocalSigner(flags)
    const chain = await openChain(workspace, flags['rpc-url'])
    try {
      const { info, onChain } = await openProposal(workspace, chain, flags, args.id)
      const result = await executeProposal({
        provider: chain.provider,
        signer,
        info,
        proposal: onChain.proposal,
      })
      this.say(renderSent(`executed ${result.proposalId}`, result, workspace.book, this.t))
      return result
    } finally {
      chain.close()
    }
  }
}
