import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { COUNCIL_OWNERS, GRANTS_MULTISIG, PLAY_DAO_TREASURY } from '../../../src/devnet/accounts.js'
import { devnetLayout } from '../../../src/devnet/devnetLayout.js'
import { InvalidInputFileError } from '../../../src/errors/input.js'
import { loadPayoutSchedule } from '../../../src/payouts/schedule.js'
import type { TokenRef } from '../../../src/workspace/addressBook.js'
import { devnetWorkspace } from '../../support/workspace.js'
import { issuesOf } from '../inputIssues.js'

const ws = devnetWorkspace()
const layout = devnetLayout()
const [ALICE, BOB] = [COUNCIL_OWNERS[0].address, COUNCIL_OWNERS[1].address]
const token = (name: string) => {
  const t = ws.book.resolveToken(name)
  if (!t.ok) throw new Error(t.reason)
  return t.value as TokenRef
}
const aUSD = token('aUSD')
const ALLY = token('ALLY')

const root = mkdtempSync(join(tmpdir(), 'alliance-schedule-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))
let n = 0
/** Writes the files into a fresh directory; returns the path of the first. */
function write(files: Record<string, string>): string {
  const dir = mkdtempSync(join(root, `case${n++}-`))
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text)
  return join(dir, Object.keys(files)[0]!)
}
const load = (files: Record<string, string>) => loadPayoutSchedule(write(files), ws)
/** Issues as line, field and message (the file is checked where it matters). */
const problems = (files: Record<string, string>) =>
  issuesOf(() => load(files)).map((i) => ({ line: i.line, field: i.field, message: i.message }))

const HEAD = `version: 1
schedule: contributors
safe: council
token: aUSD
limits:
  aUSD: { maxPerRecipient: "1000", maxTotal: "2500" }
`
// HEAD is 6 lines; "recipients:" is line 7 and the first recipient line 8.
const withRecipients = (...rows: string[]) => `${HEAD}recipients:\n${rows.map((r) => `  - ${r}\n`).join('')}`

describe('loadPayoutSchedule: a valid schedule', () => {
  const inline = `version: 1
schedule: contributors
description: Monthly contributor payments
safe: council
token: aUSD
periods:
  from: 2026-09
  until: 2026-12
startBlock: 12
batch: { maxCalls: 7, maxGas: 2000000 }
limits:
  aUSD: { maxPerRecipient: "5000", maxTotal: "20000" }
  ALLY: { maxPerRecipient: "1000", maxTotal: "1000" }
recipients:
  - to: grants-multisig
    amount: "2500.5"
    label: Grants, round 7
  - to: alice
    amount: 1000
  - { to: bob, token: ALLY, amount: "10.25" }
  - { to: "${PLAY_DAO_TREASURY.toLowerCase()}", amount: "0.000001" }
`
  const csvSchedule = inline.replace(/recipients:\n[\s\S]*$/, 'recipientsCsv: people.csv\n')
  const csv = `to,amount,token,label\ngrants-multisig,2500.5,,"Grants, round 7"\nalice, 1000 ,,\r\nbob,10.25,ALLY,\n${PLAY_DAO_TREASURY.toLowerCase()},0.000001,,\n`

  it('resolves every row: recipients, tokens, amounts in base units, origin lines', () => {
    const file = write({ 'contributors.yaml': inline })
    const s = loadPayoutSchedule(file, ws)
    expect(s).toMatchObject({
      file,
      id: 'contributors',
      description: 'Monthly contributor payments',
      safe: { name: 'council', address: layout.council },
      route: 'safe',
      periods: { from: '2026-09', until: '2026-12' },
      startBlock: 12,
      maxCallsPerTransaction: 7,
      maxGasPerTransaction: 2_000_000n,
    })
    expect(s.treasury).toBeUndefined()
    expect(s.limits).toEqual(
      new Map([
        [aUSD.address, { maxPerRecipient: 5_000_000_000n, maxTotal: 20_000_000_000n }],
        [ALLY.address, { maxPerRecipient: 1000n * 10n ** 18n, maxTotal: 1000n * 10n ** 18n }],
      ]),
    )
    expect(s.lines).toEqual([
      {
        recipient: GRANTS_MULTISIG,
        token: aUSD,
        amount: 2_500_500_000n,
        label: 'Grants, round 7',
        origin: { file, line: 15 },
      },
      { recipient: ALICE, token: aUSD, amount: 1_000_000_000n, origin: { file, line: 18 } },
      { recipient: BOB, token: ALLY, amount: 10_250_000_000_000_000_000n, origin: { file, line: 20 } },
      { recipient: PLAY_DAO_TREASURY, token: aUSD, amount: 1n, origin: { file, line: 21 } },
    ])
  })

  it('reads the same lines from a CSV next to the schedule (cells trimmed, CRLF, quoted commas)', () => {
    const file = write({ 'contributors.yaml': inline })
    const fromInline = loadPayoutSchedule(file, ws)
    const csvFile = write({ 'contributors.yaml': csvSchedule, 'people.csv': csv })
    const fromCsv = loadPayoutSchedule(csvFile, ws)
    const peopleCsv = join(csvFile, '..', 'people.csv')
    expect(fromCsv.lines.map((l) => l.origin)).toEqual(
      [2, 3, 4, 5].map((line) => ({ file: peopleCsv, line })),
    )
    const withoutOrigin = (s: typeof fromCsv) => s.lines.map(({ origin: _, ...rest }) => rest)
    expect(withoutOrigin(fromCsv)).toEqual(withoutOrigin(fromInline))
    expect({ ...fromCsv, lines: [], file: '' }).toEqual({ ...fromInline, lines: [], file: '' })
  })

  it('defaults: route safe, maxCalls 50, no maxGas, no periods, start block 0', () => {
    const s = load({ 's.yaml': withRecipients('{ to: alice, amount: "1" }') })
    expect(s.route).toBe('safe')
    expect(s.maxCallsPerTransaction).toBe(50)
    expect(s.maxGasPerTransaction).toBeUndefined()
    expect(s.periods).toEqual({})
    expect(s.startBlock).toBe(0)
    expect(s.description).toBe('')
  })

  it('takes the workspace’s only treasury for route: treasury, and pays the native coin that way', () => {
    const text = withRecipients('{ to: alice, amount: "1" }', '{ to: bob, token: ETH, amount: "0.5" }')
      .replace('safe: council\n', 'safe: council\nroute: treasury\n')
      .replace('limits:\n', 'limits:\n  ETH: { maxPerRecipient: "1", maxTotal: "1" }\n')
    const s = load({ 's.yaml': text })
    expect(s.route).toBe('treasury')
    expect(s.treasury).toEqual({ name: 'treasury', address: layout.contracts.treasury })
    expect(s.lines.map((l) => [l.recipient, l.token.kind, l.amount])).toEqual([
      [ALICE, 'token', 1_000_000n],
      [BOB, 'native', 500_000_000_000_000_000n],
    ])
  })

  it('allows the running total to reach maxTotal exactly', () => {
    const s = load({
      's.yaml': withRecipients(
        '{ to: alice, amount: "1000" }',
        '{ to: bob, amount: "1000" }',
        '{ to: carol, amount: "500" }',
      ),
    })
    expect(s.lines.reduce((t, l) => t + l.amount, 0n)).toBe(2_500_000_000n)
  })
})

describe('loadPayoutSchedule: every problem at once, where it was written', () => {
  it('reports each bad row at its line and field, in one error', () => {
    const text = withRecipients(
      '{ to: alice, amount: "100" }', // 8: fine
      '{ to: "0x1234", amount: "1" }', // 9: bad address
      '{ to: bob, amount: "-5" }', // 10: negative
      '{ to: carol, amount: "1.1234567" }', // 11: too many decimals
      '{ to: grants-multisig, amount: "0" }', // 12: zero
      '{ to: play-dao-treasury, amount: "1000.000001" }', // 13: over maxPerRecipient
      `{ to: "${ALICE.toLowerCase()}", amount: "5" }`, // 14: alice again
      '{ to: bob, token: ALLY, amount: "1" }', // 15: no limits for ALLY
      '{ to: bob, token: DOGE, amount: "1" }', // 16: unknown token
      '{ to: council, amount: "1" }', // 17: the Safe paying itself
    )
    const file = write({ 'contributors.yaml': text })
    const issues = issuesOf(() => loadPayoutSchedule(file, ws))
    expect(issues.every((i) => i.file === file)).toBe(true)
    expect(issues.map((i) => ({ line: i.line, field: i.field, message: i.message }))).toEqual([
      {
        line: 9,
        field: 'recipients[1].to',
        message: '"0x1234" is not an address (expected 0x followed by 40 hex digits)',
      },
      { line: 10, field: 'recipients[2].amount', message: '"-5" is not a non-negative decimal amount' },
      {
        line: 11,
        field: 'recipients[3].amount',
        message: '"1.1234567" has 7 decimals but the token has only 6',
      },
      { line: 12, field: 'recipients[4].amount', message: 'the amount must be greater than zero' },
      {
        line: 13,
        field: 'recipients[5].amount',
        message: '1,000.000001 aUSD is over maxPerRecipient 1,000',
      },
      {
        line: 14,
        field: 'recipients[6].to',
        message: `${ALICE.toLowerCase()} is paid aUSD twice: also on line 8; merge the two rows`,
      },
      {
        line: 15,
        field: 'recipients[7].token',
        message: 'no limits for ALLY: add limits.ALLY: { maxPerRecipient, maxTotal }',
      },
      { line: 16, field: 'recipients[8].token', message: expect.stringContaining('unknown token "DOGE"') },
      { line: 17, field: 'recipients[9].to', message: 'the paying Safe cannot pay itself' },
    ])
    // The error itself says how many.
    expect(() => loadPayoutSchedule(file, ws)).toThrow(`${file}: 9 problems in the payout schedule`)
  })

  it('names only the row whose amount takes the running total over maxTotal', () => {
    expect(
      problems({
        's.yaml': withRecipients(
          '{ to: alice, amount: "1000" }',
          '{ to: bob, amount: "1000" }',
          '{ to: carol, amount: "600" }', // 10: 2600 > 2500
          '{ to: grants-multisig, amount: "1000" }', // 11: still over, not named again
        ),
      }),
    ).toEqual([
      {
        line: 10,
        field: 'recipients[2].amount',
        message: 'this row brings the aUSD total to 2,600, over maxTotal 2,500',
      },
    ])
  })

  it('refuses the native coin on route: safe (no memo can be carried)', () => {
    const text = withRecipients('{ to: alice, token: ETH, amount: "1" }').replace(
      'limits:\n',
      'limits:\n  ETH: { maxPerRecipient: "1", maxTotal: "1" }\n',
    )
    expect(problems({ 's.yaml': text })).toEqual([
      {
        line: 9,
        field: 'recipients[0].token',
        message: 'a Safe transfer of the native coin carries no memo to recognise it by: use route: treasury',
      },
    ])
  })

  it('refuses limits for an unknown token, at its key', () => {
    const text = withRecipients('{ to: alice, amount: "1" }').replace(
      'limits:\n',
      'limits:\n  DOGE: { maxPerRecipient: "1", maxTotal: "1" }\n',
    )
    expect(problems({ 's.yaml': text })).toEqual([
      { line: 6, field: 'limits.DOGE', message: expect.stringContaining('unknown token "DOGE"') },
    ])
  })

  it('refuses a treasury on route: safe, and a treasury that is not one', () => {
    expect(
      problems({
        's.yaml': withRecipients('{ to: alice, amount: "1" }').replace(
          'token:',
          'treasury: treasury\ntoken:',
        ),
      }),
    ).toEqual([{ line: 4, field: 'treasury', message: 'a treasury is only used with route: treasury' }])
    const text = withRecipients('{ to: alice, amount: "1" }').replace(
      'token:',
      'route: treasury\ntreasury: registry\ntoken:',
    )
    expect(problems({ 's.yaml': text })).toEqual([
      {
        line: 5,
        field: 'treasury',
        message: '"registry" is not a treasury in the workspace (known: treasury)',
      },
    ])
  })

  it('refuses periods that end before they begin', () => {
    const text = withRecipients('{ to: alice, amount: "1" }').replace(
      'token:',
      'periods: { from: 2026-12, until: 2026-09 }\ntoken:',
    )
    expect(problems({ 's.yaml': text })).toEqual([
      { line: 4, field: 'periods.until', message: 'the last period 2026-09 is before the first 2026-12' },
    ])
  })

  it('refuses a malformed period and a bad schedule name', () => {
    const text = withRecipients('{ to: alice, amount: "1" }')
      .replace('schedule: contributors', 'schedule: Contributors_2026')
      .replace('token:', 'periods: { from: 2026-13 }\ntoken:')
    expect(problems({ 's.yaml': text })).toEqual([
      {
        line: 2,
        field: 'schedule',
        message: 'a schedule name is 1–48 lowercase letters, digits or "-", starting with a letter or digit',
      },
      { line: 4, field: 'periods.from', message: 'expected a month like 2026-09' },
    ])
  })

  it('wants recipients inline or from a CSV, exactly one of the two', () => {
    const message =
      'give the recipients either inline (recipients:) or from a file (recipientsCsv:), one of the two'
    const both = `${withRecipients('{ to: alice, amount: "1" }')}recipientsCsv: people.csv\n`
    expect(problems({ 's.yaml': both, 'people.csv': 'to,amount\nbob,1\n' })).toEqual([
      { line: 8, field: 'recipients', message },
    ])
    expect(problems({ 's.yaml': HEAD }).map((p) => [p.field, p.message])).toEqual([['recipients', message]])
  })

  it('refuses a schedule that pays nobody', () => {
    expect(problems({ 's.yaml': `${HEAD}recipients: []\n` })).toEqual([
      { line: 7, field: 'recipients', message: 'the schedule pays nobody' },
    ])
  })
})

describe('loadPayoutSchedule: recipients from a CSV', () => {
  const schedule = `${HEAD}recipientsCsv: people.csv\n`
  const csvProblems = (csv: string) => {
    const file = write({ 's.yaml': schedule, 'people.csv': csv })
    const issues = issuesOf(() => loadPayoutSchedule(file, ws))
    expect(issues.every((i) => i.file === join(file, '..', 'people.csv'))).toBe(true)
    // Cells missing are found while reading the rows, the rest while resolving them: sort to compare.
    return issues
      .map((i) => ({ line: i.line, field: i.field, message: i.message }))
      .sort((a, b) => a.line - b.line)
  }

  it('reports rows at the CSV’s lines, counting a quoted label that spans lines', () => {
    expect(
      csvProblems(
        'to,amount,label\nalice,100,"two\nlines"\n0x12,1,\nbob,-1,\nalice,5,\ncarol,1000.5,\n,1,\nbob,,\n',
      ),
    ).toEqual([
      {
        line: 4,
        field: 'row 4 to',
        message: '"0x12" is not an address (expected 0x followed by 40 hex digits)',
      },
      { line: 5, field: 'row 5 amount', message: '"-1" is not a non-negative decimal amount' },
      { line: 6, field: 'row 6 to', message: 'alice is paid aUSD twice: also on line 2; merge the two rows' },
      { line: 7, field: 'row 7 amount', message: '1,000.5 aUSD is over maxPerRecipient 1,000' },
      { line: 8, field: 'row 8 to', message: 'empty cell' },
      { line: 9, field: 'row 9 amount', message: 'empty cell' },
    ])
  })

  it('refuses a header without the amount column', () => {
    expect(csvProblems('to,label\nalice,x\n')).toEqual([
      {
        line: 1,
        field: 'header',
        message: 'expected the columns to,amount and optionally token,label (got to,label)',
      },
    ])
  })

  it('refuses an unknown or repeated column', () => {
    expect(csvProblems('to,amount,memo\nalice,1,x\n').map((p) => p.field)).toEqual(['header'])
    expect(csvProblems('to,amount,to\nalice,1,bob\n').map((p) => p.field)).toEqual(['header'])
  })

  it('refuses a row with the wrong number of cells, and goes on with the others', () => {
    const found = csvProblems('to,amount\nalice,1\nbob,1,extra\ncarol\ngrants-multisig,0\n')
    expect(found.map((p) => [p.line, p.message])).toEqual([
      [3, 'expected 2 cells, found 3'],
      [4, 'expected 2 cells, found 1'],
      [5, 'the amount must be greater than zero'],
    ])
  })

  it('reports a CSV that does not parse at its line', () => {
    expect(csvProblems('to,amount\nalice,1\nbob,"1\n')).toEqual([
      { line: 3, field: '', message: 'CSV: a quoted cell is never closed' },
    ])
  })

  it('reports an empty CSV', () => {
    expect(csvProblems('\n\n')).toEqual([
      { line: 1, field: '', message: 'the CSV is empty; expected a header: to,amount[,token][,label]' },
    ])
  })

  it('reports a missing CSV at the schedule’s recipientsCsv', () => {
    const file = write({ 's.yaml': schedule })
    const issues = issuesOf(() => loadPayoutSchedule(file, ws))
    expect(issues).toEqual([
      expect.objectContaining({
        file,
        line: 7,
        field: 'recipientsCsv',
        message: `cannot read ${join(file, '..', 'people.csv')}`,
      }),
    ])
  })

  it('ignores a byte-order mark before the header', () => {
    const file = write({ 's.yaml': schedule, 'people.csv': '\uFEFFto,amount\nalice,1\n' })
    expect(loadPayoutSchedule(file, ws).lines.map((l) => [l.recipient, l.amount])).toEqual([
      [ALICE, 1_000_000n],
    ])
  })

  it('takes the token from a row over the schedule’s default', () => {
    const file = write({
      's.yaml': schedule.replace('limits:\n', 'limits:\n  ALLY: { maxPerRecipient: "1", maxTotal: "1" }\n'),
      'people.csv': 'to,amount,token\nalice,1,ALLY\nbob,1,\n',
    })
    expect(loadPayoutSchedule(file, ws).lines.map((l) => [l.recipient, l.token.symbol])).toEqual([
      [ALICE, 'ALLY'],
      [BOB, 'aUSD'],
    ])
  })

  it('is an InvalidInputFileError naming the schedule', () => {
    const file = write({ 's.yaml': schedule, 'people.csv': 'to,amount\nalice,0\n' })
    expect(() => loadPayoutSchedule(file, ws)).toThrow(InvalidInputFileError)
  })
})
