import { Args, Flags } from '@oclif/core'
import { InvalidFlagError } from '../errors/input.js'
import { governorOf } from '../governor/governorOf.js'
import { type ProposalOnChain, proposalOnChain } from '../governor/proposalOnChain.js'
import { type GovernorInfo, readGovernor } from '../governor/readGovernor.js'
import type { Workspace } from '../workspace/loadWorkspace.js'
import type { ChainSession } from './context.js'

/** Flags every `governor` command shares. */
export const governorFlags = {
  governor: Flags.string({ summary: 'The governor by name or address (default: the workspace has one).' }),
}

/** Flags of the commands that find a proposal by its ProposalCreated event. */
export const proposalLookupFlags = {
  ...governorFlags,
  'from-block': Flags.integer({
    summary: 'Look for the ProposalCreated event from this block (default 0; set it on long chains).',
    min: 0,
  }),
}

export const proposalIdArg = Args.string({
  description: 'Proposal id (decimal, as ProposalCreated logs it, or 0x hex)',
  required: true,
})

export function parseProposalId(raw: string): bigint {
  if (!/^(\d+|0x[0-9a-fA-F]{1,64})$/.test(raw))
    throw new InvalidFlagError('ID', 'expected a decimal or 0x-hex proposal id')
  const id = BigInt(raw)
  if (id >= 2n ** 256n) throw new InvalidFlagError('ID', 'a proposal id is a uint256; this one is larger')
  return id
}

/** The workspace's governor, read from the chain. */
export async function openGovernor(
  workspace: Workspace,
  chain: ChainSession,
  governor?: string,
): Promise<{ name: string; info: GovernorInfo; timelockName?: string }> {
  const refs = governorOf(workspace, governor ? { governor } : {})
  const info = await readGovernor(chain.provider, refs.governor.address)
  return { name: refs.governor.name, info, ...(refs.timelock ? { timelockName: refs.timelock.name } : {}) }
}

/** A proposal on chain by id, rebuilt from its event and checked against its id. */
export async function openProposal(
  workspace: Workspace,
  chain: ChainSession,
  flags: { governor?: string; 'from-block'?: number },
  rawId: string,
): Promise<{ info: GovernorInfo; onChain: ProposalOnChain }> {
  const id = parseProposalId(rawId)
  const { info } = await openGovernor(workspace, chain, flags.governor)
  return {
    info,
    onChain: await proposalOnChain(chain.provider, info, id, flags['from-block'] ?? 0, chain.logs),
  }
}
