import { actionContext } from '../actions/actionFile.js'
import { type AllianceProvider, connect } from '../chain/provider.js'
import { type ChainReads, chainReads } from '../chain/safeReads.js'
import type { DecodeContext } from '../decode/decodeCall.js'
import { loadWorkspace, type Workspace } from '../workspace/loadWorkspace.js'

export type ChainSession = { provider: AllianceProvider; reads: ChainReads; close(): void }

/** The workspace a command runs in (flag, ALLIANCE_WORKSPACE, or the nearest alliance.yaml). */
export const openWorkspace = (file?: string) => loadWorkspace(file ? { file } : {})

/** A connection to the workspace's chain (or --rpc-url), checked to be the chain the workspace names. */
export async function openChain(workspace: Workspace, rpcUrl?: string): Promise<ChainSession> {
  const provider = await connect(
    rpcUrl ?? workspace.config.chain.rpcUrl,
    BigInt(workspace.config.chain.chainId),
  )
  return { provider, reads: chainReads(provider), close: () => provider.destroy() }
}

export function decodeContext(workspace: Workspace): DecodeContext {
  const ctx = actionContext(workspace)
  return {
    abiFor: ctx.abiFor,
    isSafe: (address) => workspace.book.byAddress(address)?.kind === 'safe',
  }
}
