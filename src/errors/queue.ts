import { AllianceError } from './base.js'

/**
 * Failures of the proposal queues (the Safe Transaction Service, a shared directory): a refusal says
 * what was refused and why; a fault says what to check. Nothing is half-written in either case.
 */

export class QueueNotConfiguredError extends AllianceError {
  override name = 'QueueNotConfiguredError'
  constructor() {
    super('No proposal queue is configured.', {
      code: 'QUEUE_NOT_CONFIGURED',
      hint: 'Pass --tx-service-url URL or --queue-dir DIR, or set queue.txServiceUrl / queue.directory in alliance.yaml.',
    })
  }
}

export class QueuedTransactionNotFoundError extends AllianceError {
  override name = 'QueuedTransactionNotFoundError'
  constructor(safeTxHash: string, where: string) {
    super(`${where} has no transaction ${safeTxHash}.`, {
      code: 'QUEUE_TX_NOT_FOUND',
      hint: 'Check the hash (alliance queue lists what is pending), or propose it first.',
    })
  }
}

export class AlreadyQueuedError extends AllianceError {
  override name = 'AlreadyQueuedError'
  constructor(safeTxHash: string, where: string) {
    super(`${where} already holds transaction ${safeTxHash}.`, {
      code: 'QUEUE_DUPLICATE',
      hint: 'Someone proposed it first: sign it with "alliance sign <hash>" instead of proposing it again.',
    })
  }
}

export class DuplicateConfirmationError extends AllianceError {
  override name = 'DuplicateConfirmationError'
  constructor(owner: string, safeTxHash: string) {
    super(`${owner} has already confirmed ${safeTxHash}.`, {
      code: 'QUEUE_DUPLICATE_CONFIRMATION',
      hint: 'Each owner confirms once; another owner has to sign.',
    })
  }
}

export class QueueRefusedError extends AllianceError {
  override name = 'QueueRefusedError'
  constructor(where: string, reason: string, status?: number) {
    super(`${where} refused the request${status ? ` (HTTP ${status})` : ''}: ${reason}`, {
      code: 'QUEUE_REFUSED',
      hint: 'Nothing was changed. Read the reason: a wrong chain, a nonce already used, a signer who is not an owner.',
    })
  }
}

export class QueueUnavailableError extends AllianceError {
  override name = 'QueueUnavailableError'
  constructor(where: string, reason: string, attempts: number) {
    super(`${where} did not answer: ${reason} (${attempts} attempt${attempts === 1 ? '' : 's'}).`, {
      code: 'QUEUE_UNAVAILABLE',
      hint: 'Nothing was changed by alliance. Check the URL, the network and the API key, and try again.',
    })
  }
}

export class QueuedTransactionMismatchError extends AllianceError {
  override name = 'QueuedTransactionMismatchError'
  constructor(safeTxHash: string, where: string, problems: string[]) {
    super(`The transaction ${where} returned for ${safeTxHash} is not what alliance recomputes.`, {
      code: 'QUEUE_TX_MISMATCH',
      details: problems,
      hint: 'Do not sign or execute it. The queue (or someone who can write to it) changed it; compare with the plan you reviewed.',
    })
  }
}

export class InvalidConfirmationError extends AllianceError {
  override name = 'InvalidConfirmationError'
  constructor(safeTxHash: string, reason: string) {
    super(`A confirmation of ${safeTxHash} was refused: ${reason}.`, {
      code: 'QUEUE_BAD_SIGNATURE',
      hint: 'Only a current owner\u2019s signature over this exact safeTxHash is accepted.',
    })
  }
}
