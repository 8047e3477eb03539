import { AllianceCommand } from '../../src/cli/baseCommand.js'
import { openChain, openWorkspace } from '../../src/cli/context.js'
import { executorFlags } from '../../src/cli/flags.js'
import { openProposal, proposalIdArg, proposalLookupFlags } from '../../src/cli/governorInput.js'
import { type QueueProposalResult, queueProposal } from '../../src/execute/governor/queue.js'
import { renderSent } from '../../src/render/governorView.js'
import { resolveLocalSigner } from '../../src/signers/resolveSigner.js'

export default class GovernorQueue extends AllianceCommand {
  static override summary = 'Queue a Succeeded proposal in the timelock.'
  static override description =
    `The proposal's targets, values and calldatas come from its ProposalCreated event and must hash to its id. The timelock operation id is computed locally and checked against the timelock's hashOperationBatch before sending; afterwards the timelock must have scheduled that operation for the eta the governor logged. A proposal that is not Succeeded (still voting, defeated, already queued) is refused with the reason.`
  static override examples = ['ANY_KEY=0x… <%= config.bin %> governor queue 4242… --key-env ANY_KEY']
  static override args = { id: proposalIdArg }
  static override flags = {
    ...proposalLookupFlags,
    ...executorFlags,
  }

  async run(): Promise<QueueProposalResult> {
    const { args, flags } = await this.parse(GovernorQueue)
    const workspace = openWorkspace(flags.workspace)
    const signer = await resolveLocalSigner(flags)
    const chain = await openChain(workspace, flags['rpc-url'])
    try {
      const { info, onChain } = await openProposal(workspace, chain, flags, args.id)
      const result = await queueProposal({
        provider: chain.provider,
        signer,
        info,
        proposal: onChain.proposal,
      })
      const eta = new Date(Number(result.eta) * 1000).toISOString()
      this.say(
        renderSent(`queued ${result.proposalId}; executable from ${eta}`, result, workspace.book, this.t),
      )
      if (result.timelockOperationId) this.say(`  timelock operation ${result.timelockOperationId}`)
      return result
    } finally {
      chain.close()
    }
  }
}
