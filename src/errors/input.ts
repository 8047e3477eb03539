import { AllianceError } from './base.js'

/** One problem in an input file, pinned to where a person would fix it. */
export type InputIssue = {
  file: string
  line: number
  column: number
  /** Dotted path of the field, e.g. `actions[1].amount`. Empty for the whole document. */
  field: string
  message: string
}

export const formatIssue = (issue: InputIssue) =>
  `${issue.file}:${issue.line}:${issue.column}${issue.field ? ` ${issue.field}` : ''}: ${issue.message}`

/** A file that does not parse or does not validate. Carries every issue found, not just the first. */
export class InvalidInputFileError extends AllianceError {
  override name = 'InvalidInputFileError'
  readonly issues: InputIssue[]
  constructor(file: string, issues: InputIssue[], what = 'file') {
    super(`${file}: ${issues.length} problem${issues.length === 1 ? '' : 's'} in the ${what}`, {
      code: 'INVALID_INPUT',
      details: issues.map(formatIssue),
      hint: 'Fix the fields named above; nothing was planned, signed or sent.',
    })
    this.issues = issues
  }
}

export class InputFileNotFoundError extends AllianceError {
  override name = 'InputFileNotFoundError'
  constructor(file: string, what: string) {
    super(`${what} not found: ${file}`, { code: 'FILE_NOT_FOUND', hint: 'Check the path.' })
  }
}

export class ValidationFailedError extends AllianceError {
  override name = 'ValidationFailedError'
  constructor(count: number) {
    super(`${count} file${count === 1 ? '' : 's'} did not validate`, {
      code: 'VALIDATION_FAILED',
      hint: 'Fix the problems listed above each file name.',
    })
  }
}
