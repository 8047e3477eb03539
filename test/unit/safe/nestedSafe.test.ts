import { encodeAbiParameters, encodeFunctionData, hashTypedData, keccak256, parseAbi } from 'viem'
import { describe, expect, it } from 'vitest'
import { InvalidSafeHashError, InvalidSafeTxError } from '../../../src/errors/safe.js'
import {
  APPROVE_HASH_SELECTOR,
  hashNestedSafeMessage,
  nestedApproveHashTx,
  nestedMessageScheme,
} from '../../../src/safe/nestedSafe.js'
import {
  hashSafeMessage,
  SAFE_MESSAGE_TYPEHASH,
  type SafeMessageInput,
} from '../../../src/safe/safeMessage.js'
import { hashSafeTx } from '../../../src/safe/safeTxHash.js'
import type { Address, Hex } from '../../../src/safe/types.js'
import { rng } from './random.js'

// safe.md §4.2, STHU nested example (inputs from the safe-tx-hashes-util README): Sepolia Safe 0x657f…A0f1
// sends 0.1 ETH to 0x255C…8cc5 at nonce 4; its owner Safe 0x6bc5…9251 approves it at its own nonce 4.
const SEPOLIA_SAFE = '0x657ff0D4eC65D82b2bC1247b0a558bcd2f80A0f1' as Address
const NESTED_SAFE = '0x6bc56d6CE87C86CB0756c616bECFD3Cd32b09251' as Address
const ZERO = '0x0000000000000000000000000000000000000000' as Address
const PARENT_TX = {
  to: '0x255C3912f91eF11bFDadd405F13144a823Da8cc5' as Address,
  value: 100_000_000_000_000_000n,
  data: '0x' as Hex,
  operation: 0,
  safeTxGas: 0n,
  baseGas: 0n,
  gasPrice: 0n,
  gasToken: ZERO,
  refundReceiver: ZERO,
  nonce: 4n,
} as const

describe('nestedApproveHashTx: safe.md §4.2 / §4.4 STHU nested vector', () => {
  const parent = hashSafeTx({ chainId: 11155111n, safe: SEPOLIA_SAFE, version: '1.3.0', tx: PARENT_TX })

  it('the parent transaction is 0xcb8bbe7b…', () => {
    expect(parent.safeTxHash).toBe('0xcb8bbe7bf8f8a1f3f57658e450d07d4422356ac042d96a87ba425b19e67a78a1')
  })

  it('builds parent.approveHash(safeTxHash) with no value, gas refund or delegatecall', () => {
    const tx = nestedApproveHashTx(SEPOLIA_SAFE, parent.safeTxHash, 4n)
    expect(tx).toEqual({
      to: SEPOLIA_SAFE,
      value: 0n,
      data: encodeFunctionData({
        abi: parseAbi(['function approveHash(bytes32 hashToApprove)']),
        functionName: 'approveHash',
        args: [parent.safeTxHash],
      }),
      operation: 0,
      safeTxGas: 0n,
      baseGas: 0n,
      gasPrice: 0n,
      gasToken: ZERO,
      refundReceiver: ZERO,
      nonce: 4n,
    })
    expect(tx.data.startsWith(APPROVE_HASH_SELECTOR)).toBe(true)
  })

  it('hashes to the nested Safe hashes 0x55f6c329…92a1 / 0xcd411ee5…bdf0 / 0x86eb3f93… under the nested Safe', () => {
    const tx = nestedApproveHashTx(SEPOLIA_SAFE, parent.safeTxHash, 4n)
    const h = hashSafeTx({ chainId: 11155111n, safe: NESTED_SAFE, version: '1.3.0', tx })
    expect(h.domainHash).toBe('0x55f6c329a7834e2a4e789f5526f328fa75d14fe75b97b0001be40caf46ca92a1')
    expect(h.messageHash).toBe('0xcd411ee5d49344391ef8d37b76e19dfacf505bbb20e856ac907acb5958ecbdf0')
    expect(h.safeTxHash).toBe('0x86eb3f93f2670d119a4ecb8eeaa4dafe31a28abcafe06688d47e195a3dd7abb0')
  })

  it('takes the nested Safe version for the hash, not the parent one', () => {
    const tx = nestedApproveHashTx(SEPOLIA_SAFE, parent.safeTxHash, 4n)
    const on = (version: string) =>
      hashSafeTx({ chainId: 11155111n, safe: NESTED_SAFE, version, tx }).safeTxHash
    expect(on('1.2.0')).not.toBe(on('1.3.0'))
    expect(on('1.4.1')).toBe(on('1.3.0'))
  })

  it('refuses a malformed hash, address or nonce', () => {
    expect(() => nestedApproveHashTx(SEPOLIA_SAFE, '0x1234' as Hex, 1n)).toThrow(InvalidSafeHashError)
    expect(() => nestedApproveHashTx('0x12' as Address, parent.safeTxHash, 1n)).toThrow(InvalidSafeTxError)
    expect(() => nestedApproveHashTx(SEPOLIA_SAFE, parent.safeTxHash, -1n)).toThrow(InvalidSafeTxError)
  })
})

describe('nestedMessageScheme: which bytes the owner Safe is asked to sign', () => {
  it.each([
    ['0.1.0', undefined, 'same-message'],
    ['1.0.0', undefined, 'same-message'],
    ['1.2.0', undefined, 'same-message'],
    ['1.3.0', undefined, 'same-message'],
    ['1.3.0+L2', undefined, 'same-message'],
    ['1.4.1', undefined, 'preimage'],
    ['1.4.1+L2', undefined, 'preimage'],
    ['1.5.0', undefined, 'hash'],
    // The handler decides below 1.5.0; a 1.5.0 parent asks for the bytes32 form whatever its handler.
    ['1.3.0', '1.4.1', 'preimage'],
    ['1.4.1', '1.3.0', 'same-message'],
    ['1.5.0', '1.3.0', 'hash'],
  ] as const)('parent %s, handler %s → %s', (parent, handler, scheme) => {
    expect(nestedMessageScheme(parent, handler)).toBe(scheme)
  })
})

describe('hashNestedSafeMessage', () => {
  const OWNER = '0x1111111111111111111111111111111111111111' as Address
  const text: SafeMessageInput = { kind: 'text', text: 'Welcome to OpenSea!' }
  const types = {
    EIP712Domain: [
      { name: 'chainId', type: 'uint256' },
      { name: 'verifyingContract', type: 'address' },
    ],
    SafeMessage: [{ name: 'message', type: 'bytes' }],
  } as const
  /** viem: the SafeMessage the owner Safe signs over `data`, on chain 10. */
  const ownerHash = (data: Hex) =>
    hashTypedData({
      domain: { chainId: 10n, verifyingContract: OWNER },
      types,
      primaryType: 'SafeMessage',
      message: { message: data },
    })
  const nested = (parentVersion: string) =>
    hashNestedSafeMessage({
      chainId: 10n,
      parentSafe: SEPOLIA_SAFE,
      parentVersion,
      message: text,
      nestedSafe: OWNER,
      nestedVersion: '1.4.1',
    })

  it('1.4.1 parent: SafeMessage over the 66-byte preimage, i.e. a struct over the parent safeMessageHash', () => {
    const n = nested('1.4.1')
    expect(n.scheme).toBe('preimage')
    expect(n.data).toBe(`0x1901${n.parent.domainHash.slice(2)}${n.parent.messageHash.slice(2)}`)
    expect(keccak256(n.data)).toBe(n.parent.safeMessageHash)
    expect(n.messageHash).toBe(
      keccak256(
        encodeAbiParameters(
          [{ type: 'bytes32' }, { type: 'bytes32' }],
          [SAFE_MESSAGE_TYPEHASH, n.parent.safeMessageHash],
        ),
      ),
    )
    expect(n.safeMessageHash).toBe(ownerHash(n.data))
  })

  it('1.5.0 parent: SafeMessage(abi.encode(parent safeMessageHash)), the form safe.md §4.3 and STHU give', () => {
    const n = nested('1.5.0')
    expect(n.scheme).toBe('hash')
    expect(n.data).toBe(encodeAbiParameters([{ type: 'bytes32' }], [n.parent.safeMessageHash]))
    // The reference's formula: the parent's safeMessageHash taken as the owner's inner message hash.
    expect(n).toMatchObject(hashSafeMessageAsInner(10n, OWNER, '1.4.1', n.parent.safeMessageHash))
  })

  it('≤1.3.0 parent: the owner Safe signs the same SafeMessage under its own domain', () => {
    for (const v of ['1.0.0', '1.2.0', '1.3.0']) {
      const n = nested(v)
      expect(n.scheme).toBe('same-message')
      expect(n.messageHash).toBe(n.parent.messageHash)
      expect(n.safeMessageHash).toBe(
        hashSafeMessage({ chainId: 10n, safe: OWNER, version: '1.4.1', message: text }).safeMessageHash,
      )
    }
  })

  it('uses the owner Safe version for its domain (≤1.2: no chainId) and the parent version for the parent', () => {
    const at = (chainId: bigint, nestedVersion: string) =>
      hashNestedSafeMessage({
        chainId,
        parentSafe: SEPOLIA_SAFE,
        parentVersion: '1.2.0',
        message: text,
        nestedSafe: OWNER,
        nestedVersion,
      }).safeMessageHash
    expect(at(1n, '1.2.0')).toBe(at(5n, '1.2.0'))
    expect(at(1n, '1.4.1')).not.toBe(at(5n, '1.4.1'))
  })

  it('follows a handler version read from chain over the default', () => {
    const n = hashNestedSafeMessage({
      chainId: 10n,
      parentSafe: SEPOLIA_SAFE,
      parentVersion: '1.3.0',
      parentHandlerVersion: '1.4.1',
      message: text,
      nestedSafe: OWNER,
      nestedVersion: '1.3.0',
    })
    expect(n.scheme).toBe('preimage')
  })

  it('agrees with viem for random parents, owners and texts in every scheme', () => {
    const r = rng(0x2e57ed)
    for (let i = 0; i < 60; i++) {
      const parentVersion = r.pick(['1.1.1', '1.3.0', '1.4.1', '1.5.0'])
      const parentSafe = r.hex(20) as Address
      const message: SafeMessageInput = { kind: 'text', text: r.hex(r.int(40)) }
      const n = hashNestedSafeMessage({
        chainId: 10n,
        parentSafe,
        parentVersion,
        message,
        nestedSafe: OWNER,
        nestedVersion: '1.5.0',
      })
      expect(n.safeMessageHash, `case ${i}`).toBe(ownerHash(n.data))
    }
  })
})

/** The top-level SafeMessage formula with `inner` as the dApp hash, via viem. */
function hashSafeMessageAsInner(chainId: bigint, safe: Address, _version: string, inner: Hex) {
  const types = {
    EIP712Domain: [
      { name: 'chainId', type: 'uint256' },
      { name: 'verifyingContract', type: 'address' },
    ],
    SafeMessage: [{ name: 'message', type: 'bytes' }],
  } as const
  return {
    safeMessageHash: hashTypedData({
      domain: { chainId, verifyingContract: safe },
      types,
      primaryType: 'SafeMessage',
      message: { message: encodeAbiParameters([{ type: 'bytes32' }], [inner]) },
    }),
  }
}
