import { AllianceError } from './base.js'
import type { QueuedTransactionMismatchError } from './queue.js'

export class UntrustedQueuedPayoutError extends AllianceError {
  override name = 'UntrustedQueuedPayoutError'
  constructor(safeTxHash: string, cause: QueuedTransactionMismatchError) {
    super(`The queue holds a transaction for these payouts that does not verify: ${safeTxHash}`, {
      code: 'PAYOUT_QUEUE_UNTRUSTED',
      details: cause.details,
      hint: 'Nothing was proposed: it could still be executed. Have the council reject it (a transaction at the same nonce), then run again.',
      cause,
    })
  }
}

export class InvalidPeriodError extends AllianceError {
  override name = 'InvalidPeriodError'
  constructor(period: string, reason: string) {
    super(`--period ${period}: ${reason}`, {
      code: 'PAYOUT_BAD_PERIOD',
      hint: 'Give a month like 2026-11 within the schedule’s periods.',
    })
  }
}

export class PayoutFundsShortError extends AllianceError {
  override name = 'PayoutFundsShortError'
  constructor(shortfalls: string[]) {
    super('Not enough funds for the period’s payouts; nothing was built', {
      code: 'PAYOUT_FUNDS_SHORT',
      details: shortfalls,
      hint: 'Fund the Safe (or raise the treasury’s epoch budget), then run again.',
    })
  }
}

export class PayoutSimulationFailedError extends AllianceError {
  override name = 'PayoutSimulationFailedError'
  constructor(part: string, reason: string) {
    super(`The payout transaction ${part} would revert: ${reason}`, {
      code: 'PAYOUT_WOULD_REVERT',
      hint: 'Nothing was proposed or executed. Run `alliance payouts plan` to see the simulation.',
    })
  }
}

export class PayoutRunLockedError extends AllianceError {
  override name = 'PayoutRunLockedError'
  constructor(lockFile: string, pid: number) {
    super(`Another payouts run (pid ${pid}) is working on this schedule`, {
      code: 'PAYOUT_RUN_LOCKED',
      details: [`lock: ${lockFile}`],
      hint: 'Wait for it to finish. If no such process exists, the lock is stale and is taken over automatically.',
    })
  }
}

export class PayoutNeedsQueueError extends AllianceError {
  override name = 'PayoutNeedsQueueError'
  constructor(threshold: number) {
    super(`The Safe needs ${threshold} signatures and no queue is configured to collect them`, {
      code: 'PAYOUT_NEEDS_QUEUE',
      hint: 'Configure queue: in alliance.yaml (or --queue-dir / --tx-service-url) and use --propose.',
    })
  }
}

export class ConfirmationRequiredError extends AllianceError {
  override name = 'ConfirmationRequiredError'
  constructor(what: string) {
    super(`No terminal to confirm on: ${what} needs --yes when run from a script`, {
      code: 'CONFIRMATION_REQUIRED',
      hint: 'Add --yes to the command in your cron job or CI workflow.',
    })
  }
}

export class PayoutDeclinedError extends AllianceError {
  override name = 'PayoutDeclinedError'
  constructor() {
    super('Declined: nothing was proposed or executed', { code: 'DECLINED' })
  }
}
