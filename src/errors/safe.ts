import { AllianceError } from './base.js'

/**
 * Failures of the pure Safe layer (`src/safe`): versions, hashing inputs, calldata and signature bytes.
 * Each class has a stable `code`; byte-level errors carry the `offset` they refer to, so a CLI can point
 * at the exact position in a pasted blob.
 */

export const KNOWN_SAFE_VERSION_LIST =
  '0.1.0, 1.0.0, 1.1.0, 1.1.1, 1.2.0, 1.3.0, 1.4.1, 1.5.0 (+L2 from 1.3.0)'

export type UnknownSafeVersionErrorType = UnknownSafeVersionError & { name: 'UnknownSafeVersionError' }
export class UnknownSafeVersionError extends AllianceError {
  override name = 'UnknownSafeVersionError' as const
  readonly version: string
  constructor({ version, reason }: { version: string; reason?: string }) {
    super(`Unknown Safe version "${version}".`, {
      code: 'SAFE_UNKNOWN_VERSION',
      details: reason ? [reason] : [],
      hint: `Use one of the released versions: ${KNOWN_SAFE_VERSION_LIST}. Read VERSION() on the Safe to be sure.`,
    })
    this.version = version
  }
}

export type InvalidSafeTxErrorType = InvalidSafeTxError & { name: 'InvalidSafeTxError' }
export class InvalidSafeTxError extends AllianceError {
  override name = 'InvalidSafeTxError' as const
  readonly field: string
  readonly reason: string
  constructor({ field, reason, cause }: { field: string; reason: string; cause?: unknown }) {
    super(`Invalid Safe transaction field "${field}": ${reason}.`, {
      code: 'SAFE_INVALID_TX',
      hint: 'Addresses must be 20-byte hex (checksummed or lowercase), amounts non-negative uint256, operation 0 (call) or 1 (delegatecall), data 0x-prefixed hex.',
      cause,
    })
    this.field = field
    this.reason = reason
  }
}

export type InvalidSafeHashErrorType = InvalidSafeHashError & { name: 'InvalidSafeHashError' }
export class InvalidSafeHashError extends AllianceError {
  override name = 'InvalidSafeHashError' as const
  constructor({ what, value }: { what: string; value: unknown }) {
    super(`Invalid ${what}: expected a 32-byte 0x-prefixed hex string.`, {
      code: 'SAFE_INVALID_HASH',
      details: [`got: ${String(value).slice(0, 80)}`],
      hint: 'Pass the 66-character hash exactly as printed by `alliance` (0x followed by 64 hex digits).',
    })
  }
}

export type InvalidCallErrorType = InvalidCallError & { name: 'InvalidCallError' }
export class InvalidCallError extends AllianceError {
  override name = 'InvalidCallError' as const
  readonly index: number
  constructor({
    index,
    field,
    reason,
    cause,
  }: { index: number; field: string; reason: string; cause?: unknown }) {
    super(`Invalid call #${index} in batch, field "${field}": ${reason}.`, {
      code: 'SAFE_INVALID_CALL',
      hint: 'Each batched call needs a valid `to` address, a uint256 `value`, hex `data` and operation 0 or 1.',
      cause,
    })
    this.index = index
  }
}

export type ExecTransactionDecodeErrorType = ExecTransactionDecodeError & {
  name: 'ExecTransactionDecodeError'
}
export class ExecTransactionDecodeError extends AllianceError {
  override name = 'ExecTransactionDecodeError' as const
  constructor({ reason, cause }: { reason: string; cause?: unknown }) {
    super(`Calldata is not a valid Safe execTransaction call: ${reason}.`, {
      code: 'SAFE_EXEC_CALLDATA_INVALID',
      hint: 'Expected calldata starting with 0x6a761202 (execTransaction). Check you copied the outer transaction input, not the inner call.',
      cause,
    })
  }
}

export type NotMultiSendCalldataErrorType = NotMultiSendCalldataError & { name: 'NotMultiSendCalldataError' }
export class NotMultiSendCalldataError extends AllianceError {
  override name = 'NotMultiSendCalldataError' as const
  constructor({ selector }: { selector: string }) {
    super(`Calldata is not a multiSend(bytes) call (selector ${selector}, expected 0x8d80ff0a).`, {
      code: 'SAFE_MULTISEND_SELECTOR',
      hint: 'Only decode calldata sent to MultiSend / MultiSendCallOnly; other calls are single transactions.',
    })
  }
}

export type MalformedMultiSendErrorType = MalformedMultiSendError & { name: 'MalformedMultiSendError' }
export class MalformedMultiSendError extends AllianceError {
  override name = 'MalformedMultiSendError' as const
  /** Byte offset into the input given to the decoder. */
  readonly offset: number
  constructor({ offset, reason }: { offset: number; reason: string }) {
    super(`Malformed MultiSend payload at byte ${offset}: ${reason}.`, {
      code: 'SAFE_MULTISEND_MALFORMED',
      hint: 'The batch bytes are truncated, padded with extra bytes or contain an invalid operation; re-export the batch from its source and do not sign it as is.',
    })
    this.offset = offset
  }
}

export type MultiSendSelfTargetErrorType = MultiSendSelfTargetError & { name: 'MultiSendSelfTargetError' }
export class MultiSendSelfTargetError extends AllianceError {
  override name = 'MultiSendSelfTargetError' as const
  readonly offset: number
  constructor({ offset }: { offset: number }) {
    super(`MultiSend call at byte ${offset} targets address 0, which Safe 1.5.0 maps to the Safe itself.`, {
      code: 'SAFE_MULTISEND_SELF_UNKNOWN',
      hint: 'Pass the Safe address (`safe`) to the decoder so the call can be shown with its real target.',
    })
    this.offset = offset
  }
}

export type MalformedSafeSignaturesErrorType = MalformedSafeSignaturesError & {
  name: 'MalformedSafeSignaturesError'
}
export class MalformedSafeSignaturesError extends AllianceError {
  override name = 'MalformedSafeSignaturesError' as const
  readonly offset: number
  constructor({ offset, reason }: { offset: number; reason: string }) {
    super(`Malformed Safe signatures at byte ${offset}: ${reason}.`, {
      code: 'SAFE_SIGNATURES_MALFORMED',
      hint: 'Safe signatures are 65-byte {r}{s}{v} items, followed by the {length}{bytes} parts of contract signatures; rebuild them with `encodeSafeSignatures`.',
    })
    this.offset = offset
  }
}

export type InvalidSignatureVErrorType = InvalidSignatureVError & { name: 'InvalidSignatureVError' }
export class InvalidSignatureVError extends AllianceError {
  override name = 'InvalidSignatureVError' as const
  readonly offset: number
  readonly v: number
  constructor({ offset, v }: { offset: number; v: number }) {
    super(`Safe signature at byte ${offset} has an unusable v = ${v}.`, {
      code: 'SAFE_SIGNATURE_INVALID_V',
      details: ['valid: 0 (contract), 1 (approved hash), 27/28 (EIP-712), 31/32 (eth_sign)'],
      hint: 'A wallet returning v = 0/1 for an ECDSA signature needs v + 27; re-sign or fix the v byte.',
    })
    this.offset = offset
    this.v = v
  }
}

export type MalleableSignatureErrorType = MalleableSignatureError & { name: 'MalleableSignatureError' }
export class MalleableSignatureError extends AllianceError {
  override name = 'MalleableSignatureError' as const
  readonly offset: number
  constructor({ offset }: { offset: number }) {
    super(`Safe signature at byte ${offset} has s in the upper half of the curve order (malleable).`, {
      code: 'SAFE_SIGNATURE_HIGH_S',
      hint: 'Compliant signers only produce low-s signatures; re-sign with a standard wallet.',
    })
    this.offset = offset
  }
}

export type UnrecoverableSignatureErrorType = UnrecoverableSignatureError & {
  name: 'UnrecoverableSignatureError'
}
export class UnrecoverableSignatureError extends AllianceError {
  override name = 'UnrecoverableSignatureError' as const
  readonly offset: number
  constructor({ offset, cause }: { offset: number; cause?: unknown }) {
    super(`Safe signature at byte ${offset} does not recover to any address.`, {
      code: 'SAFE_SIGNATURE_UNRECOVERABLE',
      hint: 'The r/s values are not a valid secp256k1 signature; the Safe would reject it. Collect the signature again.',
      cause,
    })
    this.offset = offset
  }
}

export type EthSignUnsupportedErrorType = EthSignUnsupportedError & { name: 'EthSignUnsupportedError' }
export class EthSignUnsupportedError extends AllianceError {
  override name = 'EthSignUnsupportedError' as const
  readonly offset: number
  constructor({ offset, version }: { offset: number; version: string }) {
    super(
      `Safe signature at byte ${offset} is an eth_sign signature, which Safe ${version} does not accept.`,
      {
        code: 'SAFE_SIGNATURE_ETH_SIGN_UNSUPPORTED',
        hint: 'eth_sign signatures (v 31/32) need Safe >= 1.1.0; sign the EIP-712 hash instead.',
      },
    )
    this.offset = offset
  }
}

export type UnsortedSafeSignaturesErrorType = UnsortedSafeSignaturesError & {
  name: 'UnsortedSafeSignaturesError'
}
export class UnsortedSafeSignaturesError extends AllianceError {
  override name = 'UnsortedSafeSignaturesError' as const
  readonly offset: number
  constructor({ offset, signer, previous }: { offset: number; signer: string; previous: string }) {
    super(`Safe signature at byte ${offset} is out of order: signer ${signer} is not above ${previous}.`, {
      code: 'SAFE_SIGNATURES_UNSORTED',
      hint: 'The Safe requires strictly ascending signer addresses (no duplicates); rebuild the bytes with `encodeSafeSignatures`.',
    })
    this.offset = offset
  }
}

export type InvalidSignatureItemErrorType = InvalidSignatureItemError & { name: 'InvalidSignatureItemError' }
export class InvalidSignatureItemError extends AllianceError {
  override name = 'InvalidSignatureItemError' as const
  readonly index: number
  constructor({ index, reason, cause }: { index: number; reason: string; cause?: unknown }) {
    super(`Invalid signature item #${index}: ${reason}.`, {
      code: 'SAFE_SIGNATURE_ITEM_INVALID',
      hint: 'ECDSA items need 65 bytes with v 27/28 (eoa) or 31/32 (eth_sign); contract items need the owner address and signature bytes.',
      cause,
    })
    this.index = index
  }
}

export type DuplicateSignerErrorType = DuplicateSignerError & { name: 'DuplicateSignerError' }
export class DuplicateSignerError extends AllianceError {
  override name = 'DuplicateSignerError' as const
  readonly signer: string
  constructor({ signer }: { signer: string }) {
    super(`Signer ${signer} appears more than once.`, {
      code: 'SAFE_SIGNATURES_DUPLICATE_SIGNER',
      hint: 'Each owner counts once toward the threshold; keep one signature per owner.',
    })
    this.signer = signer
  }
}

export type SignerMismatchErrorType = SignerMismatchError & { name: 'SignerMismatchError' }
export class SignerMismatchError extends AllianceError {
  override name = 'SignerMismatchError' as const
  constructor({ index, claimed, recovered }: { index: number; claimed: string; recovered: string }) {
    super(`Signature item #${index} claims signer ${claimed} but recovers to ${recovered}.`, {
      code: 'SAFE_SIGNATURE_SIGNER_MISMATCH',
      hint: 'The signature was made over a different hash or by a different key; check the Safe address, chain, nonce and version it was signed for.',
    })
  }
}

export type InvalidPrivateKeyErrorType = InvalidPrivateKeyError & { name: 'InvalidPrivateKeyError' }
export class InvalidPrivateKeyError extends AllianceError {
  override name = 'InvalidPrivateKeyError' as const
  // The cause is deliberately dropped: ethers echoes the offending value, which would leak key material.
  constructor() {
    super('Invalid private key: expected 32 bytes of hex within the secp256k1 order.', {
      code: 'SAFE_INVALID_PRIVATE_KEY',
      hint: 'Check the key source (env var / keystore); the key itself is never printed.',
    })
  }
}

export type UnknownSafeDeploymentErrorType = UnknownSafeDeploymentError & {
  name: 'UnknownSafeDeploymentError'
}
export class UnknownSafeDeploymentError extends AllianceError {
  override name = 'UnknownSafeDeploymentError' as const
  constructor({ version, contract }: { version: string; contract?: string }) {
    super(
      contract
        ? `No canonical ${contract} deployment for Safe ${version} in @safe-global/safe-deployments.`
        : `No canonical deployment set for Safe ${version}.`,
      {
        code: 'SAFE_DEPLOYMENT_UNKNOWN',
        hint: 'Canonical address sets are provided for Safe 1.3.0, 1.4.1 and 1.5.0.',
      },
    )
  }
}
