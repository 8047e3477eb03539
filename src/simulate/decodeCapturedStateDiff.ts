import { getAddress } from 'ethers'
import type { Address } from '../safe/types.js'
import type { AddressBook } from '../workspace/addressBook.js'
import type { ExecutionCapture } from './capture.js'
import { collectCandidateKeys } from './stateDiff/candidateKeys.js'
import { decodeStateDiff } from './stateDiff/decodeStateDiff.js'
import type { ContractStorageDiff } from './stateDiff/types.js'

/**
 * The storage an execution changed, decoded to variable names: mapping keys are tried from every word
 * the execution handled plus every address the workspace names. `safes` maps a Safe to its singleton,
 * so the diff names its version even when slot 0 did not change.
 */
export function decodeCapturedStateDiff(
  capture: ExecutionCapture,
  book: AddressBook,
  hints: { safes?: ReadonlyMap<Address, Address> } = {},
): ContractStorageDiff[] | undefined {
  if (!capture.stateDiff) return undefined
  const keys = collectCandidateKeys({
    ...(capture.trace ? { trace: capture.trace } : {}),
    addresses: book.entries().map((e) => e.address),
  })
  return decodeStateDiff(capture.stateDiff, {
    label: (a) => book.label(a),
    keys,
    ...(capture.trace ? { sender: getAddress(capture.trace.from) as Address } : {}),
    ...(hints.safes ? { singletonOf: (safe: Address) => hints.safes!.get(safe) } : {}),
  })
}
