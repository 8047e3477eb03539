import { computeAddress } from 'ethers'
import { recoverAddress } from 'viem'
import { describe, expect, it } from 'vitest'
import { signSafeTxHash } from '../../../src/safe/signatures.js'
import type { Hex } from '../../../src/safe/types.js'
import { ledgerSigner, normalizeHdPath, openLedgerTransport } from '../../../src/signers/ledger.js'
import { failure } from '../../support/failure.js'
import { DEVICE, DEVICE_KEY, device, GET_ADDRESS, HASHES, PATH, SIGN_APDU, SIGNED } from './ledgerDevice.js'

const hex = (spaced: string) => spaced.replace(/\s+/g, '')

describe('the recorded device', () => {
  it('is the test key: its public key and address are the key’s', () => {
    const reply = hex(GET_ADDRESS.split('<=')[1]!)
    expect(`0x${reply.slice(2, 132)}`).toBe(DEVICE_KEY.publicKey)
    expect(Buffer.from(reply.slice(134, 214), 'hex').toString('ascii')).toBe(DEVICE.address.slice(2))
    expect(computeAddress(DEVICE_KEY)).toBe(DEVICE.address)
  })
})

describe('ledgerSigner', () => {
  it("reads the device's address, and signs the domain and message hashes it shows", async () => {
    const { transport, store, sent } = await device(GET_ADDRESS + SIGNED)
    const signer = await ledgerSigner({ transport })
    expect(signer.address).toBe(DEVICE.address)
    expect(signer.source).toBe("Ledger m/44'/60'/0'/0/0")

    const signature = await signer.signSafeTx(HASHES)
    store.ensureQueueEmpty()
    // r ‖ s ‖ v with v 27/28: the same bytes the key itself gives, recovering to the device over the safeTxHash.
    expect(signature).toBe(signSafeTxHash(DEVICE.key as Hex, HASHES.safeTxHash))
    expect(await recoverAddress({ hash: HASHES.safeTxHash, signature })).toBe(DEVICE.address)

    // The sign APDU carries the path, then exactly the domain hash and the message hash.
    expect(sent).toHaveLength(2)
    const apdu = sent[1]!
    expect(apdu).toBe(hex(SIGN_APDU))
    const body = apdu.slice(10 + 2 + 5 * 8)
    expect(body).toBe(HASHES.domainHash.slice(2) + HASHES.messageHash.slice(2))
  })

  it('takes v as 0/1 from the app and returns 27/28', async () => {
    const { transport } = await device(GET_ADDRESS + SIGNED.replace('<= 1c', '<= 01'))
    const signer = await ledgerSigner({ transport })
    expect((await signer.signSafeTx(HASHES)).endsWith('1c')).toBe(true)
  })

  it('signs on another account path, written with m/ and h', async () => {
    const path = '05 8000002c 8000003c 80000001 00000000 00000000'
    const recording = GET_ADDRESS.replace(PATH, path)
    const { transport, sent } = await device(recording)
    const signer = await ledgerSigner({ transport, path: 'm/44h/60h/1h/0/0' })
    expect(signer.source).toBe("Ledger m/44'/60'/1'/0/0")
    expect(sent[0]).toBe(hex(`e0020000 15 ${path}`))
  })

  it('refuses a signature the device made over another hash', async () => {
    const otherHash = `
=> ${SIGN_APDU}
<= 1c 4c4c22f9b4d96e01dd0b9c6f23877e6f7a61a5635fd9f1414fbd57751b92d5da 500c68d266032f8fee5208c2e1a2203f403f173bc2d60c8c0332f67a7cfd70ce 9000
`
    const { transport } = await device(GET_ADDRESS + otherHash)
    const signer = await ledgerSigner({ transport })
    const err = await failure(signer.signSafeTx(HASHES))
    expect(err.code).toBe('LEDGER_BAD_SIGNATURE')
    expect(err.message).toContain(HASHES.safeTxHash)
    expect(err.message).toContain(DEVICE.address)
  })

  it('refuses a reply that is not a signature (r = 0, bad v)', async () => {
    for (const reply of [`1c ${'00'.repeat(64)} 9000`, `1d ${'11'.repeat(64)} 9000`]) {
      const { transport } = await device(`${GET_ADDRESS}=> ${SIGN_APDU}\n<= ${reply}\n`)
      const signer = await ledgerSigner({ transport })
      expect((await failure(signer.signSafeTx(HASHES))).code).toBe('LEDGER_BAD_SIGNATURE')
    }
  })

  it('maps the status words to what to do', async () => {
    const cases: [string, string][] = [
      ['6985', 'LEDGER_REJECTED'],
      ['6a80', 'LEDGER_APP'],
      ['6d00', 'LEDGER_APP'],
      ['5515', 'LEDGER_LOCKED'],
      ['6f00', 'LEDGER_DEVICE'],
    ]
    for (const [status, code] of cases) {
      const { transport } = await device(`${GET_ADDRESS}=> ${SIGN_APDU}\n<= ${status}\n`)
      const signer = await ledgerSigner({ transport })
      const err = await failure(signer.signSafeTx(HASHES))
      expect(err.code, status).toBe(code)
    }
    const rejected = await failure(
      device(`${GET_ADDRESS}=> ${SIGN_APDU}\n<= 6985\n`).then(async ({ transport }) =>
        (await ledgerSigner({ transport })).signSafeTx(HASHES),
      ),
    )
    expect(rejected.hint).toMatch(/domain hash and message hash/)
    // A locked device answers the first exchange already.
    const locked = await failure(device(`=> e0 02 00 00 15 ${PATH}\n<= 5515\n`).then(ledgerSigner))
    expect(locked.code).toBe('LEDGER_LOCKED')
    const appClosed = await failure(device(`=> e0 02 00 00 15 ${PATH}\n<= 6e00\n`).then(ledgerSigner))
    expect(appClosed.code).toBe('LEDGER_APP')
    expect(appClosed.hint).toMatch(/Open the Ethereum app/)
  })

  it('refuses hashes that do not combine into the safeTxHash, before asking the device', async () => {
    const { transport, sent } = await device(GET_ADDRESS)
    const signer = await ledgerSigner({ transport })
    const err = await failure(signer.signSafeTx({ ...HASHES, messageHash: `0x${'22'.repeat(32)}` as Hex }))
    expect(err.code).toBe('SIGNER_HASHES_INCONSISTENT')
    expect(sent).toHaveLength(1)
  })

  it('refuses an address reply that is not the public key’s', async () => {
    const wrong = GET_ADDRESS.replace('3730393937', '3730393938')
    const err = await failure(device(wrong).then(ledgerSigner))
    expect(err.code).toBe('LEDGER_DEVICE')
  })
})

describe('normalizeHdPath', () => {
  it('accepts m/ and h, refuses what hw-app-eth would silently misread', () => {
    expect(normalizeHdPath("m/44'/60'/0'/0/0")).toBe("44'/60'/0'/0/0")
    expect(normalizeHdPath('44H/60h/2h/0/7')).toBe("44'/60'/2'/0/7")
    for (const bad of ["44'/60'/x/0", "44'/60'//0", '', "44'/60'/2147483648"]) {
      expect(() => normalizeHdPath(bad), bad).toThrow(expect.objectContaining({ code: 'INVALID_FLAG' }))
    }
  })
})

describe('openLedgerTransport', () => {
  it('says what to install when the USB transport is absent', async () => {
    const err = await failure(openLedgerTransport())
    expect(err.code).toBe('LEDGER_TRANSPORT_MISSING')
    expect(err.message).toContain('install @ledgerhq/hw-transport-node-hid to use a Ledger')
  })
})
