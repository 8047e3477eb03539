import { resolve } from 'node:path'
import { Flags } from '@oclif/core'
import { stopDetached } from '../../src/chain/anvil.js'
import { AllianceCommand } from '../../src/cli/baseCommand.js'
import { clearDevnetState, readDevnetState } from '../../src/devnet/startDevnet.js'
import { DevnetNotRunningError } from '../../src/errors/devnet.js'

export default class DevnetStop extends AllianceCommand {
  static override summary = 'Stop a devnet started with --detach.'
  static override examples = ['<%= config.bin %> devnet stop']
  static override flags = {
    dir: Flags.directory({ summary: 'Workspace directory (default: here).', default: '.' }),
  }

  async run(): Promise<{ pid: number; url: string }> {
    const { flags } = await this.parse(DevnetStop)
    const dir = resolve(flags.dir)
    const state = readDevnetState(dir)
    if (!state) throw new DevnetNotRunningError(dir)
    await stopDetached(state.pid)
    clearDevnetState(dir)
    this.say(`${this.t.green('✔')} stopped the devnet at ${state.url} (pid ${state.pid})`)
    return { pid: state.pid, url: state.url }
  }
}
