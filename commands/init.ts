import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { Args, Flags } from '@oclif/core'
import { AllianceCommand } from '../src/cli/baseCommand.js'
import { renderDevnetWorkspace, templatesDir } from '../src/devnet/devnetWorkspace.js'
import { WorkspaceExistsError } from '../src/errors/workspace.js'
import { WORKSPACE_FILE } from '../src/workspace/loadWorkspace.js'

export type InitResult = { workspace: string; actionFiles: string[] }

export default class Init extends AllianceCommand {
  static override summary = 'Create a workspace (alliance.yaml) and one example action file per action kind.'
  static override description =
    "The workspace points at the embedded devnet's deterministic addresses until you edit it, so `alliance devnet start` then `alliance plan actions/allocate-treasury.yaml` works at once."
  static override examples = [
    '<%= config.bin %> init',
    '<%= config.bin %> init my-alliance',
    '<%= config.bin %> init --force',
  ]
  static override args = {
    dir: Args.directory({ description: 'Directory to create the workspace in', default: '.' }),
  }
  static override flags = {
    force: Flags.boolean({ summary: 'Overwrite an existing alliance.yaml and example files.' }),
  }

  async run(): Promise<InitResult> {
    const { args, flags } = await this.parse(Init)
    const dir = resolve(args.dir)
    const workspace = join(dir, WORKSPACE_FILE)
    if (existsSync(workspace) && !flags.force) throw new WorkspaceExistsError(workspace)
    writeFileSync(workspace, renderDevnetWorkspace(flags['rpc-url']))
    const actionFiles: string[] = []
    // One example per action kind, and an example payout schedule (with its CSV).
    for (const folder of ['actions', 'payouts']) {
      const source = join(templatesDir(), folder)
      mkdirSync(join(dir, folder), { recursive: true })
      for (const name of readdirSync(source).sort()) {
        const target = join(dir, folder, name)
        if (existsSync(target) && !flags.force) continue
        copyFileSync(join(source, name), target)
        actionFiles.push(target)
      }
    }
    this.say(`${this.t.green('✔')} wrote ${workspace}`)
    for (const f of actionFiles) this.say(`  ${f}`)
    this.say(this.t.dim('\nNext: alliance devnet start --detach, then alliance validate actions/*.yaml'))
    return { workspace, actionFiles }
  }
}
