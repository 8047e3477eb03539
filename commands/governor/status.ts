import { AllianceCommand } from '../../src/cli/baseCommand.js'
import { decodeContext, openChain, openWorkspace } from '../../src/cli/context.js'
import { openProposal, proposalIdArg, proposalLookupFlags } from '../../src/cli/governorInput.js'
import { type ProposalStatus, proposalStatus } from '../../src/governor/proposalStatus.js'
import { renderStatus } from '../../src/render/governorView.js'

export default class GovernorStatus extends AllianceCommand {
  static override summary = 'Where a proposal stands: state, votes against quorum, deadlines, eta, its calls.'
  static override description =
    `Reads the proposal at one block: state, for/against/abstain votes and the quorum at its snapshot, when voting opens and closes (in the governor's clock units and in wall-clock time: block times are measured from the chain for future blocks, and marked as estimates), the timelock eta and the timelock's own state of the operation (unset, waiting, ready, done). The proposal is rebuilt from its ProposalCreated event and must hash to its id; its calls are decoded with the workspace's ABIs.`
  static override examples = [
    '<%= config.bin %> governor status 4242…',
    '<%= config.bin %> governor status 0x5faa…f8cc --json',
  ]
  static override args = { id: proposalIdArg }
  static override flags = { ...proposalLookupFlags }

  async run(): Promise<ProposalStatus> {
    const { args, flags } = await this.parse(GovernorStatus)
    const workspace = openWorkspace(flags.workspace)
    const chain = await openChain(workspace, flags['rpc-url'])
    try {
      const { info, onChain } = await openProposal(workspace, chain, flags, args.id)
      const status = await proposalStatus(chain.provider, info, onChain)
      const token = workspace.book.byAddress(info.token)
      const decimals = token?.kind === 'token' ? token.decimals : 18
      this.say(renderStatus(status, workspace.book, decodeContext(workspace), this.t, decimals))
      return status
    } finally {
      chain.close()
    }
  }
}
