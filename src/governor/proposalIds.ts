import { AbiCoder, getAddress, keccak256, toBeHex, toUtf8Bytes, ZeroHash } from 'ethers'
import type { Address, Hex } from '../safe/types.js'

/**
 * The ids an OpenZeppelin Governor and its TimelockController derive from a proposal, computed locally
 * so they can be shown before anything is sent and compared with the chain's answer afterwards.
 * See the Governor reference §3.2–3.3.
 */

const abi = AbiCoder.defaultAbiCoder()

/** OpenZeppelin Governor major versions that differ in the timelock salt. */
export type OzGovernorVersion = 4 | 5

/** keccak256 of the description's UTF-8 bytes, exactly as given: no trimming, a `#proposer=` suffix included. */
export function descriptionHash(description: string): Hex {
  return keccak256(toUtf8Bytes(description)) as Hex
}

export type HashProposalParameters = {
  targets: readonly Address[]
  values: readonly bigint[]
  calldatas: readonly Hex[]
  descriptionHash: Hex
}

/**
 * `Governor.hashProposal`: neither the chain id nor the governor is hashed, so the same proposal has the
 * same id on every governor. Lengths are not checked, as the governor's pure function does not check them.
 */
export function hashProposal({
  targets,
  values,
  calldatas,
  descriptionHash,
}: HashProposalParameters): bigint {
  return BigInt(
    keccak256(
      abi.encode(
        ['address[]', 'uint256[]', 'bytes[]', 'bytes32'],
        [targets, values, calldatas, descriptionHash],
      ),
    ),
  )
}

/**
 * The salt GovernorTimelockControl schedules with. From 5.0 the governor's address fills the high 20 bytes
 * (`bytes20(governor) ^ descriptionHash`) so two governors sharing a timelock cannot collide; 4.x used the
 * description hash alone.
 */
export function timelockSalt(governor: Address, descriptionHash: Hex, ozVersion: OzGovernorVersion): Hex {
  if (ozVersion === 4) return toBeHex(BigInt(descriptionHash), 32) as Hex
  const high = BigInt(getAddress(governor)) << 96n
  return toBeHex(high ^ BigInt(descriptionHash), 32) as Hex
}

export type TimelockOperationIdParameters = {
  targets: readonly Address[]
  values: readonly bigint[]
  calldatas: readonly Hex[]
  /** GovernorTimelockControl always schedules without a predecessor. */
  predecessor?: Hex
  salt: Hex
}

/** `TimelockController.hashOperationBatch`: the id the timelock stores the operation's timestamp under. */
export function timelockOperationId({
  targets,
  values,
  calldatas,
  predecessor = ZeroHash as Hex,
  salt,
}: TimelockOperationIdParameters): Hex {
  return keccak256(
    abi.encode(
      ['address[]', 'uint256[]', 'bytes[]', 'bytes32', 'bytes32'],
      [targets, values, calldatas, predecessor, salt],
    ),
  ) as Hex
}

/** OZ's front-running guard: a description ending in `#proposer=0x…` may only be proposed by that address. */
export function proposerFromDescription(description: string): Address | undefined {
  const match = /#proposer=(0x[0-9a-fA-F]{40})$/.exec(description)
  return match ? (getAddress(match[1]!) as Address) : undefined
}
