import { AllianceError } from './base.js'

export class WorkspaceNotFoundError extends AllianceError {
  override name = 'WorkspaceNotFoundError'
  constructor(startDir: string) {
    super(`No alliance.yaml found in ${startDir} or any parent directory`, {
      code: 'WORKSPACE_NOT_FOUND',
      hint: 'Run `alliance init` (or `alliance devnet start`) to create one, or pass --workspace FILE.',
    })
  }
}

export class WorkspaceExistsError extends AllianceError {
  override name = 'WorkspaceExistsError'
  constructor(file: string) {
    super(`${file} already exists`, {
      code: 'WORKSPACE_EXISTS',
      hint: 'Pass --force to overwrite it, or pick another directory.',
    })
  }
}
