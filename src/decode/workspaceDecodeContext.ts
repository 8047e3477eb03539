import { actionContext } from '../actions/actionFile.js'
import type { Workspace } from '../workspace/loadWorkspace.js'
import type { DecodeContext } from './decodeCall.js'

/** Decoding with everything the workspace knows: its contracts' ABIs, its tokens, its Safes. */
export function workspaceDecodeContext(workspace: Workspace): DecodeContext {
  const ctx = actionContext(workspace)
  return {
    abiFor: ctx.abiFor,
    isSafe: (address) => workspace.book.byAddress(address)?.kind === 'safe',
  }
}
