import { join } from 'node:path'
import type { LogSource } from '../chain/logSource.js'
import { type AllianceProvider, connect } from '../chain/provider.js'
import { type ChainReads, chainReads } from '../chain/safeReads.js'
import { chainCheckReads } from '../checks/checkContext.js'
import type { CheckReads } from '../checks/types.js'
import { workspaceDecodeContext } from '../decode/workspaceDecodeContext.js'
import { historyLogSource } from '../history/historyLogs.js'
import { loadWorkspace, type Workspace } from '../workspace/loadWorkspace.js'

export type ChainSession = {
  provider: AllianceProvider
  reads: ChainReads
  checkReads: CheckReads
  /**
   * Logs in ranges (a range the node refuses is halved) with the workspace's cache
   * (`.alliance/cache/logs`): the governor's events are read once, not on every command.
   */
  logs: LogSource
  close(): void
}

/** The workspace a command runs in (flag, ALLIANCE_WORKSPACE, or the nearest alliance.yaml). */
export const openWorkspace = (file?: string) => loadWorkspace(file ? { file } : {})

/** A connection to the workspace's chain (or --rpc-url), checked to be the chain the workspace names. */
export async function openChain(workspace: Workspace, rpcUrl?: string): Promise<ChainSession> {
  const provider = await connect(
    rpcUrl ?? workspace.config.chain.rpcUrl,
    BigInt(workspace.config.chain.chainId),
  )
  return {
    provider,
    reads: chainReads(provider),
    checkReads: chainCheckReads(provider),
    logs: historyLogSource(provider, {
      chainId: BigInt(workspace.config.chain.chainId),
      cacheDir: join(workspace.dir, '.alliance', 'cache'),
    }),
    close: () => provider.destroy(),
  }
}

/** Decoding with the workspace's ABIs (kept under this name for the commands). */
export const decodeContext = workspaceDecodeContext
