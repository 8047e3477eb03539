import { AbiCoder, concat, id, keccak256, toBeHex } from 'ethers'
import type { Address, Hex } from './types.js'

/** SafeStorage slots (1.3.0–1.5.0; same order since 1.0.0). */
export const SAFE_SLOTS = {
  singleton: 0n,
  modules: 1n,
  owners: 2n,
  ownerCount: 3n,
  threshold: 4n,
  nonce: 5n,
  approvedHashes: 8n,
}

/** The managers keep these at hashed slots so no inherited layout can collide with them. */
export const SAFE_NAMED_SLOTS = {
  guard: id('guard_manager.guard.address') as Hex,
  fallbackHandler: id('fallback_manager.handler.address') as Hex,
  /** 1.5.0 only. */
  moduleGuard: id('module_manager.module_guard.address') as Hex,
}

const coder = AbiCoder.defaultAbiCoder()

/** Slot of `approvedHashes[owner][hash]`: a nested mapping at slot 8. */
export function approvedHashSlot(owner: Address, hash: Hex): Hex {
  const inner = keccak256(coder.encode(['address', 'uint256'], [owner, SAFE_SLOTS.approvedHashes]))
  return keccak256(concat([hash, inner])) as Hex
}

export const word = (value: bigint): Hex => toBeHex(value, 32) as Hex
