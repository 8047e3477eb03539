import { LedgerCannotSendError, SignerFlagsError } from '../errors/signer.js'
import { keystoreSigner } from './keystore.js'
import { type LedgerTransport, ledgerSigner, normalizeHdPath, openLedgerTransport } from './ledger.js'
import { safeTxSignerFromKey } from './localSigner.js'
import { type LocalSigner, privateKeyFromEnv } from './privateKeyFromEnv.js'
import type { SafeTxSigner } from './types.js'

/** The values of `signerFlags` (src/cli/flags.ts) as oclif parses them. */
export type SignerFlagValues = {
  'key-env'?: string | undefined
  keystore?: string | undefined
  account?: string | undefined
  'password-file'?: string | undefined
  'password-env'?: string | undefined
  ledger?: boolean | undefined
  'hd-path'?: string | undefined
}

/** What the environment provides; tests replace it. */
export type ResolveSignerDeps = {
  env?: NodeJS.ProcessEnv
  /** Whether a keystore password may be asked for (default: stdin is a terminal). */
  interactive?: boolean
  prompt?: (message: string) => Promise<string>
  openTransport?: () => Promise<LedgerTransport>
}

/** A signer that may hold a device open: call `close()` when done (a no-op for keys). */
export type ResolvedSafeTxSigner = SafeTxSigner & { close(): Promise<void> }

/** The signer for `sign`: a key (environment variable, keystore) or a Ledger. */
export async function resolveSafeTxSigner(
  flags: SignerFlagValues,
  deps: ResolveSignerDeps = {},
): Promise<ResolvedSafeTxSigner> {
  const source = keySource(flags)
  if (source === '--ledger') {
    // A bad path is a flag error, found before a device is opened.
    if (flags['hd-path'] !== undefined) normalizeHdPath(flags['hd-path'])
    const transport = await (deps.openTransport ?? openLedgerTransport)()
    try {
      return await ledgerSigner({ transport, ...(flags['hd-path'] ? { path: flags['hd-path'] } : {}) })
    } catch (err) {
      await transport.close().catch(() => {})
      throw err
    }
  }
  const local = await localSignerFrom(source, flags, deps)
  return { ...safeTxSignerFromKey(local), close: async () => {} }
}

/**
 * The key for commands that send transactions (execute, governor): an environment variable or a
 * keystore. A Ledger is refused: alliance signs Safe transactions on it, it does not send with it.
 */
export async function resolveLocalSigner(
  flags: SignerFlagValues,
  deps: ResolveSignerDeps = {},
): Promise<LocalSigner> {
  const source = keySource(flags)
  if (source === '--ledger') throw new LedgerCannotSendError()
  return localSignerFrom(source, flags, deps)
}

type KeySource = '--key-env' | '--keystore' | '--account' | '--ledger'

/** Exactly one key source, and companion flags only beside the source they belong to. */
function keySource(flags: SignerFlagValues): KeySource {
  const given = (
    [
      ['--key-env', flags['key-env'] !== undefined],
      ['--keystore', flags.keystore !== undefined],
      ['--account', flags.account !== undefined],
      ['--ledger', flags.ledger === true],
    ] as const
  )
    .filter(([, present]) => present)
    .map(([name]) => name)
  if (given.length === 0)
    throw new SignerFlagsError(
      'no key source given: use --key-env VAR, --keystore FILE, --account NAME or --ledger',
    )
  if (given.length > 1) throw new SignerFlagsError(`${given.join(' and ')} given; use exactly one of them`)
  const source = given[0]!
  const keystore = source === '--keystore' || source === '--account'
  for (const flag of ['password-file', 'password-env'] as const) {
    if (flags[flag] !== undefined && !keystore)
      throw new SignerFlagsError(`--${flag} goes with --keystore or --account, not ${source}`)
  }
  if (flags['hd-path'] !== undefined && source !== '--ledger')
    throw new SignerFlagsError(`--hd-path goes with --ledger, not ${source}`)
  return source
}

async function localSignerFrom(
  source: Exclude<KeySource, '--ledger'>,
  flags: SignerFlagValues,
  deps: ResolveSignerDeps,
): Promise<LocalSigner> {
  if (source === '--key-env') return privateKeyFromEnv(flags['key-env']!, deps.env)
  return keystoreSigner({
    ...(source === '--keystore' ? { file: flags.keystore! } : { account: flags.account! }),
    ...(flags['password-file'] !== undefined ? { passwordFile: flags['password-file'] } : {}),
    ...(flags['password-env'] !== undefined ? { passwordEnv: flags['password-env'] } : {}),
    ...(deps.env ? { env: deps.env } : {}),
    ...(deps.interactive !== undefined ? { interactive: deps.interactive } : {}),
    ...(deps.prompt ? { prompt: deps.prompt } : {}),
  })
}
