import { Flags } from '@oclif/core'
import { type AllianceState, readAllianceState } from '../src/chain/readAllianceState.js'
import type { SafeState } from '../src/chain/safeReads.js'
import { AllianceCommand } from '../src/cli/baseCommand.js'
import { type ChainSession, decodeContext, openChain, openWorkspace } from '../src/cli/context.js'
import { openQueue, type QueueFlagValues, queueFlags } from '../src/cli/queueInput.js'
import { acceptedSignatures } from '../src/execute/contractSignatures.js'
import { listProposals } from '../src/governor/listProposals.js'
import { reviewQueue } from '../src/queue/reviewQueue.js'
import { renderAllianceStatus, type StatusView, viewStatus } from '../src/render/statusView.js'
import type { Workspace } from '../src/workspace/loadWorkspace.js'

/**
 * The chain state, the pending Governor proposals and (`queued?`) the council transactions waiting in a
 * proposal queue; bigints are decimal strings in the JSON envelope.
 */
export type StatusResult = StatusView

export default class Status extends AllianceCommand {
  static override summary =
    'The alliance at a glance: Safes, treasury balances and budgets, vaults, members, pending proposals.'
  static override description =
    "Reads every Safe of the workspace (owners, threshold, nonce, version), each treasury's balances and what remains of its budget per token in the current epoch (from the treasury's own views) with the epoch's end, each vault's TVL and reward rate, each registry's members and weights, and each governor's proposals that are Pending, Active, Succeeded or Queued. Contract reads are made at one block."
  static override examples = [
    '<%= config.bin %> status',
    '<%= config.bin %> status --json',
    '<%= config.bin %> status --from-block 19000000 --rpc-url https://eth.example',
  ]
  static override flags = {
    ...queueFlags,
    'from-block': Flags.integer({
      summary: "Read the governors' proposal events from this block (default 0; set it on long chains).",
      min: 0,
    }),
  }

  async run(): Promise<StatusResult> {
    const { flags } = await this.parse(Status)
    const workspace = openWorkspace(flags.workspace)
    const chain = await openChain(workspace, flags['rpc-url'])
    try {
      const state = await readAllianceState(chain.provider, workspace)
      const governors = await Promise.all(
        Object.entries(workspace.config.contracts)
          .filter(([, c]) => c.type === 'governor')
          .map(async ([name, c]) => ({
            name,
            address: c.address,
            proposals: await listProposals(chain.provider, c.address, {
              logs: chain.logs,
              fromBlock: flags['from-block'] ?? 0,
              toBlock: state.block.number,
            }),
          })),
      )
      const queued = await this.readQueue(workspace, flags, state, chain)
      const status = viewStatus(state, { governors, ...(queued ? { queued } : {}) })
      this.say(renderAllianceStatus(status, workspace.book, decodeContext(workspace), this.t))
      return status
    } finally {
      chain.close()
    }
  }

  /** Each readable Safe's pending transactions, re-verified, when a queue is configured (else none). */
  private async readQueue(
    workspace: Workspace,
    flags: QueueFlagValues,
    state: AllianceState,
    chain: ChainSession,
  ): Promise<StatusView['queued']> {
    const configured = flags['tx-service-url'] ?? flags['queue-dir'] ?? workspace.config.queue
    if (!configured) return undefined
    const queue = await openQueue(workspace, flags)
    const chainId = await chain.reads.chainId()
    const decode = decodeContext(workspace)
    const entries = await Promise.all(
      state.safes
        .filter((s): s is SafeState & { name: string } => !('unreadable' in s))
        .map(async (safe) => {
          const list = await reviewQueue(
            queue,
            safe,
            chainId,
            decode,
            (a) => workspace.book.label(a),
            (plan) => acceptedSignatures(chain.provider, plan, safe.address),
          )
          return list.map((e) => ({ ...e, safe: safe.address }))
        }),
    )
    return entries.flat()
  }
}
