import { Flags } from '@oclif/core'
import { AllianceCommand } from '../src/cli/baseCommand.js'
import { decodeContext, openChain, openWorkspace } from '../src/cli/context.js'
import { openQueue, queueFlags } from '../src/cli/queueInput.js'
import { InvalidFlagError } from '../src/errors/input.js'
import { acceptedSignatures } from '../src/execute/contractSignatures.js'
import { type QueueEntry, reviewQueue } from '../src/queue/reviewQueue.js'
import { renderQueue } from '../src/render/queueView.js'

export type QueueResult = {
  safe: string
  nonce: string
  threshold: number
  queue: string
  transactions: QueueEntry[]
}

export default class Queue extends AllianceCommand {
  static override summary =
    "A Safe's pending transactions by nonce, each re-verified, with its confirmations."
  static override description =
    `Lists what the queue (the Safe Transaction Service, or a shared directory) holds for the Safe from its current nonce on. Every entry is recomputed here: its safeTxHash from its fields (with the Safe's version and the chain id read from the chain), every confirmation recovered to its owner. An entry whose hash or fields do not hold is flagged and must not be signed; transactions sharing a nonce are flagged (only one can ever execute); confirmations that do not recover to a current owner are listed and not counted.`
  static override examples = [
    '<%= config.bin %> queue',
    '<%= config.bin %> queue --safe council --tx-service-url https://safe-tx.example.org/api --json',
    '<%= config.bin %> queue --queue-dir /mnt/usb/queue',
  ]
  static override flags = {
    ...queueFlags,
    safe: Flags.string({ summary: 'The Safe by name or address (default: the workspace has one).' }),
  }

  async run(): Promise<QueueResult> {
    const { flags } = await this.parse(Queue)
    const workspace = openWorkspace(flags.workspace)
    const safeRef = workspace.book.resolveSafe(flags.safe)
    if (!safeRef.ok) throw new InvalidFlagError('--safe', safeRef.reason)
    const chain = await openChain(workspace, flags['rpc-url'])
    try {
      const queue = await openQueue(workspace, flags)
      const safe = await chain.reads.readSafe(safeRef.value.address)
      const transactions = await reviewQueue(
        queue,
        safe,
        await chain.reads.chainId(),
        decodeContext(workspace),
        (a) => workspace.book.label(a),
        (plan) => acceptedSignatures(chain.provider, plan, safe.address),
      )
      this.say(renderQueue(transactions, safe, workspace.book, this.t))
      return {
        safe: safe.address,
        nonce: safe.nonce.toString(),
        threshold: safe.threshold,
        queue: queue.description,
        transactions,
      }
    } finally {
      chain.close()
    }
  }
}
