import { AllianceError } from './base.js'

export class ThresholdNotMetError extends AllianceError {
  override name = 'ThresholdNotMetError'
  constructor(have: number, need: number, details: string[] = []) {
    super(`The plan has ${have} valid owner signature${have === 1 ? '' : 's'}; the Safe needs ${need}`, {
      code: 'THRESHOLD_NOT_MET',
      details,
      hint: 'Collect more signatures with `alliance sign PLAN --key-env VAR` from other owners.',
    })
  }
}

export class NonceNotNextError extends AllianceError {
  override name = 'NonceNotNextError'
  constructor(planNonce: bigint, safeNonce: bigint) {
    super(`The plan's nonce is ${planNonce} but the Safe's next nonce is ${safeNonce}`, {
      code: 'NONCE_NOT_NEXT',
      hint: 'Execute the transactions queued before it first.',
    })
  }
}

export class ExecutionRevertedError extends AllianceError {
  override name = 'ExecutionRevertedError'
  constructor(reason: string, txHash?: string) {
    super(`The Safe transaction failed: ${reason}`, {
      code: 'EXECUTION_FAILED',
      details: txHash ? [`transaction ${txHash}`] : [],
      hint: 'Run `alliance simulate PLAN` to see which call fails and why.',
    })
  }
}
