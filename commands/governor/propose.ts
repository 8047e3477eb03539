import { basename, dirname, join } from 'node:path'
import { Args, Flags, ux } from '@oclif/core'
import { keccak256 } from 'ethers'
import { loadActionFile } from '../../src/actions/actionFile.js'
import { AllianceCommand } from '../../src/cli/baseCommand.js'
import { decodeContext, openChain, openWorkspace } from '../../src/cli/context.js'
import { executorFlags } from '../../src/cli/flags.js'
import { governorFlags, openGovernor } from '../../src/cli/governorInput.js'
import { ProposeRefusedError, SentProposalDiffersError } from '../../src/errors/governor.js'
import { InvalidFlagError } from '../../src/errors/input.js'
import {
  checkCanPropose,
  checkIdsAgainstChain,
  type ProposeResult,
  proposeProposal,
} from '../../src/execute/governor/propose.js'
import { buildGovernorProposal } from '../../src/governor/buildProposal.js'
import { proposeCalldata } from '../../src/governor/calls.js'
import { writePlanFile } from '../../src/plan/planFile.js'
import { proposeThroughSafe } from '../../src/plan/proposeThroughSafe.js'
import { renderProposal, renderSent } from '../../src/render/governorView.js'
import { renderReportTerminal } from '../../src/render/report/terminal.js'
import { checkReportPath, writeReportFile } from '../../src/render/report/writeReportFile.js'
import { type ReportProposalParameters, reportProposal } from '../../src/report/reportProposal.js'
import type { SimulationReport } from '../../src/report/schema.js'
import type { Address, Hex } from '../../src/safe/types.js'
import { resolveLocalSigner } from '../../src/signers/resolveSigner.js'
import { writeFileAtomic } from '../../src/utils/atomicWrite.js'

export type GovernorProposeResult = {
  governor: Address
  proposalId: string
  descriptionHash: Hex
  timelockOperationId?: Hex
  /** keccak256 of the propose calldata: the same for the simulated and the sent proposal. */
  proposeCalldataHash: Hex
  simulation?: { success: boolean; verdict: string; identicalToSent?: boolean }
  /** Proposed from an EOA. */
  transaction?: ProposeResult
  /** Proposed by a Safe: the plan for the council to sign and execute. */
  plan?: { file: string; safe: Address; safeTxHash: Hex; actionFile: string }
}

export default class GovernorPropose extends AllianceCommand {
  static override summary = 'Propose an action file to the Governor, after simulating its whole lifecycle.'
  static override description =
    `The action file's calls become the proposal's targets, values and calldatas; its description (Markdown allowed) is hashed byte for byte. alliance computes the description hash, the proposal id and the timelock operation id, checks them against the governor's own hashProposal and the timelock's hashOperationBatch, and then simulates the whole lifecycle on an anvil fork (propose, vote, queue, timelock delay, execute). It shows the report and refuses a proposal that would fail or that a risk check marks dangerous, unless --accept-risk.

With --key-env the proposal is sent from that account, after checking its votes reach the proposal threshold. The transaction's input is then read back and compared byte for byte with the calldata that was simulated, and the ProposalCreated event with the proposal.

With --from-safe the propose call becomes a Safe plan (one "call" action, embedded as YAML) written beside the action file, to be signed with "alliance sign" and executed with "alliance execute" like any other council transaction.`
  static override examples = [
    'PROPOSER_KEY=0x… <%= config.bin %> governor propose actions/voting-period.yaml --key-env PROPOSER_KEY',
    '<%= config.bin %> governor propose actions/grants.yaml --from-safe council',
    '<%= config.bin %> governor propose actions/grants.yaml --key-env PROPOSER_KEY --report proposal.html --json',
  ]
  static override args = {
    file: Args.file({
      description: 'Action file (its route is taken as governor)',
      required: true,
      exists: true,
    }),
  }
  static override flags = {
    ...governorFlags,
    ...executorFlags,
    'from-safe': Flags.string({
      summary: 'Propose from this Safe (name or address): write a plan for its owners to sign.',
    }),
    out: Flags.string({
      summary: 'Where to write the Safe plan (with --from-safe).',
      dependsOn: ['from-safe'],
    }),
    simulate: Flags.boolean({
      summary: 'Simulate the whole lifecycle first (default); --no-simulate skips it.',
      default: true,
      allowNo: true,
    }),
    'accept-risk': Flags.boolean({
      summary:
        'Propose even though the simulation fails or a risk check found a danger (read every finding first).',
    }),
    report: Flags.string({
      summary: 'Also write the simulation report to FILE (.md, .html or .json).',
      multiple: true,
    }),
  }

  async run(): Promise<GovernorProposeResult> {
    const { args, flags } = await this.parse(GovernorPropose)
    const hasKey =
      flags['key-env'] !== undefined || flags.keystore !== undefined || flags.account !== undefined
    if (hasKey === (flags['from-safe'] !== undefined))
      throw new InvalidFlagError(
        '--key-env',
        'give the proposer key (--key-env VAR, --keystore FILE or --account NAME) or the proposing Safe (--from-safe NAME): one of them',
      )
    if (!flags.simulate && flags.report?.length)
      throw new InvalidFlagError(
        '--report',
        'the report comes from the simulation, which --no-simulate skips',
      )
    for (const path of flags.report ?? []) checkReportPath(path)
    const workspace = openWorkspace(flags.workspace)
    // Read the key first: a missing variable should fail before any chain work.
    const signer = hasKey ? await resolveLocalSigner(flags) : undefined
    const file = loadActionFile(args.file, workspace)
    const chain = await openChain(workspace, flags['rpc-url'])
    try {
      const { info } = await openGovernor(workspace, chain, flags.governor)
      const proposal = buildGovernorProposal(file, info.address, info.timelock, info.ozVersion)
      const decode = decodeContext(workspace)
      this.say(renderProposal(proposal, info, workspace.book, decode, this.t))
      if (info.proposalNumbering === 'hash') {
        await checkIdsAgainstChain(chain.provider, proposal)
        this.say(this.t.green("  ✔ the governor's hashProposal and the timelock's hashOperationBatch agree"))
      }
      const calldata = proposeCalldata(proposal)
      const result: GovernorProposeResult = {
        governor: info.address,
        proposalId: proposal.proposalId.toString(),
        descriptionHash: proposal.descriptionHash,
        ...(proposal.timelockOperationId ? { timelockOperationId: proposal.timelockOperationId } : {}),
        proposeCalldataHash: keccak256(calldata) as Hex,
      }

      // The proposer is checked before the (slower) simulation: a refusal should come first.
      const safe = flags['from-safe'] ? workspace.book.resolveAddress(flags['from-safe']) : undefined
      if (safe && !safe.ok) throw new InvalidFlagError('--from-safe', safe.reason)
      const proposer = signer?.address ?? (safe?.ok ? safe.value : undefined)!
      await checkCanPropose(chain.provider, info, proposal, proposer)

      let simulatedCalldata: Hex | undefined
      if (flags.simulate) {
        const report = await this.simulate({ proposal, workspace, decode, chain, file: args.file })
        for (const path of flags.report ?? []) writeReportFile(path, report.report)
        simulatedCalldata = report.simulatedCalldata
        result.simulation = {
          success: report.report.execution.success,
          verdict: report.report.checks.verdict,
        }
        if (!report.report.execution.success && !flags['accept-risk'])
          throw new ProposeRefusedError({
            why: `the simulation says it would fail (${report.report.execution.failure?.reason ?? 'unknown reason'})`,
            danger: false,
          })
        if (report.report.checks.verdict === 'danger' && !flags['accept-risk'])
          throw new ProposeRefusedError({ why: 'a risk check found a danger', danger: true })
      }

      if (safe?.ok) {
        const out =
          flags.out ??
          join(dirname(args.file), `${basename(args.file).replace(/\.ya?ml$/, '')}.propose.plan.json`)
        const actionFile = out.replace(/\.plan\.json$|\.json$/, '') + '.yaml'
        const { plan, actionFileText } = await proposeThroughSafe({
          proposal,
          safe: flags['from-safe']!,
          file: basename(actionFile),
          workspace,
          reads: chain.reads,
        })
        writeFileAtomic(actionFile, actionFileText)
        writePlanFile(out, plan)
        result.plan = { file: out, safe: plan.safe.address, safeTxHash: plan.hashes.safeTxHash, actionFile }
        // proposeThroughSafe checked the plan's call is `calldata`; here, that it is what was simulated.
        if (simulatedCalldata !== undefined) {
          if (simulatedCalldata !== calldata)
            throw new SentProposalDiffersError({
              what: 'the propose calldata differs from the one simulated',
            })
          result.simulation!.identicalToSent = true
          this.say(
            this.t.green(
              `  ✔ the plan's propose call is byte-identical to the one simulated (keccak ${result.proposeCalldataHash})`,
            ),
          )
        }
        this.say(
          `\n${this.t.green('✔')} wrote ${out}: ${workspace.book.label(plan.safe.address)} calls propose (safeTxHash ${plan.hashes.safeTxHash})`,
        )
        this.say(
          `  next: alliance sign ${out} --key-env OWNER_KEY  (×${plan.safe.threshold}), then alliance execute ${out} --key-env EXECUTOR_KEY`,
        )
        return result
      }

      this.progress('Sending propose')
      const sent = await proposeProposal({
        provider: chain.provider,
        signer: signer!,
        info,
        proposal,
        ...(simulatedCalldata ? { simulatedCalldata } : {}),
      }).finally(() => this.progressDone())
      result.transaction = sent
      result.proposalId = sent.proposalId.toString()
      if (result.simulation) result.simulation.identicalToSent = sent.identicalToSimulation === true
      this.say(`\n${renderSent(`proposal ${sent.proposalId} created`, sent, workspace.book, this.t)}`)
      if (sent.identicalToSimulation)
        this.say(
          `  ${this.t.green('✔')} the calldata sent is byte-identical to the one simulated (keccak ${result.proposeCalldataHash})`,
        )
      this.say(`  voting opens after clock ${sent.voteStart} and closes at ${sent.voteEnd}`)
      return result
    } finally {
      chain.close()
    }
  }

  private async simulate(
    parameters: ReportProposalParameters,
  ): Promise<{ report: SimulationReport; simulatedCalldata?: Hex }> {
    this.progress('Simulating propose, vote, queue and execute on an anvil fork')
    const { report, simulation } = await reportProposal(parameters).finally(() => this.progressDone())
    this.say(`\n${renderReportTerminal(report, this.t)}`)
    return {
      report,
      ...(simulation.proposeCalldata ? { simulatedCalldata: simulation.proposeCalldata } : {}),
    }
  }

  private progress(what: string) {
    if (!this.jsonEnabled()) ux.action.start(what)
  }
  private progressDone() {
    if (!this.jsonEnabled() && ux.action.running) ux.action.stop('done')
  }
}
