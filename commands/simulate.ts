import { Args } from '@oclif/core'
import { actionContext } from '../src/actions/actionFile.js'
import { checkPlan } from '../src/checks/checkPlan.js'
import { type CheckReport, failsPolicy } from '../src/checks/runChecks.js'
import { AllianceCommand } from '../src/cli/baseCommand.js'
import { decodeContext, openChain, openWorkspace } from '../src/cli/context.js'
import { failOnFlag } from '../src/cli/flags.js'
import { planFromPath } from '../src/cli/planInput.js'
import { ChecksFailedError } from '../src/errors/input.js'
import { SimulationFailedError } from '../src/errors/simulate.js'
import { renderChecks } from '../src/render/checksView.js'
import { renderSimulation } from '../src/render/simulationView.js'
import { type SafeSimulation, simulateSafePlan } from '../src/simulate/simulateSafePlan.js'

export type SimulateResult = {
  planId: string
  safeTxHash: string
  simulation: SafeSimulation
  checks: CheckReport
}

export default class Simulate extends AllianceCommand {
  static override summary =
    "Run a plan through the Safe's real execTransaction on the chain, before anyone signs."
  static override description =
    `Owners who have not signed are stood in for by approved-hash storage overrides, so the threshold, nonce, guard and every call run through the Safe's own code; nothing is sent. Reports success, gas, decoded events and balance changes, or which call reverted and why. Exits 1 when the transaction would fail.`
  static override examples = [
    '<%= config.bin %> simulate actions/november.plan.json',
    '<%= config.bin %> simulate actions/november.yaml --json',
  ]
  static override args = {
    plan: Args.file({ description: 'Plan bundle or action file', required: true, exists: true }),
  }
  static override flags = { 'fail-on': failOnFlag }

  async run(): Promise<SimulateResult> {
    const { args, flags } = await this.parse(Simulate)
    const workspace = openWorkspace(flags.workspace)
    const chain = await openChain(workspace, flags['rpc-url'])
    try {
      const plan = await planFromPath(args.plan, workspace, chain)
      const simulation = await simulateSafePlan({
        plan,
        provider: chain.provider,
        reads: chain.reads,
        book: workspace.book,
        abiFor: actionContext(workspace).abiFor,
      })
      const checks = await checkPlan(plan, workspace, decodeContext(workspace), chain)
      this.say(renderSimulation(simulation, plan, workspace.book, this.t))
      this.say(`\n${renderChecks(checks, this.t)}`)
      const result = { planId: plan.id, safeTxHash: plan.hashes.safeTxHash, simulation, checks }
      if (!simulation.success)
        return this.failWith(result, new SimulationFailedError(simulation.failure?.reason))
      if (failsPolicy(checks, flags['fail-on'])) {
        return this.failWith(result, new ChecksFailedError(checks.verdict, flags['fail-on']!))
      }
      return result
    } finally {
      chain.close()
    }
  }
}
