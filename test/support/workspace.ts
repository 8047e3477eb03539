import { renderDevnetWorkspace } from '../../src/devnet/devnetWorkspace.js'
import { parseWorkspace, type Workspace } from '../../src/workspace/loadWorkspace.js'

/** The devnet workspace, parsed from the template, with no chain: for pure unit tests. */
export const devnetWorkspace = (): Workspace =>
  parseWorkspace('/virtual/alliance.yaml', renderDevnetWorkspace('http://127.0.0.1:8545'))
