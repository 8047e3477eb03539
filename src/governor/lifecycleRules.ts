import {
  type GovernorStep,
  ProposalExistsError,
  ProposalStateError,
  ProposerBelowThresholdError,
  ProposerRestrictedError,
} from '../errors/governor.js'
import type { Address } from '../safe/types.js'
import { sameAddress } from '../utils/address.js'
import { formatSpan } from '../utils/units.js'
import type { ProposalReadout } from './readGovernor.js'

/**
 * Whether a lifecycle step may be taken now, decided from chain reads passed in: each function
 * returns the error that explains why not (for the command to throw), or undefined. Every refusal the
 * governor would make with a bare custom error is said here in words, before anything is sent.
 */

export type ProposeFacts = {
  proposer: Address
  /** From a `#proposer=0x…` suffix of the description. */
  requiredProposer?: Address
  /** The proposer's votes at clock() - 1 (what `propose` counts). */
  votes: bigint
  threshold: bigint
  /** The state of a proposal with this id, when the governor already has one. */
  existingState?: string
}

export function refusePropose(id: bigint, f: ProposeFacts) {
  if (f.requiredProposer && !sameAddress(f.requiredProposer, f.proposer))
    return new ProposerRestrictedError({ required: f.requiredProposer, sender: f.proposer })
  if (f.existingState !== undefined) return new ProposalExistsError({ id, state: f.existingState })
  if (f.votes < f.threshold)
    return new ProposerBelowThresholdError({ proposer: f.proposer, votes: f.votes, threshold: f.threshold })
  return undefined
}

export type VoteFacts = { hasVoted: boolean; weight: bigint; voter: Address }

export function refuseVote(p: ProposalReadout, f: VoteFacts) {
  const state = p.state.name
  if (state === 'Pending')
    return wrongState(
      p,
      'vote',
      'voting has not opened yet',
      `Voting opens at clock ${p.snapshot + 1n} (the block or second after the snapshot); try again then.`,
      'GOVERNOR_VOTING_NOT_OPEN',
    )
  if (state !== 'Active')
    return wrongState(
      p,
      'vote',
      `voting is over (${state})`,
      'Votes are only accepted while the proposal is Active.',
      'GOVERNOR_VOTING_CLOSED',
    )
  if (f.hasVoted)
    return wrongState(
      p,
      'vote',
      `${f.voter} has already voted`,
      'The governor counts one vote per account; it cannot be changed.',
      'GOVERNOR_ALREADY_VOTED',
    )
  if (f.weight === 0n)
    return wrongState(
      p,
      'vote',
      `${f.voter} had no votes at the snapshot (clock ${p.snapshot})`,
      'Voting power is the delegated balance at the snapshot; delegations made later count for later proposals only.',
      'GOVERNOR_NO_VOTES',
    )
  return undefined
}

export function refuseQueue(p: ProposalReadout, needsQueuing: boolean) {
  const state = p.state.name
  if (state === 'Queued')
    return wrongState(
      p,
      'queue',
      `it is already queued (eta ${isoTime(p.eta)})`,
      `Execute it once the eta has passed: "alliance governor execute ${p.id}".`,
      'GOVERNOR_ALREADY_QUEUED',
    )
  if (state === 'Succeeded' && !needsQueuing)
    return wrongState(
      p,
      'queue',
      'this governor has no timelock to queue in',
      `Execute it directly: "alliance governor execute ${p.id}".`,
      'GOVERNOR_NOTHING_TO_QUEUE',
    )
  if (state === 'Pending' || state === 'Active')
    return wrongState(
      p,
      'queue',
      `voting is not over (${state}, deadline clock ${p.deadline})`,
      'Queue it after the voting deadline, if it succeeds.',
      'GOVERNOR_VOTING_NOT_OVER',
    )
  if (state !== 'Succeeded')
    return wrongState(
      p,
      'queue',
      `only a Succeeded proposal can be queued, this one is ${state}`,
      stateHint(state),
    )
  return undefined
}

export function refuseExecute(p: ProposalReadout, needsQueuing: boolean, now: bigint) {
  const state = p.state.name
  if (state === 'Executed')
    return wrongState(
      p,
      'execute',
      'it has already been executed',
      'Nothing to do.',
      'GOVERNOR_ALREADY_EXECUTED',
    )
  if (state === 'Succeeded' && needsQueuing)
    return wrongState(
      p,
      'execute',
      'it has not been queued in the timelock',
      `Queue it first: "alliance governor queue ${p.id}".`,
      'GOVERNOR_NOT_QUEUED',
    )
  if (state === 'Queued' && p.eta > now)
    return wrongState(
      p,
      'execute',
      `its timelock eta ${isoTime(p.eta)} is ${formatSpan(Number(p.eta - now))} away`,
      'Execute it once the eta has passed; the timelock refuses it before.',
      'GOVERNOR_BEFORE_ETA',
    )
  if (state === 'Pending' || state === 'Active')
    return wrongState(
      p,
      'execute',
      `voting is not over (${state})`,
      'Wait for the deadline, queue it, then execute.',
      'GOVERNOR_VOTING_NOT_OVER',
    )
  if (state !== 'Queued' && state !== 'Succeeded')
    return wrongState(p, 'execute', `a ${state} proposal cannot run`, stateHint(state))
  return undefined
}

function wrongState(p: ProposalReadout, step: GovernorStep, reason: string, hint: string, code?: string) {
  return new ProposalStateError({
    id: p.id,
    step,
    state: p.state.name,
    reason,
    hint,
    ...(code ? { code } : {}),
  })
}

function stateHint(state: string): string {
  if (state === 'Defeated')
    return 'It did not reach quorum or had more votes against than for; propose it again if needed.'
  if (state === 'Canceled') return 'It was canceled; propose it again if it is still wanted.'
  if (state === 'Expired') return 'Its execution window has passed; propose it again.'
  return 'Check "alliance governor status ID".'
}

const isoTime = (seconds: bigint) => new Date(Number(seconds) * 1000).toISOString()
