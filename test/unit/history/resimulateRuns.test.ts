import { describe, expect, it } from 'vitest'
import { type ActiveRun, planResimulationRuns, splitRun } from '../../../src/history/resimulateRuns.js'

const plan = (blocks: number[], options: Partial<Parameters<typeof planResimulationRuns>[0]> = {}) =>
  planResimulationRuns({ blocks, resetEveryBlock: false, maxGap: 4, ...options }).map((r) =>
    blocks.slice(r.start, r.end),
  )

describe('planResimulationRuns', () => {
  it('keeps neighbouring blocks together and cuts where the gap is wider than maxGap', () => {
    expect(plan([10, 11, 12, 17, 30, 31])).toEqual([
      [10, 11, 12, 17],
      [30, 31],
    ])
    // 17 → 22 leaves four blocks between: still one run; 22 → 28 leaves five.
    expect(plan([17, 22, 28])).toEqual([[17, 22], [28]])
  })

  it('gives every block its own run with resetEveryBlock', () => {
    expect(plan([1, 2, 3], { resetEveryBlock: true })).toEqual([[1], [2], [3]])
  })

  it('covers every block once, in order', () => {
    const blocks = [3, 4, 9, 10, 11, 12, 40, 41, 42, 43, 44, 45, 46]
    expect(plan(blocks).flat()).toEqual(blocks)
    expect(plan([])).toEqual([])
  })
})

describe('splitRun', () => {
  const run = (start: number, end: number, next = start): ActiveRun => ({ start, end, next })

  it('gives an idle fork the far half of the run with the most blocks left', () => {
    const a = run(0, 100, 10)
    const b = run(100, 300, 290)
    expect(splitRun([a, b], { minBlocks: 8, maxAhead: 128 })).toEqual(run(55, 100))
    expect(a).toEqual(run(0, 55, 10))
    expect(b).toEqual(run(100, 300, 290))
  })

  it('leaves at most maxAhead blocks to the run’s own fork', () => {
    const a = run(0, 1000, 1)
    expect(splitRun([a], { minBlocks: 8, maxAhead: 128 })).toEqual(run(129, 1000))
    expect(a.end).toBe(129)
  })

  it('splits nothing shorter than minBlocks', () => {
    const a = run(0, 20, 13)
    expect(splitRun([a], { minBlocks: 8, maxAhead: 128 })).toBeUndefined()
    expect(a).toEqual(run(0, 20, 13))
  })
})
