import { describe, expect, it } from 'vitest'
import { compareResimulation, type ReplayLog } from '../../../src/history/resimulateCompare.js'
import type { Address, Hex } from '../../../src/safe/types.js'

const A = '0x00000000000000000000000000000000000000aA' as Address
const B = '0x00000000000000000000000000000000000000bB' as Address
const T1 = `0x${'11'.repeat(32)}` as Hex
const T2 = `0x${'22'.repeat(32)}` as Hex
const log = (address: Address, topic: Hex, data: string): ReplayLog => ({
  address,
  topics: [topic],
  data: data as Hex,
})
const receipt = [log(A, T1, '0x01'), log(B, T2, '0x02'), log(A, T1, '0x03')]

describe('compareResimulation', () => {
  it('finds nothing when outcome and logs are identical (addresses compared case-insensitively)', () => {
    const fork = receipt.map((l) => ({ ...l, address: l.address.toLowerCase() as Address }))
    expect(
      compareResimulation({ chain: { status: true, logs: receipt }, fork: { status: true, logs: fork } }),
    ).toEqual([])
  })

  it('names a log whose data changed, and only that one', () => {
    const fork = [receipt[0]!, log(B, T2, '0x99'), receipt[2]!]
    const found = compareResimulation({
      chain: { status: true, logs: receipt },
      fork: { status: true, logs: fork },
    })
    expect(found).toEqual([
      {
        code: 'RESIMULATION_DIFFERS',
        severity: 'error',
        message: `log #1 (${B} topic0 ${T2}) changed: data 0x02 on chain, 0x99 on the fork`,
      },
    ])
  })

  it('names a missing log without calling the later ones changed', () => {
    const found = compareResimulation({
      chain: { status: true, logs: receipt },
      fork: { status: true, logs: [receipt[0]!, receipt[2]!] },
    })
    expect(found.map((f) => f.message)).toEqual([`log #1 (${B} topic0 ${T2}) was not emitted on the fork`])
  })

  it('names an extra log and its position on the fork', () => {
    const extra = log(B, T1, '0x07')
    const found = compareResimulation({
      chain: { status: true, logs: receipt },
      fork: { status: true, logs: [receipt[0]!, extra, receipt[1]!, receipt[2]!] },
    })
    expect(found.map((f) => f.message)).toEqual([
      `the fork emitted an extra log at position 1 (${B} topic0 ${T1}) that the chain does not have`,
    ])
  })

  it('names a changed topic', () => {
    const fork = [receipt[0]!, { ...receipt[1]!, topics: [T2, T1] }, receipt[2]!]
    const found = compareResimulation({
      chain: { status: true, logs: receipt },
      fork: { status: true, logs: fork },
    })
    expect(found.map((f) => f.message)).toEqual([
      `log #1 (${B} topic0 ${T2}) changed: topic 1 absent on chain, ${T1} on the fork`,
    ])
  })

  it('reports a revert on the fork of a transaction that succeeded as RESIMULATION_FAILED', () => {
    const found = compareResimulation({
      chain: { status: true, logs: receipt },
      fork: { status: false, logs: [] },
    })
    expect(found[0]).toEqual({
      code: 'RESIMULATION_FAILED',
      severity: 'error',
      message: 'the transaction succeeded on chain but reverted when re-executed at its block',
    })
    // Each log the revert undid is named as well.
    expect(found.slice(1).map((f) => f.message)).toEqual([
      `log #0 (${A} topic0 ${T1}) was not emitted on the fork`,
      `log #1 (${B} topic0 ${T2}) was not emitted on the fork`,
      `log #2 (${A} topic0 ${T1}) was not emitted on the fork`,
    ])
  })

  it('reports a success on the fork of a transaction that reverted', () => {
    const found = compareResimulation({
      chain: { status: false, logs: [] },
      fork: { status: true, logs: [] },
    })
    expect(found.map((f) => [f.code, f.message])).toEqual([
      [
        'RESIMULATION_DIFFERS',
        'the transaction reverted on chain but succeeded when re-executed at its block',
      ],
    ])
  })

  it('names a balance that differs, native or token, with both changes', () => {
    const found = compareResimulation({
      chain: { status: true, logs: [] },
      fork: { status: true, logs: [] },
      balances: [
        { holder: A, before: 10n, chain: 15n, fork: 15n },
        { holder: A, token: B, before: 100n, chain: 90n, fork: 95n },
        { holder: B, before: 10n, chain: 12n, fork: 10n },
      ],
    })
    expect(found.map((f) => f.message)).toEqual([
      `token ${B} balance of ${A} changed by -10 on chain, by -5 on the fork`,
      `native balance of ${B} changed by +2 on chain, by 0 on the fork`,
    ])
  })
})
