import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
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

describe('the records file', () => {
  const other = mkdtempSync(join(tmpdir(), 'alliance-records-'))
  afterAll(() => rmSync(other, { recursive: true, force: true }))
  const second = { ...key, logIndex: 8 }
  const file = join(other, '1', SAFE.toLowerCase(), 'records.jsonl')

  it('is read back by a new process, the later line for a key winning', () => {
    const first = openRecordCache(other)
    first.write(key, record)
    first.write(key, { ...record, threshold: 2 })
    first.write(second, record)
    const reopened = openRecordCache(other)
    expect(reopened.read(key)).toEqual({ ...record, threshold: 2 })
    expect(reopened.read(second)).toEqual(record)
  })

  it('ignores a line cut short by a killed run, and starts the next one on its own line', () => {
    appendFileSync(file, '{"format":2,"chainId":"1"')
    const reopened = openRecordCache(other)
    expect(reopened.read(second)).toEqual(record)
    const third = { ...key, logIndex: 9 }
    reopened.write(third, record)
    expect(openRecordCache(other).read(third)).toEqual(record)
    expect(readFileSync(file, 'utf8').split('\n').filter(Boolean)).toHaveLength(5)
  })
})
