import { id } from 'ethers'
import { EXEC_TRANSACTION_SELECTOR } from '../../safe/execTransaction.js'
import type { Address, Hex } from '../../safe/types.js'
import { readSafeAt, type SafeHistoryChain, type SafeStateAt } from './safeStateAt.js'
import type { SafeExecution } from './types.js'

// topic0 ignores `indexed`: one topic each for every Safe version.
export const MODULE_EXECUTION_TOPICS = [
  id('ExecutionFromModuleSuccess(address)'),
  id('ExecutionFromModuleFailure(address)'),
] as Hex[]

/** What the top-level call of an execution's transaction tells about it, enough to know it left owners alone. */
export type ExecutionShape = {
  /** True unless the call was a plain CALL from the Safe to another contract, read from its own calldata. */
  mayChangeSafe: boolean
}

/** A state as the timeline gives it: read at `readAt`, and `derived` for `blockTag` when the two differ. */
export type TimelineState = SafeStateAt & {
  derived: boolean
  /**
   * Where it was read. Between there and `blockTag` only the nonce moved: the Safe's code, singleton and
   * storage other than the nonce are as they were, so a call whose answer depends on nothing else (such
   * as `getTransactionHash`, which takes the nonce as an argument) answers the same at either block.
   */
  readAt: number
}

export type SafeStateTimelineParameters = {
  chain: SafeHistoryChain
  safe: Address
  /** Every execution of the range, in chain order. */
  executions: readonly SafeExecution[]
  /**
   * Blocks in which the Safe's configuration may have changed other than by one of `executions`: its
   * configuration events (owners, threshold, modules, guards, setup) and its module executions.
   */
  changeBlocks: Iterable<number>
}

export type SafeStateTimeline = {
  /**
   * VERSION, nonce, owners and threshold at the parent block of `executions[index]`: derived from the
   * state before the previous execution when nothing in between could have changed them, read otherwise.
   * Call it (and `transaction`) for an execution before awaiting anything: a later execution derives from it.
   */
  stateBefore(index: number): Promise<TimelineState>
  /** Hands over execution `index`'s transaction (being fetched), from which its shape is read. */
  transaction(index: number, tx: Promise<{ to: string | null; data: string } | null>): void
  /** Replaces a derived state that proved wrong (its hash did not match) with the one read from the chain. */
  correct(index: number, state: SafeStateAt): void
}

/**
 * The Safe's state before each execution with one read per stretch of plain executions instead of four
 * reads per execution. Between two executions only these change the Safe's storage: an execTransaction
 * (which increments the nonce, and may call the Safe itself or delegatecall code that writes anything),
 * a module's execution, and the owner-manager functions those two reach (which emit configuration events).
 * So when every execution in between is a plain CALL to another contract, and no configuration event or
 * module execution lies in between, the state is the previous one with the nonce raised by the executions
 * in between. Anything else (a delegatecall such as a MultiSend batch, a call to the Safe itself, a
 * transaction whose execTransaction is nested in a trace, a configuration event) reads the state again, so
 * owners are never inferred from events (whose order `getOwners` would not follow after a swapOwner).
 *
 * The derived nonce is checked by the logged safeTxHash, which commits to it: the caller re-verifies with
 * read state any execution whose hash does not match (`correct`), so a nonce written behind the Safe's
 * back shows exactly as it did when every state was read.
 */
export function safeStateTimeline({
  chain,
  safe,
  executions,
  changeBlocks,
}: SafeStateTimelineParameters): SafeStateTimeline {
  const changes = [...new Set(changeBlocks)].sort((a, b) => a - b)
  // Executions sharing a transaction: the top-level call describes at most one of them.
  const perTransaction = new Map<string, number>()
  for (const e of executions) {
    const key = e.transactionHash.toLowerCase()
    perTransaction.set(key, (perTransaction.get(key) ?? 0) + 1)
  }
  const states: (Promise<TimelineState> | undefined)[] = new Array(executions.length)
  const shapes: (Promise<ExecutionShape> | undefined)[] = new Array(executions.length)

  const read = async (blockTag: number) => {
    return { ...(await readSafeAt(chain, safe, blockTag)), derived: false, readAt: blockTag }
  }
  /** Whether a configuration event or module execution lies in blocks [from, to]. */
  const changedWithin = (from: number, to: number) => {
    let lo = 0
    let hi = changes.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (changes[mid]! < from) lo = mid + 1
      else hi = mid
    }
    return lo < changes.length && changes[lo]! <= to
  }

  async function derive(index: number): Promise<TimelineState> {
    const execution = executions[index]!
    const parent = execution.blockNumber - 1
    const previous = index > 0 ? executions[index - 1]! : undefined
    const before = index > 0 ? states[index - 1] : undefined
    // The first execution, or one after an execution answered from the record cache: nothing to derive from.
    if (!previous || !before) return read(parent)
    if (previous.blockNumber === execution.blockNumber) return before
    // Blocks (previous parent, this parent]: the previous execution's block and the quiet ones after it.
    // Only executions of the previous execution's block lie there (executions are in chain order).
    if (changedWithin(previous.blockNumber, parent)) return read(parent)
    let first = index - 1
    while (first > 0 && executions[first - 1]!.blockNumber === previous.blockNumber) first--
    // Shapes before `first` are needed by no later execution.
    for (let j = first - 1; j >= 0 && shapes[j]; j--) shapes[j] = undefined
    const between = shapes.slice(first, index)
    if (between.some((s) => !s)) return read(parent)
    const [state, ...done] = await Promise.all([before, ...between])
    if (done.some((s) => s!.mayChangeSafe)) return read(parent)
    return { ...state!, blockTag: parent, nonce: state!.nonce + BigInt(index - first), derived: true }
  }

  return {
    stateBefore(index) {
      let state = states[index]
      if (!state) {
        state = derive(index)
        states[index] = state
        // Only the next execution derives from this one: older entries can go (a 10,000-execution history
        // keeps a few hundred bytes, not ten thousand promises).
        if (index >= 2) states[index - 2] = undefined
      }
      return state
    },
    transaction(index, tx) {
      const count = perTransaction.get(executions[index]!.transactionHash.toLowerCase()) ?? 0
      // A failed fetch fails its own execution; for the next one it only means reading the state again.
      shapes[index] = tx.then(
        (t) => (t ? executionShape(t, safe, count) : { mayChangeSafe: true }),
        () => ({ mayChangeSafe: true }),
      )
    },
    correct(index, state) {
      states[index] = Promise.resolve({ ...state, derived: false, readAt: state.blockTag })
    },
  }
}

/**
 * The shape of an execution from its transaction: a direct `execTransaction` to the Safe that is the only
 * execution in its transaction, with operation CALL and a target other than the Safe, cannot change the
 * Safe's state beyond its nonce. The target and operation are read from the calldata's head words (to is
 * word 0, operation word 3), not ABI-decoded: recovery decodes the call fully anyway.
 */
export function executionShape(
  tx: { to: string | null; data: string },
  safe: Address,
  executionsInTransaction: number,
): ExecutionShape {
  const data = tx.data.toLowerCase()
  if (
    executionsInTransaction !== 1 ||
    tx.to?.toLowerCase() !== safe.toLowerCase() ||
    !data.startsWith(EXEC_TRANSACTION_SELECTOR) ||
    data.length < 10 + 64 * 4
  )
    return { mayChangeSafe: true }
  const word = (i: number) => data.slice(10 + 64 * i, 10 + 64 * (i + 1))
  const to = word(0)
  const plainCall = /^0{64}$/.test(word(3))
  const cleanAddress = to.startsWith('0'.repeat(24))
  return { mayChangeSafe: !plainCall || !cleanAddress || to.slice(24) === safe.toLowerCase().slice(2) }
}
