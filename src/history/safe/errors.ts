import { AllianceError } from '../../errors/base.js'

// Belongs in src/errors/history.ts once the history stage lands (this task may only add files here).

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
