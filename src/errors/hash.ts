import { AllianceError } from './base.js'

/**
 * Failures of the offline hash commands (`alliance hash …`) and of the typed-data input they accept.
 * Each names the flag or field at fault, so the user knows what to retype.
 */

export type InvalidHashFlagErrorType = InvalidHashFlagError & { name: 'InvalidHashFlagError' }
export class InvalidHashFlagError extends AllianceError {
  override name = 'InvalidHashFlagError' as const
  readonly flag: string
  constructor({
    flag,
    value,
    reason,
    cause,
  }: { flag: string; value: string; reason: string; cause?: unknown }) {
    super(`--${flag}: ${reason}.`, {
      code: 'HASH_INVALID_FLAG',
      details: [`got: ${value.length > 90 ? `${value.slice(0, 90)}…` : value}`],
      hint: 'Addresses are 20-byte hex (checksummed or all lowercase), amounts and nonces non-negative integers (decimal or 0x-hex), data 0x-prefixed hex, operation 0 (call) or 1 (delegatecall).',
      cause,
    })
    this.flag = flag
  }
}

export type MissingHashInputErrorType = MissingHashInputError & { name: 'MissingHashInputError' }
export class MissingHashInputError extends AllianceError {
  override name = 'MissingHashInputError' as const
  constructor({ flag, reason, hint }: { flag: string; reason: string; hint?: string }) {
    super(`--${flag} is required ${reason}.`, {
      code: 'HASH_MISSING_INPUT',
      hint:
        hint ?? 'Give it on the command line, or pass --rpc-url so alliance reads it from the Safe itself.',
    })
  }
}

export type ChainIdMismatchErrorType = ChainIdMismatchError & { name: 'ChainIdMismatchError' }
export class ChainIdMismatchError extends AllianceError {
  override name = 'ChainIdMismatchError' as const
  constructor({ url, given, actual }: { url: string; given: bigint; actual: bigint }) {
    super(`--chain-id ${given} disagrees with the node at ${url}, which is chain ${actual}.`, {
      code: 'HASH_CHAIN_MISMATCH',
      hint: 'A hash for the wrong chain is a signature for the wrong chain: point --rpc-url at the chain the Safe lives on, or drop --chain-id.',
    })
  }
}

export type SafeVersionMismatchErrorType = SafeVersionMismatchError & { name: 'SafeVersionMismatchError' }
export class SafeVersionMismatchError extends AllianceError {
  override name = 'SafeVersionMismatchError' as const
  constructor({
    flag,
    safe,
    given,
    onChain,
  }: { flag: string; safe: string; given: string; onChain: string }) {
    super(`--${flag} ${given} disagrees with the Safe at ${safe}, whose VERSION() is ${onChain}.`, {
      code: 'HASH_VERSION_MISMATCH',
      hint: `The version selects the hashing rules; use the chain's answer (drop --${flag}) unless you know the node is wrong.`,
    })
  }
}

export type SafeUnreadableErrorType = SafeUnreadableError & { name: 'SafeUnreadableError' }
export class SafeUnreadableError extends AllianceError {
  override name = 'SafeUnreadableError' as const
  constructor({
    safe,
    what,
    reason,
    flag,
    details,
  }: { safe: string; what: string; reason: string; flag: string; details?: string[] }) {
    super(`Cannot read ${what} from ${safe}: ${reason}.`, {
      code: 'HASH_SAFE_UNREADABLE',
      details: details ?? [],
      hint: `Check the address and the chain; if the Safe is really there, give --${flag} yourself.`,
    })
  }
}

export type OnChainHashMismatchErrorType = OnChainHashMismatchError & { name: 'OnChainHashMismatchError' }
export class OnChainHashMismatchError extends AllianceError {
  override name = 'OnChainHashMismatchError' as const
  constructor({
    what,
    safe,
    local,
    onChain,
  }: { what: string; safe: string; local: string; onChain: string }) {
    super(`The Safe at ${safe} computes a different ${what} than alliance does.`, {
      code: 'HASH_ONCHAIN_MISMATCH',
      details: [`alliance: ${local}`, `the Safe: ${onChain}`],
      hint: 'Do not sign. The version, chain or singleton is not what it claims to be; investigate before going on.',
    })
  }
}

export type InvalidTypedDataErrorType = InvalidTypedDataError & { name: 'InvalidTypedDataError' }
export class InvalidTypedDataError extends AllianceError {
  override name = 'InvalidTypedDataError' as const
  constructor({ reason, source, cause }: { reason: string; source?: string; cause?: unknown }) {
    super(`${source ? `${source}: ` : ''}not usable EIP-712 typed data: ${reason}.`, {
      code: 'HASH_INVALID_TYPED_DATA',
      hint: 'Expected the JSON a wallet receives for eth_signTypedData_v4: {"types", "primaryType", "domain", "message"}; quote integers above 2^53 as strings.',
      cause,
    })
  }
}

export type ProposalListLengthErrorType = ProposalListLengthError & { name: 'ProposalListLengthError' }
export class ProposalListLengthError extends AllianceError {
  override name = 'ProposalListLengthError' as const
  readonly flag: string
  constructor({ flag, got, expected }: { flag: string; got: number; expected: number }) {
    const entries = (n: number) => `${n} ${n === 1 ? 'entry' : 'entries'}`
    super(
      `--${flag} has ${entries(got)}, but --targets has ${entries(expected)}: one per call is expected.`,
      {
        code: 'HASH_LIST_LENGTH_MISMATCH',
        hint: 'Give --targets, --values and --calldatas one comma-separated entry per call, in the same order: leave out --values for all zeros, write 0x for a call without calldata.',
      },
    )
    this.flag = flag
  }
}

export type OzVersionMismatchErrorType = OzVersionMismatchError & { name: 'OzVersionMismatchError' }
export class OzVersionMismatchError extends AllianceError {
  override name = 'OzVersionMismatchError' as const
  constructor({ governor, given, onChain }: { governor: string; given: number; onChain: number }) {
    super(
      `--oz-version ${given} disagrees with the governor at ${governor}, which reads as OpenZeppelin ${onChain}.x.`,
      {
        code: 'HASH_OZ_VERSION_MISMATCH',
        details: ['OZ 5.x governors answer proposalNeedsQueuing(uint256); 4.x governors do not.'],
        hint: "The version picks the timelock salt, so a wrong one gives a timelock operation id that never exists: drop --oz-version to use the chain's answer.",
      },
    )
  }
}

export type GovernorHashMismatchErrorType = GovernorHashMismatchError & { name: 'GovernorHashMismatchError' }
export class GovernorHashMismatchError extends AllianceError {
  override name = 'GovernorHashMismatchError' as const
  constructor({
    what,
    contract,
    local,
    onChain,
  }: { what: 'proposalId' | 'timelockOperationId'; contract: string; local: string; onChain: string }) {
    const asks = what === 'proposalId' ? "governor's hashProposal" : "timelock's hashOperationBatch"
    super(`The ${asks} at ${contract} gives a different ${what} than alliance does.`, {
      // The same failure as a Safe's disagreeing hash, so scripts match one code.
      code: 'HASH_ONCHAIN_MISMATCH',
      details: [`alliance: ${local}`, `on chain: ${onChain}`],
      hint: 'Do not vote or queue on these ids. The contract is not a standard OpenZeppelin Governor/TimelockController (or not the version assumed); investigate before going on.',
    })
  }
}
