import { describe, expect, it } from 'vitest'
import { resimulationEntry } from '../../../../src/history/report/resimulationEntry.js'
import type { ResimulationResult } from '../../../../src/history/resimulate.js'
import { reconciliationText, resimulationText } from '../../../../src/render/history/extras.js'
import type { Address, Hex } from '../../../../src/safe/types.js'
import { AddressBook } from '../../../../src/workspace/addressBook.js'

const SAFE = '0x5aFE3855358E112B5647B952709E6165e1c1eEEe' as Address
const TOKEN = '0x00000000000000000000000000000000000000AA' as Address
const HOLDER = '0x00000000000000000000000000000000000000bb' as Address
const TX = `0x${'ab'.repeat(32)}` as Hex
const book = new AddressBook([
  { kind: 'safe', name: 'council', address: SAFE },
  { kind: 'token', name: 'aUSD', address: TOKEN, decimals: 6 },
] as ConstructorParameters<typeof AddressBook>[0])
const log = { address: TOKEN, topics: [], data: '0x' as Hex }

const result = (over: Partial<ResimulationResult> = {}): ResimulationResult => ({
  target: {
    safe: SAFE,
    execution: {
      blockNumber: 42,
      transactionHash: TX,
      transactionIndex: 0,
      logIndex: 3,
      safeTxHash: TX,
      success: true,
      payment: 0n,
    },
  },
  agreed: true,
  findings: [],
  chain: { status: true, logs: [log, log] },
  fork: { status: true, logs: [log, log] },
  balances: [
    { holder: HOLDER, token: TOKEN, before: 5n, chain: 12n, fork: 12n },
    // Unchanged on both sides: compared, but not worth a line.
    { holder: SAFE, before: 1n, chain: 1n, fork: 1n },
  ],
  ...over,
})

describe('resimulationEntry', () => {
  it('keeps the verdict, counts and the balances that moved, names resolved', () => {
    const e = resimulationEntry(result(), book)
    expect(e).toEqual({
      agreed: true,
      forkBlock: 41,
      outcome: { chain: 'succeeded', fork: 'succeeded' },
      logs: { chain: 2, fork: 2 },
      balances: [
        {
          holder: { address: HOLDER, label: HOLDER },
          token: { address: TOKEN, label: 'aUSD' },
          before: '5',
          chain: '12',
          fork: '12',
        },
      ],
      findings: [],
    })
    expect(resimulationText(e)).toBe(
      'agrees: same outcome (succeeded), same 2 log(s), same 1 balance change(s) on a fork of block 41',
    )
  })

  it('turns differences into report findings on the execution’s transaction', () => {
    const e = resimulationEntry(
      result({
        agreed: false,
        findings: [
          { code: 'RESIMULATION_DIFFERS', severity: 'error', message: 'native balance of x changed' },
        ],
      }),
      book,
    )
    expect(e.findings).toEqual([
      {
        code: 'RESIMULATION_DIFFERS',
        level: 'error',
        message: 'native balance of x changed',
        transactionHash: TX,
      },
    ])
    expect(resimulationText(e)).toBe(
      'DIFFERS from the chain on a fork of block 41: 1 difference(s), listed below',
    )
  })

  it('says when the block could not be replayed at all', () => {
    const { fork: _, ...failed } = result({
      agreed: false,
      findings: [{ code: 'RESIMULATION_FAILED', severity: 'error', message: 'blob transaction' }],
    })
    const e = resimulationEntry(failed as ResimulationResult, book)
    expect(e.outcome).toEqual({ chain: 'succeeded' })
    expect(e.logs).toEqual({ chain: 2 })
    expect(resimulationText(e)).toBe('could not be re-executed on a fork of block 41 (see the finding)')
  })
})

describe('reconciliationText', () => {
  it('names the service, the nonces compared and the counts', () => {
    const section = {
      service: 'Transaction Service at https://example.org/…',
      nonces: { from: '4', to: '9' },
      queued: 6,
      executions: 5,
      findings: [],
    }
    expect(reconciliationText(section)).toBe(
      'Transaction Service at https://example.org/… · nonces 4–8 · 6 record(s) held, 5 execution(s) compared · the service and the chain agree',
    )
    expect(reconciliationText({ ...section, nonces: { from: '4', to: '4' }, executions: 0 })).toContain(
      'no nonce used in the range (nonce 4)',
    )
  })
})
