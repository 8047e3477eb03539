import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { encryptKeystoreJson } from 'ethers'
import { afterAll, describe, expect, it } from 'vitest'
import { DEVNET_ACCOUNTS } from '../../../src/devnet/accounts.js'
import { foundryKeystoreDir, keystoreSigner } from '../../../src/signers/keystore.js'

const ALICE = DEVNET_ACCOUNTS[1]!
const BOB = DEVNET_ACCOUNTS[2]!
const PASSWORD = 'correct horse battery staple'

// scrypt N = 2^4 keeps the fixtures fast; real keystores use 2^13 (Foundry) to 2^18 (geth).
const encrypt = (account: { address: string; key: string }, password = PASSWORD) =>
  encryptKeystoreJson({ address: account.address, privateKey: account.key }, password, { scrypt: { N: 16 } })

/**
 * What `cast wallet import NAME` writes (Rust eth-keystore): V3 with a lower-case `crypto` (ethers writes
 * `Crypto`), no address and no x-ethers metadata.
 */
async function foundryKeystore(account: { address: string; key: string }, password = PASSWORD) {
  const { Crypto: crypto, id, version } = JSON.parse(await encrypt(account, password))
  return JSON.stringify({ crypto, id, version })
}

const root = mkdtempSync(join(tmpdir(), 'alliance-keystore-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))
const FOUNDRY_DIR = join(root, 'foundry')
const env = { FOUNDRY_DIR }
mkdirSync(join(FOUNDRY_DIR, 'keystores'), { recursive: true })
writeFileSync(join(FOUNDRY_DIR, 'keystores', 'alice'), await foundryKeystore(ALICE))
writeFileSync(join(FOUNDRY_DIR, 'keystores', 'bob'), await foundryKeystore(BOB, 'bob-password'))
const ethersFile = join(root, 'alice.json')
writeFileSync(ethersFile, await encrypt(ALICE))
const passwordFile = join(root, 'password.txt')
writeFileSync(passwordFile, `${PASSWORD}\n`)

/** The error, and everything it would show or serialise. */
async function failure(promise: Promise<unknown>) {
  try {
    await promise
  } catch (err) {
    const e = err as Error & { code?: string; details?: string[]; hint?: string }
    const text = [e.message, e.stack ?? '', JSON.stringify(e), ...(e.details ?? []), e.hint ?? ''].join('\n')
    return { err: e, text }
  }
  throw new Error('expected a failure')
}

describe('keystoreSigner', () => {
  it('opens a keystore by path with a password file, its trailing newline stripped', async () => {
    const signer = await keystoreSigner({ file: ethersFile, passwordFile, interactive: false })
    expect(signer.address).toBe(ALICE.address)
    expect(signer.key.privateKey).toBe(ALICE.key)
    expect(signer.source).toBe(`keystore ${ethersFile}`)
  })

  it('opens a Foundry account by name from FOUNDRY_DIR/keystores, with the password in a variable', async () => {
    const signer = await keystoreSigner({
      account: 'bob',
      passwordEnv: 'BOB_PW',
      env: { ...env, BOB_PW: 'bob-password' },
      interactive: false,
    })
    expect(signer.address).toBe(BOB.address)
    expect(signer.source).toBe('keystore bob')
    expect(foundryKeystoreDir(env)).toBe(join(FOUNDRY_DIR, 'keystores'))
    expect(foundryKeystoreDir({ HOME: '/home/x' })).toMatch(/\.foundry\/keystores$/)
  })

  it('reads pbkdf2 keystores (the Web3 Secret Storage test vector)', async () => {
    const file = join(root, 'pbkdf2.json')
    writeFileSync(
      file,
      JSON.stringify({
        crypto: {
          cipher: 'aes-128-ctr',
          cipherparams: { iv: '6087dab2f9fdbbfaddc31a909735c1e6' },
          ciphertext: '5318b4d5bcd28de64ee5559e671353e16f075ecae9f99c7a79a38af5f869aa46',
          kdf: 'pbkdf2',
          kdfparams: {
            c: 262144,
            dklen: 32,
            prf: 'hmac-sha256',
            salt: 'ae3cd4e7013836a3df6bd7241b12db061dbe2c6785853cce422d148a624ce0bd',
          },
          mac: '517ead924a9d0dc3124507e3393d175ce3ff7c1e96529c6c555ce9e51205e9b2',
        },
        id: '3198bc9c-6672-5ab3-d995-4942343ae5b6',
        version: 3,
      }),
    )
    const signer = await keystoreSigner({ file, passwordEnv: 'PW', env: { PW: 'testpassword' } })
    expect(signer.key.privateKey).toBe('0x7a28b5ba57c53603b0b07b56bba752f7784bf506fa95edc395f5cf6c7514fe9d')
  })

  it('takes only the first line of a password file, keeping other whitespace', async () => {
    const file = join(root, 'crlf.txt')
    writeFileSync(file, ' spaced pw \r\nsecond line\n')
    const keystore = join(root, 'spaced.json')
    writeFileSync(keystore, await foundryKeystore(ALICE, ' spaced pw '))
    const signer = await keystoreSigner({ file: keystore, passwordFile: file })
    expect(signer.address).toBe(ALICE.address)
  })

  it('refuses a wrong password with a typed error that shows neither password nor key', async () => {
    const { err, text } = await failure(
      keystoreSigner({ account: 'alice', passwordEnv: 'PW', env: { ...env, PW: 'hunter2-wrong' } }),
    )
    expect(err.code).toBe('KEYSTORE_BAD_PASSWORD')
    expect(err.message).toContain('alice')
    expect(text).not.toContain('hunter2-wrong')
    expect(text).not.toContain(ALICE.key.slice(2, 18))
  })

  it('asks for the password only in a terminal', async () => {
    const asked: string[] = []
    const signer = await keystoreSigner({
      account: 'alice',
      env,
      interactive: true,
      prompt: async (message) => {
        asked.push(message)
        return PASSWORD
      },
    })
    expect(signer.address).toBe(ALICE.address)
    expect(asked).toEqual(['Password for keystore alice'])

    const { err } = await failure(
      keystoreSigner({
        account: 'alice',
        env,
        interactive: false,
        prompt: () => Promise.reject(new Error('must not prompt')),
      }),
    )
    expect(err.code).toBe('KEYSTORE_PASSWORD_REQUIRED')
    expect(err.message).toMatch(/not a terminal/)
    expect(err.hint).toMatch(/--password-file FILE/)
    expect(err.hint).toMatch(/--password-env VAR/)
  })

  it('lists the available accounts when the name is unknown', async () => {
    const { err } = await failure(keystoreSigner({ account: 'carol', env, passwordFile }))
    expect(err.code).toBe('KEYSTORE_ACCOUNT_NOT_FOUND')
    expect(err.message).toContain(join(FOUNDRY_DIR, 'keystores'))
    expect(err.details).toEqual(['available: alice, bob'])

    const empty = await failure(
      keystoreSigner({ account: 'alice', env: { FOUNDRY_DIR: join(root, 'none') }, passwordFile }),
    )
    expect(empty.err.details?.[0]).toMatch(/holds no keystores/)

    const path = await failure(keystoreSigner({ account: '../alice.json', env, passwordFile }))
    expect(path.err.code).toBe('INVALID_FLAG')
  })

  it('names a missing or malformed file, without showing its content', async () => {
    const missing = await failure(keystoreSigner({ file: join(root, 'nope.json'), passwordFile }))
    expect(missing.err.code).toBe('KEYSTORE_NOT_FOUND')

    const cases: [string, string, RegExp][] = [
      ['not-json.json', 'SECRET-LOOKING {', /not JSON/],
      ['no-version.json', JSON.stringify({ crypto: {} }), /"version": 3/],
      ['no-crypto.json', JSON.stringify({ version: 3 }), /"crypto"/],
      [
        'bad-kdf.json',
        (await foundryKeystore(ALICE)).replace('"scrypt"', '"argon2"'),
        /unsupported key-derivation function/,
      ],
    ]
    for (const [name, content, reason] of cases) {
      const file = join(root, name)
      writeFileSync(file, content)
      const { err, text } = await failure(keystoreSigner({ file, passwordFile }))
      expect(err.code, name).toBe('KEYSTORE_MALFORMED')
      expect(err.message, name).toContain(file)
      expect(err.message, name).toMatch(reason)
      expect(text).not.toContain('SECRET-LOOKING')
    }
    // The file is checked before any password is asked for.
    const early = await failure(
      keystoreSigner({
        file: join(root, 'not-json.json'),
        interactive: true,
        prompt: () => Promise.reject(new Error('asked too early')),
      }),
    )
    expect(early.err.code).toBe('KEYSTORE_MALFORMED')
  })

  it('says which password source is unavailable', async () => {
    const unset = await failure(keystoreSigner({ account: 'alice', env, passwordEnv: 'NOT_SET_PW' }))
    expect(unset.err.code).toBe('KEYSTORE_PASSWORD_UNAVAILABLE')
    expect(unset.err.message).toContain('NOT_SET_PW')
    const nofile = await failure(
      keystoreSigner({ account: 'alice', env, passwordFile: join(root, 'missing.txt') }),
    )
    expect(nofile.err.code).toBe('KEYSTORE_PASSWORD_UNAVAILABLE')
    expect(nofile.err.message).toContain('missing.txt')
  })
})
