import { readFileSync } from 'node:fs'
import { loadActionFile } from '../actions/actionFile.js'
import { InputFileNotFoundError } from '../errors/input.js'
import { buildSafePlan } from '../plan/buildSafePlan.js'
import { looksLikePlan, parsePlan } from '../plan/planFile.js'
import type { SafePlan } from '../plan/types.js'
import type { Address } from '../safe/types.js'
import type { Workspace } from '../workspace/loadWorkspace.js'
import type { ChainSession } from './context.js'

/** Commands that take "PLAN|FILE": a plan bundle is read as is, an action file is planned first. */
export async function planFromPath(
  path: string,
  workspace: Workspace,
  chain: ChainSession,
  options: {
    /** The nonce an action file is planned at (default: the Safe's next), given the Safe's address. */
    nonceFor?: (safe: Address) => Promise<bigint>
    /** Called when the path was an action file and a plan was built from it. */
    planned?: (plan: SafePlan) => void
  } = {},
): Promise<SafePlan> {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch {
    throw new InputFileNotFoundError(path, 'Plan or action file')
  }
  if (looksLikePlan(text)) return parsePlan(path, text)
  const file = loadActionFile(path, workspace)
  const nonce = options.nonceFor ? await options.nonceFor(file.safe.address) : undefined
  const plan = await buildSafePlan(file, chain.reads, nonce === undefined ? {} : { nonce })
  options.planned?.(plan)
  return plan
}

/** `november.yaml` → `november.plan.json`, beside it. */
export const defaultPlanPath = (actionFile: string) => actionFile.replace(/\.ya?ml$/i, '') + '.plan.json'
