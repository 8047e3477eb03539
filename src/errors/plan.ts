import { AllianceError } from './base.js'

export class RouteNotSupportedError extends AllianceError {
  override name = 'RouteNotSupportedError'
  constructor(route: string) {
    super(`route: ${route} cannot be planned as a Safe transaction`, {
      code: 'ROUTE_NOT_SUPPORTED',
      hint: 'Governor proposals are planned with `alliance governor propose`; use route: safe here.',
    })
  }
}

export class NoCodeAtTargetError extends AllianceError {
  override name = 'NoCodeAtTargetError'
  constructor(target: string, action: string) {
    super(`${action} sends calldata to ${target}, which has no contract code`, {
      code: 'NO_CODE_AT_TARGET',
      hint: 'A call to an address without code does nothing; check the address in alliance.yaml.',
    })
  }
}

export class MultiSendMissingError extends AllianceError {
  override name = 'MultiSendMissingError'
  constructor(address: string, version: string) {
    super(`MultiSendCallOnly ${version} is not deployed at its canonical address ${address} on this chain`, {
      code: 'MULTISEND_MISSING',
      hint: 'Batches need MultiSendCallOnly; deploy it through the Safe singleton factory, or split the file.',
    })
  }
}

export class InvalidPlanFileError extends AllianceError {
  override name = 'InvalidPlanFileError'
  constructor(file: string, problems: string[]) {
    super(`${file} is not a valid alliance plan`, {
      code: 'INVALID_PLAN',
      details: problems,
      hint: 'Plans are written by `alliance plan`; do not edit them by hand.',
    })
  }
}

/** Something in a plan does not match what alliance recomputes from its inputs. Never sign such a plan. */
export class PlanMismatchError extends AllianceError {
  override name = 'PlanMismatchError'
  readonly mismatches: string[]
  constructor(file: string, mismatches: string[]) {
    super(`${file} does not match what alliance recomputes: refusing to continue`, {
      code: 'PLAN_MISMATCH',
      details: mismatches,
      hint: 'The plan was altered or built against other inputs. Re-plan from the action file and compare.',
      exitCode: 1,
    })
    this.mismatches = mismatches
  }
}

export class NotVerifiedError extends AllianceError {
  override name = 'NotVerifiedError'
  constructor(count: number) {
    super(
      `NOT VERIFIED: ${count} mismatch${count === 1 ? '' : 'es'} between the file and what alliance recomputes`,
      {
        code: 'NOT_VERIFIED',
        hint: 'Do not sign or execute this file. Re-plan from the action file and compare.',
      },
    )
  }
}
