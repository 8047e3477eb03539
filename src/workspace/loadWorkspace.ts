import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { type InputIssue, InvalidInputFileError } from '../errors/input.js'
import { WorkspaceNotFoundError } from '../errors/workspace.js'
import { parseYamlSource, readYamlFile, type YamlSource } from '../utils/yamlSource.js'
import { zodIssues } from '../utils/zodIssues.js'
import { AddressBook } from './addressBook.js'
import { type WorkspaceConfig, workspaceSchema } from './schema.js'

export const WORKSPACE_FILE = 'alliance.yaml'

export type Workspace = {
  file: string
  dir: string
  config: WorkspaceConfig
  book: AddressBook
}

/** Walks up from `startDir` to the first alliance.yaml, like git finds its repository. */
export function findWorkspaceFile(startDir: string): string | undefined {
  let dir = resolve(startDir)
  for (;;) {
    const candidate = join(dir, WORKSPACE_FILE)
    if (existsSync(candidate)) return candidate
    const parent = dirname(dir)
    if (parent === dir) return undefined
    dir = parent
  }
}

export function loadWorkspace(options: { file?: string; cwd?: string } = {}): Workspace {
  const cwd = options.cwd ?? process.cwd()
  const file = options.file ? resolve(cwd, options.file) : findWorkspaceFile(cwd)
  if (!file) throw new WorkspaceNotFoundError(cwd)
  return workspaceFromSource(readYamlFile(file, 'Workspace file'))
}

export function parseWorkspace(file: string, text: string): Workspace {
  return workspaceFromSource(parseYamlSource(file, text))
}

function workspaceFromSource(source: YamlSource): Workspace {
  const parsed = workspaceSchema.safeParse(source.data ?? {})
  if (!parsed.success)
    throw new InvalidInputFileError(source.file, zodIssues(source, parsed.error), 'workspace')
  const config = parsed.data
  const issues = crossCheck(config, source)
  if (issues.length) throw new InvalidInputFileError(source.file, issues, 'workspace')
  return { file: source.file, dir: dirname(source.file), config, book: AddressBook.fromConfig(config) }
}

/** What zod cannot see field by field: one namespace for all names, vault tokens that exist. */
function crossCheck(config: WorkspaceConfig, source: YamlSource): InputIssue[] {
  const issues: InputIssue[] = []
  const seen = new Map<string, string>()
  for (const section of ['safes', 'tokens', 'contracts', 'addresses'] as const) {
    for (const name of Object.keys(config[section])) {
      const key = name.toLowerCase()
      const previous = seen.get(key)
      if (previous || key === 'eth') {
        const where = previous ? `already used under "${previous}"` : 'reserved for the native coin'
        issues.push(source.issue([section, name], `name "${name}" is ${where}; names must be unique`, 'key'))
      } else {
        seen.set(key, section)
      }
    }
  }
  for (const [name, contract] of Object.entries(config.contracts)) {
    for (const field of ['stakingToken', 'rewardToken'] as const) {
      const token = contract[field]
      if (contract.type === 'staking-vault' && !token) {
        issues.push(source.issue(['contracts', name], `a staking-vault needs "${field}" (a token name)`))
      } else if (token && !Object.keys(config.tokens).some((t) => t.toLowerCase() === token.toLowerCase())) {
        issues.push(source.issue(['contracts', name, field], `unknown token "${token}"`))
      }
    }
  }
  return issues
}
