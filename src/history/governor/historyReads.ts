import { Contract, getAddress, type JsonRpcProvider } from 'ethers'
import type { Address, Hex } from '../../safe/types.js'
import { governorHistoryAbi } from './historyAbi.js'
import type { VoteTally } from './types.js'

/**
 * The few chain reads a history needs besides logs, behind an interface so the core stays pure and unit
 * tests can answer from a table. Every read is pinned to a block: a replay must not drift with the head.
 */
export type GovernorHistoryReads = {
  /** The governor's own `getProposalId` (sequential-id governors); undefined when it reverts (unknown fields). */
  getProposalId(
    governor: Address,
    proposal: { targets: Address[]; values: bigint[]; calldatas: Hex[]; descriptionHash: Hex },
    blockTag: number,
  ): Promise<bigint | undefined>
  /** `proposalVotes(id)` (GovernorCountingSimple); undefined when the governor does not answer it. */
  proposalVotes(governor: Address, id: bigint, blockTag: number): Promise<VoteTally | undefined>
  /** Who sent a transaction and to what: for a direct scheduleBatch the caller is `from`. */
  transaction(hash: Hex): Promise<{ from: Address; to?: Address }>
}

/** The reads from a node. */
export function governorHistoryReads(provider: JsonRpcProvider): GovernorHistoryReads {
  const governorAt = (address: Address) => new Contract(address, governorHistoryAbi, provider)
  return {
    async getProposalId(governor, p, blockTag) {
      return revertAsUndefined(
        governorAt(governor).getFunction('getProposalId')(
          p.targets,
          p.values,
          p.calldatas,
          p.descriptionHash,
          { blockTag },
        ) as Promise<bigint>,
      )
    },
    async proposalVotes(governor, id, blockTag) {
      const votes = await revertAsUndefined(
        governorAt(governor).getFunction('proposalVotes')(id, { blockTag }) as Promise<
          [bigint, bigint, bigint]
        >,
      )
      return votes && { against: votes[0], for: votes[1], abstain: votes[2] }
    },
    async transaction(hash) {
      const tx = await provider.getTransaction(hash)
      if (!tx) throw new Error(`transaction ${hash} not found`)
      const from = getAddress(tx.from) as Address
      return tx.to ? { from, to: getAddress(tx.to) as Address } : { from }
    },
  }
}

async function revertAsUndefined<T>(read: Promise<T>): Promise<T | undefined> {
  try {
    return await read
  } catch (err) {
    const code = (err as { code?: string }).code
    if (code === 'CALL_EXCEPTION' || code === 'BAD_DATA') return undefined
    throw err
  }
}
