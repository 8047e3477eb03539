import { Args, Flags, ux } from '@oclif/core'
import { ROUTES } from '../src/actions/actionFile.js'
import { failsPolicy } from '../src/checks/runChecks.js'
import { AllianceCommand } from '../src/cli/baseCommand.js'
import { decodeContext, openChain, openWorkspace } from '../src/cli/context.js'
import { failOnFlag } from '../src/cli/flags.js'
import { simulationSubject } from '../src/cli/simulationInput.js'
import { ChecksFailedError, InvalidFlagError } from '../src/errors/input.js'
import { SimulationFailedError } from '../src/errors/simulate.js'
import { renderReportTerminal } from '../src/render/report/terminal.js'
import { checkReportPath, writeReportFile } from '../src/render/report/writeReportFile.js'
import { reportProposal } from '../src/report/reportProposal.js'
import { reportSafePlan } from '../src/report/reportSafePlan.js'
import type { SimulationReport } from '../src/report/schema.js'

export default class Simulate extends AllianceCommand {
  static override summary = 'Simulate a Safe plan or a Governor proposal on a local EVM, before anyone signs.'
  static override description =
    `A Safe plan runs through the Safe's real execTransaction: owners who have not signed are stood in for by approved-hash storage, so the threshold, nonce, guard and every call run through the Safe's own code. By default nothing is started: the node traces the call with state overrides (debug_traceCall, or eth_simulateV1 where it cannot trace). With --mode fork or --fork-url, a throwaway anvil fork executes the real transaction.

A Governor proposal (an action file with route: governor, or --route governor, or an existing --proposal-id) runs its whole lifecycle on an anvil fork: propose, vote, queue, wait the timelock, execute, moving time the way the governor's CLOCK_MODE counts.

The report starts with the verdict and what matters (the failing call, critical state changes, warnings), then the calls, balance changes, the storage diff decoded to variable names, events and the call trace. --report writes it as Markdown or one self-contained HTML file. Exits 1 when the transaction or proposal would fail, or when --fail-on is met.`
  static override examples = [
    '<%= config.bin %> simulate actions/november.yaml',
    '<%= config.bin %> simulate actions/november.plan.json --report november.html',
    '<%= config.bin %> simulate actions/november.yaml --fork-url https://rpc.example.org --fork-block 21000000',
    '<%= config.bin %> simulate actions/voting-period.yaml --route governor --report proposal.md',
    '<%= config.bin %> simulate --proposal-id 4242… --json',
    '<%= config.bin %> simulate actions/payouts.yaml --fail-on warning --json > report.json',
  ]
  static override args = {
    input: Args.file({ description: 'Plan bundle or action file', exists: true }),
  }
  static override flags = {
    'proposal-id': Flags.string({
      summary: 'Simulate a proposal already on chain, from its current state (decimal or 0x id).',
      exclusive: ['input', 'route'],
    }),
    route: Flags.option({ options: ROUTES, summary: "Override the action file's route." })(),
    governor: Flags.string({ summary: 'The governor by name or address (default: the workspace has one).' }),
    'from-block': Flags.integer({
      summary: 'Look for ProposalCreated from this block (with --proposal-id).',
      min: 0,
    }),
    mode: Flags.option({
      options: ['fast', 'fork'] as const,
      summary:
        'fast: trace with state overrides on the node, nothing started; fork: real transactions on an anvil fork. Governor proposals always use a fork.',
      default: 'fast',
    })(),
    'fork-url': Flags.string({
      summary: 'Fork this chain instead of the workspace RPC (implies --mode fork).',
    }),
    'fork-block': Flags.string({ summary: 'Pin the fork to this block number (implies --mode fork).' }),
    report: Flags.string({
      summary: 'Also write the report to FILE (.md, .html or .json); repeatable.',
      multiple: true,
    }),
    'fail-on': failOnFlag,
  }

  async run(): Promise<SimulationReport> {
    const { args, flags } = await this.parse(Simulate)
    if (!args.input && flags['proposal-id'] === undefined) {
      throw new InvalidFlagError('INPUT', 'give a plan or action file, or --proposal-id')
    }
    if (flags['proposal-id'] !== undefined && !/^(\d+|0x[0-9a-fA-F]+)$/.test(flags['proposal-id'])) {
      throw new InvalidFlagError('--proposal-id', 'expected a decimal or 0x-hex proposal id')
    }
    if (flags['fork-block'] !== undefined && !/^\d+$/.test(flags['fork-block'])) {
      throw new InvalidFlagError('--fork-block', 'expected a block number')
    }
    for (const path of flags.report ?? []) checkReportPath(path)

    const workspace = openWorkspace(flags.workspace)
    const chain = await openChain(workspace, flags['rpc-url'])
    const fork =
      flags['fork-url'] !== undefined || flags['fork-block'] !== undefined
        ? {
            ...(flags['fork-url'] ? { url: flags['fork-url'] } : {}),
            ...(flags['fork-block'] ? { block: BigInt(flags['fork-block']) } : {}),
          }
        : undefined
    try {
      const subject = await simulationSubject(
        {
          ...(args.input ? { path: args.input } : {}),
          ...(flags['proposal-id'] ? { proposalId: flags['proposal-id'] } : {}),
          ...(flags.route ? { route: flags.route } : {}),
          ...(flags.governor ? { governor: flags.governor } : {}),
          ...(flags['from-block'] !== undefined ? { fromBlock: flags['from-block'] } : {}),
        },
        workspace,
        chain,
      )
      const decode = decodeContext(workspace)
      const progress = !this.jsonEnabled()
      if (progress) {
        ux.action.start(
          subject.kind === 'governor'
            ? 'Running the proposal through propose, vote, queue and execute on an anvil fork'
            : `Simulating the Safe transaction${fork || flags.mode === 'fork' ? ' on an anvil fork' : ''}`,
        )
      }
      const { report } = await (subject.kind === 'safe'
        ? reportSafePlan({
            plan: subject.plan,
            workspace,
            decode,
            chain,
            mode: flags.mode,
            ...(fork ? { fork } : {}),
          })
        : reportProposal({
            proposal: subject.proposal,
            workspace,
            decode,
            chain,
            ...(fork ? { fork } : {}),
            ...(subject.existing ? { existing: subject.existing } : {}),
            ...(subject.file ? { file: subject.file } : {}),
          })
      ).catch((err) => {
        if (progress) ux.action.stop(this.t.red('failed'))
        throw err
      })
      if (progress) ux.action.stop('done')

      for (const path of flags.report ?? []) writeReportFile(path, report)
      this.say(renderReportTerminal(report, this.t))
      for (const path of flags.report ?? []) this.say(this.t.dim(`report written to ${path}`))
      if (!report.execution.success) {
        return this.failWith(report, new SimulationFailedError(report.execution.failure?.reason))
      }
      if (failsPolicy(report.checks, flags['fail-on'])) {
        return this.failWith(report, new ChecksFailedError(report.checks.verdict, flags['fail-on']!))
      }
      return report
    } finally {
      chain.close()
    }
  }
}
