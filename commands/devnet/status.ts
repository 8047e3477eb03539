import { resolve } from 'node:path'
import { Flags } from '@oclif/core'
import { AllianceCommand } from '../../src/cli/baseCommand.js'
import { type DevnetState, readDevnetState } from '../../src/devnet/startDevnet.js'
import { DevnetNotRunningError } from '../../src/errors/devnet.js'

export type DevnetStatusResult = DevnetState & { blockNumber: number }

export default class DevnetStatus extends AllianceCommand {
  static override summary = 'Show whether a detached devnet is running, where, and at which block.'
  static override examples = ['<%= config.bin %> devnet status', '<%= config.bin %> devnet status --json']
  static override flags = {
    dir: Flags.directory({ summary: 'Workspace directory (default: here).', default: '.' }),
  }

  async run(): Promise<DevnetStatusResult> {
    const { flags } = await this.parse(DevnetStatus)
    const dir = resolve(flags.dir)
    const state = readDevnetState(dir)
    if (!state) throw new DevnetNotRunningError(dir)
    const res = await fetch(state.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_blockNumber', params: [] }),
      signal: AbortSignal.timeout(3000),
    })
    const blockNumber = Number(BigInt(((await res.json()) as { result: string }).result))
    this.say(
      `${this.t.green('●')} devnet running at ${state.url} (pid ${state.pid}), block ${blockNumber}, since ${state.startedAt}`,
    )
    return { ...state, blockNumber }
  }
}
