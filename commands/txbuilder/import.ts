import { readFileSync } from 'node:fs'
import { Args, Flags } from '@oclif/core'
import type { ChalkInstance } from 'chalk'
import { AllianceCommand } from '../../src/cli/baseCommand.js'
import { decodeContext, openChain, openWorkspace } from '../../src/cli/context.js'
import { formatArgLines, formatEth } from '../../src/decode/formatValue.js'
import { InputFileNotFoundError } from '../../src/errors/input.js'
import {
  TxBuilderBadChecksumError,
  TxBuilderMissingChecksumError,
  TxBuilderRefusedError,
} from '../../src/errors/txbuilder.js'
import { buildSafePlan } from '../../src/plan/buildSafePlan.js'
import { writePlanFile } from '../../src/plan/planFile.js'
import type { SafePlan } from '../../src/plan/types.js'
import { ok } from '../../src/render/envelope.js'
import { renderPlan, viewPlan } from '../../src/render/planView.js'
import type { Address, Hex } from '../../src/safe/types.js'
import type { ChecksumCheck } from '../../src/txbuilder/checksum.js'
import {
  type ImportedTransaction,
  type TxBuilderProblem,
  type TxBuilderToActionCallsReturnType,
  txBuilderActionFile,
  txBuilderToActionCalls,
} from '../../src/txbuilder/importBatch.js'
import type { TransactionDataSource } from '../../src/txbuilder/transactionData.js'
import type { AddressBook } from '../../src/workspace/addressBook.js'
import type { Workspace } from '../../src/workspace/loadWorkspace.js'

export type TxBuilderImportResult = {
  file: string
  /** The plan written, or null when the file was refused (nothing is written then). */
  planFile: string | null
  /** True only when meta.checksum is present and equals the recomputed checksum. */
  checksumValid: boolean
  checksum: ChecksumCheck
  chainId: string
  safe: { name?: string; address: Address } | null
  transactions: {
    index: number
    to: Address
    value: bigint
    data: Hex | null
    dataFrom: TransactionDataSource | null
    signature: string | null
    args: { name: string; type: string; value: unknown }[] | null
    description: string
  }[]
  problems: TxBuilderProblem[]
  warnings: string[]
  plan: SafePlan | null
}

export default class TxbuilderImport extends AllianceCommand {
  static override summary = 'Turn a Safe Transaction Builder batch file into a plan, after checking it.'
  static override description =
    "Recomputes the Transaction Builder checksum (a mismatch or a missing checksum is refused unless --allow-bad-checksum), checks that the batch is for the workspace's chain and one of its Safes, derives every transaction's calldata as Safe{Wallet} would (refusing values that do not encode, which Safe{Wallet} silently turns into empty calls), decodes it, and plans all transactions as one MultiSendCallOnly batch with every hash checked on chain."
  static override examples = [
    '<%= config.bin %> txbuilder import "November grants.json"',
    '<%= config.bin %> txbuilder import batch.json --out plans/november.plan.json --json',
  ]
  static override args = {
    file: Args.file({ description: 'Transaction Builder batch file (JSON)', required: true, exists: true }),
  }
  static override flags = {
    out: Flags.file({ char: 'o', summary: 'Where to write the plan (default: FILE with .plan.json).' }),
    'allow-bad-checksum': Flags.boolean({
      summary: 'Import a file whose checksum is wrong or missing (it was edited since it was generated).',
    }),
    nonce: Flags.integer({
      summary: "Plan for this nonce instead of the Safe's next one (queue behind others).",
      min: 0,
    }),
  }

  async run(): Promise<TxBuilderImportResult> {
    const { args, flags } = await this.parse(TxbuilderImport)
    const workspace = openWorkspace(flags.workspace)
    let text: string
    try {
      text = readFileSync(args.file, 'utf8')
    } catch {
      throw new InputFileNotFoundError(args.file, 'Transaction Builder file')
    }
    const imported = txBuilderToActionCalls({ file: args.file, text }, workspace)
    const result = importResult(imported)
    const { checksum } = imported
    const allowed = imported.checksumValid || flags['allow-bad-checksum']
    const refused = !allowed || imported.problems.length > 0
    // A refused file is listed call by call here; an accepted one is shown in full by the plan view below.
    this.say(this.renderImport(imported, workspace, { calls: refused }))

    if (!allowed) {
      this.failWith(
        result,
        checksum.status === 'missing'
          ? new TxBuilderMissingChecksumError(args.file, checksum.expected)
          : new TxBuilderBadChecksumError(args.file, checksum.found ?? '', checksum.expected),
      )
    }
    if (imported.problems.length)
      this.failWith(result, new TxBuilderRefusedError(args.file, imported.problems))
    if (!imported.checksumValid) {
      result.warnings.unshift(checksumWarning(checksum))
      this.logToStderr(
        this.t.red.bold(
          `\n!!! ${checksumWarning(checksum)}\n!!! Importing anyway (--allow-bad-checksum): review every call below.\n`,
        ),
      )
    }

    const actionFile = txBuilderActionFile(imported, text)
    const chain = await openChain(workspace, flags['rpc-url'])
    try {
      const plan = await buildSafePlan(actionFile, chain.reads, {
        ...(flags.nonce === undefined ? {} : { nonce: BigInt(flags.nonce) }),
      })
      const planFile = flags.out ?? `${args.file.replace(/\.json$/i, '')}.plan.json`
      writePlanFile(planFile, plan)
      const view = viewPlan(plan, decodeContext(workspace))
      this.say(`\n${renderPlan(view, workspace.book, this.t)}`)
      this.say(
        `\n${this.t.green('✔')} safeTxHash matches the Safe's own getTransactionHash. Plan written to ${planFile}`,
      )
      return { ...result, planFile, plan, warnings: [...result.warnings, ...view.warnings] }
    } finally {
      chain.close()
    }
  }

  // The checksum verdict also goes to the envelope's warnings, where scripts look for trouble.
  protected override toSuccessJson(result: unknown) {
    const r = result as TxBuilderImportResult
    return ok(
      result,
      r.checksumValid
        ? []
        : [
            {
              code: r.checksum.status === 'missing' ? 'TXBUILDER_MISSING_CHECKSUM' : 'TXBUILDER_BAD_CHECKSUM',
              message: checksumWarning(r.checksum),
            },
          ],
    )
  }

  private renderImport(
    imported: TxBuilderToActionCallsReturnType,
    workspace: Workspace,
    { calls }: { calls: boolean },
  ): string {
    const { batch, checksum } = imported
    const t = this.t
    const book = workspace.book
    const out: string[] = []
    out.push(t.bold(`Transaction Builder batch ${batch.meta.name ? `"${batch.meta.name}"` : imported.file}`))
    const safe = batch.meta.createdFromSafeAddress || '(none)'
    out.push(
      `  Chain ${batch.chainId}, Safe ${imported.safe?.name ? `${imported.safe.name} (${safe})` : safe}`,
    )
    const count = batch.transactions.length
    const by = batch.meta.txBuilderVersion ? ` by ${batch.meta.txBuilderVersion}` : ''
    out.push(
      `  ${count} transaction${count === 1 ? '' : 's'}, created ${new Date(batch.createdAt).toISOString()}${by}`,
    )
    if (checksum.status === 'valid') out.push(`  Checksum ${t.green('valid')} ${checksum.expected}`)
    else if (checksum.status === 'missing')
      out.push(`  Checksum ${t.red.bold('MISSING')} (recomputed ${checksum.expected})`)
    else
      out.push(
        `  Checksum ${t.red.bold('DOES NOT MATCH')}: file ${checksum.found}, recomputed ${checksum.expected}`,
      )
    if (calls) {
      out.push('')
      out.push(t.bold('Transactions, decoded from the calldata they send'))
      for (const c of imported.calls) out.push(...renderTransaction(c, book, t))
    }
    for (const p of imported.problems) out.push(t.red(`  ✘ ${p.message}`))
    for (const w of imported.warnings) out.push(t.yellow(`  ! ${w}`))
    return out.join('\n')
  }
}

function renderTransaction(c: ImportedTransaction, book: AddressBook, t: ChalkInstance): string[] {
  const d = c.decoded
  if (!d) return [`  ${c.index + 1}. ${t.red(c.description)}`]
  const out = [`  ${c.index + 1}. ${c.description}`]
  const value = d.value ? `, sends ${formatEth(d.value)}` : ''
  const how = c.dataFrom === 'contractMethod' ? t.dim(' (encoded from contractMethod)') : ''
  if (d.functionName) {
    out.push(`       ${book.label(d.to)}.${d.signature}${value}${how}`)
    const lines = formatArgLines(d, book)
    const width = Math.max(0, ...lines.map((l) => l.name.length))
    for (const l of lines) out.push(`         ${l.name.padEnd(width)}  ${l.value}`)
  } else if (d.data !== '0x') {
    out.push(
      `       ${book.label(d.to)} ${t.red(`unknown function, ${(d.data.length - 2) / 2} bytes: ${d.data.slice(0, 10)}…`)}${value}`,
    )
  }
  return out
}

function importResult(imported: TxBuilderToActionCallsReturnType): TxBuilderImportResult {
  return {
    file: imported.file,
    planFile: null,
    checksumValid: imported.checksumValid,
    checksum: imported.checksum,
    chainId: imported.batch.chainId,
    safe: imported.safe ?? null,
    transactions: imported.calls.map((c) => ({
      index: c.index,
      to: c.to,
      value: c.value,
      data: c.call?.data ?? null,
      dataFrom: c.dataFrom ?? null,
      signature: c.decoded?.signature ?? null,
      args: c.decoded?.args ?? null,
      description: c.description,
    })),
    problems: imported.problems,
    warnings: [...imported.warnings],
    plan: null,
  }
}

const checksumWarning = (c: ChecksumCheck) =>
  c.status === 'missing'
    ? 'the batch file has no checksum: edits to it cannot be detected'
    : `the batch file's checksum ${c.found} does not match its content (${c.expected}): it was modified after it was generated`
