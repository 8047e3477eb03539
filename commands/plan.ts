import { Args, Flags } from '@oclif/core'
import { loadActionFile } from '../src/actions/actionFile.js'
import { checkPlan } from '../src/checks/checkPlan.js'
import { type CheckReport, failsPolicy } from '../src/checks/runChecks.js'
import { AllianceCommand } from '../src/cli/baseCommand.js'
import { decodeContext, openChain, openWorkspace } from '../src/cli/context.js'
import { failOnFlag } from '../src/cli/flags.js'
import { defaultPlanPath } from '../src/cli/planInput.js'
import { ChecksFailedError } from '../src/errors/input.js'
import { buildSafePlan } from '../src/plan/buildSafePlan.js'
import { writePlanFile } from '../src/plan/planFile.js'
import { queuedNoncesBeside } from '../src/plan/queuedNonces.js'
import type { SafePlan } from '../src/plan/types.js'
import { renderChecks } from '../src/render/checksView.js'
import { renderPlan, viewPlan } from '../src/render/planView.js'

export type PlanResult = { planFile: string; plan: SafePlan; warnings: string[]; checks: CheckReport }

export default class Plan extends AllianceCommand {
  static override summary =
    'Turn an action file into a Safe transaction plan, with every hash checked on chain.'
  static override description =
    `Resolves the actions, batches several calls through MultiSendCallOnly, reads the Safe's version, nonce and owners, computes the domain hash, message hash and safeTxHash with alliance's own EIP-712 code and checks them against the Safe's getTransactionHash. Writes a plan bundle (JSON) next to the action file.`
  static override examples = [
    '<%= config.bin %> plan actions/november.yaml',
    '<%= config.bin %> plan actions/november.yaml --out plans/november.json',
    '<%= config.bin %> plan actions/november.yaml --json',
  ]
  static override args = {
    file: Args.file({ description: 'Action file (YAML)', required: true, exists: true }),
  }
  static override flags = {
    out: Flags.file({ char: 'o', summary: 'Where to write the plan (default: FILE with .plan.json).' }),
    nonce: Flags.integer({
      summary: "Plan for this nonce instead of the Safe's next one (queue behind others).",
      min: 0,
    }),
    'fail-on': failOnFlag,
  }

  async run(): Promise<PlanResult> {
    const { args, flags } = await this.parse(Plan)
    const workspace = openWorkspace(flags.workspace)
    const actionFile = loadActionFile(args.file, workspace)
    const chain = await openChain(workspace, flags['rpc-url'])
    try {
      const plan = await buildSafePlan(actionFile, chain.reads, {
        ...(flags.nonce === undefined ? {} : { nonce: BigInt(flags.nonce) }),
      })
      const planFile = flags.out ?? defaultPlanPath(args.file)
      writePlanFile(planFile, plan)
      const decode = decodeContext(workspace)
      const view = viewPlan(plan, decode)
      const queued = queuedNoncesBeside(planFile, plan.safe.address, plan.chainId, plan.id)
      const checks = await checkPlan(plan, workspace, decode, chain && { ...chain, queuedNonces: queued })
      this.say(renderPlan(view, workspace.book, this.t))
      this.say(`\n${renderChecks(checks, this.t)}`)
      this.say(
        `\n${this.t.green('✔')} safeTxHash matches the Safe's own getTransactionHash. Plan written to ${planFile}`,
      )
      const result = { planFile, plan, warnings: view.warnings, checks }
      if (failsPolicy(checks, flags['fail-on'])) {
        return this.failWith(result, new ChecksFailedError(checks.verdict, flags['fail-on']!))
      }
      return result
    } finally {
      chain.close()
    }
  }
}
