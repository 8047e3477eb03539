import { describe, expect, it } from 'vitest'
import { DEVNET_ACCOUNTS } from '../../../src/devnet/accounts.js'
import { devnetLayout } from '../../../src/devnet/devnetLayout.js'
import {
  ProposalExistsError,
  ProposalStateError,
  ProposerBelowThresholdError,
  ProposerRestrictedError,
} from '../../../src/errors/governor.js'
import {
  refuseExecute,
  refusePropose,
  refuseQueue,
  refuseVote,
} from '../../../src/governor/lifecycleRules.js'
import type { ProposalReadout } from '../../../src/governor/readGovernor.js'
import { PROPOSAL_STATES, type ProposalStateName } from '../../../src/governor/types.js'
import type { Address } from '../../../src/safe/types.js'

const PROPOSER = DEVNET_ACCOUNTS[1]!.address as Address
const VOTER = DEVNET_ACCOUNTS[2]!.address as Address
const OTHER = DEVNET_ACCOUNTS[3]!.address as Address
const ID = 4242n
/** 2025-01-01T00:00:00Z. */
const ETA = 1_735_689_600n

const readout = (state: ProposalStateName, over: Partial<ProposalReadout> = {}): ProposalReadout => ({
  governor: devnetLayout().contracts.governor,
  id: ID,
  state: { name: state, number: PROPOSAL_STATES.indexOf(state) },
  snapshot: 100n,
  deadline: 150n,
  proposer: PROPOSER,
  eta: state === 'Queued' || state === 'Executed' ? ETA : 0n,
  votes: { against: 0n, for: 10n, abstain: 0n },
  clock: 120n,
  blockNumber: 120,
  ...over,
})

/** Narrows to the state error and checks what every refusal says: the step, the id and the state. */
function stateError(err: unknown, code: string, state: string): ProposalStateError {
  expect(err).toBeInstanceOf(ProposalStateError)
  const e = err as ProposalStateError
  expect(e.name).toBe('ProposalStateError')
  expect(e.code).toBe(code)
  expect(e.state).toBe(state)
  expect(e.details).toEqual([`state: ${state}`])
  expect(e.shortMessage).toContain(`proposal ${ID}:`)
  expect(e.hint).toBeTruthy()
  return e
}

describe('refusePropose', () => {
  const facts = { proposer: PROPOSER, votes: 100n, threshold: 100n }

  it('allows a proposer with exactly the threshold, and with no threshold at all', () => {
    expect(refusePropose(ID, facts)).toBeUndefined()
    expect(refusePropose(ID, { ...facts, votes: 0n, threshold: 0n })).toBeUndefined()
  })

  it('accepts the #proposer address whatever its case', () => {
    expect(refusePropose(ID, { ...facts, requiredProposer: PROPOSER })).toBeUndefined()
    expect(
      refusePropose(ID, { ...facts, requiredProposer: PROPOSER.toLowerCase() as Address }),
    ).toBeUndefined()
    expect(
      refusePropose(ID, {
        ...facts,
        requiredProposer: `0x${PROPOSER.slice(2).toUpperCase()}` as Address,
      }),
    ).toBeUndefined()
  })

  it('refuses a sender other than the #proposer address, naming both', () => {
    const err = refusePropose(ID, { ...facts, requiredProposer: OTHER })
    expect(err).toBeInstanceOf(ProposerRestrictedError)
    expect(err!.code).toBe('GOVERNOR_PROPOSER_RESTRICTED')
    expect(err!.shortMessage).toContain(`#proposer=${OTHER}`)
    expect(err!.shortMessage).toContain(`not ${PROPOSER}`)
    expect(err!.hint).toMatch(/changes the proposal id/)
  })

  it('checks the #proposer restriction first, before existence and votes', () => {
    const err = refusePropose(ID, {
      proposer: PROPOSER,
      requiredProposer: OTHER,
      votes: 0n,
      threshold: 100n,
      existingState: 'Active',
    })
    expect(err!.code).toBe('GOVERNOR_PROPOSER_RESTRICTED')
  })

  it('refuses a proposal that already exists, with its id and state', () => {
    const err = refusePropose(ID, { ...facts, existingState: 'Executed' })
    expect(err).toBeInstanceOf(ProposalExistsError)
    expect(err!.code).toBe('GOVERNOR_PROPOSAL_EXISTS')
    expect(err!.shortMessage).toBe(
      `Proposal ${ID} already exists (Executed); the governor refuses the same proposal twice.`,
    )
    expect(err!.hint).toContain(`alliance governor status ${ID}`)
  })

  it('treats an existing state of "" as existing (only undefined means no proposal)', () => {
    expect(refusePropose(ID, { ...facts, existingState: '' })!.code).toBe('GOVERNOR_PROPOSAL_EXISTS')
  })

  it('checks existence before votes', () => {
    const err = refusePropose(ID, { ...facts, votes: 0n, existingState: 'Pending' })
    expect(err!.code).toBe('GOVERNOR_PROPOSAL_EXISTS')
  })

  it('refuses one vote short of the threshold, naming votes, threshold and the missing amount', () => {
    const err = refusePropose(ID, { proposer: PROPOSER, votes: 70n, threshold: 100n })
    expect(err).toBeInstanceOf(ProposerBelowThresholdError)
    const e = err as ProposerBelowThresholdError
    expect(e.code).toBe('GOVERNOR_BELOW_THRESHOLD')
    expect(e.votes).toBe(70n)
    expect(e.threshold).toBe(100n)
    expect(e.shortMessage).toBe(`${PROPOSER} has 70 votes; the governor needs 100 to propose.`)
    expect(e.hint).toContain(`Delegate at least 30 more votes to ${PROPOSER}`)
    expect(refusePropose(ID, { proposer: PROPOSER, votes: 99n, threshold: 100n })!.hint).toContain(
      'at least 1 more',
    )
  })
})

describe('refuseVote', () => {
  const facts = { hasVoted: false, weight: 5n, voter: VOTER }

  it('allows an account with votes that has not voted on an Active proposal', () => {
    expect(refuseVote(readout('Active'), facts)).toBeUndefined()
  })

  it('refuses while Pending, saying at which clock voting opens (snapshot + 1)', () => {
    const e = stateError(refuseVote(readout('Pending'), facts), 'GOVERNOR_VOTING_NOT_OPEN', 'Pending')
    expect(e.shortMessage).toBe(`Cannot vote on proposal ${ID}: voting has not opened yet.`)
    expect(e.hint).toContain('Voting opens at clock 101')
  })

  it.each(['Canceled', 'Defeated', 'Succeeded', 'Queued', 'Expired', 'Executed'] as const)(
    'refuses once voting is over (%s), naming the state',
    (state) => {
      const e = stateError(refuseVote(readout(state), facts), 'GOVERNOR_VOTING_CLOSED', state)
      expect(e.shortMessage).toBe(`Cannot vote on proposal ${ID}: voting is over (${state}).`)
    },
  )

  it('refuses a second vote, naming the voter', () => {
    const e = stateError(
      refuseVote(readout('Active'), { ...facts, hasVoted: true }),
      'GOVERNOR_ALREADY_VOTED',
      'Active',
    )
    expect(e.shortMessage).toContain(`${VOTER} has already voted`)
  })

  it('refuses an account with no votes at the snapshot, naming the voter and the snapshot', () => {
    const e = stateError(
      refuseVote(readout('Active'), { ...facts, weight: 0n }),
      'GOVERNOR_NO_VOTES',
      'Active',
    )
    expect(e.shortMessage).toContain(`${VOTER} had no votes at the snapshot (clock 100)`)
  })

  it('says "already voted" rather than "no votes" when both hold', () => {
    const err = refuseVote(readout('Active'), { ...facts, hasVoted: true, weight: 0n })
    expect(err!.code).toBe('GOVERNOR_ALREADY_VOTED')
  })

  it('says the state before the voter when the proposal is not Active', () => {
    const err = refuseVote(readout('Pending'), { ...facts, hasVoted: true, weight: 0n })
    expect(err!.code).toBe('GOVERNOR_VOTING_NOT_OPEN')
  })
})

describe('refuseQueue', () => {
  it('allows a Succeeded proposal on a governor with a timelock', () => {
    expect(refuseQueue(readout('Succeeded'), true)).toBeUndefined()
  })

  it('refuses a Queued proposal, with its eta as ISO time and the execute command', () => {
    const e = stateError(refuseQueue(readout('Queued'), true), 'GOVERNOR_ALREADY_QUEUED', 'Queued')
    expect(e.shortMessage).toBe(
      `Cannot queue proposal ${ID}: it is already queued (eta 2025-01-01T00:00:00.000Z).`,
    )
    expect(e.hint).toContain(`alliance governor execute ${ID}`)
  })

  it('refuses a Succeeded proposal when there is no timelock, pointing at execute', () => {
    const e = stateError(refuseQueue(readout('Succeeded'), false), 'GOVERNOR_NOTHING_TO_QUEUE', 'Succeeded')
    expect(e.shortMessage).toContain('no timelock')
    expect(e.hint).toContain(`alliance governor execute ${ID}`)
  })

  it.each(['Pending', 'Active'] as const)(
    'refuses while voting is not over (%s), with the deadline',
    (state) => {
      const e = stateError(refuseQueue(readout(state), true), 'GOVERNOR_VOTING_NOT_OVER', state)
      expect(e.shortMessage).toBe(
        `Cannot queue proposal ${ID}: voting is not over (${state}, deadline clock 150).`,
      )
    },
  )

  it.each([
    ['Defeated', /did not reach quorum/],
    ['Canceled', /was canceled/],
    ['Expired', /execution window has passed/],
    ['Executed', /alliance governor status ID/],
  ] as const)('refuses a %s proposal as the wrong state, with a hint for that state', (state, hint) => {
    const e = stateError(refuseQueue(readout(state), true), 'GOVERNOR_WRONG_STATE', state)
    expect(e.shortMessage).toBe(
      `Cannot queue proposal ${ID}: only a Succeeded proposal can be queued, this one is ${state}.`,
    )
    expect(e.hint).toMatch(hint)
  })

  it('refuses a Defeated proposal the same way without a timelock', () => {
    expect(refuseQueue(readout('Defeated'), false)!.code).toBe('GOVERNOR_WRONG_STATE')
  })
})

describe('refuseExecute', () => {
  const now = ETA

  it('allows a Queued proposal exactly at its eta, and after it', () => {
    expect(refuseExecute(readout('Queued'), true, now)).toBeUndefined()
    expect(refuseExecute(readout('Queued'), true, now + 1n)).toBeUndefined()
  })

  it('allows a Succeeded proposal on a governor without a timelock', () => {
    expect(refuseExecute(readout('Succeeded'), false, now)).toBeUndefined()
  })

  it('refuses one second before the eta, with the eta as ISO time and the span left', () => {
    const e = stateError(refuseExecute(readout('Queued'), true, now - 1n), 'GOVERNOR_BEFORE_ETA', 'Queued')
    expect(e.shortMessage).toBe(
      `Cannot execute proposal ${ID}: its timelock eta 2025-01-01T00:00:00.000Z is 1s away.`,
    )
  })

  it('gives the span before the eta in its two largest units', () => {
    const e = refuseExecute(readout('Queued'), true, now - 2n * 86_400n - 3n * 3600n - 7n)!
    expect(e.shortMessage).toContain('is 2d 3h away')
  })

  it('refuses an Executed proposal', () => {
    const e = stateError(
      refuseExecute(readout('Executed'), true, now),
      'GOVERNOR_ALREADY_EXECUTED',
      'Executed',
    )
    expect(e.shortMessage).toBe(`Cannot execute proposal ${ID}: it has already been executed.`)
  })

  it('refuses a Succeeded proposal that a timelock still has to queue', () => {
    const e = stateError(refuseExecute(readout('Succeeded'), true, now), 'GOVERNOR_NOT_QUEUED', 'Succeeded')
    expect(e.hint).toContain(`alliance governor queue ${ID}`)
  })

  it.each(['Pending', 'Active'] as const)('refuses while voting is not over (%s)', (state) => {
    const e = stateError(refuseExecute(readout(state), true, now), 'GOVERNOR_VOTING_NOT_OVER', state)
    expect(e.shortMessage).toBe(`Cannot execute proposal ${ID}: voting is not over (${state}).`)
  })

  it.each([
    ['Defeated', /did not reach quorum/],
    ['Canceled', /was canceled/],
    ['Expired', /execution window has passed/],
  ] as const)('refuses a %s proposal as the wrong state, with a hint for that state', (state, hint) => {
    for (const needsQueuing of [true, false]) {
      const e = stateError(refuseExecute(readout(state), needsQueuing, now), 'GOVERNOR_WRONG_STATE', state)
      expect(e.shortMessage).toBe(`Cannot execute proposal ${ID}: a ${state} proposal cannot run.`)
      expect(e.hint).toMatch(hint)
    }
  })
})
