import { availableParallelism } from 'node:os'
import { type AnvilInstance, startAnvil } from '../chain/anvil.js'
import { type ForkRpc, forkRpc } from '../chain/forkRpc.js'
import { connect } from '../chain/provider.js'
import type { Address } from '../safe/types.js'
import {
  BRIDGE_MAX_BLOCKS,
  bridgeBlock,
  type PreparedBlock,
  prepareBlock,
  resimulateBlock,
  resimulationChain,
} from './resimulateBlock.js'
import type { ReplayBalance, ReplayOutcome, ResimulationFinding } from './resimulateCompare.js'
import { type ActiveRun, planResimulationRuns, splitRun } from './resimulateRuns.js'
import type { SafeExecution } from './safe/types.js'

export type ResimulationTarget = {
  safe: Address
  execution: SafeExecution
  /** Further addresses whose native balance is compared (e.g. the recipients of the Safe's calls). */
  watch?: Address[]
}

export type ResimulateExecutionsParameters = {
  /** The chain the executions happened on; the fork reads its state from here. */
  rpcUrl: string
  /** Checked against the node: the fork keeps it, so every hash and signature stays the chain's. */
  chainId: bigint
  targets: readonly ResimulationTarget[]
  /**
   * Reset the fork before every block, even right after the block before it was replayed identically (and
   * never replay the blocks between two targets). Slower (an `anvil_reset` is ~15 ms, and the state the
   * block reads is fetched from the chain again) and immune to state a replay changed without any visible
   * trace.
   */
  resetEveryBlock?: boolean
  /** anvil forks replaying blocks side by side: 2 by default (1 on a single core). */
  forks?: number
  onProgress?: (progress: ResimulationProgress) => void
}

export type ResimulationProgress = {
  done: number
  total: number
  blockNumber: number
  /** Which fork replayed the block (0-based), and how it came to the block's parent. */
  fork: number
  reached: ForkStep
}

/**
 * How a fork came to a block's parent: `started` there, `continued` from the block before (replayed
 * exactly), `bridged` by replaying the few blocks between, or `reset` to it.
 */
export type ForkStep = 'started' | 'continued' | 'bridged' | 'reset'

export type ResimulationResult = {
  target: ResimulationTarget
  /** True when nothing differs. */
  agreed: boolean
  findings: ResimulationFinding[]
  chain: ReplayOutcome
  /** Undefined when the block could not be replayed at all (the finding says why). */
  fork?: ReplayOutcome
  balances: ReplayBalance[]
}

/** How far past the block being yielded the forks may run ahead: bounds the results held. */
const WINDOW = 256
/** A run is split for an idle fork only with this many blocks left: the cut costs the new part a reset. */
const MIN_SPLIT = 8

/**
 * Re-executes each target's transaction at its block on anvil forks and compares it with the chain.
 *
 * For each block holding a target, a fork is brought to the parent block and the block's transactions are
 * sent again in their order, from their senders (impersonated), with their gas limits, fee fields and
 * nonces, then mined as one block with the block's timestamp, coinbase, base fee and gas limit. The whole
 * block is replayed, not only up to the target: balances can be read on the chain only at block
 * boundaries, so only a complete block compares them exactly, and with the real fees gas is paid on the
 * fork as it was on the chain.
 *
 * Bringing a fork to a parent block: a fork whose head reproduces that block exactly (the block before was
 * replayed with the chain's receipts root) goes on from there; so does one a few light blocks behind, by
 * replaying them too (`BRIDGE_MAX_BLOCKS`, `BRIDGE_MAX_TRANSACTIONS`) and checking their receipts roots;
 * otherwise `anvil_reset`, which costs ~15 ms and makes every later state read go to the chain again.
 * Starting anvil costs 0.1–1 s, so each fork serves many blocks: the target blocks are cut into runs of
 * neighbouring blocks (`planResimulationRuns`), the forks take the runs in block order (a fork with none
 * left takes the far half of the longest run in progress, `splitRun`), and the chain's side of the next
 * blocks (block, receipts, balances) is read while the forks replay.
 *
 * Not set: prevrandao (anvil has no method for it; an anvil chain happens to give the same value, a
 * real chain need not). Not replayable: blob transactions (the blobs are not in the block). A transaction
 * that cannot be sent again makes the block's targets RESIMULATION_FAILED.
 *
 * Results stream in block order, one per target, whichever fork replayed them; stopping the iteration
 * early stops every fork.
 */
export async function* resimulateExecutions({
  rpcUrl,
  chainId,
  targets,
  resetEveryBlock = false,
  forks,
  onProgress,
}: ResimulateExecutionsParameters): AsyncGenerator<ResimulationResult> {
  if (!targets.length) return
  const sorted = [...targets].sort(
    (a, b) =>
      a.execution.blockNumber - b.execution.blockNumber || a.execution.logIndex - b.execution.logIndex,
  )
  const groups = [...byBlock(sorted)]
  const blocks = groups.map((g) => g[0]!.execution.blockNumber)
  const forkCount = Math.max(1, Math.floor(forks ?? Math.min(2, availableParallelism())))
  const runs: ActiveRun[] = planResimulationRuns({ blocks, resetEveryBlock, maxGap: BRIDGE_MAX_BLOCKS }).map(
    (r) => ({ ...r, next: r.start }),
  )
  const runStarts = new Set(runs.map((r) => r.start))
  const upstream = await connect(rpcUrl, chainId, { timeoutMs: 60_000 })
  const chain = resimulationChain(upstream)

  // One slot per target block, filled by whichever fork replays it; the consumer takes them in order.
  const slots: (Deferred<{ results: ResimulationResult[]; fork: number; reached: ForkStep }> | undefined)[] =
    groups.map(() => deferred<{ results: ResimulationResult[]; fork: number; reached: ForkStep }>())
  const prepared = new Map<number, Promise<PreparedBlock>>()
  const prepare = (i: number) => {
    let p = prepared.get(i)
    if (!p && i < groups.length) {
      p = prepareBlock(chain, blocks[i]!, groups[i]!, runStarts.has(i) ? undefined : blocks[i - 1])
      // Read ahead and perhaps never awaited (the iteration stopped): a failure is met where it is awaited.
      p.catch(() => {})
      prepared.set(i, p)
    }
    return p
  }
  let consumed = 0
  let stopped = false
  const waiting = new Set<() => void>()
  const wake = () => {
    for (const w of waiting) w()
    waiting.clear()
  }
  // Each wait registers its own way out and removes it when done: racing every wait against one promise
  // that settles only at the end would keep every block read so far reachable from it until then.
  const onStop = new Set<(err: Error) => void>()
  const untilStopped = <T>(p: Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      onStop.add(reject)
      p.then(resolve, reject).finally(() => onStop.delete(reject))
    })

  let nextRun = 0
  const active = new Set<ActiveRun>()
  const take = () =>
    nextRun < runs.length
      ? runs[nextRun++]
      : forkCount > 1
        ? splitRun(active, { minBlocks: MIN_SPLIT, maxAhead: WINDOW / 2 })
        : undefined
  const work = async (forkIndex: number) => {
    let fork: { anvil: AnvilInstance; rpc: ForkRpc } | undefined
    // The block whose state the fork's head reproduces exactly, if any.
    let head: number | undefined
    try {
      for (let run = take(); run && !stopped; run = take()) {
        active.add(run)
        // `run.end` may move back meanwhile: another fork took the rest.
        while (run.next < run.end) {
          const i = run.next++
          while (!stopped && i >= consumed + WINDOW) await new Promise<void>((r) => waiting.add(r))
          if (stopped) return
          const blockNumber = blocks[i]!
          try {
            // This fork's next block and the other forks' (they take their runs in block order too), and
            // at the end of a run the next run's first block, which this fork may take.
            for (let k = 1; k <= forkCount; k++) prepare(i + k)
            if (i === run.end - 1 && nextRun < runs.length) prepare(runs[nextRun]!.start)
            const block = await untilStopped(prepare(i)!)
            let reached: ForkStep = 'continued'
            if (!fork) {
              fork = await startFork(rpcUrl, chainId, blockNumber - 1)
              if (stopped) return
              reached = 'started'
            } else if (head !== blockNumber - 1) {
              const bridged =
                !resetEveryBlock &&
                block.bridge !== undefined &&
                head === blocks[i - 1] &&
                (await bridgeAll(fork.rpc, block.bridge))
              // A reset without the URL keeps the fork's connection to the chain: half the cost.
              if (!bridged)
                await fork.rpc.send('anvil_reset', [{ forking: { blockNumber: blockNumber - 1 } }])
              reached = bridged ? 'bridged' : 'reset'
            }
            const { results, exact } = await resimulateBlock(chain, fork.rpc, block)
            prepared.delete(i)
            head = exact && !resetEveryBlock ? blockNumber : undefined
            slots[i]!.resolve({ results, fork: forkIndex, reached })
          } catch (err) {
            // Met by the consumer at this block, after every result before it.
            slots[i]!.reject(err)
            return
          }
        }
        active.delete(run)
      }
    } finally {
      fork?.rpc.close()
      await fork?.anvil.stop()
    }
  }
  // A worker that finds nothing to take ends before it has started a fork.
  const workers = Array.from({ length: forkCount }, (_, k) => work(k))

  try {
    let done = 0
    for (let i = 0; i < groups.length; i++) {
      const { results, fork, reached } = await slots[i]!.promise
      // Released once taken: the caller holds what it keeps of the results, and nothing else should.
      slots[i] = undefined
      consumed = i + 1
      wake()
      for (const result of results) {
        done++
        yield result
      }
      onProgress?.({ done, total: sorted.length, blockNumber: blocks[i]!, fork, reached })
    }
  } finally {
    stopped = true
    for (const reject of onStop) reject(new Error('re-simulation stopped'))
    onStop.clear()
    wake()
    await Promise.allSettled(workers)
    upstream.destroy()
  }
}

async function startFork(
  rpcUrl: string,
  chainId: bigint,
  forkBlock: number,
): Promise<{ anvil: AnvilInstance; rpc: ForkRpc }> {
  const anvil = await startAnvil({
    chainId: Number(chainId),
    forkUrl: rpcUrl,
    forkBlock: BigInt(forkBlock),
    extraArgs: [
      '--auto-impersonate',
      // Mined in the order sent (the block's order), not by fee.
      '--order',
      'fifo',
      '--no-mining',
      // No cache on disk: a fork serves one re-simulation (resets measured the same with or without it).
      '--no-storage-caching',
      // anvil funds its own dev accounts with 10,000 ETH on every fork and reset; those are the devnet's
      // (and many test chains') accounts, so their real balances would be overwritten.
      '--accounts',
      '0',
    ],
    readyTimeoutMs: 30_000,
  })
  return { anvil, rpc: forkRpc(anvil.url, { timeoutMs: 60_000 }) }
}

/** Replays the gap's blocks in order; false as soon as one is not reproduced exactly. */
async function bridgeAll(fork: ForkRpc, gap: PreparedBlock['bridge'] & {}): Promise<boolean> {
  for (const block of gap) if (!(await bridgeBlock(fork, block))) return false
  return true
}

function* byBlock(targets: ResimulationTarget[]): Generator<ResimulationTarget[]> {
  let group: ResimulationTarget[] = []
  for (const t of targets) {
    if (group.length && group[0]!.execution.blockNumber !== t.execution.blockNumber) {
      yield group
      group = []
    }
    group.push(t)
  }
  if (group.length) yield group
}

type Deferred<T> = { promise: Promise<T>; resolve(value: T): void; reject(err: unknown): void }
function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void
  let reject!: (err: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  // Awaited later, or never if the iteration stops first: no unhandled rejection in between.
  promise.catch(() => {})
  return { promise, resolve, reject }
}
