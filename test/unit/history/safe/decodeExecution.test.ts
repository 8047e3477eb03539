import { describe, expect, it } from 'vitest'
import { treasuryAbi } from '../../../../src/actions/allocateTreasury.js'
import { tokenAbi } from '../../../../src/contracts/tokenAbi.js'
import { decodeExecution } from '../../../../src/history/safe/decodeExecution.js'
import { canonicalSafe141 } from '../../../../src/safe/deployments.js'
import { encodeMultiSend } from '../../../../src/safe/multiSend.js'
import type { Address, Call, Hex } from '../../../../src/safe/types.js'
import { AddressBook } from '../../../../src/workspace/addressBook.js'
import type { WorkspaceConfig } from '../../../../src/workspace/schema.js'

const SAFE = '0x1111111111111111111111111111111111111111' as Address
const TOKEN = '0x2222222222222222222222222222222222222222' as Address
const TREASURY = '0x3333333333333333333333333333333333333333' as Address
const PAYEE = '0x4444444444444444444444444444444444444444' as Address
const book = new AddressBook([
  { kind: 'token', name: 'aUSD', address: TOKEN, decimals: 6, symbol: 'aUSD' },
  { kind: 'contract', name: 'treasury', address: TREASURY, type: 'treasury' },
])
const workspace = { book, config: { contracts: {} } as unknown as WorkspaceConfig }
const decode = { abiFor: () => undefined }

const pay: Call = {
  to: TOKEN,
  value: 0n,
  data: tokenAbi.encodeFunctionData('transfer', [PAYEE, 5_000_000n]) as Hex,
  operation: 0,
}
const allocate: Call = {
  to: TREASURY,
  value: 0n,
  data: treasuryAbi.encodeFunctionData('allocate', [TOKEN, PAYEE, 7n, 'round 7']) as Hex,
  operation: 0,
}
const native: Call = { to: PAYEE, value: 10n, data: '0x', operation: 0 }

describe('decodeExecution', () => {
  it('opens a canonical MultiSendCallOnly batch and reads its calls back as action kinds', () => {
    const r = decodeExecution({
      safeTx: {
        to: canonicalSafe141.MultiSendCallOnly,
        value: 0n,
        data: encodeMultiSend([pay, allocate, native]),
        operation: 1,
      },
      safe: SAFE,
      version: '1.4.1',
      decode,
      workspace,
    })
    expect(r.batch).toBe('multisend-call-only')
    expect(r.actions.map((a) => a.kind)).toEqual(['transfer', 'allocate-treasury', 'transfer'])
    expect(r.actions[0]).toMatchObject({
      description: 'Transfer 5 aUSD to 0x4444444444444444444444444444444444444444',
    })
    expect(r.findings).toEqual([])
  })

  it('keeps every call raw without a workspace, and a call to an unknown token raw with one', () => {
    const r = decodeExecution({ safeTx: pay, safe: SAFE, version: '1.4.1', decode })
    expect(r.actions).toEqual([{ kind: 'raw', call: expect.objectContaining({ functionName: 'transfer' }) }])
    const other = decodeExecution({
      safeTx: { ...pay, to: PAYEE },
      safe: SAFE,
      version: '1.4.1',
      decode,
      workspace,
    })
    expect(other.actions[0]?.kind).toBe('raw')
  })

  it('does not open MultiSend bytes delegatecalled to a non-canonical contract, and flags the delegatecall', () => {
    const r = decodeExecution({
      safeTx: { to: PAYEE, value: 0n, data: encodeMultiSend([pay]), operation: 1 },
      safe: SAFE,
      version: '1.4.1',
      decode,
      workspace,
    })
    expect(r.batch).toBe('delegatecall')
    expect(r.call.inner).toBeUndefined()
    expect(r.call.operation).toBe(1)
    expect(r.findings.map((f) => f.code)).toEqual(['UNTRUSTED_DELEGATECALL'])
  })
})
