import { AllianceError } from './base.js'

export class KeyEnvMissingError extends AllianceError {
  override name = 'KeyEnvMissingError'
  constructor(variable: string) {
    super(`Environment variable ${variable} is not set`, {
      code: 'KEY_ENV_MISSING',
      hint: `Export the signer's private key as ${variable} (it is never taken as a flag value, so it stays out of shell history).`,
    })
  }
}

export class KeyEnvInvalidError extends AllianceError {
  override name = 'KeyEnvInvalidError'
  constructor(variable: string) {
    // The value itself is never echoed: it may be a real key with a typo.
    super(`Environment variable ${variable} does not hold a valid private key`, {
      code: 'KEY_ENV_INVALID',
      hint: 'Expected 32 bytes of hex (64 hex digits, optionally 0x-prefixed).',
    })
  }
}

export class NotAnOwnerError extends AllianceError {
  override name = 'NotAnOwnerError'
  constructor(signer: string, safe: string) {
    super(`${signer} is not an owner of the Safe ${safe}`, {
      code: 'NOT_AN_OWNER',
      hint: 'Sign with a key of one of the Safe owners listed by `alliance plan`.',
    })
  }
}

export class AlreadySignedError extends AllianceError {
  override name = 'AlreadySignedError'
  constructor(signer: string) {
    super(`${signer} has already signed this plan`, {
      code: 'ALREADY_SIGNED',
      hint: 'Another owner must sign; one owner counts once toward the threshold.',
      exitCode: 1,
    })
  }
}

export class StalePlanError extends AllianceError {
  override name = 'StalePlanError'
  constructor(reason: string) {
    super(`The plan no longer matches the Safe on chain: ${reason}`, {
      code: 'STALE_PLAN',
      hint: 'Re-plan from the action file (`alliance plan FILE`) and have it signed again.',
    })
  }
}

export class DangerousPlanError extends AllianceError {
  override name = 'DangerousPlanError'
  constructor(count: number) {
    super(`Refusing to sign: the risk checks found ${count} danger finding${count === 1 ? '' : 's'}`, {
      code: 'DANGEROUS_PLAN',
      hint: 'Read the findings above. If the change is intended, sign with --accept-risk.',
    })
  }
}

export class WouldRevertError extends AllianceError {
  override name = 'WouldRevertError'
  constructor(reason: string) {
    super(`Refusing to sign: the simulation says the transaction would fail (${reason})`, {
      code: 'WOULD_REVERT',
      hint: 'See the simulation above and fix the plan. To sign anyway (e.g. it depends on a transaction queued before it), use --accept-risk.',
    })
  }
}

/** The signer flags name no key source, or several, or a companion flag without its source. */
export class SignerFlagsError extends AllianceError {
  override name = 'SignerFlagsError'
  constructor(reason: string) {
    super(`Key source: ${reason}`, {
      code: 'INVALID_FLAG',
      hint: 'Give exactly one of --key-env VAR, --keystore FILE, --account NAME (Foundry) or --ledger; --password-file/--password-env go with a keystore, --hd-path with --ledger.',
    })
  }
}

export class KeystoreNotFoundError extends AllianceError {
  override name = 'KeystoreNotFoundError'
  constructor(file: string) {
    super(`Keystore file not found: ${file}`, {
      code: 'KEYSTORE_NOT_FOUND',
      hint: 'Check the path given to --keystore, or name a Foundry account with --account NAME.',
    })
  }
}

export class KeystoreAccountNotFoundError extends AllianceError {
  override name = 'KeystoreAccountNotFoundError'
  readonly available: string[]
  constructor(account: string, dir: string, available: string[]) {
    super(`No Foundry keystore named ${account} in ${dir}`, {
      code: 'KEYSTORE_ACCOUNT_NOT_FOUND',
      details: [available.length ? `available: ${available.join(', ')}` : `${dir} holds no keystores`],
      hint: 'Pick one of the names above, import the key with `cast wallet import NAME --interactive`, or pass --keystore FILE.',
    })
    this.available = available
  }
}

/** Not JSON, not a V3 keystore, or parameters ethers cannot use. The file is named, its content never shown. */
export class KeystoreMalformedError extends AllianceError {
  override name = 'KeystoreMalformedError'
  constructor(file: string, reason: string) {
    super(`${file} is not a usable encrypted JSON keystore: ${reason}`, {
      code: 'KEYSTORE_MALFORMED',
      hint: 'Expected a Web3 Secret Storage (V3) file, scrypt or pbkdf2, as written by geth, ethers or `cast wallet import`.',
    })
  }
}

export class KeystoreBadPasswordError extends AllianceError {
  override name = 'KeystoreBadPasswordError'
  constructor(keystore: string) {
    super(`Wrong password for ${keystore}`, {
      code: 'KEYSTORE_BAD_PASSWORD',
      hint: 'The keystore MAC does not match the password given; check --password-file / --password-env (a password file is read up to its first line break).',
    })
  }
}

/** No password source was given and none can be asked for (stdin is not a terminal). */
export class KeystorePasswordRequiredError extends AllianceError {
  override name = 'KeystorePasswordRequiredError'
  constructor(keystore: string, reason: string) {
    super(`No password for ${keystore}: ${reason}`, {
      code: 'KEYSTORE_PASSWORD_REQUIRED',
      hint: 'Give it with --password-file FILE (its first line) or --password-env VAR (the name of a variable holding it), or run in a terminal to be asked.',
    })
  }
}

/** The named password source cannot be read. Names the file or variable, never a value. */
export class KeystorePasswordSourceError extends AllianceError {
  override name = 'KeystorePasswordSourceError'
  constructor(reason: string, hint: string) {
    super(reason, { code: 'KEYSTORE_PASSWORD_UNAVAILABLE', hint })
  }
}

/** The three hashes handed to a signer do not belong together. */
export class SignerHashesInconsistentError extends AllianceError {
  override name = 'SignerHashesInconsistentError'
  constructor(safeTxHash: string) {
    super(`Refusing to sign: ${safeTxHash} is not keccak256(0x1901 ‖ domain hash ‖ message hash)`, {
      code: 'SIGNER_HASHES_INCONSISTENT',
      hint: 'The plan hashes were altered; recompute them with `alliance plan` or `alliance hash`.',
    })
  }
}

export class LedgerTransportMissingError extends AllianceError {
  override name = 'LedgerTransportMissingError'
  constructor() {
    super('install @ledgerhq/hw-transport-node-hid to use a Ledger', {
      code: 'LEDGER_TRANSPORT_MISSING',
      details: [
        'The USB transport is an optional native addon (node-hid) and is not installed with alliance.',
      ],
      hint: 'Run `npm install @ledgerhq/hw-transport-node-hid` where alliance is installed (add -g for a global install); building node-hid needs a C++ toolchain and the libusb/libudev headers.',
    })
  }
}

export class LedgerNotFoundError extends AllianceError {
  override name = 'LedgerNotFoundError'
  constructor(reason: string, cause?: unknown) {
    super(`No Ledger could be opened: ${reason}`, {
      code: 'LEDGER_NOT_FOUND',
      hint: 'Connect the Ledger by USB, unlock it and open the Ethereum app; on Linux the udev rules from Ledger must be installed.',
      cause,
    })
  }
}

export class LedgerRejectedError extends AllianceError {
  override name = 'LedgerRejectedError'
  constructor() {
    super('The signature was rejected on the Ledger', {
      code: 'LEDGER_REJECTED',
      hint: 'Nothing was signed. Approve on the device only if the domain hash and message hash it shows are the ones alliance printed.',
    })
  }
}

export class LedgerAppError extends AllianceError {
  override name = 'LedgerAppError'
  constructor(statusCode: number) {
    super(
      `The Ledger cannot sign this (status 0x${statusCode.toString(16)}): the Ethereum app is not open or blind signing is off`,
      {
        code: 'LEDGER_APP',
        hint: 'Open the Ethereum app on the Ledger and enable "Blind signing" in its settings (hashed EIP-712 messages need it), then try again.',
      },
    )
  }
}

export class LedgerLockedError extends AllianceError {
  override name = 'LedgerLockedError'
  constructor(statusCode: number) {
    super(`The Ledger is locked (status 0x${statusCode.toString(16)})`, {
      code: 'LEDGER_LOCKED',
      hint: 'Unlock the Ledger with its PIN, open the Ethereum app, then try again.',
    })
  }
}

/** Any other device or transport failure, or a reply that does not parse. */
export class LedgerDeviceError extends AllianceError {
  override name = 'LedgerDeviceError'
  readonly statusCode: number | undefined
  constructor(reason: string, { statusCode, cause }: { statusCode?: number; cause?: unknown } = {}) {
    super(`Ledger error: ${reason}`, {
      code: 'LEDGER_DEVICE',
      hint: 'Reconnect and unlock the Ledger, open the Ethereum app (up to date), then try again.',
      cause,
    })
    this.statusCode = statusCode
  }
}

/** The device answered with a signature that is not its own over this safeTxHash: never stored. */
export class LedgerBadSignatureError extends AllianceError {
  override name = 'LedgerBadSignatureError'
  constructor(address: string, reason: string, cause?: unknown) {
    super(`Refusing the Ledger's signature: ${reason}`, {
      code: 'LEDGER_BAD_SIGNATURE',
      details: [`device address ${address}`],
      hint: 'Nothing was added to the plan. Check that the device shows the printed domain and message hashes and that --hd-path is the owner account.',
      cause,
    })
  }
}

export class LedgerCannotSendError extends AllianceError {
  override name = 'LedgerCannotSendError'
  constructor() {
    super('A Ledger can sign Safe transactions but not send transactions with alliance', {
      code: 'LEDGER_CANNOT_SEND',
      hint: 'Sign with --ledger, then execute or send with a key from --key-env VAR, --keystore FILE or --account NAME (it only pays gas).',
    })
  }
}

export class SignatureMalformedError extends AllianceError {
  override name = 'SignatureMalformedError'
  constructor(reason: string) {
    super(`Not a signature: ${reason}`, {
      code: 'SIGNATURE_MALFORMED',
      hint: 'Expected 65 bytes of hex (r ‖ s ‖ v, 132 hex digits after 0x), as a wallet returns for eth_signTypedData_v4 or eth_sign.',
    })
  }
}

export class SignatureNotOwnerError extends AllianceError {
  override name = 'SignatureNotOwnerError'
  readonly recovered: string[]
  constructor(recovered: { address: string; as: string }[], owners: readonly string[]) {
    super(
      `The signature recovers to ${recovered.map((r) => `${r.address} (as ${r.as})`).join(' or ')}, not an owner of the Safe`,
      {
        code: 'SIGNATURE_NOT_OWNER',
        details: [`owners: ${owners.join(', ')}`],
        hint: 'It was made by another key or over another hash: check the Safe, chain, nonce and Safe version it was signed for, and that the safeTxHash (not a message or transaction) was signed.',
      },
    )
    this.recovered = recovered.map((r) => r.address)
  }
}

export class SigningNotConfirmedError extends AllianceError {
  override name = 'SigningNotConfirmedError'
  constructor(reason: string) {
    super(`Not signed: ${reason}.`, {
      code: 'SIGNING_NOT_CONFIRMED',
      hint: 'Review the transaction, then answer yes on a terminal, or pass --yes --expect-hash <the safeTxHash you reviewed>.',
    })
  }
}
