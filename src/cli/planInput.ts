import { readFileSync } from 'node:fs'
import { loadActionFile } from '../actions/actionFile.js'
import { InputFileNotFoundError } from '../errors/input.js'
import { buildSafePlan } from '../plan/buildSafePlan.js'
import { looksLikePlan, parsePlan } from '../plan/planFile.js'
import type { SafePlan } from '../plan/types.js'
import type { Workspace } from '../workspace/loadWorkspace.js'
import type { ChainSession } from './context.js'

/** Commands that take "PLAN|FILE": a plan bundle is read as is, an action file is planned first. */
export async function planFromPath(
  path: string,
  workspace: Workspace,
  chain: ChainSession,
): Promise<SafePlan> {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch {
    throw new InputFileNotFoundError(path, 'Plan or action file')
  }
  if (looksLikePlan(text)) return parsePlan(path, text)
  return buildSafePlan(loadActionFile(path, workspace), chain.reads)
}

/** `november.yaml` → `november.plan.json`, beside it. */
export const defaultPlanPath = (actionFile: string) => actionFile.replace(/\.ya?ml$/i, '') + '.plan.json'
