import { Args, Flags } from '@oclif/core'
import { checkPlan } from '../src/checks/checkPlan.js'
import type { CheckReport } from '../src/checks/runChecks.js'
import { AllianceCommand } from '../src/cli/baseCommand.js'
import { decodeContext, openChain, openWorkspace } from '../src/cli/context.js'
import { keyEnvFlag } from '../src/cli/flags.js'
import { DangerousPlanError, WouldRevertError } from '../src/errors/signer.js'
import { readPlanFile, writePlanFile } from '../src/plan/planFile.js'
import { queuedNoncesBeside } from '../src/plan/queuedNonces.js'
import { renderChecks } from '../src/render/checksView.js'
import { renderPlan, viewPlan } from '../src/render/planView.js'
import { renderReportTerminal } from '../src/render/report/terminal.js'
import { reportSafePlan } from '../src/report/reportSafePlan.js'
import type { Address, Hex } from '../src/safe/types.js'
import { privateKeyFromEnv } from '../src/signers/privateKeyFromEnv.js'
import { signPlan } from '../src/signers/signPlan.js'

export type SignResult = {
  planFile: string
  safeTxHash: Hex
  signer: Address
  signatures: number
  threshold: number
  checks: CheckReport
}

export default class Sign extends AllianceCommand {
  static override summary =
    "Add an owner's EIP-712 signature to a plan, after recomputing everything it commits to."
  static override description =
    `Before signing, alliance recomputes the plan id, the MultiSendCallOnly batch from the calls, the calls from the embedded action file, the domain hash, message hash and safeTxHash, and every existing signature; with a chain it also checks the Safe's owners, nonce and its own getTransactionHash, and simulates the transaction (its verdict, critical changes and balance changes are shown, and feed the risk checks). Any mismatch refuses to sign; so does a danger finding or a transaction that would revert, unless --accept-risk. The key comes from an environment variable and is never printed.`
  static override examples = [
    'ALICE_KEY=0x… <%= config.bin %> sign actions/november.plan.json --key-env ALICE_KEY',
    '<%= config.bin %> sign plan.json --key-env ALICE_KEY --offline',
  ]
  static override args = {
    plan: Args.file({ description: 'Plan bundle (JSON)', required: true, exists: true }),
  }
  static override flags = {
    'key-env': keyEnvFlag("Name of the environment variable that holds the signer's private key."),
    'accept-risk': Flags.boolean({
      summary:
        'Sign even though a risk check found a danger or the simulation reverts (read every finding first).',
    }),
    offline: Flags.boolean({
      summary: 'Sign without a chain (air-gapped): skip the on-chain checks and the simulation.',
    }),
  }

  async run(): Promise<SignResult> {
    const { args, flags } = await this.parse(Sign)
    const workspace = openWorkspace(flags.workspace)
    const signer = privateKeyFromEnv(flags['key-env'])
    const plan = readPlanFile(args.plan)
    const chain = flags.offline ? undefined : await openChain(workspace, flags['rpc-url'])
    try {
      const decode = decodeContext(workspace)
      this.say(renderPlan(viewPlan(plan, decode), workspace.book, this.t))
      const queued = queuedNoncesBeside(args.plan, plan.safe.address, plan.chainId, plan.id)
      let checks: CheckReport
      if (chain) {
        // Online, nothing is signed before it has run: the simulation's trace, state diff and balance
        // changes feed the checks, and a transaction that would revert is not signed by accident.
        const simulated = await reportSafePlan({
          plan,
          workspace,
          decode,
          chain: { ...chain, queuedNonces: queued },
        })
        const { report } = simulated
        this.say(`\n${renderReportTerminal(report, this.t, ['critical', 'balances', 'checks'])}`)
        checks = simulated.checks
        if (!report.execution.success && !flags['accept-risk']) {
          throw new WouldRevertError(report.execution.failure?.reason ?? 'unknown reason')
        }
      } else {
        checks = await checkPlan(plan, workspace, decode)
        this.say(`\n${renderChecks(checks, this.t)}`)
      }
      // A danger finding is never signed past silently: it takes an explicit, per-signature decision.
      if (checks.verdict === 'danger' && !flags['accept-risk'])
        throw new DangerousPlanError(checks.counts.danger)
      const signed = await signPlan({
        plan,
        planFile: args.plan,
        signer,
        workspace,
        ...(chain ? { reads: chain.reads } : {}),
      })
      writePlanFile(args.plan, signed)
      const count = signed.signatures.length
      this.say(
        `\n${this.t.green('✔')} ${workspace.book.label(signer.address)} signed ${plan.hashes.safeTxHash} (${count} of ${plan.safe.threshold})`,
      )
      return {
        planFile: args.plan,
        safeTxHash: plan.hashes.safeTxHash,
        signer: signer.address,
        signatures: count,
        threshold: plan.safe.threshold,
        checks,
      }
    } finally {
      chain?.close()
    }
  }
}
