import { GovernorNotInWorkspaceError } from '../errors/governor.js'
import type { Address } from '../safe/types.js'
import type { Workspace } from '../workspace/loadWorkspace.js'

export type WorkspaceContractRef = { name: string; address: Address }
export type GovernorOfParameters = {
  /** A name or address; may be left out when the workspace has exactly one governor. */
  governor?: string
  /** A name or address; left out, the workspace's only timelock (or none when it lists none). */
  timelock?: string
}
export type GovernorOfReturnType = { governor: WorkspaceContractRef; timelock?: WorkspaceContractRef }
export type GovernorOfErrorType = GovernorNotInWorkspaceError

/**
 * The governor (and its timelock) the workspace names, with no chain. A workspace without a timelock is
 * a governor that executes by itself; whether the chain agrees is for `readGovernor` to tell.
 */
export function governorOf(workspace: Workspace, refs: GovernorOfParameters = {}): GovernorOfReturnType {
  const governor = workspace.book.resolveContract(refs.governor, ['governor'])
  if (!governor.ok) throw new GovernorNotInWorkspaceError({ what: 'governor', reason: governor.reason })
  const result: GovernorOfReturnType = {
    governor: { name: governor.value.name, address: governor.value.address },
  }
  const hasTimelock = workspace.book.entries().some((e) => e.kind === 'contract' && e.type === 'timelock')
  if (refs.timelock === undefined && !hasTimelock) return result
  const timelock = workspace.book.resolveContract(refs.timelock, ['timelock'])
  if (!timelock.ok) throw new GovernorNotInWorkspaceError({ what: 'timelock', reason: timelock.reason })
  result.timelock = { name: timelock.value.name, address: timelock.value.address }
  return result
}
