import { concat, encodeFunctionData, type Hex, parseAbi, toHex } from 'viem'
import { describe, expect, it } from 'vitest'
import { payoutsOfCalls } from '../../../src/payouts/payoutCalls.js'
import type { Address, Call } from '../../../src/safe/types.js'
import { ALICE, ALLY, aUSD, BOB, CAROL, GRANTS_MULTISIG, layout } from './fixtures.js'

const erc20 = parseAbi([
  'function transfer(address to, uint256 amount) returns (bool)',
  'function approve(address spender, uint256 amount) returns (bool)',
])
const treasuryAbi = parseAbi(['function allocate(address token, address to, uint256 amount, string memo)'])
const TREASURY = layout.contracts.treasury

const transfer = (token: Address, to: Address, amount: bigint, memo?: string, operation: 0 | 1 = 0): Call => {
  const call = encodeFunctionData({ abi: erc20, functionName: 'transfer', args: [to, amount] })
  return { to: token, value: 0n, data: memo === undefined ? call : concat([call, toHex(memo)]), operation }
}
const allocate = (token: Address, to: Address, amount: bigint, memo: string): Call => ({
  to: TREASURY,
  value: 0n,
  data: encodeFunctionData({ abi: treasuryAbi, functionName: 'allocate', args: [token, to, amount, memo] }),
  operation: 0,
})

describe('payoutsOfCalls', () => {
  it('reads memo’d transfers and allocations of the schedule, in order', () => {
    const calls = [
      transfer(aUSD.address, GRANTS_MULTISIG, 2_500_000_000n, 'payout:contributors:2026-11'),
      allocate(ALLY.address, ALICE, 10n ** 18n, 'payout:contributors:2026-10'),
      // A lowercase token address in the call still comes back checksummed.
      transfer(aUSD.address.toLowerCase() as Address, BOB, 1n, 'payout:contributors:2026-11'),
    ]
    expect(payoutsOfCalls('contributors', calls)).toEqual([
      {
        period: '2026-11',
        recipient: GRANTS_MULTISIG,
        token: aUSD.address,
        amount: 2_500_000_000n,
        via: 'transfer',
        target: aUSD.address,
      },
      {
        period: '2026-10',
        recipient: ALICE,
        token: ALLY.address,
        amount: 10n ** 18n,
        via: 'allocation',
        target: TREASURY,
      },
      {
        period: '2026-11',
        recipient: BOB,
        token: aUSD.address,
        amount: 1n,
        via: 'transfer',
        target: aUSD.address,
      },
    ])
  })

  it('ignores every other call', () => {
    const approveWithMemo: Call = {
      to: aUSD.address,
      value: 0n,
      data: concat([
        encodeFunctionData({ abi: erc20, functionName: 'approve', args: [ALICE, 5n] }),
        toHex('payout:contributors:2026-11'),
      ]),
      operation: 0,
    }
    const calls: Call[] = [
      transfer(aUSD.address, ALICE, 1n, 'payout:grants:2026-11'), // another schedule
      transfer(aUSD.address, ALICE, 1n, 'payout:contributors-2:2026-11'), // a longer name
      transfer(aUSD.address, ALICE, 1n), // no memo
      transfer(aUSD.address, ALICE, 1n, 'payout:contributors:2026-13'), // not a month
      transfer(aUSD.address, ALICE, 1n, 'payout:contributors:2026-11 '), // a look-alike
      transfer(aUSD.address, ALICE, 1n, 'payout:contributors:2026-11', 1), // a delegatecall
      allocate(aUSD.address, BOB, 1n, 'payout:grants:2026-11'),
      allocate(aUSD.address, BOB, 1n, ''),
      { ...allocate(aUSD.address, BOB, 1n, 'payout:contributors:2026-11'), operation: 1 },
      approveWithMemo,
      { to: CAROL, value: 1n, data: '0x', operation: 0 },
      { to: CAROL, value: 0n, data: '0xa9059c', operation: 0 },
      // The allocate selector with arguments that do not decode.
      {
        to: TREASURY,
        value: 0n,
        data: `${encodeFunctionData({ abi: treasuryAbi, functionName: 'allocate', args: [ALLY.address, BOB, 1n, 'payout:contributors:2026-11'] }).slice(0, 74)}` as Hex,
        operation: 0,
      },
    ]
    expect(payoutsOfCalls('contributors', calls)).toEqual([])
  })

  it('does not stop at a memo’d transfer whose recipient word is not an address', () => {
    // The `to` word with its high bytes set: no token would accept it, and neither may it crash a scan.
    const good = transfer(aUSD.address, ALICE, 1n, 'payout:contributors:2026-11')
    const dirty: Call = { ...good, data: `0xa9059cbb${'ff'.repeat(12)}${good.data.slice(34)}` as Hex }
    expect(() => payoutsOfCalls('contributors', [dirty, good])).not.toThrow()
    expect(payoutsOfCalls('contributors', [dirty, good]).map((p) => p.recipient)).toContain(ALICE)
  })
})
