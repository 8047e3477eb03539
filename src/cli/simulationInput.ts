import { readFileSync } from 'node:fs'
import type { Route } from '../actions/actionFile.js'
import { loadActionFile } from '../actions/actionFile.js'
import { InputFileNotFoundError } from '../errors/input.js'
import { buildGovernorProposal } from '../governor/buildProposal.js'
import { governorOf } from '../governor/governorOf.js'
import { proposalOnChain } from '../governor/proposalOnChain.js'
import { readGovernor } from '../governor/readGovernor.js'
import type { GovernorProposal } from '../governor/types.js'
import { buildSafePlan } from '../plan/buildSafePlan.js'
import { looksLikePlan, parsePlan } from '../plan/planFile.js'
import type { SafePlan } from '../plan/types.js'
import type { Address } from '../safe/types.js'
import type { Workspace } from '../workspace/loadWorkspace.js'
import type { ChainSession } from './context.js'

export type SimulationSubject =
  | { kind: 'safe'; plan: SafePlan }
  | { kind: 'governor'; proposal: GovernorProposal; file?: string; existing?: { proposer: Address } }

export type SimulationInput = {
  /** A plan bundle or an action file. */
  path?: string
  /** An existing proposal, by id (decimal or 0x hex). */
  proposalId?: string
  /** Overrides the action file's `route`. */
  route?: Route
  governor?: string
  fromBlock?: number
}

/**
 * What `simulate` runs: a Safe plan (from a bundle, or planned from an action file), a Governor
 * proposal built from an action file routed to the governor, or a proposal already on chain.
 */
export async function simulationSubject(
  input: SimulationInput,
  workspace: Workspace,
  chain: ChainSession,
): Promise<SimulationSubject> {
  if (input.proposalId !== undefined) return existingProposal(input, workspace, chain)
  const path = input.path!
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch {
    throw new InputFileNotFoundError(path, 'Plan or action file')
  }
  if (looksLikePlan(text)) return { kind: 'safe', plan: parsePlan(path, text) }
  const file = loadActionFile(path, workspace)
  const route = input.route ?? file.route
  if (route === 'safe') return { kind: 'safe', plan: await buildSafePlan({ ...file, route }, chain.reads) }
  const { governor, timelock } = governorOf(workspace, input.governor ? { governor: input.governor } : {})
  const info = await readGovernor(chain.provider, governor.address)
  const proposal = buildGovernorProposal(
    file,
    governor.address,
    info.timelock ?? timelock?.address,
    info.ozVersion,
  )
  return { kind: 'governor', proposal, file: path }
}

async function existingProposal(
  input: SimulationInput,
  workspace: Workspace,
  chain: ChainSession,
): Promise<SimulationSubject> {
  const id = BigInt(input.proposalId!)
  const { governor } = governorOf(workspace, input.governor ? { governor: input.governor } : {})
  const info = await readGovernor(chain.provider, governor.address)
  const { proposal, created } = await proposalOnChain(
    chain.provider,
    info,
    id,
    input.fromBlock ?? 0,
    chain.logs,
  )
  return { kind: 'governor', proposal, existing: { proposer: created.proposer } }
}
