import { Args, Flags, ux } from '@oclif/core'
import { AllianceCommand } from '../src/cli/baseCommand.js'
import { decodeContext, openChain, openWorkspace } from '../src/cli/context.js'
import { signerFlags } from '../src/cli/flags.js'
import { defaultPlanPath, planFromPath } from '../src/cli/planInput.js'
import { openQueue, queueFlags } from '../src/cli/queueInput.js'
import { WouldRevertError } from '../src/errors/signer.js'
import { writePlanFile } from '../src/plan/planFile.js'
import { nextQueueNonce } from '../src/queue/nextNonce.js'
import { renderPlan, viewPlan } from '../src/render/planView.js'
import { renderReportTerminal } from '../src/render/report/terminal.js'
import { reportSafePlan } from '../src/report/reportSafePlan.js'
import type { Address, Hex } from '../src/safe/types.js'
import { resolveSafeTxSigner } from '../src/signers/resolveSigner.js'
import { signPlan } from '../src/signers/signPlan.js'

export type ProposeResult = {
  safeTxHash: Hex
  safe: Address
  nonce: string
  proposer: Address
  queue: string
  planFile?: string
  simulation?: { success: boolean; verdict: string }
}

export default class Propose extends AllianceCommand {
  static override summary = 'Plan, simulate, sign as the proposer, and post a Safe transaction to the queue.'
  static override description =
    `Takes an action file (planned here) or a plan bundle. The nonce is the Safe's next one after everything already queued, unless --nonce. The transaction is simulated (unless --no-simulate) and refused if it would revert, unless --accept-risk. Then it is signed by the proposer, who must be an owner, and posted: to the Safe Transaction Service (it checks the hash and the signature), or as a plan bundle into a shared directory (one folder per transaction, written whole or not at all). A transaction already queued is refused: sign it instead.`
  static override examples = [
    'ALICE_KEY=0x… <%= config.bin %> propose actions/november.yaml --key-env ALICE_KEY --tx-service-url https://safe-tx.example.org/api',
    '<%= config.bin %> propose actions/november.plan.json --account alice --queue-dir /mnt/usb/queue',
  ]
  static override args = {
    input: Args.file({
      description: 'Action file (YAML) or plan bundle (JSON)',
      required: true,
      exists: true,
    }),
  }
  static override flags = {
    ...signerFlags,
    ...queueFlags,
    nonce: Flags.integer({ summary: 'Use this nonce instead of the next free one after the queue.', min: 0 }),
    simulate: Flags.boolean({
      summary: 'Simulate first (default); --no-simulate skips it.',
      default: true,
      allowNo: true,
    }),
    'accept-risk': Flags.boolean({ summary: 'Propose even though the simulation says it would revert.' }),
  }

  async run(): Promise<ProposeResult> {
    const { args, flags } = await this.parse(Propose)
    const workspace = openWorkspace(flags.workspace)
    const signer = await resolveSafeTxSigner(flags)
    const chain = await openChain(workspace, flags['rpc-url'])
    try {
      const queue = await openQueue(workspace, flags)
      const decode = decodeContext(workspace)
      let planFile: string | undefined
      const plan = await planFromPath(args.input, workspace, chain, {
        nonceFor: async (safe) =>
          flags.nonce === undefined
            ? nextQueueNonce(queue, await chain.reads.readSafe(safe))
            : BigInt(flags.nonce),
        planned: () => {
          planFile = defaultPlanPath(args.input)
        },
      })
      this.say(renderPlan(viewPlan(plan, decode), workspace.book, this.t))
      let simulation: ProposeResult['simulation']
      if (flags.simulate) {
        if (!this.jsonEnabled()) ux.action.start('Simulating')
        const { report } = await reportSafePlan({ plan, workspace, decode, chain }).finally(() => {
          if (!this.jsonEnabled()) ux.action.stop('done')
        })
        this.say(`\n${renderReportTerminal(report, this.t, ['critical', 'balances', 'checks'])}`)
        simulation = { success: report.execution.success, verdict: report.checks.verdict }
        if (!report.execution.success && !flags['accept-risk'])
          throw new WouldRevertError(report.execution.failure?.reason ?? 'unknown reason')
      }
      const signed = await signPlan({ plan, planFile: args.input, signer, workspace, reads: chain.reads })
      const signature = signed.signatures.at(-1)!.signature
      await queue.propose({ plan: signed, proposer: signer.address, signature })
      if (planFile) writePlanFile(planFile, signed)
      this.say(
        `\n${this.t.green('✔')} proposed ${plan.hashes.safeTxHash} (nonce ${plan.safeTx.nonce}) to the ${queue.description}, signed by ${workspace.book.label(signer.address)} (1 of ${plan.safe.threshold})`,
      )
      this.say(`  others sign it with: alliance sign ${plan.hashes.safeTxHash}`)
      return {
        safeTxHash: plan.hashes.safeTxHash,
        safe: plan.safe.address,
        nonce: plan.safeTx.nonce.toString(),
        proposer: signer.address,
        queue: queue.description,
        ...(planFile ? { planFile } : {}),
        ...(simulation ? { simulation } : {}),
      }
    } finally {
      chain.close()
      await signer.close()
    }
  }
}
