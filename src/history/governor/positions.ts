import type { Log } from 'ethers'
import type { Hex } from '../../safe/types.js'
import type { ChainPosition } from './types.js'

export type { ChainPosition }

export const positionOf = (log: Log): ChainPosition => ({
  blockNumber: log.blockNumber,
  transactionHash: log.transactionHash as Hex,
  logIndex: log.index,
})

/** Chain order: a log index counts within its block, so block then index orders logs of any contract. */
export const byChainOrder = (
  a: Pick<ChainPosition, 'blockNumber' | 'logIndex'>,
  b: Pick<ChainPosition, 'blockNumber' | 'logIndex'>,
): number => a.blockNumber - b.blockNumber || a.logIndex - b.logIndex

export const logChainOrder = (a: Log, b: Log): number => a.blockNumber - b.blockNumber || a.index - b.index
