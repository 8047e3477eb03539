import { Flags } from '@oclif/core'
import { AllianceCommand } from '../../src/cli/baseCommand.js'
import { decodeContext, openChain, openWorkspace } from '../../src/cli/context.js'
import { governorFlags, openGovernor } from '../../src/cli/governorInput.js'
import { InvalidFlagError } from '../../src/errors/input.js'
import { listProposals, type ProposalListEntry } from '../../src/governor/listProposals.js'
import { PROPOSAL_STATES } from '../../src/governor/types.js'
import { describeCalls, renderProposalList } from '../../src/render/governorView.js'

export type GovernorListResult = { governor: string; proposals: (ProposalListEntry & { calls: string[] })[] }

export default class GovernorList extends AllianceCommand {
  static override summary = 'Every proposal of the governor, from its events, with decoded calls.'
  static override description =
    `Reads ProposalCreated, ProposalQueued, ProposalExecuted and ProposalCanceled in block ranges, asks the governor for each proposal's state now, and decodes each call with the workspace's ABIs.`
  static override examples = [
    '<%= config.bin %> governor list',
    '<%= config.bin %> governor list --state Active --json',
    '<%= config.bin %> governor list --from-block 19000000',
  ]
  static override flags = {
    ...governorFlags,
    'from-block': Flags.integer({ summary: 'First block to read events from (default 0).', min: 0 }),
    'to-block': Flags.integer({ summary: 'Last block (default: the head).', min: 0 }),
    state: Flags.option({ options: PROPOSAL_STATES, summary: 'Only proposals in this state.' })(),
  }

  async run(): Promise<GovernorListResult> {
    const { flags } = await this.parse(GovernorList)
    if (
      flags['to-block'] !== undefined &&
      flags['from-block'] !== undefined &&
      flags['to-block'] < flags['from-block']
    )
      throw new InvalidFlagError('--to-block', 'must not be before --from-block')
    const workspace = openWorkspace(flags.workspace)
    const chain = await openChain(workspace, flags['rpc-url'])
    try {
      const { info } = await openGovernor(workspace, chain, flags.governor)
      const all = await listProposals(chain.provider, info.address, {
        logs: chain.logs,
        ...(flags['from-block'] !== undefined ? { fromBlock: flags['from-block'] } : {}),
        ...(flags['to-block'] !== undefined ? { toBlock: flags['to-block'] } : {}),
      })
      const proposals = flags.state ? all.filter((p) => p.state === flags.state) : all
      const decode = decodeContext(workspace)
      this.say(renderProposalList(proposals, workspace.book, decode, this.t))
      return {
        governor: info.address,
        proposals: proposals.map((p) => ({ ...p, calls: describeCalls(p, workspace.book, decode) })),
      }
    } finally {
      chain.close()
    }
  }
}
