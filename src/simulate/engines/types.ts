import type { Address, Hex } from '../../safe/types.js'

/** One call to simulate, as the outer transaction an executor would send. */
export type SimulatedCall = { from: Address; to: Address; data: Hex; value?: bigint }

/** Per-account storage slots to pretend (geth's `stateDiff` override: the rest of the storage stays). */
export type StateOverrides = Record<Address, { stateDiff: Record<Hex, Hex> }>
