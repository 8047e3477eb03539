import { AllianceError } from './base.js'

export class SimulationFailedError extends AllianceError {
  override name = 'SimulationFailedError'
  constructor(reason = 'unknown reason') {
    super(`The transaction would fail: ${reason}`, {
      code: 'SIMULATION_FAILED',
      hint: 'Fix the action named above and plan again; do not sign this plan.',
    })
  }
}

export class SimulationUnsupportedError extends AllianceError {
  override name = 'SimulationUnsupportedError'
  constructor(url: string, method: string) {
    super(`The node at ${url} does not support ${method}, which simulation needs`, {
      code: 'SIMULATION_UNSUPPORTED',
      hint: 'Simulate against the devnet or an anvil fork (`anvil --fork-url …`) of the chain.',
    })
  }
}

export class ForkTransactionError extends AllianceError {
  override name = 'ForkTransactionError'
  constructor(to: string, reason: string) {
    super(`The simulation fork refused a transaction to ${to}`, {
      code: 'FORK_TRANSACTION_REFUSED',
      details: [reason.split('\n')[0]!],
      hint: 'This is a simulation set-up fault, not a verdict on the plan; re-run with --mode fast, or report it.',
    })
  }
}

export class SimulationModeError extends AllianceError {
  override name = 'SimulationModeError'
  constructor(message: string, hint: string) {
    super(message, { code: 'SIMULATION_MODE', hint })
  }
}

export class ManufactureVotesError extends AllianceError {
  override name = 'ManufactureVotesError'
  constructor(token: string, reason: string) {
    super(`Could not give a stand-in voter votes in the token ${token}: ${reason}`, {
      code: 'SIMULATION_VOTES',
      hint: 'The token is not a standard OpenZeppelin ERC20Votes; simulate an existing proposal by id instead, so real delegates vote.',
    })
  }
}

export class ProposalNotSimulatableError extends AllianceError {
  override name = 'ProposalNotSimulatableError'
  constructor(id: bigint, state: string) {
    super(`Proposal ${id} is ${state}: there is nothing left to simulate`, {
      code: 'PROPOSAL_NOT_SIMULATABLE',
      hint: 'Only proposals that are Pending, Active, Succeeded or Queued can still run; replay an executed one with `alliance history replay`.',
    })
  }
}
