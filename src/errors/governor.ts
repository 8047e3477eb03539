import { AllianceError } from './base.js'

/**
 * Failures of the Governor route: building a proposal from an action file, finding the governor in the
 * workspace, and reading a governor or a proposal from the chain.
 */

export type DelegatecallInProposalErrorType = DelegatecallInProposalError & {
  name: 'DelegatecallInProposalError'
}
export class DelegatecallInProposalError extends AllianceError {
  override name = 'DelegatecallInProposalError' as const
  readonly action: number
  constructor({ action, kind, to }: { action: number; kind: string; to: string }) {
    super(`Action ${action + 1} (${kind}) delegatecalls ${to}: a Governor proposal can only make calls.`, {
      code: 'GOVERNOR_DELEGATECALL',
      hint: 'The timelock runs every proposal call as a CALL. Send this file through the Safe (route: safe), or rewrite the action as a plain call.',
    })
    this.action = action
  }
}

export type EmptyProposalErrorType = EmptyProposalError & { name: 'EmptyProposalError' }
export class EmptyProposalError extends AllianceError {
  override name = 'EmptyProposalError' as const
  constructor(file: string) {
    super(`${file} makes no calls, and a Governor rejects a proposal without any.`, {
      code: 'GOVERNOR_EMPTY_PROPOSAL',
      hint: 'Add at least one action that does something.',
    })
  }
}

export type GovernorNotInWorkspaceErrorType = GovernorNotInWorkspaceError & {
  name: 'GovernorNotInWorkspaceError'
}
export class GovernorNotInWorkspaceError extends AllianceError {
  override name = 'GovernorNotInWorkspaceError' as const
  constructor({ what, reason }: { what: 'governor' | 'timelock'; reason: string }) {
    super(`No usable ${what} in the workspace: ${reason}.`, {
      code: 'GOVERNOR_NOT_IN_WORKSPACE',
      hint: `List it in alliance.yaml under "contracts:" with "type: ${what}" and its address, or name the one you mean.`,
    })
  }
}

export type GovernorUnreadableErrorType = GovernorUnreadableError & { name: 'GovernorUnreadableError' }
export class GovernorUnreadableError extends AllianceError {
  override name = 'GovernorUnreadableError' as const
  constructor({ address, reason, cause }: { address: string; reason: string; cause?: unknown }) {
    super(`${address} does not read as an OpenZeppelin Governor: ${reason}.`, {
      code: 'GOVERNOR_UNREADABLE',
      hint: 'Check the governor address in alliance.yaml and that the RPC points at the chain it lives on.',
      cause,
    })
  }
}

export type ProposalNotFoundErrorType = ProposalNotFoundError & { name: 'ProposalNotFoundError' }
export class ProposalNotFoundError extends AllianceError {
  override name = 'ProposalNotFoundError' as const
  constructor({ governor, id }: { governor: string; id: bigint }) {
    super(`The governor at ${governor} has no proposal ${id}.`, {
      code: 'GOVERNOR_PROPOSAL_NOT_FOUND',
      hint: 'Proposal ids are the decimal uint256 the governor emitted in ProposalCreated; check the id and the governor.',
    })
  }
}

export type ProposalIdMismatchErrorType = ProposalIdMismatchError & { name: 'ProposalIdMismatchError' }
export class ProposalIdMismatchError extends AllianceError {
  override name = 'ProposalIdMismatchError' as const
  constructor({ governor, id, computed }: { governor: string; id: bigint; computed: bigint }) {
    super(`Proposal ${id} on ${governor} does not hash to its id (its fields give ${computed})`, {
      code: 'GOVERNOR_ID_MISMATCH',
      hint: 'This governor does not use hashProposal ids (sequential ids?); alliance cannot simulate it by id.',
    })
  }
}
