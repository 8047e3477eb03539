import { Args } from '@oclif/core'
import { actionContext } from '../src/actions/actionFile.js'
import { AllianceCommand } from '../src/cli/baseCommand.js'
import { openChain, openWorkspace } from '../src/cli/context.js'
import { planFromPath } from '../src/cli/planInput.js'
import { SimulationFailedError } from '../src/errors/simulate.js'
import { renderSimulation } from '../src/render/simulationView.js'
import { type SafeSimulation, simulateSafePlan } from '../src/simulate/simulateSafePlan.js'

export type SimulateResult = { planId: string; safeTxHash: string; simulation: SafeSimulation }

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
      this.say(renderSimulation(simulation, plan, workspace.book, this.t))
      const result = { planId: plan.id, safeTxHash: plan.hashes.safeTxHash, simulation }
      if (!simulation.success)
        return this.failWith(result, new SimulationFailedError(simulation.failure?.reason))
      return result
    } finally {
      chain.close()
    }
  }
}
