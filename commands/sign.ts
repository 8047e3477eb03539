import { Args, Flags } from '@oclif/core'
import { checkPlan } from '../src/checks/checkPlan.js'
import type { CheckReport } from '../src/checks/runChecks.js'
import { AllianceCommand } from '../src/cli/baseCommand.js'
import { decodeContext, openChain, openWorkspace } from '../src/cli/context.js'
import { signatureFlags, signerFlags } from '../src/cli/flags.js'
import { isSafeTxHash, openQueue, queueFlags } from '../src/cli/queueInput.js'
import { confirmSigning, signingFlags } from '../src/cli/signingConfirmation.js'
import { DangerousPlanError, WouldRevertError } from '../src/errors/signer.js'
import { readPlanFile, writePlanFile } from '../src/plan/planFile.js'
import { queuedNoncesBeside } from '../src/plan/queuedNonces.js'
import type { SafePlan } from '../src/plan/types.js'
import { planFromQueued } from '../src/queue/planFromQueued.js'
import type { ProposalQueue } from '../src/queue/types.js'
import { renderChecks } from '../src/render/checksView.js'
import { renderPlan, viewPlan } from '../src/render/planView.js'
import { renderReportTerminal } from '../src/render/report/terminal.js'
import { reportSafePlan } from '../src/report/reportSafePlan.js'
import type { Address, Hex } from '../src/safe/types.js'
import { parsePastedSignature, readSignatureInput } from '../src/signers/pastedSignature.js'
import { resolveSafeTxSigner } from '../src/signers/resolveSigner.js'
import { signPlan } from '../src/signers/signPlan.js'
import type { SafeTxSigner } from '../src/signers/types.js'

export type SignResult = {
  /** The plan file written (when signing a plan bundle). */
  planFile?: string
  /** Where the confirmation was posted (when signing a queued transaction). */
  queue?: string
  safeTxHash: Hex
  signer: Address
  signatures: number
  threshold: number
  checks: CheckReport
}

export default class Sign extends AllianceCommand {
  static override summary =
    "Add an owner's signature to a plan or a queued transaction, after recomputing everything it commits to."
  static override description =
    `Give a plan bundle, or the safeTxHash of a transaction in the queue (the Safe Transaction Service, or a shared directory). Before signing, alliance recomputes the plan id, the MultiSendCallOnly batch from the calls, the calls from the embedded action file, the domain hash, message hash and safeTxHash, and every existing signature; with a chain it also checks the Safe's owners, nonce and its own getTransactionHash, and simulates the transaction (its verdict, critical changes and balance changes are shown, and feed the risk checks). A queued transaction is refused when the queue's hash, data or nonce differ from what alliance recomputes, or (with --plan) from your own plan. Any mismatch refuses to sign; so does a danger finding or a transaction that would revert, unless --accept-risk.

On a terminal, alliance shows the hashes the hardware wallet will show and asks before signing. In scripts, --yes signs without asking but only together with --expect-hash, which must equal the safeTxHash. Keys come from an environment variable, a keystore (--keystore, Foundry's --account) or a Ledger (--ledger), and are never printed.`
  static override examples = [
    'ALICE_KEY=0x… <%= config.bin %> sign actions/november.plan.json --key-env ALICE_KEY',
    '<%= config.bin %> sign 0x3b1f…c0de --account alice --tx-service-url https://safe-tx.example.org/api',
    '<%= config.bin %> sign 0x3b1f…c0de --ledger --queue-dir /mnt/usb/queue',
    '<%= config.bin %> sign 0x3b1f…c0de --key-env ALICE_KEY --yes --expect-hash 0x3b1f…c0de --json',
    '<%= config.bin %> sign plan.json --key-env ALICE_KEY --offline',
  ]
  static override args = {
    target: Args.string({
      description: 'Plan bundle (JSON), or the safeTxHash of a queued transaction',
      required: true,
    }),
  }
  static override flags = {
    ...signerFlags,
    ...signatureFlags,
    ...queueFlags,
    ...signingFlags,
    plan: Flags.file({
      summary: 'Your own plan of the queued transaction: the queue must hold exactly it.',
      exists: true,
    }),
    'accept-risk': Flags.boolean({
      summary:
        'Sign even though a risk check found a danger or the simulation reverts (read every finding first).',
    }),
    offline: Flags.boolean({
      summary: 'Sign a plan file without a chain (air-gapped): skip the on-chain checks and the simulation.',
      exclusive: ['tx-service-url'],
    }),
  }

  async run(): Promise<SignResult> {
    const { args, flags } = await this.parse(Sign)
    const workspace = openWorkspace(flags.workspace)
    const queued = isSafeTxHash(args.target)
    // A pasted signature is checked once the transaction is known; a key or a device is opened now.
    const pasted = flags.signature !== undefined || flags['signature-file'] !== undefined
    const keySigner = pasted ? undefined : await resolveSafeTxSigner(flags)
    const chain = flags.offline && !queued ? undefined : await openChain(workspace, flags['rpc-url'])
    try {
      const decode = decodeContext(workspace)
      let plan: SafePlan
      let queue: ProposalQueue | undefined
      if (queued) {
        queue = await openQueue(workspace, flags)
        const fromQueue = await queue.get(args.target as Hex)
        const safe = await chain!.reads.readSafe(fromQueue.safe)
        const local = flags.plan ? readPlanFile(flags.plan) : undefined
        const review = planFromQueued(
          fromQueue,
          safe,
          await chain!.reads.chainId(),
          decode,
          queue.description,
          local,
        )
        plan = review.plan
        for (const r of review.rejected) this.warn(`${r.owner}'s confirmation is not counted: ${r.reason}`)
      } else {
        plan = readPlanFile(args.target)
      }
      this.say(renderPlan(viewPlan(plan, decode), workspace.book, this.t))
      const queuedNonces = queued
        ? undefined
        : queuedNoncesBeside(args.target, plan.safe.address, plan.chainId, plan.id)
      let checks: CheckReport
      if (chain) {
        // Online, nothing is signed before it has run: the simulation's trace, state diff and balance
        // changes feed the checks, and a transaction that would revert is not signed by accident.
        const simulated = await reportSafePlan({
          plan,
          workspace,
          decode,
          chain: { ...chain, ...(queuedNonces ? { queuedNonces } : {}) },
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
      const signer = keySigner ?? pastedSigner(plan, flags)
      await confirmSigning({
        hashes: plan.hashes,
        signer: signer.address,
        source: signer.source,
        flags,
        fromQueue: queued,
        say: (text) => this.say(text),
        t: this.t,
      })
      const signed = await signPlan({
        plan,
        planFile: args.target,
        signer,
        workspace,
        ...(chain ? { reads: chain.reads } : {}),
      })
      const signature = signed.signatures.at(-1)!
      if (queue) {
        await queue.confirm({
          safeTxHash: plan.hashes.safeTxHash,
          owner: signer.address,
          signature: signature.signature,
        })
      } else {
        writePlanFile(args.target, signed)
      }
      const count = signed.signatures.length
      this.say(
        `\n${this.t.green('✔')} ${workspace.book.label(signer.address)} signed ${plan.hashes.safeTxHash} (${count} of ${plan.safe.threshold})${queue ? ` — confirmation posted to the ${queue.description}` : ''}`,
      )
      return {
        ...(queue ? { queue: queue.description } : { planFile: args.target }),
        safeTxHash: plan.hashes.safeTxHash,
        signer: signer.address,
        signatures: count,
        threshold: plan.safe.threshold,
        checks,
      }
    } finally {
      chain?.close()
      await keySigner?.close()
    }
  }
}

/** A signature made elsewhere, accepted as a signer once it recovers to an owner over this safeTxHash. */
function pastedSigner(
  plan: SafePlan,
  flags: { signature?: string | undefined; 'signature-file'?: string | undefined },
): SafeTxSigner {
  const text = readSignatureInput({
    ...(flags.signature !== undefined ? { signature: flags.signature } : {}),
    ...(flags['signature-file'] !== undefined ? { signatureFile: flags['signature-file'] } : {}),
  })
  const pasted = parsePastedSignature(text, {
    safeTxHash: plan.hashes.safeTxHash,
    owners: plan.safe.owners,
    version: plan.safe.version,
  })
  return {
    address: pasted.signer,
    source: `a ${pasted.kind === 'eoa' ? 'EIP-712' : 'eth_sign'} signature given on the command line`,
    signSafeTx: async () => pasted.signature,
  }
}
