import { existsSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { type AnvilInstance, isRunning, startAnvil } from '../chain/anvil.js'
import { connect } from '../chain/provider.js'
import { writeFileAtomic } from '../utils/atomicWrite.js'
import { deployDevnet } from './deployDevnet.js'
import { DEVNET_PARAMS, type DevnetLayout } from './devnetLayout.js'

export type StartDevnetOptions = { port?: number; detached?: boolean }
export type RunningDevnet = { anvil: AnvilInstance; layout: DevnetLayout; readyMs: number }

/** Starts anvil and deploys everything; on failure the anvil it started is stopped again. */
export async function startDevnet(options: StartDevnetOptions = {}): Promise<RunningDevnet> {
  const started = Date.now()
  const anvil = await startAnvil({
    chainId: DEVNET_PARAMS.chainId,
    ...(options.port === undefined ? {} : { port: options.port }),
    ...(options.detached ? { detached: true } : {}),
  })
  const provider = await connect(anvil.url, BigInt(DEVNET_PARAMS.chainId))
  try {
    const layout = await deployDevnet(provider)
    return { anvil, layout, readyMs: Date.now() - started }
  } catch (err) {
    await anvil.stop()
    throw err
  } finally {
    provider.destroy()
  }
}

/** Where a detached devnet is recorded, beside the workspace it serves. */
export type DevnetState = { pid: number; url: string; port: number; startedAt: string }

export const devnetStateFile = (dir: string) => join(dir, '.alliance', 'devnet.json')

export function writeDevnetState(dir: string, state: DevnetState): void {
  writeFileAtomic(devnetStateFile(dir), `${JSON.stringify(state, null, 2)}\n`)
}

/** The recorded devnet, if its process is still alive (a stale record is removed). */
export function readDevnetState(dir: string): DevnetState | undefined {
  const file = devnetStateFile(dir)
  if (!existsSync(file)) return undefined
  const state = JSON.parse(readFileSync(file, 'utf8')) as DevnetState
  if (isRunning(state.pid)) return state
  rmSync(file, { force: true })
  return undefined
}

export const clearDevnetState = (dir: string) => rmSync(devnetStateFile(dir), { force: true })
