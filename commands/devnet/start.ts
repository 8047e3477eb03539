import { existsSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { Flags, ux } from '@oclif/core'
import { AllianceCommand } from '../../src/cli/baseCommand.js'
import type { DevnetLayout } from '../../src/devnet/devnetLayout.js'
import { DEFAULT_DEVNET_PORT, renderDevnetWorkspace } from '../../src/devnet/devnetWorkspace.js'
import { readDevnetState, startDevnet, writeDevnetState } from '../../src/devnet/startDevnet.js'
import { DevnetAlreadyRunningError } from '../../src/errors/devnet.js'
import { WORKSPACE_FILE } from '../../src/workspace/loadWorkspace.js'

export type DevnetStartResult = {
  url: string
  pid: number
  detached: boolean
  readyMs: number
  workspace: string
  workspaceWritten: boolean
  layout: DevnetLayout
}

export default class DevnetStart extends AllianceCommand {
  static override summary = 'Start the embedded devnet: anvil with the Safe and alliance contracts deployed.'
  static override description =
    `Starts anvil (from the npm package, no downloads), deploys the Safe v1.4.1 contracts at their canonical addresses, a 2-of-3 council Safe owned by anvil's first three accounts, and the alliance contracts with their roles wired, then writes alliance.yaml if the directory has none. Addresses are deterministic. Runs in the foreground until Ctrl-C, or in the background with --detach.`
  static override examples = [
    '<%= config.bin %> devnet start',
    '<%= config.bin %> devnet start --detach',
    '<%= config.bin %> devnet start --port 8600 --dir /tmp/alliance',
  ]
  static override flags = {
    port: Flags.integer({
      char: 'p',
      summary: 'Port for the JSON-RPC endpoint.',
      default: DEFAULT_DEVNET_PORT,
    }),
    detach: Flags.boolean({
      char: 'd',
      summary: 'Run in the background; stop it with `alliance devnet stop`.',
    }),
    dir: Flags.directory({ summary: 'Workspace directory (default: here).', default: '.' }),
  }

  async run(): Promise<DevnetStartResult> {
    const { flags } = await this.parse(DevnetStart)
    const dir = resolve(flags.dir)
    const running = readDevnetState(dir)
    if (running) {
      throw new DevnetAlreadyRunningError(dir, running.url, running.pid)
    }
    // Progress on stderr (a spinner on a TTY, one line otherwise), so stdout stays clean for --json.
    if (!this.jsonEnabled()) ux.action.start('Starting anvil and deploying the Safe and alliance contracts')
    const devnet = await startDevnet({ port: flags.port, detached: flags.detach }).catch((err) => {
      if (!this.jsonEnabled()) ux.action.stop(this.t.red('failed'))
      throw err
    })
    if (!this.jsonEnabled()) ux.action.stop('done')
    const workspace = join(dir, WORKSPACE_FILE)
    const workspaceWritten = !existsSync(workspace)
    if (workspaceWritten) writeFileSync(workspace, renderDevnetWorkspace(devnet.anvil.url))
    const result: DevnetStartResult = {
      url: devnet.anvil.url,
      pid: devnet.anvil.pid,
      detached: flags.detach,
      readyMs: devnet.readyMs,
      workspace,
      workspaceWritten,
      layout: devnet.layout,
    }
    this.say(
      `${this.t.green('✔')} devnet ready at ${devnet.anvil.url} in ${devnet.readyMs} ms (chain ${devnet.layout.chainId})`,
    )
    this.say(`  council Safe  ${devnet.layout.council} (2 of 3: anvil accounts 0, 1, 2)`)
    for (const [name, address] of Object.entries(devnet.layout.contracts))
      this.say(`  ${name.padEnd(13)} ${address}`)
    this.say(`  workspace     ${workspace}${workspaceWritten ? ' (written)' : ' (kept as it was)'}`)

    if (flags.detach) {
      writeDevnetState(dir, {
        pid: devnet.anvil.pid,
        url: devnet.anvil.url,
        port: devnet.anvil.port,
        startedAt: new Date().toISOString(),
      })
      this.say(
        this.t.dim(
          `  running in the background (pid ${devnet.anvil.pid}); stop it with: alliance devnet stop`,
        ),
      )
      return result
    }
    if (this.jsonEnabled()) this.logJson(this.toSuccessJson(result))
    this.say(this.t.dim('  press Ctrl-C to stop'))
    await new Promise<void>((done) => {
      const stop = () => void devnet.anvil.stop().then(done)
      process.once('SIGINT', stop)
      process.once('SIGTERM', stop)
    })
    this.say('devnet stopped')
    // Already printed once ready, so a script reading --json does not wait for Ctrl-C.
    return this.exit(0)
  }
}
