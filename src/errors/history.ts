import { AllianceError } from './base.js'

export type MalformedSafeLogErrorType = MalformedSafeLogError & { name: 'MalformedSafeLogError' }
/** A log the node returned for our filter does not have the Safe event's shape: the node or filter is wrong. */
export class MalformedSafeLogError extends AllianceError {
  override name = 'MalformedSafeLogError'
  constructor(where: string, reason: string) {
    super(`Log ${where} is not a Safe event alliance can read: ${reason}`, {
      code: 'MALFORMED_SAFE_LOG',
      hint: 'check that the RPC node returns logs for the Safe address asked for',
    })
  }
}

export type ExecutionTransactionMissingErrorType = ExecutionTransactionMissingError & {
  name: 'ExecutionTransactionMissingError'
}
/** The node logged an execution but does not return its transaction (a pruned or inconsistent node). */
export class ExecutionTransactionMissingError extends AllianceError {
  override name = 'ExecutionTransactionMissingError'
  constructor(transactionHash: string) {
    super(`The node does not return transaction ${transactionHash}, which emitted a Safe execution`, {
      code: 'EXECUTION_TRANSACTION_MISSING',
      hint: 'use an archive node: history replay reads old transactions and state',
    })
  }
}

export type HistoryRangeErrorType = HistoryRangeError & { name: 'HistoryRangeError' }
/** A history range that cannot be read: a start after the end, or a negative block. */
export class HistoryRangeError extends AllianceError {
  override name = 'HistoryRangeError'
  constructor(fromBlock: number, toBlock: number) {
    super(`Cannot replay blocks ${fromBlock}…${toBlock}: the range is empty or negative`, {
      code: 'HISTORY_BAD_RANGE',
      hint: 'Give --from-block no greater than --to-block, both at least 0.',
    })
  }
}

export type HistoryBlockAfterHeadErrorType = HistoryBlockAfterHeadError & {
  name: 'HistoryBlockAfterHeadError'
}
/** A range that ends past the chain's head: the node would refuse it, and "the future" has no history. */
export class HistoryBlockAfterHeadError extends AllianceError {
  override name = 'HistoryBlockAfterHeadError'
  constructor(toBlock: number, head: number) {
    super(`--to-block ${toBlock} is after the chain's head (block ${head})`, {
      code: 'HISTORY_BLOCK_AFTER_HEAD',
      hint: `Leave --to-block out to replay up to the head, or give a block up to ${head}.`,
    })
  }
}

export type HistoryFindingsErrorType = HistoryFindingsError & { name: 'HistoryFindingsError' }
/** The replay ran to the end and found something at or above the `--fail-on` level. */
export class HistoryFindingsError extends AllianceError {
  override name = 'HistoryFindingsError'
  constructor(counts: { error: number; warning: number }, failOn: 'error' | 'warning') {
    const parts = [`${counts.error} error${counts.error === 1 ? '' : 's'}`]
    if (failOn === 'warning') parts.push(`${counts.warning} warning${counts.warning === 1 ? '' : 's'}`)
    super(`The history has findings at or above --fail-on ${failOn}: ${parts.join(', ')}`, {
      code: 'HISTORY_FINDINGS',
      hint: 'Read the findings above (or in the report); each names the transaction and what disagrees.',
    })
  }
}

export type HistoryStateUnavailableErrorType = HistoryStateUnavailableError & {
  name: 'HistoryStateUnavailableError'
}
/** The node no longer has the state before an execution: it is not an archive node (or prunes its history). */
export class HistoryStateUnavailableError extends AllianceError {
  override name = 'HistoryStateUnavailableError'
  constructor(blockNumber: number, cause: unknown) {
    super(`The node has no state at block ${blockNumber}, which the replay reads to verify an execution`, {
      code: 'HISTORY_STATE_UNAVAILABLE',
      details: [
        ((cause as { info?: { error?: { message?: string } } })?.info?.error?.message ?? String(cause)).split(
          '\n',
        )[0]!,
      ],
      hint: 'Use an archive node (or, on anvil, start it with --prune-history N or --max-persisted-states N, N above the chain length); verified executions are cached, so a rerun resumes.',
      cause,
    })
  }
}

/** How nodes say an old state is gone: anvil, geth (missing trie node, header not found), Erigon/Reth (pruned). */
export function isStateUnavailable(err: unknown): boolean {
  const texts: string[] = []
  let current: unknown = err
  for (let depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
    const e = current as { message?: unknown; info?: { error?: { message?: unknown } }; cause?: unknown }
    for (const t of [e.message, e.info?.error?.message]) if (typeof t === 'string') texts.push(t)
    current = e.cause
  }
  return /BlockOutOfRange|missing trie node|header not found|state (is )?not available|historical state|pruned/i.test(
    texts.join('\n'),
  )
}
