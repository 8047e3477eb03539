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
    super(`Proposal ${id} on ${governor} does not match its own fields: they give id ${computed}.`, {
      code: 'GOVERNOR_ID_MISMATCH',
      hint: 'The ProposalCreated event and the id disagree (a governor with its own id scheme?). Do not act on this proposal until you know why.',
    })
  }
}

export type ChainIdsDisagreeErrorType = ChainIdsDisagreeError & { name: 'ChainIdsDisagreeError' }
export class ChainIdsDisagreeError extends AllianceError {
  override name = 'ChainIdsDisagreeError' as const
  constructor({ what, local, chain }: { what: string; local: string; chain: string }) {
    super(`The chain computes a different ${what} than alliance did; nothing was sent.`, {
      code: 'GOVERNOR_CHAIN_ID_MISMATCH',
      details: [`alliance: ${local}`, `chain:    ${chain}`],
      hint: 'The governor or timelock at this address does not hash proposals the way OpenZeppelin 4.x/5.x does. Check the address and its version before proposing.',
    })
  }
}

export type ProposerBelowThresholdErrorType = ProposerBelowThresholdError & {
  name: 'ProposerBelowThresholdError'
}
export class ProposerBelowThresholdError extends AllianceError {
  override name = 'ProposerBelowThresholdError' as const
  readonly votes: bigint
  readonly threshold: bigint
  constructor({ proposer, votes, threshold }: { proposer: string; votes: bigint; threshold: bigint }) {
    super(`${proposer} has ${votes} votes; the governor needs ${threshold} to propose.`, {
      code: 'GOVERNOR_BELOW_THRESHOLD',
      details: [
        'Votes count at the previous clock tick, and only once delegated (a balance alone is not a vote).',
      ],
      hint: `Delegate at least ${threshold - votes} more votes to ${proposer} (or delegate its own balance to itself), wait one block, and try again; or propose from an account or Safe that has them.`,
    })
    this.votes = votes
    this.threshold = threshold
  }
}

export type ProposerRestrictedErrorType = ProposerRestrictedError & { name: 'ProposerRestrictedError' }
export class ProposerRestrictedError extends AllianceError {
  override name = 'ProposerRestrictedError' as const
  constructor({ required, sender }: { required: string; sender: string }) {
    super(
      `The description ends with #proposer=${required}: only that address may propose it, not ${sender}.`,
      {
        code: 'GOVERNOR_PROPOSER_RESTRICTED',
        hint: 'Propose from that address, or remove the #proposer= suffix (which changes the proposal id).',
      },
    )
  }
}

export type ProposalExistsErrorType = ProposalExistsError & { name: 'ProposalExistsError' }
export class ProposalExistsError extends AllianceError {
  override name = 'ProposalExistsError' as const
  constructor({ id, state }: { id: bigint; state: string }) {
    super(`Proposal ${id} already exists (${state}); the governor refuses the same proposal twice.`, {
      code: 'GOVERNOR_PROPOSAL_EXISTS',
      hint: `Follow it with "alliance governor status ${id}", or change the description to make a new proposal.`,
    })
  }
}

/** The lifecycle steps a command can take, for messages. */
export type GovernorStep = 'propose' | 'vote' | 'queue' | 'execute'

export type ProposalStateErrorType = ProposalStateError & { name: 'ProposalStateError' }
/**
 * A step asked of a proposal in a state that does not allow it. The code says which case it is, so
 * scripts can tell "already done" from "not yet" from "too late".
 */
export class ProposalStateError extends AllianceError {
  override name = 'ProposalStateError' as const
  readonly state: string
  constructor({
    id,
    step,
    state,
    code = 'GOVERNOR_WRONG_STATE',
    reason,
    hint,
  }: {
    id: bigint
    step: GovernorStep
    state: string
    code?: string
    reason: string
    hint: string
  }) {
    super(`Cannot ${step === 'vote' ? 'vote on' : step} proposal ${id}: ${reason}.`, {
      code,
      details: [`state: ${state}`],
      hint,
    })
    this.state = state
  }
}

export type GovernorTxRevertedErrorType = GovernorTxRevertedError & { name: 'GovernorTxRevertedError' }
export class GovernorTxRevertedError extends AllianceError {
  override name = 'GovernorTxRevertedError' as const
  constructor({ step, reason, txHash }: { step: GovernorStep; reason: string; txHash?: string }) {
    super(
      txHash
        ? `The ${step} transaction ${txHash} reverted: ${reason}.`
        : `The ${step} transaction would revert: ${reason}. Nothing was sent.`,
      {
        code: 'GOVERNOR_TX_REVERTED',
        hint: 'Read the reason above; "alliance governor status ID" shows where the proposal stands.',
      },
    )
  }
}

export type SentProposalDiffersErrorType = SentProposalDiffersError & { name: 'SentProposalDiffersError' }
export class SentProposalDiffersError extends AllianceError {
  override name = 'SentProposalDiffersError' as const
  constructor({ what, txHash }: { what: string; txHash?: string }) {
    super(`The proposal on chain is not the proposal alliance built and simulated: ${what}.`, {
      code: 'GOVERNOR_SENT_DIFFERS',
      ...(txHash ? { details: [`transaction ${txHash}`] } : {}),
      hint: 'Do not vote for it before comparing "alliance governor status ID" with your action file.',
    })
  }
}

export type ProposeRefusedErrorType = ProposeRefusedError & { name: 'ProposeRefusedError' }
/** The simulation or the risk checks stop a proposal before it is sent. */
export class ProposeRefusedError extends AllianceError {
  override name = 'ProposeRefusedError' as const
  constructor({ why, danger }: { why: string; danger: boolean }) {
    super(`Refusing to propose: ${why}.`, {
      code: danger ? 'DANGEROUS_PROPOSAL' : 'PROPOSAL_WOULD_FAIL',
      hint: danger
        ? 'Read the findings above. If the change is intended, propose with --accept-risk.'
        : 'See the simulation above and fix the action file. To propose anyway (it depends on something that happens first), use --accept-risk.',
    })
  }
}
