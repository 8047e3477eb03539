import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openRecordCache, type RecordKey } from '../../../src/history/recordCache.js'
import type { SafeExecutionRecord } from '../../../src/history/safe/verifyExecution.js'
import type { Address, Hex } from '../../../src/safe/types.js'

const dir = mkdtempSync(join(tmpdir(), 'alliance-records-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const SAFE = '0x5aFE3855358E112B5647B952709E6165e1c1eEEe' as Address
const TX = `0x${'ab'.repeat(32)}` as Hex
const key: RecordKey = {
  chainId: 1n,
  safe: SAFE,
  transactionHash: TX,
  logIndex: 7,
  blockHash: `0x${'01'.repeat(32)}`,
}
const record: SafeExecutionRecord = {
  safe: SAFE,
  execution: {
    blockNumber: 100,
    transactionHash: TX,
    transactionIndex: 0,
    logIndex: 7,
    safeTxHash: `0x${'cd'.repeat(32)}` as Hex,
    success: true,
    payment: 0n,
  },
  chainId: 1n,
  version: '1.4.1',
  owners: [SAFE],
  threshold: 1,
  safeTx: {
    to: SAFE,
    value: 2n ** 200n,
    data: '0x',
    operation: 0,
    safeTxGas: 0n,
    baseGas: 0n,
    gasPrice: 0n,
    gasToken: '0x0000000000000000000000000000000000000000',
    refundReceiver: '0x0000000000000000000000000000000000000000',
    nonce: 42n,
  },
  signers: [{ kind: 'eoa', signer: SAFE, owner: true, valid: true, evidence: 'ecdsa', reason: '12n' }],
  findings: [],
  verified: true,
}

describe('the per-execution record cache', () => {
  const cache = openRecordCache(dir)

  it('gives back what was written, bigints as bigints and digit strings as strings', () => {
    expect(cache.read(key)).toBeUndefined()
    cache.write(key, record)
    expect(cache.read(key)).toEqual(record)
  })

  it('serves a record only for the same block hash, chain, Safe and log', () => {
    expect(cache.read({ ...key, blockHash: `0x${'02'.repeat(32)}` })).toBeUndefined()
    expect(cache.read({ ...key, chainId: 5n })).toBeUndefined()
    expect(cache.read({ ...key, logIndex: 8 })).toBeUndefined()
    expect(cache.read({ ...key, blockHash: key.blockHash.toUpperCase().replace('0X', '0x') })).toEqual(record)
  })

  it('treats a damaged file as a miss', () => {
    const folder = join(dir, '1', SAFE.toLowerCase())
    const [file] = readdirSync(folder)
    writeFileSync(join(folder, file!), '{"key":')
    expect(cache.read(key)).toBeUndefined()
  })
})
