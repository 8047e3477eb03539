import { ZeroAddress } from 'ethers'
import { describe, expect, it } from 'vitest'
import type { SafeHistoryChain } from '../../../../src/history/safe/safeStateAt.js'
import { safeReadAbi } from '../../../../src/history/safe/safeStateAt.js'
import { executionShape, safeStateTimeline } from '../../../../src/history/safe/stateTimeline.js'
import type { SafeExecution } from '../../../../src/history/safe/types.js'
import { encodeExecTransaction } from '../../../../src/safe/execTransaction.js'
import type { Address, Hex, SafeTx } from '../../../../src/safe/types.js'

const SAFE = '0x1111111111111111111111111111111111111111' as Address
const OTHER = '0x3333333333333333333333333333333333333333' as Address
const OWNERS = ['0x4444444444444444444444444444444444444444' as Address]

/** A Safe whose nonce is the block number (one execution a block) and whose reads are counted. */
function fakeChain() {
  const reads: number[] = []
  const chain = {
    async call(tx: { data?: string | null; blockTag?: unknown }) {
      const block = Number(tx.blockTag)
      const fn = safeReadAbi.parseTransaction({ data: tx.data! })!.name
      if (fn === 'nonce') reads.push(block)
      const value = { VERSION: ['1.4.1'], nonce: [BigInt(block)], getOwners: [OWNERS], getThreshold: [1n] }[
        fn
      ]
      return safeReadAbi.encodeFunctionResult(fn, value!)
    },
  } as unknown as SafeHistoryChain
  return { chain, reads }
}

const txHash = (i: number) => `0x${i.toString(16).padStart(64, '0')}` as Hex
const execution = (block: number, i: number): SafeExecution => ({
  blockNumber: block,
  transactionHash: txHash(i),
  transactionIndex: 0,
  logIndex: 0,
  safeTxHash: txHash(1000 + i),
  success: true,
  payment: 0n,
})
const safeTx = (to: Address, operation: 0 | 1): SafeTx => ({
  to,
  value: 0n,
  data: '0x',
  operation,
  safeTxGas: 0n,
  baseGas: 0n,
  gasPrice: 0n,
  gasToken: ZeroAddress as Address,
  refundReceiver: ZeroAddress as Address,
  nonce: 0n,
})
const plain = { to: SAFE, data: encodeExecTransaction(safeTx(OTHER, 0), '0x') }

/** Runs the timeline over executions in blocks 10, 11, …, each with its transaction, in order. */
async function run(transactions: { to: string | null; data: string }[], changeBlocks: number[] = []) {
  const { chain, reads } = fakeChain()
  const executions = transactions.map((_, i) => execution(10 + i, i))
  const timeline = safeStateTimeline({ chain, safe: SAFE, executions, changeBlocks })
  const states = transactions.map((t, i) => {
    timeline.transaction(i, Promise.resolve(t))
    return timeline.stateBefore(i)
  })
  return { states: await Promise.all(states), reads, timeline }
}

describe('safeStateTimeline', () => {
  it('reads once and derives the nonce over plain calls, the result equal to reading every block', async () => {
    const { states, reads } = await run([plain, plain, plain, plain])
    expect(reads).toEqual([9])
    expect(states.map((s) => [s.blockTag, s.nonce, s.derived, s.readAt])).toEqual([
      [9, 9n, false, 9],
      [10, 10n, true, 9],
      [11, 11n, true, 9],
      [12, 12n, true, 9],
    ])
    expect(states[3]).toMatchObject({ version: '1.4.1', owners: OWNERS, threshold: 1 })
  })

  it('reads again after a delegatecall, a call to the Safe itself, or a transaction it cannot see into', async () => {
    const delegate = { to: SAFE, data: encodeExecTransaction(safeTx(OTHER, 1), '0x') }
    const self = { to: SAFE, data: encodeExecTransaction(safeTx(SAFE, 0), '0x') }
    const relayed = { to: OTHER, data: '0x1234' }
    const { reads } = await run([plain, delegate, plain, self, plain, relayed, plain, plain])
    // After each odd one out, the next execution's parent block is read.
    expect(reads).toEqual([9, 11, 13, 15])
  })

  it('reads again after a configuration event or module execution in between', async () => {
    const { reads } = await run([plain, plain, plain, plain], [11, 11])
    expect(reads).toEqual([9, 11])
  })

  it('reads again for the execution after one answered from the record cache', async () => {
    const { chain, reads } = fakeChain()
    const executions = [0, 1, 2].map((i) => execution(10 + i, i))
    const timeline = safeStateTimeline({ chain, safe: SAFE, executions, changeBlocks: [] })
    timeline.transaction(0, Promise.resolve(plain))
    await timeline.stateBefore(0)
    // Execution 1 came from the cache: neither its state nor its transaction was asked for.
    timeline.transaction(2, Promise.resolve(plain))
    expect((await timeline.stateBefore(2)).derived).toBe(false)
    expect(reads).toEqual([9, 11])
  })

  it('takes a corrected state as the base of the next', async () => {
    const { chain, reads } = fakeChain()
    const executions = [0, 1].map((i) => execution(10 + i, i))
    const timeline = safeStateTimeline({ chain, safe: SAFE, executions, changeBlocks: [] })
    timeline.transaction(0, Promise.resolve(plain))
    const first = await timeline.stateBefore(0)
    timeline.correct(0, { ...first, nonce: 100n })
    timeline.transaction(1, Promise.resolve(plain))
    expect(await timeline.stateBefore(1)).toMatchObject({ nonce: 101n, derived: true, readAt: 9 })
    expect(reads).toEqual([9])
  })
})

describe('executionShape', () => {
  it('is plain only for a direct execTransaction CALL to another address, alone in its transaction', () => {
    expect(executionShape(plain, SAFE, 1)).toEqual({ mayChangeSafe: false })
    expect(executionShape(plain, SAFE, 2)).toEqual({ mayChangeSafe: true })
    expect(executionShape({ ...plain, to: OTHER }, SAFE, 1)).toEqual({ mayChangeSafe: true })
    expect(executionShape({ ...plain, data: `0x12345678${plain.data.slice(10)}` }, SAFE, 1)).toEqual({
      mayChangeSafe: true,
    })
    const dirty = `${plain.data.slice(0, 10)}ff${plain.data.slice(12)}`
    expect(executionShape({ to: SAFE, data: dirty }, SAFE, 1)).toEqual({ mayChangeSafe: true })
    expect(executionShape({ to: SAFE, data: plain.data.slice(0, 100) }, SAFE, 1)).toEqual({
      mayChangeSafe: true,
    })
  })
})
