import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { PayoutRunLockedError } from '../../../src/errors/payouts.js'
import {
  defaultLedgerPath,
  LedgerUnreadableError,
  type PayoutLedger,
  readLedger,
  recordInLedger,
  withRunLock,
} from '../../../src/payouts/ledger.js'
import type { Hex } from '../../../src/safe/types.js'
import { layout } from './fixtures.js'

const root = mkdtempSync(join(tmpdir(), 'alliance-ledger-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))
let n = 0
const freshDir = () => {
  const dir = join(root, `case${n++}`)
  mkdirSync(dir, { recursive: true })
  return dir
}
const identity = { schedule: 'contributors', safe: layout.council, chainId: '31337' }
const HASH_A = `0x${'ab'.repeat(32)}` as Hex
const HASH_B = `0x${'cd'.repeat(32)}` as Hex
const entry = (safeTxHash: Hex, state: 'proposing' | 'proposed' | 'executing' | 'executed') => ({
  period: '2026-11',
  safeTxHash,
  nonce: '3',
  state,
  payouts: [{ recipient: layout.contracts.ALLY, token: layout.contracts.aUSD, amount: '1000' }],
})
const at = (iso: string) => () => new Date(iso)

describe('readLedger', () => {
  it('gives an empty ledger for a file that does not exist', () => {
    const path = join(freshDir(), 'missing.ledger.json')
    expect(readLedger(path, identity)).toEqual({
      format: 'alliance-payout-ledger',
      formatVersion: 1,
      ...identity,
      entries: [],
    })
    expect(existsSync(path)).toBe(false)
  })

  it('refuses a file that is not JSON, or not a ledger of this version', () => {
    const dir = freshDir()
    const cases = {
      'corrupt.json': '{"format": "alliance-payout-ledger", ',
      'other.json': JSON.stringify({ hello: 'world' }),
      'v2.json': JSON.stringify({
        format: 'alliance-payout-ledger',
        formatVersion: 2,
        ...identity,
        entries: [],
      }),
      'bad-entry.json': JSON.stringify({
        format: 'alliance-payout-ledger',
        formatVersion: 1,
        ...identity,
        entries: [{ ...entry(HASH_A, 'proposed'), state: 'lost', updatedAt: 'x' }],
      }),
    }
    for (const [name, text] of Object.entries(cases)) {
      const path = join(dir, name)
      writeFileSync(path, text)
      expect(() => readLedger(path, identity), name).toThrow(LedgerUnreadableError)
    }
    expect(() => readLedger(join(dir, 'v2.json'), identity)).toThrow('not a payout ledger of this version')
  })

  it('refuses the ledger of another schedule, Safe or chain', () => {
    const path = join(freshDir(), 'l.json')
    writeFileSync(
      path,
      JSON.stringify({ format: 'alliance-payout-ledger', formatVersion: 1, ...identity, entries: [] }),
    )
    expect(readLedger(path, identity).entries).toEqual([])
    // An address in another case is the same Safe.
    expect(readLedger(path, { ...identity, safe: layout.council.toLowerCase() }).schedule).toBe(
      'contributors',
    )
    expect(() => readLedger(path, { ...identity, schedule: 'grants' })).toThrow(
      'it is the ledger of schedule contributors, not grants',
    )
    expect(() => readLedger(path, { ...identity, safe: layout.contracts.treasury })).toThrow(
      LedgerUnreadableError,
    )
    expect(() => readLedger(path, { ...identity, chainId: '1' })).toThrow(
      'it is the ledger of chainId 31337, not 1',
    )
  })

  it('is found where defaultLedgerPath says', () => {
    expect(defaultLedgerPath('/w', 'contributors')).toBe('/w/.alliance/payouts/contributors.ledger.json')
  })
})

describe('recordInLedger', () => {
  it('adds entries, replaces one by safeTxHash (any case), and writes through a rename', () => {
    const dir = join(freshDir(), 'nested', 'payouts')
    const path = join(dir, 'contributors.ledger.json')
    let ledger: PayoutLedger = readLedger(path, identity)
    ledger = recordInLedger(path, ledger, entry(HASH_A, 'proposing'), at('2026-11-01T00:00:00Z'))
    ledger = recordInLedger(path, ledger, entry(HASH_B, 'proposed'), at('2026-11-01T00:01:00Z'))
    ledger = recordInLedger(
      path,
      ledger,
      entry(HASH_A.toUpperCase().replace('0X', '0x') as Hex, 'executed'),
      at('2026-11-01T00:02:00Z'),
    )
    expect(ledger.entries.map((e) => [e.safeTxHash.toLowerCase(), e.state, e.updatedAt])).toEqual([
      [HASH_B, 'proposed', '2026-11-01T00:01:00.000Z'],
      [HASH_A, 'executed', '2026-11-01T00:02:00.000Z'],
    ])
    // What was written is what was returned, and it reads back.
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(ledger)
    expect(readLedger(path, identity)).toEqual(ledger)
    expect(readFileSync(path, 'utf8').endsWith('}\n')).toBe(true)
    // No temporary file left next to it.
    expect(readdirSync(dir)).toEqual(['contributors.ledger.json'])
  })

  it('does not change the ledger it was given', () => {
    const path = join(freshDir(), 'l.json')
    const before = readLedger(path, identity)
    recordInLedger(path, before, entry(HASH_A, 'proposing'))
    expect(before.entries).toEqual([])
  })
})

describe('withRunLock', () => {
  const lockOf = (ledgerPath: string) => `${ledgerPath}.lock`

  it('holds a lock with its own pid while the run runs, and removes it after', async () => {
    const path = join(freshDir(), 'sub', 'contributors.ledger.json')
    const result = await withRunLock(path, async () => {
      expect(readFileSync(lockOf(path), 'utf8')).toBe(String(process.pid))
      return 42
    })
    expect(result).toBe(42)
    expect(existsSync(lockOf(path))).toBe(false)
  })

  it('removes the lock when the run throws, and passes the error on', async () => {
    const path = join(freshDir(), 'contributors.ledger.json')
    await expect(
      withRunLock(path, async () => {
        throw new Error('boom')
      }),
    ).rejects.toThrow('boom')
    expect(existsSync(lockOf(path))).toBe(false)
  })

  it('refuses while another live process holds the lock, and leaves its lock alone', async () => {
    const path = join(freshDir(), 'contributors.ledger.json')
    writeFileSync(lockOf(path), String(process.ppid))
    let ran = false
    const attempt = withRunLock(path, async () => {
      ran = true
    })
    await expect(attempt).rejects.toBeInstanceOf(PayoutRunLockedError)
    await expect(
      withRunLock(path, async () => {
        ran = true
      }),
    ).rejects.toThrow(`Another payouts run (pid ${process.ppid}) is working on this schedule`)
    expect(ran).toBe(false)
    expect(readFileSync(lockOf(path), 'utf8')).toBe(String(process.ppid))
  })

  it('takes over a lock whose process is gone', async () => {
    const path = join(freshDir(), 'contributors.ledger.json')
    writeFileSync(lockOf(path), '999999')
    const seen = await withRunLock(path, async () => readFileSync(lockOf(path), 'utf8'))
    expect(seen).toBe(String(process.pid))
    expect(existsSync(lockOf(path))).toBe(false)
  })

  it('runs one after the other on the same ledger', async () => {
    const path = join(freshDir(), 'contributors.ledger.json')
    expect(await withRunLock(path, async () => 1)).toBe(1)
    expect(await withRunLock(path, async () => 2)).toBe(2)
  })
})
