import { concat, encodeFunctionData, type Hex, parseAbi, toHex } from 'viem'
import { describe, expect, it } from 'vitest'
import { parseActionFile } from '../../../src/actions/actionFile.js'
import { transferCalldata, transferMemo } from '../../../src/actions/transfer.js'
import { GRANTS_MULTISIG } from '../../../src/devnet/accounts.js'
import { devnetLayout } from '../../../src/devnet/devnetLayout.js'
import { devnetWorkspace } from '../../support/workspace.js'
import { issuesOf, positionOf } from '../inputIssues.js'

const ws = devnetWorkspace()
const { contracts } = devnetLayout()
const erc20 = parseAbi(['function transfer(address to, uint256 amount) returns (bool)'])
const FILE = '/w/transfer.yaml'
const plain = encodeFunctionData({
  abi: erc20,
  functionName: 'transfer',
  args: [GRANTS_MULTISIG, 2_500_000_000n],
})

const file = (token: string, memo?: string) =>
  `version: 1\nsafe: council\nactions:\n  - kind: transfer\n    token: ${token}\n    to: grants-multisig\n    amount: "2500"\n${memo === undefined ? '' : `    memo: ${memo}\n`}`
const parse = (text: string) => parseActionFile(FILE, text, ws)

describe('transfer with a memo', () => {
  it('appends the memo’s bytes after the ERC-20 call’s arguments, and reads them back', () => {
    const [action] = parse(file('aUSD', '"payout:contributors:2026-11"')).actions
    const data = action!.calls[0]!.data
    expect(action!.calls).toEqual([
      {
        to: contracts.aUSD,
        value: 0n,
        data: concat([plain, toHex('payout:contributors:2026-11')]),
        operation: 0,
      },
    ])
    expect(transferMemo(data)).toBe('payout:contributors:2026-11')
    expect(action!.description).toBe(
      'Transfer 2,500 aUSD to grants-multisig (memo "payout:contributors:2026-11")',
    )
  })

  it('leaves the calldata exactly as before without a memo', () => {
    const [action] = parse(file('aUSD')).actions
    expect(action!.calls[0]!.data).toBe(plain)
    expect(transferMemo(plain)).toBeUndefined()
    expect(transferCalldata(GRANTS_MULTISIG, 2_500_000_000n)).toBe(plain)
    expect(action!.description).toBe('Transfer 2,500 aUSD to grants-multisig')
  })

  it('takes 1 to 128 printable ASCII characters, spaces and punctuation included', () => {
    const memo = ` ~!#$%&'()*+,-./:;<=>?@[]^_\`{|}"\\${'x'.repeat(95)}`
    expect(memo).toHaveLength(128)
    const [action] = parse(file('aUSD', JSON.stringify(memo))).actions
    expect(transferMemo(action!.calls[0]!.data)).toBe(memo)
  })

  it('refuses a memo on the native coin, at the memo field', () => {
    const text = file('ETH', 'round-7')
    expect(issuesOf(() => parse(text))).toEqual([
      {
        file: FILE,
        ...positionOf(text, 'round-7'),
        field: 'actions[0].memo',
        message:
          'the native coin carries no memo; pay it through the treasury (allocate-treasury) to keep one',
      },
    ])
  })

  it('refuses a memo that is not 1–128 printable ASCII characters', () => {
    for (const memo of ['"café"', `"${'x'.repeat(129)}"`, '""', '"a\\nb"', '"tab\\there"']) {
      const text = file('aUSD', memo)
      expect(
        issuesOf(() => parse(text)),
        memo,
      ).toEqual([
        {
          file: FILE,
          ...positionOf(text, memo),
          field: 'actions[0].memo',
          message: 'a memo is 1–128 printable ASCII characters',
        },
      ])
    }
  })
})

describe('transferMemo', () => {
  const withTail = (tail: Hex) => concat([plain, tail])

  it('reads nothing from calldata of the bare call or shorter', () => {
    expect(transferMemo(plain)).toBeUndefined()
    expect(transferMemo(plain.slice(0, 74) as Hex)).toBeUndefined()
    expect(transferMemo('0x')).toBeUndefined()
  })

  it('reads nothing from appended bytes that are not printable text', () => {
    expect(transferMemo(withTail('0x00'))).toBeUndefined()
    expect(transferMemo(withTail(toHex('memo\n')))).toBeUndefined()
    expect(transferMemo(withTail(toHex('café')))).toBeUndefined()
    expect(transferMemo(withTail(toHex('x'.repeat(129))))).toBeUndefined()
  })

  it('reads the text that transferCalldata appended', () => {
    expect(transferMemo(transferCalldata(GRANTS_MULTISIG, 1n, 'hello world'))).toBe('hello world')
    expect(transferCalldata(GRANTS_MULTISIG, 1n, 'hi')).toBe(
      concat([
        encodeFunctionData({ abi: erc20, functionName: 'transfer', args: [GRANTS_MULTISIG, 1n] }),
        '0x6869',
      ]),
    )
  })
})
