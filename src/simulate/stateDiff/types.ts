import type { Address, Hex } from '../../safe/types.js'

/**
 * One account in geth's `prestateTracer` output (anvil and reth return the same shape). Addresses and
 * slots are lowercase hex; `balance` is a hex quantity.
 */
export type PrestateAccount = {
  balance?: Hex
  nonce?: number
  code?: Hex
  storage?: Record<Hex, Hex>
}

/**
 * `prestateTracer` with `diffMode: true`. `pre` holds only accounts the transaction changed, and of their
 * storage only the changed slots that were non-zero before; `post` holds only what changed, and leaves out
 * slots whose new value is zero (an account whose only change zeroed slots is present as `{}`). An
 * account in `pre` but absent from `post` was deleted (self-destructed in the same transaction).
 */
export type PrestateDiff = {
  pre: Record<string, PrestateAccount>
  post: Record<string, PrestateAccount>
}

/** One entry of solc's `storageLayout.types` (as forge writes it into an artifact). */
export type StorageType = {
  encoding: 'inplace' | 'mapping' | 'dynamic_array' | 'bytes'
  label: string
  /** Decimal string, like everything numeric in solc's layout JSON. */
  numberOfBytes: string
  /** Mappings: the key and value type ids. */
  key?: string
  value?: string
  /** Arrays (static and dynamic): the element type id. */
  base?: string
  /** Structs. */
  members?: StorageEntry[]
}

/** A state variable (or struct member) in solc's layout: `slot` is a decimal string, `offset` in bytes. */
export type StorageEntry = {
  label: string
  offset: number
  slot: string
  type: string
  astId?: number
  contract?: string
}

/** solc's `storageLayout` output. */
export type StorageLayout = {
  storage: StorageEntry[]
  types: Record<string, StorageType> | null
}

/** One variable whose bytes changed in one slot. Several variables packed into a slot give several changes. */
export type StorageVariableChange = {
  slot: Hex
  /** Path to the variable (`spentInEpoch[ALLY][12]`, `_roles[ALLOCATOR_ROLE].hasRole[council]`); absent when unresolved. */
  variable?: string
  /** The Solidity type (`uint256`, `address`, `string`); absent when unresolved. */
  type?: string
  /** Decoded values; the raw words when the slot is unresolved. */
  before: string
  after: string
  raw: { before: Hex; after: Hex }
  critical: boolean
}

export type ContractStorageDiff = {
  address: Address
  /** The recognised layout (`AllianceTreasury`, `Safe 1.4.1`); absent for unknown code. */
  layoutName?: string
  changes: StorageVariableChange[]
  balance?: { before: bigint; after: bigint }
  nonce?: { before: number; after: number }
  codeChanged: boolean
}
