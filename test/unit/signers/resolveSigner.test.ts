import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { encryptKeystoreJson } from 'ethers'
import { afterAll, describe, expect, it } from 'vitest'
import { DEVNET_ACCOUNTS } from '../../../src/devnet/accounts.js'
import { signSafeTxHash } from '../../../src/safe/signatures.js'
import type { Hex } from '../../../src/safe/types.js'
import {
  type ResolveSignerDeps,
  resolveLocalSigner,
  resolveSafeTxSigner,
  type SignerFlagValues,
} from '../../../src/signers/resolveSigner.js'
import { failure } from '../../support/failure.js'
import { DEVICE, device, GET_ADDRESS, HASHES, SIGNED } from './ledgerDevice.js'

const ALICE = DEVNET_ACCOUNTS[3]!
const root = mkdtempSync(join(tmpdir(), 'alliance-resolve-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))
mkdirSync(join(root, 'keystores'))
const {
  Crypto: crypto,
  id,
  version,
} = JSON.parse(
  await encryptKeystoreJson({ address: ALICE.address, privateKey: ALICE.key }, 'pw', { scrypt: { N: 16 } }),
)
writeFileSync(join(root, 'keystores', 'alice'), JSON.stringify({ crypto, id, version }))

const deps: ResolveSignerDeps = {
  env: { FOUNDRY_DIR: root, ALICE_KEY: ALICE.key, ALICE_PW: 'pw' },
  interactive: false,
  openTransport: () => Promise.reject(new Error('no device in this test')),
}

describe('resolveSafeTxSigner', () => {
  it('needs exactly one key source, and says which ones exist', async () => {
    const none = await failure(resolveSafeTxSigner({}, deps))
    expect(none.code).toBe('INVALID_FLAG')
    for (const flag of ['--key-env', '--keystore', '--account', '--ledger'])
      expect(none.message).toContain(flag)

    const two = await failure(resolveSafeTxSigner({ 'key-env': 'ALICE_KEY', ledger: true }, deps))
    expect(two.code).toBe('INVALID_FLAG')
    expect(two.message).toContain('--key-env and --ledger')
  })

  it('refuses companion flags beside the wrong source', async () => {
    const cases: SignerFlagValues[] = [
      { 'key-env': 'ALICE_KEY', 'password-file': '/x' },
      { ledger: true, 'password-env': 'ALICE_PW' },
      { account: 'alice', 'hd-path': "44'/60'/0'/0/0" },
      { account: 'alice', 'password-env': 'ALICE_PW', 'password-file': '/x' },
    ]
    for (const flags of cases) {
      expect((await failure(resolveSafeTxSigner(flags, deps))).code, JSON.stringify(flags)).toBe(
        'INVALID_FLAG',
      )
    }
  })

  it('signs the safeTxHash with a key from the environment or a keystore', async () => {
    for (const flags of [
      { 'key-env': 'ALICE_KEY' },
      { account: 'alice', 'password-env': 'ALICE_PW' },
    ] as SignerFlagValues[]) {
      const signer = await resolveSafeTxSigner(flags, deps)
      expect(signer.address).toBe(ALICE.address)
      expect(await signer.signSafeTx(HASHES)).toBe(signSafeTxHash(ALICE.key as Hex, HASHES.safeTxHash))
      await signer.close()
    }
    expect((await resolveSafeTxSigner({ 'key-env': 'ALICE_KEY' }, deps)).source).toBe('$ALICE_KEY')
    expect((await resolveSafeTxSigner({ account: 'alice', 'password-env': 'ALICE_PW' }, deps)).source).toBe(
      'keystore alice',
    )
  })

  it('signs on a Ledger through the transport it opens, and closes it', async () => {
    const { transport, store } = await device(GET_ADDRESS + SIGNED)
    let closed = false
    const close = transport.close.bind(transport)
    transport.close = () => {
      closed = true
      return close()
    }
    const signer = await resolveSafeTxSigner(
      { ledger: true },
      { ...deps, openTransport: async () => transport },
    )
    expect(signer.address).toBe(DEVICE.address)
    expect(signer.source).toBe("Ledger m/44'/60'/0'/0/0")
    expect(await signer.signSafeTx(HASHES)).toBe(signSafeTxHash(DEVICE.key as Hex, HASHES.safeTxHash))
    store.ensureQueueEmpty()
    await signer.close()
    expect(closed).toBe(true)
  })

  it('refuses a bad --hd-path before opening the device', async () => {
    const err = await failure(
      resolveSafeTxSigner(
        { ledger: true, 'hd-path': "44'/60'/zero'/0/0" },
        { ...deps, openTransport: () => Promise.reject(new Error('must not open')) },
      ),
    )
    expect(err.code).toBe('INVALID_FLAG')
    expect(err.message).toContain('--hd-path')
  })

  it('without the USB transport installed, says what to install', async () => {
    const { openTransport: _, ...noTransport } = deps
    const err = await failure(resolveSafeTxSigner({ ledger: true }, noTransport))
    expect(err.code).toBe('LEDGER_TRANSPORT_MISSING')
  })
})

describe('resolveLocalSigner', () => {
  it('gives the key for sending from the environment or a keystore', async () => {
    expect((await resolveLocalSigner({ 'key-env': 'ALICE_KEY' }, deps)).address).toBe(ALICE.address)
    const fromKeystore = await resolveLocalSigner({ account: 'alice', 'password-env': 'ALICE_PW' }, deps)
    expect(fromKeystore.key.privateKey).toBe(ALICE.key)
  })

  it('refuses a Ledger for sending, without opening it', async () => {
    const err = await failure(
      resolveLocalSigner(
        { ledger: true },
        { ...deps, openTransport: () => Promise.reject(new Error('must not open')) },
      ),
    )
    expect(err.code).toBe('LEDGER_CANNOT_SEND')
    expect(err.hint).toMatch(/--key-env/)
  })
})
