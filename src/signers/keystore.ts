import { readdirSync, readFileSync, statSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { computeAddress, decryptKeystoreJson, isError, isKeystoreJson, SigningKey } from 'ethers'
import {
  KeystoreAccountNotFoundError,
  KeystoreBadPasswordError,
  KeystoreMalformedError,
  KeystoreNotFoundError,
  KeystorePasswordRequiredError,
  KeystorePasswordSourceError,
  SignerFlagsError,
} from '../errors/signer.js'
import type { Address } from '../safe/types.js'
import type { LocalSigner } from './privateKeyFromEnv.js'

export type KeystoreSignerParameters = {
  /** `--keystore FILE`: a V3 keystore by path. */
  file?: string
  /** `--account NAME`: a Foundry keystore, `${FOUNDRY_DIR ?? ~/.foundry}/keystores/NAME`. */
  account?: string
  /** `--password-file FILE`: its first line is the password. */
  passwordFile?: string
  /** `--password-env VAR`: the name of the variable holding the password. */
  passwordEnv?: string
  env?: NodeJS.ProcessEnv
  /** Whether the password may be asked for; by default, when stdin is a terminal. */
  interactive?: boolean
  /** Asks for the password (hidden); by default an @inquirer/prompts prompt on stderr. */
  prompt?: (message: string) => Promise<string>
}

/**
 * A private key from an encrypted JSON keystore (V3: scrypt or pbkdf2). The file is read and checked
 * before a password is asked for; the key and the password are never printed, nor put in an error.
 */
export async function keystoreSigner(params: KeystoreSignerParameters): Promise<LocalSigner> {
  const { file, label } = locateKeystore(params)
  const json = readKeystore(file)
  const password = await keystorePassword({ ...params, label })
  let privateKey: string
  try {
    ;({ privateKey } = await decryptKeystoreJson(json, password))
  } catch (err) {
    // ethers reports a MAC mismatch as an invalid "password" argument (value redacted).
    if (isError(err, 'INVALID_ARGUMENT') && err.argument === 'password')
      throw new KeystoreBadPasswordError(label)
    // Its other messages name a parameter ("invalid kdf.N", "unsupported cipher"), never key material;
    // the cause is dropped all the same.
    const reason =
      isError(err, 'INVALID_ARGUMENT') || isError(err, 'UNSUPPORTED_OPERATION')
        ? err.shortMessage
        : 'it cannot be decrypted'
    throw new KeystoreMalformedError(file, reason)
  }
  const key = new SigningKey(privateKey)
  return { address: computeAddress(key) as Address, key, source: `keystore ${label}` }
}

/** Foundry's keystore directory: `cast wallet import NAME` writes `keystores/NAME` there. */
export function foundryKeystoreDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.FOUNDRY_DIR || join(homedir(), '.foundry'), 'keystores')
}

/** The account names `--account` accepts: the files in Foundry's keystore directory, sorted. */
export function listFoundryAccounts(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isFile() || e.isSymbolicLink())
      .map((e) => e.name)
      .filter((name) => !name.startsWith('.'))
      .sort()
  } catch {
    return []
  }
}

function locateKeystore({ file, account, env = process.env }: KeystoreSignerParameters): {
  file: string
  label: string
} {
  if ((file === undefined) === (account === undefined))
    throw new SignerFlagsError('give exactly one of --keystore FILE and --account NAME')
  if (file !== undefined) return { file, label: file }
  const name = account!
  if (!name || name === '.' || name === '..' || /[/\\]/.test(name)) {
    throw new SignerFlagsError(
      `--account takes a Foundry account name, not "${name}"; give a path with --keystore`,
    )
  }
  const dir = foundryKeystoreDir(env)
  const path = join(dir, name)
  if (!isFile(path)) throw new KeystoreAccountNotFoundError(name, dir, listFoundryAccounts(dir))
  return { file: path, label: name }
}

/** The keystore's text once it looks like a V3 keystore; its content never reaches an error. */
function readKeystore(file: string): string {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOENT') throw new KeystoreNotFoundError(file)
    throw new KeystoreMalformedError(
      file,
      code === 'EISDIR' ? 'it is a directory' : `it cannot be read (${code})`,
    )
  }
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch {
    throw new KeystoreMalformedError(file, 'it is not JSON')
  }
  if (!isKeystoreJson(text)) throw new KeystoreMalformedError(file, 'it has no "version": 3')
  const crypto =
    (data as { crypto?: unknown; Crypto?: unknown }).crypto ?? (data as { Crypto?: unknown }).Crypto
  if (typeof crypto !== 'object' || crypto === null)
    throw new KeystoreMalformedError(file, 'it has no "crypto" section')
  return text
}

type KeystorePasswordParameters = KeystoreSignerParameters & { label: string }

async function keystorePassword({
  passwordFile,
  passwordEnv,
  env = process.env,
  interactive = process.stdin.isTTY === true,
  prompt,
  label,
}: KeystorePasswordParameters): Promise<string> {
  if (passwordFile !== undefined && passwordEnv !== undefined)
    throw new SignerFlagsError('give --password-file or --password-env, not both')
  if (passwordFile !== undefined) return readPasswordFile(passwordFile)
  if (passwordEnv !== undefined) {
    const value = env[passwordEnv]
    if (value === undefined) {
      throw new KeystorePasswordSourceError(
        `Environment variable ${passwordEnv} is not set`,
        `Export the keystore password as ${passwordEnv}; --password-env takes the variable's name, not the password.`,
      )
    }
    return value
  }
  if (!interactive) {
    throw new KeystorePasswordRequiredError(
      `keystore ${label}`,
      'stdin is not a terminal, so it cannot be asked for',
    )
  }
  return (prompt ?? askPassword)(`Password for keystore ${label}`).catch((err: unknown) => {
    if (err instanceof Error && err.name === 'ExitPromptError')
      throw new KeystorePasswordRequiredError(`keystore ${label}`, 'the prompt was cancelled')
    throw err
  })
}

/** The first line, without its line break: `echo secret > file` writes one. */
function readPasswordFile(file: string): string {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    throw new KeystorePasswordSourceError(
      code === 'ENOENT'
        ? `Password file not found: ${file}`
        : `Password file ${file} cannot be read (${code})`,
      'Check the path given to --password-file.',
    )
  }
  return text.split('\n', 1)[0]!.replace(/\r$/, '')
}

// Loaded on demand: most runs never prompt. The prompt writes to stderr so stdout stays the --json envelope.
async function askPassword(message: string): Promise<string> {
  const { password } = await import('@inquirer/prompts')
  return password({ message }, { output: process.stderr })
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile()
  } catch {
    return false
  }
}
