import { Flags } from '@oclif/core'
import { FAIL_ON } from '../checks/runChecks.js'

/**
 * `--key-env VAR`: the name of the environment variable holding a private key. Deliberately not the key
 * itself: a flag value lands in shell history and in `ps` output.
 */
export const keyEnvFlag = (summary: string) => Flags.string({ summary, required: true, helpGroup: 'KEY' })

/** `--fail-on warning|danger`: the exit policy scripts gate on. */
export const failOnFlag = Flags.option({
  options: FAIL_ON,
  summary: 'Exit 1 when a risk check finds something this severe (or worse).',
  env: 'ALLIANCE_FAIL_ON',
})()

/**
 * Where a signing key comes from: exactly one of `--key-env`, `--keystore`, `--account`, `--ledger`
 * (`resolveSafeTxSigner` checks it and says what is wrong). No flag takes a key or a password itself.
 */
export const signerFlags = {
  'key-env': Flags.string({
    summary: "Name of the environment variable that holds the signer's private key.",
    helpGroup: 'KEY',
  }),
  keystore: Flags.string({
    summary: 'Encrypted JSON keystore file (V3, scrypt or pbkdf2).',
    helpGroup: 'KEY',
  }),
  account: Flags.string({
    summary: 'Foundry keystore account name (~/.foundry/keystores/NAME, as `cast wallet import` writes it).',
    helpGroup: 'KEY',
  }),
  'password-file': Flags.string({
    summary: "File whose first line is the keystore's password (default: asked for when in a terminal).",
    helpGroup: 'KEY',
  }),
  'password-env': Flags.string({
    summary: "Name of the environment variable that holds the keystore's password.",
    helpGroup: 'KEY',
  }),
  ledger: Flags.boolean({
    summary: 'Sign on a Ledger (Ethereum app, blind signing on; needs @ledgerhq/hw-transport-node-hid).',
    helpGroup: 'KEY',
  }),
  'hd-path': Flags.string({
    summary: "BIP-32 path of the Ledger account (default 44'/60'/0'/0/0).",
    helpGroup: 'KEY',
  }),
}

/** `--signature 0x…` / `--signature-file FILE`: a signature made elsewhere, recovered and checked before use. */
export const signatureFlags = {
  signature: Flags.string({
    summary: 'A 65-byte signature (hex) over the safeTxHash, from a wallet or a co-signer.',
    helpGroup: 'SIGNATURE',
  }),
  'signature-file': Flags.string({
    summary: 'File holding such a signature (hex; surrounding whitespace ignored).',
    helpGroup: 'SIGNATURE',
  }),
}

/** The key sources for commands that send a transaction (any account with gas): no Ledger. */
export const executorFlags = {
  'key-env': Flags.string({
    summary: "Name of the environment variable that holds the executor's private key (any account with gas).",
    helpGroup: 'KEY',
  }),
  keystore: signerFlags.keystore,
  account: signerFlags.account,
  'password-file': signerFlags['password-file'],
  'password-env': signerFlags['password-env'],
}
