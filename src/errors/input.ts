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

/** `file:line:column field: message`; a problem with the whole file (line 0) has no position. */
export const formatIssue = (issue: InputIssue) =>
  `${issue.file}${issue.line ? `:${issue.line}:${issue.column}` : ''}${issue.field ? ` ${issue.field}` : ''}: ${issue.message}`

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

export class ChecksFailedError extends AllianceError {
  override name = 'ChecksFailedError'
  constructor(verdict: string, failOn: string) {
    super(`Risk checks found ${verdict === 'danger' ? 'danger' : 'warning'} findings (--fail-on ${failOn})`, {
      code: 'CHECKS_FAILED',
      hint: 'Read the findings above; change the plan, or lower --fail-on if they are expected.',
    })
  }
}

export class InvalidFlagError extends AllianceError {
  override name = 'InvalidFlagError'
  constructor(flag: string, reason: string) {
    super(`${flag}: ${reason}`, { code: 'INVALID_FLAG', hint: `Fix ${flag}; see --help for its format.` })
  }
}
