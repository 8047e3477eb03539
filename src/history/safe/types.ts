import type { Address, Hex } from '../../safe/types.js'

/** One execTransaction of a Safe as its ExecutionSuccess / ExecutionFailure log tells it. */
export type SafeExecution = {
  blockNumber: number
  transactionHash: Hex
  transactionIndex: number
  /** Block-wide, so it orders executions across the transactions of a block too. */
  logIndex: number
  /** The safeTxHash as the Safe logged it (what it checked the signatures against). */
  safeTxHash: Hex
  success: boolean
  /** Gas refund paid to the refund receiver (0 unless gasPrice > 0). */
  payment: bigint
}

export type SafeHistoryFindingCode =
  | 'NOT_RECOVERED'
  | 'HASH_MISMATCH'
  | 'CHAIN_HASH_MISMATCH'
  | 'BAD_SIGNATURE'
  | 'SIGNER_NOT_OWNER'
  | 'DUPLICATE_SIGNER'
  | 'BELOW_THRESHOLD'
  | 'EXECUTION_FAILED'
  | 'GAS_REFUND'
  | 'STATE_MAY_DIFFER'
  | 'UNTRUSTED_DELEGATECALL'
  | 'UNDECODED_CALL'

/**
 * What an audit of one execution found. Data, never thrown: a report shows every finding of every
 * execution. `error` means the chain's record and our recomputation disagree; `warning` is a fact a
 * reader must see (a failed execution); `info` is context.
 */
export type SafeHistoryFinding = {
  code: SafeHistoryFindingCode
  severity: 'error' | 'warning' | 'info'
  message: string
}

export type { Address, Hex }
