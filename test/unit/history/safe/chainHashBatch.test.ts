import { describe, expect, it } from 'vitest'
import { batchCode, chainHashBatcher } from '../../../../src/history/safe/chainHashBatch.js'
import type { SafeHistoryChain } from '../../../../src/history/safe/safeStateAt.js'
import type { Address, Hex } from '../../../../src/safe/types.js'

const SAFE = '0x1111111111111111111111111111111111111111' as Address
const word = (n: number) => n.toString(16).padStart(64, '0')

/**
 * Stands in for a node running the creation code: it reads the calls back out of the code and answers
 * each with the word `answer(call)` (0 for a call that failed). The code itself runs on anvil in
 * test/e2e/safeHistory.test.ts, where every replayed execution's getTransactionHash goes through it.
 */
function fakeChain(answer: (call: string) => number, refuse = false) {
  const batches: { blockTag: unknown; calls: string[] }[] = []
  const chain = {
    async call(tx: { to?: string; data: string; blockTag?: unknown }) {
      if (tx.to) throw new Error('a single call was not expected')
      if (refuse) throw new Error('creation in eth_call is not supported')
      const calls = decode(tx.data)
      batches.push({ blockTag: tx.blockTag, calls })
      return `0x00${calls.map((c) => word(answer(c))).join('')}`
    },
  } as unknown as SafeHistoryChain
  return { chain, batches }
}

/** The calls appended to the creation code: after the two header words, length-prefixed. */
function decode(code: string): string[] {
  const empty = batchCode(SAFE, ['0x00'])
  const header = empty.length - 64 - 2 // where the one item (a length word and a byte) starts
  let at = header
  const calls: string[] = []
  while (at < code.length) {
    const length = Number.parseInt(code.slice(at, at + 64), 16)
    calls.push(`0x${code.slice(at + 64, at + 64 + length * 2)}`)
    at += 64 + length * 2
  }
  return calls
}

describe('chainHashBatcher', () => {
  it('asks the calls of one event-loop turn together, one eth_call per block, a lone one by itself', async () => {
    const { chain, batches } = fakeChain((c) => Number.parseInt(c.slice(2, 4), 16))
    const b = chainHashBatcher(chain, SAFE)
    const alone = () => Promise.reject(new Error('not expected'))
    const answers = await Promise.all([
      b.hash(7, '0x01aa', alone),
      b.hash(7, '0x02bbbb', alone),
      b.hash(9, '0x03', () => Promise.resolve(`0x${word(3)}`)),
      b.hash(7, '0x04', alone),
    ])
    expect(answers).toEqual([`0x${word(1)}`, `0x${word(2)}`, `0x${word(3)}`, `0x${word(4)}`])
    expect(batches).toEqual([{ blockTag: 7, calls: ['0x01aa', '0x02bbbb', '0x04'] }])
  })

  it('asks a call that failed inside the batch by itself, so its error is what the caller sees', async () => {
    const { chain } = fakeChain((c) => (c === '0x02' ? 0 : 1))
    const b = chainHashBatcher(chain, SAFE)
    const reverted = new Error('execution reverted')
    const results = await Promise.allSettled([
      b.hash(7, '0x01', () => Promise.reject(new Error('not expected'))),
      b.hash(7, '0x02', () => Promise.reject(reverted)),
    ])
    expect(results[0]).toEqual({ status: 'fulfilled', value: `0x${word(1)}` })
    expect(results[1]).toEqual({ status: 'rejected', reason: reverted })
  })

  it('falls back to single calls for good when the node refuses the creation call', async () => {
    const { chain } = fakeChain(() => 1, true)
    const b = chainHashBatcher(chain, SAFE)
    const single = (n: number) => () => Promise.resolve(`0x${word(n)}`)
    expect(await Promise.all([b.hash(7, '0x01', single(5)), b.hash(7, '0x02', single(6))])).toEqual([
      `0x${word(5)}`,
      `0x${word(6)}`,
    ])
    expect(await Promise.all([b.hash(8, '0x01', single(7)), b.hash(8, '0x02', single(8))])).toEqual([
      `0x${word(7)}`,
      `0x${word(8)}`,
    ])
    expect(b.stats.batches).toBe(1)
  })

  it('splits a turn with more than 100 calls into several eth_calls', async () => {
    const { chain, batches } = fakeChain(() => 1)
    const b = chainHashBatcher(chain, SAFE)
    const calls = Array.from({ length: 250 }, (_, i) => `0x${word(i)}` as Hex)
    await Promise.all(calls.map((c) => b.hash(7, c, () => Promise.reject(new Error('not expected')))))
    expect(batches.map((x) => x.calls.length)).toEqual([100, 100, 50])
  })
})
