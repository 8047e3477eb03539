import { join } from 'node:path'
import { Flags } from '@oclif/core'
import { providerLogSource } from '../../src/chain/logSource.js'
import { AllianceCommand } from '../../src/cli/baseCommand.js'
import { openChain, openWorkspace } from '../../src/cli/context.js'
import { InvalidFlagError } from '../../src/errors/input.js'
import { exportSafeHistory } from '../../src/history/exportActions.js'
import type { Hex } from '../../src/safe/types.js'
import { writeFileAtomic } from '../../src/utils/atomicWrite.js'

export type HistoryExportResult = {
  safe: string
  files: {
    file: string
    blockNumber: number
    nonce: string
    safeTxHash: Hex
    actions: number
    skipped: string[]
  }[]
  /** Executions no file was written for, and why. */
  skipped: { transactionHash: Hex; safeTxHash: Hex; blockNumber: number; reasons: string[] }[]
}

export default class HistoryExport extends AllianceCommand {
  static override summary = "Write a Safe's past executions back as action files."
  static override description =
    'Finds the executions from their logs, recovers each execTransaction, decodes its calls into alliance actions and writes one action file per execution (<block>-<nonce>.yaml), so a past payout can be planned again. Each action is re-encoded before it is written and must give the executed call byte for byte; a call no action kind reproduces is left out and named in a comment.'
  static override examples = [
    '<%= config.bin %> history export --safe council --as yaml --out past/',
    '<%= config.bin %> history export --safe council --tx 0xabc… --as yaml --out past/ --json',
  ]
  static override flags = {
    safe: Flags.string({ summary: 'The Safe: a name from alliance.yaml or an address.', required: true }),
    'from-block': Flags.integer({ summary: 'First block to read (default 0).', min: 0 }),
    'to-block': Flags.integer({ summary: 'Last block (default: the head).', min: 0 }),
    tx: Flags.string({ summary: 'Only the executions of this transaction hash.' }),
    as: Flags.option({ options: ['yaml'] as const, summary: 'File format.', default: 'yaml' })(),
    out: Flags.directory({ summary: 'Directory to write the files to.', required: true }),
  }

  async run(): Promise<HistoryExportResult> {
    const { flags } = await this.parse(HistoryExport)
    const workspace = openWorkspace(flags.workspace)
    const safe = workspace.book.resolveAddress(flags.safe)
    if (!safe.ok) throw new InvalidFlagError('--safe', safe.reason)
    if (flags.tx !== undefined && !/^0x[0-9a-fA-F]{64}$/.test(flags.tx))
      throw new InvalidFlagError('--tx', 'expected a 32-byte transaction hash (0x + 64 hex digits)')
    const chain = await openChain(workspace, flags['rpc-url'])
    try {
      const toBlock = flags['to-block'] ?? (await chain.provider.getBlockNumber())
      const fromBlock = flags['from-block'] ?? 0
      if (toBlock < fromBlock) throw new InvalidFlagError('--to-block', 'must not be before --from-block')
      const exported = await exportSafeHistory({
        chain: chain.provider,
        logs: providerLogSource(chain.provider),
        safe: safe.value,
        fromBlock,
        toBlock,
        ...(flags.tx ? { transactionHash: flags.tx as Hex } : {}),
        workspace,
      })
      const result: HistoryExportResult = { safe: safe.value, files: [], skipped: [] }
      for (const e of exported) {
        if (e.yaml && e.fileName) {
          const file = join(flags.out, e.fileName)
          writeFileAtomic(file, e.yaml)
          result.files.push({
            file,
            blockNumber: e.execution.blockNumber,
            nonce: String(e.nonce),
            safeTxHash: e.execution.safeTxHash,
            actions: e.exported,
            skipped: e.skipped,
          })
          this.say(
            `${this.t.green('✔')} ${file}  ${e.exported} action(s)${e.skipped.length ? this.t.yellow(`, ${e.skipped.length} call(s) left out`) : ''}`,
          )
        } else {
          result.skipped.push({
            transactionHash: e.execution.transactionHash,
            safeTxHash: e.execution.safeTxHash,
            blockNumber: e.execution.blockNumber,
            reasons: e.skipped,
          })
          this.say(
            `${this.t.yellow('!')} block ${e.execution.blockNumber} ${e.execution.safeTxHash}: nothing exported (${e.skipped.join('; ')})`,
          )
        }
      }
      this.say(`${result.files.length} file(s) written to ${flags.out}`)
      return result
    } finally {
      chain.close()
    }
  }
}
