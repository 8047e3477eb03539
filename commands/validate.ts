import { Args } from '@oclif/core'
import { loadActionFile } from '../src/actions/actionFile.js'
import { AllianceCommand } from '../src/cli/baseCommand.js'
import { openWorkspace } from '../src/cli/context.js'
import {
  formatIssue,
  InputFileNotFoundError,
  type InputIssue,
  InvalidInputFileError,
  ValidationFailedError,
} from '../src/errors/input.js'

export type ValidateResult = {
  workspace: string
  files: {
    file: string
    valid: boolean
    actions: { kind: string; description: string }[]
    issues: InputIssue[]
  }[]
}

export default class Validate extends AllianceCommand {
  static override summary = 'Check action files: YAML syntax, schema and address-book names, with no chain.'
  static override description =
    'Every problem is reported with its file, line and column, and what was expected. Exits 1 if any file has a problem.'
  static override examples = [
    '<%= config.bin %> validate actions/november.yaml',
    '<%= config.bin %> validate actions/*.yaml --json',
  ]
  static override strict = false
  static override args = {
    file: Args.file({ description: 'Action file(s) to check', required: true, exists: false }),
  }

  async run(): Promise<ValidateResult> {
    const { flags, argv } = await this.parse(Validate)
    const workspace = openWorkspace(flags.workspace)
    const result: ValidateResult = { workspace: workspace.file, files: [] }
    for (const file of argv as string[]) {
      try {
        const actions = loadActionFile(file, workspace).actions
        result.files.push({
          file,
          valid: true,
          actions: actions.map((a) => ({ kind: a.kind, description: a.description })),
          issues: [],
        })
        this.say(`${this.t.green('✔')} ${file}: ${actions.length} action${actions.length === 1 ? '' : 's'}`)
        for (const a of actions) this.say(this.t.dim(`    ${a.index + 1}. ${a.description}`))
      } catch (err) {
        // One unreadable file is one more problem to report, not the end of the run.
        const issues =
          err instanceof InvalidInputFileError
            ? err.issues
            : err instanceof InputFileNotFoundError
              ? [{ file, line: 0, column: 0, field: '', message: 'file not found' }]
              : undefined
        if (!issues) throw err
        result.files.push({ file, valid: false, actions: [], issues })
        this.say(`${this.t.red('✘')} ${file}`)
        for (const issue of issues) this.say(`    ${formatIssue(issue)}`)
      }
    }
    const bad = result.files.filter((f) => !f.valid).length
    if (bad) return this.failWith(result, new ValidationFailedError(bad))
    return result
  }
}
