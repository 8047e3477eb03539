import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { computeAddress, SigningKey } from 'ethers'
import type { AllianceProvider } from '../../src/chain/provider.js'
import { connect } from '../../src/chain/provider.js'
import { type ChainReads, chainReads } from '../../src/chain/safeReads.js'
import { DEVNET_ACCOUNTS } from '../../src/devnet/accounts.js'
import type { DevnetLayout } from '../../src/devnet/devnetLayout.js'
import { renderDevnetWorkspace } from '../../src/devnet/devnetWorkspace.js'
import { startDevnet } from '../../src/devnet/startDevnet.js'
import type { Address } from '../../src/safe/types.js'
import type { LocalSigner } from '../../src/signers/privateKeyFromEnv.js'
import { loadWorkspace, type Workspace } from '../../src/workspace/loadWorkspace.js'

export type TestDevnet = {
  url: string
  dir: string
  layout: DevnetLayout
  provider: AllianceProvider
  reads: ChainReads
  workspace: Workspace
  /** Writes a file into the devnet's workspace directory and returns its path. */
  write(name: string, content: string): string
  snapshot(): Promise<string>
  revert(id: string): Promise<void>
  stop(): Promise<void>
}

/** A real anvil on a free port with everything deployed, and a workspace directory pointing at it. */
export async function startTestDevnet(): Promise<TestDevnet> {
  const devnet = await startDevnet()
  const dir = mkdtempSync(join(tmpdir(), 'alliance-test-'))
  let provider: AllianceProvider
  let workspace: Workspace
  try {
    writeFileSync(join(dir, 'alliance.yaml'), renderDevnetWorkspace(devnet.anvil.url))
    provider = await connect(devnet.anvil.url, BigInt(devnet.layout.chainId))
    workspace = loadWorkspace({ file: join(dir, 'alliance.yaml') })
  } catch (err) {
    // A failed set-up must not leave an anvil behind.
    await devnet.anvil.stop()
    throw err
  }
  return {
    url: devnet.anvil.url,
    dir,
    layout: devnet.layout,
    provider,
    reads: chainReads(provider),
    workspace,
    write(name, content) {
      const path = join(dir, name)
      writeFileSync(path, content)
      return path
    },
    snapshot: () => provider.send('evm_snapshot', []),
    async revert(id) {
      await provider.send('evm_revert', [id])
    },
    async stop() {
      provider.destroy()
      await devnet.anvil.stop()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** A devnet account as the signers and executors take it (anvil's well-known keys). */
export function devnetSigner(i: number): LocalSigner {
  const key = new SigningKey(DEVNET_ACCOUNTS[i]!.key)
  return { address: computeAddress(key) as Address, key, source: `account ${i}` }
}
