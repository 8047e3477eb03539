import { getAddress, type JsonRpcProvider } from 'ethers'
import type { LogSource } from '../chain/logSource.js'
import { rangedLogSource } from '../chain/rangedLogSource.js'
import { artifactInterface } from '../contracts/artifacts.js'
import type { Address, Hex } from '../safe/types.js'
import { PROPOSAL_STATES, type ProposalStateName } from './types.js'

export type ProposalListEntry = {
  proposalId: bigint
  proposer: Address
  description: string
  targets: Address[]
  values: bigint[]
  calldatas: Hex[]
  created: { blockNumber: number; transactionHash: Hex }
  queued?: { blockNumber: number; eta: bigint }
  executed?: { blockNumber: number; transactionHash: Hex }
  canceled?: { blockNumber: number; transactionHash: Hex }
  /** The governor's `state()` now. */
  state: ProposalStateName
}

export type ListProposalsParameters = {
  fromBlock?: number
  toBlock?: number
  /**
   * Where the events come from; default: read from the provider in ranges (no cache). Commands pass the
   * workspace's cached source (ChainSession.logs).
   */
  logs?: LogSource
}

const LIFECYCLE_EVENTS = [
  'ProposalCreated',
  'ProposalQueued',
  'ProposalExecuted',
  'ProposalCanceled',
] as const

/**
 * Every proposal of a governor from its lifecycle events, oldest first: ProposalCreated gives the
 * fields, Queued/Executed/Canceled when each happened, and `state()` where it stands now.
 */
export async function listProposals(
  provider: JsonRpcProvider,
  governor: Address,
  { fromBlock = 0, toBlock, logs = rangedLogSource(provider) }: ListProposalsParameters = {},
): Promise<ProposalListEntry[]> {
  const iface = artifactInterface('AllianceGovernor')
  const topics = LIFECYCLE_EVENTS.map((name) => iface.getEvent(name)!.topicHash)
  // Nodes refuse a range that ends past their head (anvil: BlockOutOfRangeError): stop at the head.
  const latest = await provider.getBlockNumber()
  const head = toBlock === undefined ? latest : Math.min(toBlock, latest)
  const byId = new Map<bigint, ProposalListEntry>()
  if (fromBlock <= head) {
    const found = await logs({ address: governor, topics: [topics], fromBlock, toBlock: head })
    for (const log of found) {
      const event = iface.parseLog(log)
      if (!event) continue
      const id = event.args.getValue('proposalId') as bigint
      const at = { blockNumber: log.blockNumber, transactionHash: log.transactionHash as Hex }
      if (event.name === 'ProposalCreated') {
        byId.set(id, {
          proposalId: id,
          proposer: getAddress(event.args.getValue('proposer')) as Address,
          description: event.args.getValue('description'),
          targets: [...event.args.getValue('targets')].map((t: string) => getAddress(t) as Address),
          values: [...event.args.getValue('values')],
          calldatas: [...event.args.getValue('calldatas')],
          created: at,
          state: 'Pending',
        })
        continue
      }
      const entry = byId.get(id)
      if (!entry) continue // created before fromBlock
      if (event.name === 'ProposalQueued')
        entry.queued = { blockNumber: log.blockNumber, eta: event.args.getValue('etaSeconds') }
      if (event.name === 'ProposalExecuted') entry.executed = at
      if (event.name === 'ProposalCanceled') entry.canceled = at
    }
  }
  const entries = [...byId.values()]
  const states = await Promise.all(
    entries.map((e) =>
      provider.call({ to: governor, data: iface.encodeFunctionData('state', [e.proposalId]) }),
    ),
  )
  entries.forEach((e, i) => {
    e.state = PROPOSAL_STATES[Number(BigInt(states[i]!))] ?? e.state
  })
  return entries
}

/** The first line of a description without Markdown heading marks: what a list shows. */
export function proposalTitle(description: string): string {
  const first = description.split('\n').find((l) => l.trim() !== '') ?? ''
  const title = first.replace(/^#+\s*/, '').trim()
  return title.length > 80 ? `${title.slice(0, 77)}…` : title
}
