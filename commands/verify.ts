import { Args, Flags } from '@oclif/core'
import type { SafeState } from '../src/chain/safeReads.js'
import { checkPlan } from '../src/checks/checkPlan.js'
import { type CheckReport, failsPolicy } from '../src/checks/runChecks.js'
import { AllianceCommand } from '../src/cli/baseCommand.js'
import { type ChainSession, decodeContext, openChain, openWorkspace } from '../src/cli/context.js'
import { failOnFlag } from '../src/cli/flags.js'
import { ChecksFailedError } from '../src/errors/input.js'
import { NotVerifiedError } from '../src/errors/plan.js'
import { buildSafePlan } from '../src/plan/buildSafePlan.js'
import { looksLikePlan, parsePlan } from '../src/plan/planFile.js'
import { queuedNoncesBeside } from '../src/plan/queuedNonces.js'
import type { SafePlan } from '../src/plan/types.js'
import { checkPlanAgainstSource, checkPlanIntegrity, planChainProblems } from '../src/plan/verifyPlan.js'
import { renderChecks } from '../src/render/checksView.js'
import { renderPlan, viewPlan } from '../src/render/planView.js'
import { txBuilderActionFile, txBuilderToActionCalls } from '../src/txbuilder/importBatch.js'
import { readText } from '../src/utils/readText.js'

export type VerifyResult = {
  file: string
  kind: 'plan' | 'txbuilder'
  verified: boolean
  /** Transaction Builder files only: whether meta.checksum matches the recomputed checksum. */
  checksumValid?: boolean
  planId: string
  safeTxHash: string
  mismatches: string[]
  signatures: { signer: string; currentOwner: boolean | undefined }[]
  checks: CheckReport
  chainChecked: boolean
}

export default class Verify extends AllianceCommand {
  static override summary =
    'Recompute everything a plan claims, from its inputs and the chain, and give one verdict.'
  static override description =
    `Recomputes the plan id, the calls from the embedded action file, the MultiSendCallOnly batch, the domain hash, message hash and safeTxHash, recovers every signature and matches it to a current owner, compares the Safe's own getTransactionHash, nonce, owners and threshold, and runs the risk checks. Any mismatch exits 1.`
  static override examples = [
    '<%= config.bin %> verify actions/november.plan.json',
    '<%= config.bin %> verify actions/november.plan.json --fail-on warning --json',
    '<%= config.bin %> verify plan.json --offline',
  ]
  static override args = {
    file: Args.file({ description: 'Plan bundle (JSON)', required: true, exists: true }),
  }
  static override flags = {
    offline: Flags.boolean({
      summary: 'Do not contact the chain (the on-chain comparisons are skipped and said to be).',
    }),
    'fail-on': failOnFlag,
  }

  async run(): Promise<VerifyResult> {
    const { args, flags } = await this.parse(Verify)
    const workspace = openWorkspace(flags.workspace)
    const text = readText(args.file)
    const chain: ChainSession | undefined = flags.offline
      ? undefined
      : await openChain(workspace, flags['rpc-url'])
    try {
      const decode = decodeContext(workspace)
      const mismatches: string[] = []
      let plan: SafePlan
      let checksumValid: boolean | undefined
      let safe: SafeState | undefined
      if (looksLikePlan(text)) {
        plan = parsePlan(args.file, text)
        mismatches.push(...checkPlanIntegrity(plan), ...checkPlanAgainstSource(plan, workspace))
        if (chain) {
          const compared = await planChainProblems(plan, chain.reads)
          mismatches.push(...compared.problems)
          safe = compared.safe
        }
      } else {
        // A Transaction Builder batch: its checksum, chain and Safe, then the plan it becomes on this chain.
        const imported = txBuilderToActionCalls({ file: args.file, text }, workspace)
        checksumValid = imported.checksumValid
        if (!imported.checksumValid) {
          const { status, found, expected } = imported.checksum
          mismatches.push(
            status === 'missing'
              ? `the file has no checksum (recomputed ${expected})`
              : `checksum mismatch: the file says ${found}, recomputed ${expected}; it was edited after it was generated`,
          )
        }
        mismatches.push(...imported.problems.map((p) => p.message))
        if (!chain || imported.problems.length) {
          for (const c of imported.calls) this.say(`  ${c.index + 1}. ${c.description}`)
          if (!chain)
            mismatches.push('offline: a Transaction Builder batch is verified only against the chain')
          for (const m of mismatches) this.say(this.t.red(`✘ ${m}`))
          this.say(this.t.red.bold(`✘ NOT VERIFIED: ${mismatches.length} problem(s)`))
          const data = { file: args.file, kind: 'txbuilder', verified: false, checksumValid, mismatches }
          return this.failWith(data, new NotVerifiedError(mismatches.length))
        }
        plan = await buildSafePlan(txBuilderActionFile(imported, text), chain.reads)
      }
      if (chain) safe ??= await chain.reads.readSafe(plan.safe.address)
      const owners = safe?.owners
      const signatures = plan.signatures.map((s) => ({
        signer: s.signer,
        currentOwner: owners?.includes(s.signer),
      }))
      const queued = queuedNoncesBeside(args.file, plan.safe.address, plan.chainId, plan.id)
      const checks = await checkPlan(
        plan,
        workspace,
        decode,
        chain && { ...chain, queuedNonces: queued, ...(safe ? { safe } : {}) },
      )

      this.say(renderPlan(viewPlan(plan, decode), workspace.book, this.t))
      this.say(`\n${renderChecks(checks, this.t)}\n`)
      if (!chain)
        this.say(this.t.yellow('! offline: the Safe on chain (owners, nonce, its own hash) was not compared'))
      for (const m of mismatches) this.say(this.t.red(`✘ ${m}`))
      const verified = mismatches.length === 0
      const valid = signatures.filter((s) => s.currentOwner !== false).length
      this.say(
        verified
          ? this.t.green.bold(
              `✔ VERIFIED: ${plan.hashes.safeTxHash} — ${plan.actions.length} action(s), ${valid} of ${plan.safe.threshold} owner signature(s)${chain ? '' : ' (offline)'}, ${checks.counts.danger} danger, ${checks.counts.warning} warning(s)`,
            )
          : this.t.red.bold(`✘ NOT VERIFIED: ${mismatches.length} mismatch(es)`),
      )
      const result: VerifyResult = {
        file: args.file,
        kind: checksumValid === undefined ? 'plan' : 'txbuilder',
        ...(checksumValid === undefined ? {} : { checksumValid }),
        verified,
        planId: plan.id,
        safeTxHash: plan.hashes.safeTxHash,
        mismatches,
        signatures,
        checks,
        chainChecked: chain !== undefined,
      }
      if (!verified) return this.failWith(result, new NotVerifiedError(mismatches.length))
      if (failsPolicy(checks, flags['fail-on'])) {
        return this.failWith(result, new ChecksFailedError(checks.verdict, flags['fail-on']!))
      }
      return result
    } finally {
      chain?.close()
    }
  }
}
