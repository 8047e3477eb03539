import { readFileSync } from 'node:fs'
import { isAbsolute, join } from 'node:path'
import { Interface } from 'ethers'
import { z } from 'zod'
import { ARTIFACT_FOR_TYPE, artifactInterface } from '../contracts/artifacts.js'
import { tokenAbi } from '../contracts/tokenAbi.js'
import { type InputIssue, InvalidInputFileError } from '../errors/input.js'
import type { Address, Call } from '../safe/types.js'
import { parseYamlSource, readYamlFile, type YamlSource } from '../utils/yamlSource.js'
import { zodIssues } from '../utils/zodIssues.js'
import type { Workspace } from '../workspace/loadWorkspace.js'
import { ACTION_KINDS } from './index.js'
import type { ActionContext } from './types.js'

export const ROUTES = ['safe', 'governor'] as const
export type Route = (typeof ROUTES)[number]

/** One action after resolution: what the YAML said, what it means in words, and the calls it becomes. */
export type ResolvedAction = {
  index: number
  kind: string
  description: string
  calls: Call[]
  /** The action exactly as written in the file (for the plan bundle and re-verification). */
  input: Record<string, unknown>
}

export type ActionFile = {
  file: string
  text: string
  safe: { name?: string; address: Address }
  description: string
  route: Route
  actions: ResolvedAction[]
  /** Set when the actions came from another format than an alliance action file (a Transaction Builder batch). */
  sourceKind?: 'txbuilder'
}

const fileSchema = z.strictObject({
  version: z.literal(1, { error: 'expected version: 1' }),
  safe: z.string({
    error: 'expected the Safe that executes this file: a name from alliance.yaml or an address',
  }),
  description: z.string().default(''),
  route: z.enum(ROUTES, { error: `expected one of: ${ROUTES.join(', ')}` }).default('safe'),
  actions: z
    .array(z.record(z.string(), z.unknown(), { error: 'each action is a mapping with a "kind"' }), {
      error: 'expected a list of actions',
    })
    .min(1, 'the file has no actions'),
})

export function loadActionFile(file: string, workspace: Workspace): ActionFile {
  return resolveActionFile(readYamlFile(file, 'Action file'), workspace)
}

export function parseActionFile(file: string, text: string, workspace: Workspace): ActionFile {
  return resolveActionFile(parseYamlSource(file, text), workspace)
}

function resolveActionFile(source: YamlSource, workspace: Workspace): ActionFile {
  const top = fileSchema.safeParse(source.data ?? {})
  if (!top.success) throw new InvalidInputFileError(source.file, zodIssues(source, top.error), 'action file')

  const issues: InputIssue[] = []
  const safeRef = top.data.safe
  let safe: ActionFile['safe'] | undefined
  const entry = safeRef.startsWith('0x') ? undefined : workspace.book.byName(safeRef)
  if (entry && entry.kind !== 'safe') {
    issues.push(source.issue(['safe'], `"${safeRef}" is a ${entry.kind}, not a Safe`))
  } else {
    const resolved = workspace.book.resolveAddress(safeRef)
    if (resolved.ok) safe = { ...(entry ? { name: entry.name } : {}), address: resolved.value }
    else issues.push(source.issue(['safe'], resolved.reason))
  }

  const ctx = actionContext(workspace)
  const actions: ResolvedAction[] = []
  top.data.actions.forEach((input, index) => {
    const kindName = input.kind
    const kind = typeof kindName === 'string' ? ACTION_KINDS[kindName] : undefined
    if (!kind) {
      const known = Object.keys(ACTION_KINDS).join(', ')
      const message =
        typeof kindName === 'string'
          ? `unknown kind "${kindName}"; expected one of: ${known}`
          : `missing "kind"; expected one of: ${known}`
      issues.push(source.issue(['actions', index, 'kind'], message))
      return
    }
    const parsed = kind.schema(ctx).safeParse(input)
    if (!parsed.success) {
      issues.push(...zodIssues(source, parsed.error, ['actions', index]))
      return
    }
    actions.push({
      index,
      kind: kind.kind,
      description: kind.describe(parsed.data, workspace.book),
      calls: kind.encode(parsed.data),
      input,
    })
  })

  if (issues.length || !safe) throw new InvalidInputFileError(source.file, issues, 'action file')
  return {
    file: source.file,
    text: source.text,
    safe,
    description: top.data.description,
    route: top.data.route,
    actions,
  }
}

/** ABIs by address: the alliance contracts by type, tokens as ERC-20, and `abi:` files named in the workspace. */
export function actionContext(workspace: Workspace): ActionContext {
  // Loaders, not interfaces: compiled ABIs are read only when a `kind: call` names a function.
  const loaders = new Map<string, () => Interface>()
  for (const contract of Object.values(workspace.config.contracts)) {
    const abiFile = contract.abi
    if (abiFile) {
      const path = isAbsolute(abiFile) ? abiFile : join(workspace.dir, abiFile)
      loaders.set(contract.address, () => {
        const json = JSON.parse(readFileSync(path, 'utf8'))
        return new Interface(Array.isArray(json) ? json : json.abi)
      })
      continue
    }
    const artifact = ARTIFACT_FOR_TYPE[contract.type]
    if (artifact) loaders.set(contract.address, () => artifactInterface(artifact))
  }
  for (const token of Object.values(workspace.config.tokens)) loaders.set(token.address, () => tokenAbi)
  const loaded = new Map<string, Interface>()
  return {
    book: workspace.book,
    config: workspace.config,
    abiFor: (address) => {
      const load = loaders.get(address)
      if (!load) return undefined
      const iface = loaded.get(address) ?? load()
      loaded.set(address, iface)
      return iface
    },
  }
}
