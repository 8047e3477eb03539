import { concat, encodeFunctionData, parseAbi, toHex } from 'viem'
import { describe, expect, it } from 'vitest'
import { parseActionFile } from '../../../src/actions/actionFile.js'
import { chunk, payoutActionFile } from '../../../src/payouts/payoutActions.js'
import {
  ALICE,
  ALLY,
  aUSD,
  BOB,
  ETH,
  GRANTS_MULTISIG,
  layout,
  line,
  PLAY_DAO_TREASURY,
  schedule,
  treasurySchedule,
  ws,
} from './fixtures.js'

const erc20 = parseAbi(['function transfer(address to, uint256 amount) returns (bool)'])
const treasuryAbi = parseAbi(['function allocate(address token, address to, uint256 amount, string memo)'])
const MEMO = 'payout:contributors:2026-11'

const lines = [
  line(GRANTS_MULTISIG, aUSD, 2_500_500_000n, 'Grants round'),
  line(ALICE, ALLY, 1n),
  line(PLAY_DAO_TREASURY, aUSD, 1_000_000_000_000n),
]

describe('payoutActionFile', () => {
  it('gives the same text for the same input', () => {
    const a = payoutActionFile(schedule(), '2026-11', lines, 0)
    const b = payoutActionFile(
      schedule(),
      '2026-11',
      lines.map((l) => ({ ...l })),
      0,
    )
    expect(a).toBe(b)
    expect(payoutActionFile(schedule(), '2026-11', lines, 1)).not.toBe(a)
    expect(payoutActionFile(schedule(), '2026-12', lines, 0)).not.toBe(a)
  })

  it('writes transfers that parse, on the schedule’s Safe, each carrying the memo after its arguments', () => {
    const text = payoutActionFile(schedule(), '2026-11', lines, 1)
    const parsed = parseActionFile('/w/payouts.yaml', text, ws)
    expect(parsed.safe.address).toBe(layout.council)
    expect(parsed.description).toBe('Payouts contributors 2026-11, batch 2: 3 payments')
    expect(parsed.actions.map((a) => a.kind)).toEqual(['transfer', 'transfer', 'transfer'])
    const expected = lines.map((l) => ({
      to: l.token.address,
      value: 0n,
      data: concat([
        encodeFunctionData({ abi: erc20, functionName: 'transfer', args: [l.recipient, l.amount] }),
        toHex(MEMO),
      ]),
      operation: 0,
    }))
    expect(parsed.actions.map((a) => a.calls)).toEqual(expected.map((c) => [c]))
  })

  it('writes addresses, not names, and amounts without grouping', () => {
    const text = payoutActionFile(schedule(), '2026-11', lines, 0)
    expect(text).toContain(`safe: "${layout.council}"`)
    expect(text).toContain(`    to: "${GRANTS_MULTISIG}"`)
    expect(text).toContain(`    token: "${aUSD.address}"`)
    expect(text).toContain('    amount: "2500.5"')
    expect(text).toContain('    amount: "1000000"')
    expect(text).toContain('    amount: "0.000000000000000001"')
    expect(text).not.toContain('council\n')
    expect(text).toContain('  # Grants round\n  - kind: transfer\n')
    expect(text.endsWith('\n')).toBe(true)
  })

  it('says "1 payment" for one', () => {
    const text = payoutActionFile(schedule(), '2026-11', [lines[0]!], 0)
    expect(parseActionFile('/w/p.yaml', text, ws).description).toBe(
      'Payouts contributors 2026-11, batch 1: 1 payment',
    )
  })

  it('writes allocations from the treasury for route: treasury, the memo as their last argument', () => {
    const treasuryLines = [...lines, line(BOB, ETH, 500_000_000_000_000_000n, 'in ETH')]
    const text = payoutActionFile(treasurySchedule(), '2026-11', treasuryLines, 0)
    const parsed = parseActionFile('/w/payouts.yaml', text, ws)
    expect(parsed.safe.address).toBe(layout.council)
    expect(parsed.actions.map((a) => a.kind)).toEqual(Array(4).fill('allocate-treasury'))
    expect(parsed.actions.map((a) => a.calls)).toEqual(
      treasuryLines.map((l) => [
        {
          to: layout.contracts.treasury,
          value: 0n,
          data: encodeFunctionData({
            abi: treasuryAbi,
            functionName: 'allocate',
            args: [l.token.address, l.recipient, l.amount, MEMO],
          }),
          operation: 0,
        },
      ]),
    )
    // The native coin by its name (it has no address of its own), as the zero address on chain.
    expect(text).toContain('    token: "ETH"')
    expect(ETH.address).toBe('0x0000000000000000000000000000000000000000')
  })

  it('keeps a label a one-line comment, whatever it holds', () => {
    const evil =
      'x\n  - kind: transfer\n    token: ETH\n    to: "0x0000000000000000000000000000000000000001"\r\n    amount: "100"'
    const labelled = [line(GRANTS_MULTISIG, aUSD, 1n, evil), line(ALICE, aUSD, 2n, 'café ☕ "quoted" # hash')]
    const text = payoutActionFile(schedule(), '2026-11', labelled, 0)
    const parsed = parseActionFile('/w/payouts.yaml', text, ws)
    expect(parsed.actions).toHaveLength(2)
    expect(parsed.actions.map((a) => a.calls[0]!.to)).toEqual([aUSD.address, aUSD.address])
    const comments = text.split('\n').filter((l) => l.startsWith('  #'))
    expect(comments).toHaveLength(2)
    expect(comments[0]).toBe(`  # ${evil.replace(/[\r\n]/g, ' ')}`.slice(0, 84))
    expect(comments[1]).toBe('  # caf    "quoted" # hash')
    // Exactly the lines the file is made of: header (5), per action a comment and 5 fields.
    expect(text.split('\n')).toHaveLength(5 + 2 * 6 + 1)
  })

  it('cuts a long label at 80 characters', () => {
    const text = payoutActionFile(schedule(), '2026-11', [line(ALICE, aUSD, 1n, 'y'.repeat(200))], 0)
    expect(text).toContain(`  # ${'y'.repeat(80)}\n  - kind`)
  })
})

describe('chunk', () => {
  it('slices in order, the last slice holding the rest', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]])
    expect(chunk([1, 2, 3, 4], 2)).toEqual([
      [1, 2],
      [3, 4],
    ])
    expect(chunk([1, 2, 3], 50)).toEqual([[1, 2, 3]])
    expect(chunk([1, 2, 3], 1)).toEqual([[1], [2], [3]])
    expect(chunk([], 3)).toEqual([])
  })

  it('does not share arrays with its input', () => {
    const items = [1, 2, 3]
    const [first] = chunk(items, 3)
    first!.push(4)
    expect(items).toEqual([1, 2, 3])
  })
})
