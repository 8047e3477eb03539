import { AllianceError } from './base.js'

export class KeyEnvMissingError extends AllianceError {
  override name = 'KeyEnvMissingError'
  constructor(variable: string) {
    super(`Environment variable ${variable} is not set`, {
      code: 'KEY_ENV_MISSING',
      hint: `Export the signer's private key as ${variable} (it is never taken as a flag value, so it stays out of shell history).`,
    })
  }
}

export class KeyEnvInvalidError extends AllianceError {
  override name = 'KeyEnvInvalidError'
  constructor(variable: string) {
    // The value itself is never echoed: it may be a real key with a typo.
    super(`Environment variable ${variable} does not hold a valid private key`, {
      code: 'KEY_ENV_INVALID',
      hint: 'Expected 32 bytes of hex (64 hex digits, optionally 0x-prefixed).',
    })
  }
}

export class NotAnOwnerError extends AllianceError {
  override name = 'NotAnOwnerError'
  constructor(signer: string, safe: string) {
    super(`${signer} is not an owner of the Safe ${safe}`, {
      code: 'NOT_AN_OWNER',
      hint: 'Sign with a key of one of the Safe owners listed by `alliance plan`.',
    })
  }
}

export class AlreadySignedError extends AllianceError {
  override name = 'AlreadySignedError'
  constructor(signer: string) {
    super(`${signer} has already signed this plan`, {
      code: 'ALREADY_SIGNED',
      hint: 'Another owner must sign; one owner counts once toward the threshold.',
      exitCode: 1,
    })
  }
}

export class StalePlanError extends AllianceError {
  override name = 'StalePlanError'
  constructor(reason: string) {
    super(`The plan no longer matches the Safe on chain: ${reason}`, {
      code: 'STALE_PLAN',
      hint: 'Re-plan from the action file (`alliance plan FILE`) and have it signed again.',
    })
  }
}

export class DangerousPlanError extends AllianceError {
  override name = 'DangerousPlanError'
  constructor(count: number) {
    super(`Refusing to sign: the risk checks found ${count} danger finding${count === 1 ? '' : 's'}`, {
      code: 'DANGEROUS_PLAN',
      hint: 'Read the findings above. If the change is intended, sign with --accept-risk.',
    })
  }
}

export class WouldRevertError extends AllianceError {
  override name = 'WouldRevertError'
  constructor(reason: string) {
    super(`Refusing to sign: the simulation says the transaction would fail (${reason})`, {
      code: 'WOULD_REVERT',
      hint: 'See the simulation above and fix the plan. To sign anyway (e.g. it depends on a transaction queued before it), use --accept-risk.',
    })
  }
}
