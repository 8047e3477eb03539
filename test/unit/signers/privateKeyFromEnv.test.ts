import { privateKeyToAccount } from 'viem/accounts'
import { describe, expect, it } from 'vitest'
import { DEVNET_ACCOUNTS } from '../../../src/devnet/accounts.js'
import { KeyEnvInvalidError, KeyEnvMissingError } from '../../../src/errors/signer.js'
import { privateKeyFromEnv } from '../../../src/signers/privateKeyFromEnv.js'

const VAR = 'ALLIANCE_TEST_KEY'
const KEY = DEVNET_ACCOUNTS[4].key

/** The thrown error, and everything it would show or serialise. */
function failure(env: NodeJS.ProcessEnv) {
  try {
    privateKeyFromEnv(VAR, env)
  } catch (err) {
    const e = err as Error & { details?: string[]; hint?: string }
    return {
      err,
      text: [e.message, e.stack ?? '', JSON.stringify(e), ...(e.details ?? []), e.hint ?? ''].join('\n'),
    }
  }
  throw new Error('privateKeyFromEnv accepted the environment')
}

describe('privateKeyFromEnv', () => {
  it('refuses a missing or blank variable, naming it', () => {
    for (const env of [{}, { [VAR]: '' }, { [VAR]: '   ' }]) {
      const { err } = failure(env)
      expect(err).toBeInstanceOf(KeyEnvMissingError)
      expect((err as Error).message).toContain(VAR)
    }
  })

  const expectInvalid = (invalid: string[]) => {
    for (const value of invalid) {
      const { err, text } = failure({ [VAR]: value })
      expect(err, value).toBeInstanceOf(KeyEnvInvalidError)
      expect((err as Error).message).toContain(VAR)
      expect(text).not.toContain(value)
      expect(text.toLowerCase()).not.toContain(value.replace(/^0x/, '').slice(0, 16).toLowerCase())
    }
  }

  it('refuses a malformed value without ever echoing it', () => {
    expectInvalid([
      KEY.slice(0, -1), // one digit short: a plausible typo of a real key
      `${KEY}ff`,
      `0x${KEY.slice(3)}g`,
      `0x${'zz'.repeat(32)}`,
    ])
  })

  it('refuses 32 bytes that are not a secp256k1 key (0, or not below the curve order) as invalid', () => {
    expectInvalid([
      `0x${'00'.repeat(32)}`,
      '0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141',
      `0x${'ff'.repeat(32)}`,
    ])
  })

  it('derives the address of a valid key, with or without 0x and surrounding blanks', () => {
    const expected = privateKeyToAccount(KEY).address
    for (const value of [KEY, KEY.slice(2), `  ${KEY}\n`]) {
      const signer = privateKeyFromEnv(VAR, { [VAR]: value })
      expect(signer.address).toBe(expected)
      expect(signer.address).toBe(DEVNET_ACCOUNTS[4].address)
      expect(signer.source).toBe(`$${VAR}`)
    }
  })

  it('reads process.env by default', () => {
    process.env[VAR] = KEY
    try {
      expect(privateKeyFromEnv(VAR).address).toBe(DEVNET_ACCOUNTS[4].address)
    } finally {
      delete process.env[VAR]
    }
  })
})
