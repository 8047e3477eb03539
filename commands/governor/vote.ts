import { Args, Flags } from '@oclif/core'
import { AllianceCommand } from '../../src/cli/baseCommand.js'
import { openChain, openWorkspace } from '../../src/cli/context.js'
import { executorFlags } from '../../src/cli/flags.js'
import { governorFlags, openGovernor, parseProposalId, proposalIdArg } from '../../src/cli/governorInput.js'
import { type CastVoteResult, castVote } from '../../src/execute/governor/vote.js'
import { VOTE_SUPPORT, type VoteSupport } from '../../src/governor/calls.js'
import { renderSent } from '../../src/render/governorView.js'
import { resolveLocalSigner } from '../../src/signers/resolveSigner.js'

export default class GovernorVote extends AllianceCommand {
  static override summary = 'Vote for, against or abstain on an Active proposal.'
  static override description =
    `Checks first that the proposal is Active, that this account has not voted and that it had votes at the proposal's snapshot; otherwise says why not and sends nothing. The weight counted is read back from the VoteCast event. With --reason the reason is recorded on chain (castVoteWithReason).`
  static override examples = [
    'VOTER_KEY=0x… <%= config.bin %> governor vote 4242… for --key-env VOTER_KEY',
    '<%= config.bin %> governor vote 4242… against --reason "Budget too high" --key-env VOTER_KEY --json',
  ]
  static override args = {
    id: proposalIdArg,
    support: Args.string({
      description: 'for, against or abstain',
      required: true,
      options: Object.keys(VOTE_SUPPORT),
    }),
  }
  static override flags = {
    ...governorFlags,
    reason: Flags.string({ summary: 'A reason, recorded on chain with the vote.' }),
    ...executorFlags,
  }

  async run(): Promise<CastVoteResult> {
    const { args, flags } = await this.parse(GovernorVote)
    const id = parseProposalId(args.id)
    const workspace = openWorkspace(flags.workspace)
    const signer = await resolveLocalSigner(flags)
    const chain = await openChain(workspace, flags['rpc-url'])
    try {
      const { info } = await openGovernor(workspace, chain, flags.governor)
      const result = await castVote({
        provider: chain.provider,
        signer,
        info,
        id,
        support: args.support as VoteSupport,
        ...(flags.reason !== undefined ? { reason: flags.reason } : {}),
      })
      this.say(
        renderSent(
          `voted ${result.support} on ${id} with weight ${result.weight}`,
          result,
          workspace.book,
          this.t,
        ),
      )
      return result
    } finally {
      chain.close()
    }
  }
}
