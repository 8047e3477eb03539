import { basename } from 'node:path'
import { Args, Flags } from '@oclif/core'
import { AllianceCommand } from '../../src/cli/baseCommand.js'
import { PlanMismatchError } from '../../src/errors/plan.js'
import { readPlanFile } from '../../src/plan/planFile.js'
import { checkPlanIntegrity } from '../../src/plan/verifyPlan.js'
import type { Hex } from '../../src/safe/types.js'
import { planToTxBuilder, serializeTxBuilderFile } from '../../src/txbuilder/exportPlan.js'
import type { TxBuilderBatchFile } from '../../src/txbuilder/schema.js'
import { writeFileAtomic } from '../../src/utils/atomicWrite.js'

export type TxBuilderExportResult = {
  /** The batch file written. */
  file: string
  planFile: string
  planId: Hex
  /** The plan's safeTxHash; Safe{Wallet} computes the same one if it uses the plan's nonce. */
  safeTxHash: Hex
  nonce: bigint
  transactions: number
  checksum: Hex
  batch: TxBuilderBatchFile
}

export default class TxbuilderExport extends AllianceCommand {
  static override summary = "Write a plan's calls as a Safe Transaction Builder batch file."
  static override description =
    "One Transaction Builder entry per call of the plan (Safe{Wallet} batches them through MultiSendCallOnly itself), for the plan's chain and Safe, with the checksum the Transaction Builder verifies on load. The plan is checked for consistency first. A plan with a DELEGATECALL is refused: the Transaction Builder cannot express one."
  static override examples = [
    '<%= config.bin %> txbuilder export actions/november.plan.json',
    '<%= config.bin %> txbuilder export november.plan.json --out november-batch.json --name "November grants"',
  ]
  static override args = {
    plan: Args.file({ description: 'Plan bundle (JSON)', required: true, exists: true }),
  }
  static override flags = {
    out: Flags.file({
      char: 'o',
      summary: 'Where to write the batch (default: PLAN with .txbuilder.json).',
    }),
    name: Flags.string({
      summary: "Batch name shown in the Transaction Builder (default: the plan's description).",
    }),
  }

  async run(): Promise<TxBuilderExportResult> {
    const { args, flags } = await this.parse(TxbuilderExport)
    const plan = readPlanFile(args.plan)
    const problems = checkPlanIntegrity(plan)
    if (problems.length) throw new PlanMismatchError(args.plan, problems)

    const nonce = plan.safeTx.nonce
    const batch = planToTxBuilder(plan, {
      createdAt: Date.now(),
      name: flags.name ?? (plan.description || basename(args.plan)),
      description: `alliance plan ${plan.id}: safeTxHash ${plan.hashes.safeTxHash} at nonce ${nonce}`,
      txBuilderVersion: `alliance ${this.config.version}`,
    })
    const file = flags.out ?? defaultBatchPath(args.plan)
    writeFileAtomic(file, serializeTxBuilderFile(batch))

    const count = batch.transactions.length
    const safe = plan.safe.name ? `${plan.safe.name} (${plan.safe.address})` : plan.safe.address
    this.say(
      `${this.t.green('✔')} ${count} transaction${count === 1 ? '' : 's'} for Safe ${safe} on chain ${plan.chainId} written to ${file}`,
    )
    this.say(`  checksum    ${batch.meta.checksum}`)
    this.say(
      `  safeTxHash  ${plan.hashes.safeTxHash} ${this.t.dim(`(of this plan at nonce ${nonce}: compare with what Safe{Wallet} shows for the batch)`)}`,
    )
    return {
      file,
      planFile: args.plan,
      planId: plan.id,
      safeTxHash: plan.hashes.safeTxHash,
      nonce,
      transactions: count,
      checksum: batch.meta.checksum as Hex,
      batch,
    }
  }
}

/** `november.plan.json` → `november.txbuilder.json`, beside it. */
const defaultBatchPath = (planFile: string) => `${planFile.replace(/(\.plan)?\.json$/i, '')}.txbuilder.json`
