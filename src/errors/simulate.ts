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
