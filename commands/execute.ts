import { Args, Flags } from '@oclif/core'
import { keccak256 } from 'ethers'
import { AllianceCommand } from '../src/cli/baseCommand.js'
import { decodeContext, openChain, openWorkspace } from '../src/cli/context.js'
import { executorFlags } from '../src/cli/flags.js'
import { isSafeTxHash, openQueue, queueFlags } from '../src/cli/queueInput.js'
import {
  type ExecuteSafePlanReturnType,
  executeSafePlan,
  executionCall,
  onChainApprovals,
} from '../src/execute/executeSafePlan.js'
import { readPlanFile } from '../src/plan/planFile.js'
import type { SafePlan } from '../src/plan/types.js'
import { planFromQueued } from '../src/queue/planFromQueued.js'
import type { Hex } from '../src/safe/types.js'
import { resolveLocalSigner } from '../src/signers/resolveSigner.js'

export type ExecuteResult = ExecuteSafePlanReturnType & { planFile?: string; queue?: string }

export default class Execute extends AllianceCommand {
  static override summary = 'Execute a plan or a queued transaction once enough owners have signed it.'
  static override description =
    `Give a signed plan bundle, or the safeTxHash of a queued transaction (its confirmations are gathered from the queue). Recomputes the transaction and its hash, recovers every signature to a current owner (confirmations that do not recover to their owner, or not to a current owner, are reported and not counted), checks the nonce is the Safe's next, sorts the signatures as the Safe requires, shows the outer transaction, estimates gas, sends execTransaction from the executor's key and waits for the Safe's ExecutionSuccess.`
  static override examples = [
    'EXECUTOR_KEY=0x… <%= config.bin %> execute actions/november.plan.json --key-env EXECUTOR_KEY',
    '<%= config.bin %> execute 0x3b1f…c0de --account deployer --tx-service-url https://safe-tx.example.org/api',
  ]
  static override args = {
    target: Args.string({
      description: 'Signed plan bundle (JSON), or the safeTxHash of a queued transaction',
      required: true,
    }),
  }
  static override flags = {
    ...executorFlags,
    ...queueFlags,
    plan: Flags.file({
      summary: 'Your own plan of the queued transaction: the queue must hold exactly it.',
      exists: true,
    }),
  }

  async run(): Promise<ExecuteResult> {
    const { args, flags } = await this.parse(Execute)
    const workspace = openWorkspace(flags.workspace)
    const executor = await resolveLocalSigner(flags)
    const chain = await openChain(workspace, flags['rpc-url'])
    try {
      let plan: SafePlan
      let queueName: string | undefined
      if (isSafeTxHash(args.target)) {
        const queue = await openQueue(workspace, flags)
        queueName = queue.description
        const queued = await queue.get(args.target as Hex)
        const safe = await chain.reads.readSafe(queued.safe)
        const local = flags.plan ? readPlanFile(flags.plan) : undefined
        const review = planFromQueued(
          queued,
          safe,
          await chain.reads.chainId(),
          decodeContext(workspace),
          queue.description,
          local,
        )
        for (const r of review.rejected) this.warn(`${r.owner}'s confirmation is not counted: ${r.reason}`)
        plan = review.plan
      } else {
        plan = readPlanFile(args.target)
      }
      const approvals = await onChainApprovals(chain.provider, plan, plan.safe.owners, executor.address)
      const missing = Math.max(0, plan.safe.threshold - plan.signatures.length)
      const outer = executionCall(plan, approvals.slice(0, missing))
      this.say(this.t.bold('Outer transaction (what the executor signs)'))
      this.say(`  from      ${workspace.book.label(executor.address)} (${executor.address})`)
      this.say(`  to        ${workspace.book.label(outer.to)} (${outer.to}), value 0`)
      this.say(
        `  calldata  execTransaction, ${(outer.data.length - 2) / 2} bytes, keccak ${keccak256(outer.data)}`,
      )
      this.say(`  signers   ${outer.signers.map((s) => workspace.book.label(s)).join(', ')}`)
      for (const owner of approvals.slice(0, missing))
        this.say(
          this.t.dim(
            `            ${workspace.book.label(owner)} ${owner === executor.address ? 'approves by sending it (the Safe counts its owner as sender)' : 'approved the hash on chain (approveHash)'}`,
          ),
        )
      const result = await executeSafePlan({
        plan,
        planFile: args.target,
        executor,
        provider: chain.provider,
        reads: chain.reads,
        workspace,
      })
      this.say(
        `\n${this.t.green('✔')} executed ${plan.hashes.safeTxHash} in tx ${result.transactionHash} (block ${result.blockNumber}, gas ${result.gasUsed})`,
      )
      return { ...result, ...(queueName ? { queue: queueName } : { planFile: args.target }) }
    } finally {
      chain.close()
    }
  }
}
