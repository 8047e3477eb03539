import { Args } from '@oclif/core'
import { keccak256 } from 'ethers'
import { AllianceCommand } from '../src/cli/baseCommand.js'
import { openChain, openWorkspace } from '../src/cli/context.js'
import { keyEnvFlag } from '../src/cli/flags.js'
import {
  type ExecuteSafePlanReturnType,
  executeSafePlan,
  executionCall,
} from '../src/execute/executeSafePlan.js'
import { readPlanFile } from '../src/plan/planFile.js'
import { privateKeyFromEnv } from '../src/signers/privateKeyFromEnv.js'

export type ExecuteResult = ExecuteSafePlanReturnType & { planFile: string }

export default class Execute extends AllianceCommand {
  static override summary = 'Execute a plan once enough owners have signed it.'
  static override description =
    `Recomputes the plan, recovers every signature to a current owner, checks the nonce is the Safe's next, sorts the signatures as the Safe requires, sends execTransaction from the executor's key and waits for the Safe's ExecutionSuccess.`
  static override examples = [
    'EXECUTOR_KEY=0x… <%= config.bin %> execute actions/november.plan.json --key-env EXECUTOR_KEY',
  ]
  static override args = {
    plan: Args.file({ description: 'Signed plan bundle (JSON)', required: true, exists: true }),
  }
  static override flags = {
    'key-env': keyEnvFlag("Environment variable holding the executor's private key (any account with gas)."),
  }

  async run(): Promise<ExecuteResult> {
    const { args, flags } = await this.parse(Execute)
    const workspace = openWorkspace(flags.workspace)
    const executor = privateKeyFromEnv(flags['key-env'])
    const plan = readPlanFile(args.plan)
    const chain = await openChain(workspace, flags['rpc-url'])
    try {
      const outer = executionCall(plan)
      this.say(this.t.bold('Outer transaction (what the executor signs)'))
      this.say(`  from      ${workspace.book.label(executor.address)} (${executor.address})`)
      this.say(`  to        ${workspace.book.label(outer.to)} (${outer.to}), value 0`)
      this.say(
        `  calldata  execTransaction, ${(outer.data.length - 2) / 2} bytes, keccak ${keccak256(outer.data)}`,
      )
      this.say(`  signers   ${outer.signers.map((s) => workspace.book.label(s)).join(', ')}`)
      const result = await executeSafePlan({
        plan,
        planFile: args.plan,
        executor,
        provider: chain.provider,
        reads: chain.reads,
        workspace,
      })
      this.say(
        `\n${this.t.green('✔')} executed ${plan.hashes.safeTxHash} in tx ${result.transactionHash} (block ${result.blockNumber}, gas ${result.gasUsed})`,
      )
      return { ...result, planFile: args.plan }
    } finally {
      chain.close()
    }
  }
}
