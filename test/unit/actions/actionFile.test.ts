import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseActionFile } from '../../../src/actions/actionFile.js'
import { ACTION_KINDS } from '../../../src/actions/index.js'
import { packageRoot } from '../../../src/contracts/artifacts.js'
import { devnetLayout } from '../../../src/devnet/devnetLayout.js'
import { InvalidInputFileError } from '../../../src/errors/input.js'
import { devnetWorkspace } from '../../support/workspace.js'
import { issuesOf, positionOf } from '../inputIssues.js'

const ws = devnetWorkspace()
const layout = devnetLayout()
const FILE = '/w/actions.yaml'
const parse = (text: string) => parseActionFile(FILE, text, ws)
const KINDS = [
  'allocate-treasury',
  'set-reward-rate',
  'admit-member',
  'emergency-withdraw',
  'transfer',
  'call',
]
// anvil account 1, checksummed.
const PAYEE = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'

const transferTo = (to: string) =>
  `version: 1\nsafe: council\nactions:\n  - kind: transfer\n    token: ALLY\n    to: ${to}\n    amount: "1"\n`

describe('the action kinds registry', () => {
  it('has exactly the six kinds, each keyed by its own name', () => {
    expect(Object.keys(ACTION_KINDS)).toEqual(KINDS)
    for (const [key, kind] of Object.entries(ACTION_KINDS)) expect(kind.kind).toBe(key)
  })

  it('parses every template action file against the devnet workspace', () => {
    const dir = join(packageRoot(), 'templates', 'actions')
    const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'))
    const seen = new Set<string>()
    for (const name of files) {
      const parsed = parseActionFile(name, readFileSync(join(dir, name), 'utf8'), ws)
      expect(parsed.safe.address, name).toBe(layout.council)
      for (const a of parsed.actions) {
        expect(a.calls.length, name).toBeGreaterThan(0)
        seen.add(a.kind)
      }
    }
    expect([...seen].sort()).toEqual([...KINDS].sort())
  })
})

describe('parseActionFile: the file', () => {
  it('takes a literal Safe address, and a route', () => {
    const text = `version: 1\nsafe: "${layout.council.toLowerCase()}"\nroute: governor\nactions:\n  - kind: transfer\n    token: ETH\n    to: council\n    amount: "1"\n`
    const parsed = parse(text)
    expect(parsed.safe).toEqual({ address: layout.council })
    expect(parsed.route).toBe('governor')
    expect(parsed.text).toBe(text)
    expect(parsed.file).toBe(FILE)
  })

  it('refuses a "safe:" that names a token', () => {
    const text = transferTo('council').replace('safe: council', 'safe: ALLY')
    expect(issuesOf(() => parse(text))).toEqual([
      { file: FILE, ...positionOf(text, 'ALLY\n'), field: 'safe', message: '"ALLY" is a token, not a Safe' },
    ])
  })

  it('refuses an unknown version and route', () => {
    const text = transferTo('council').replace('version: 1', 'version: 2\nroute: dao')
    const issues = issuesOf(() => parse(text))
    expect(issues).toContainEqual({
      file: FILE,
      ...positionOf(text, '2\n'),
      field: 'version',
      message: 'expected version: 1',
    })
    expect(issues).toContainEqual({
      file: FILE,
      ...positionOf(text, 'dao'),
      field: 'route',
      message: 'expected one of: safe, governor',
    })
  })

  it('refuses an empty actions list', () => {
    const text = 'version: 1\nsafe: council\nactions: []\n'
    expect(issuesOf(() => parse(text))).toEqual([
      { file: FILE, ...positionOf(text, '[]'), field: 'actions', message: 'the file has no actions' },
    ])
  })

  it('refuses a YAML syntax error at the line of the error', () => {
    const text = 'version: 1\nsafe: council\nactions:\n  - kind: transfer\n    token: ALLY\n\tto: council\n'
    const issues = issuesOf(() => parse(text))
    expect(issues[0]).toMatchObject({ file: FILE, line: 6, field: '' })
    expect(issues[0]?.message).toMatch(/^YAML syntax: /)
  })

  it('refuses a duplicate key in an action, at the second key', () => {
    const text = transferTo('grants-multisig').replace('    amount', '    to: council\n    amount')
    expect(issuesOf(() => parse(text))).toEqual([
      {
        file: FILE,
        ...positionOf(text, 'to: council'),
        field: '',
        message: expect.stringMatching(/^YAML syntax: Map keys must be unique/),
      },
    ])
  })

  it('reports several errors in one file, in file order, not just the first', () => {
    const text = `version: 1
safe: nobody
actions:
  - kind: transfer
    token: ALLY
    to: grants-multisg
    amount: "1"
  - kind: trnsfer
  - kind: admit-member
    name: X
    token: PLAY
    treasury: play-dao-treasury
    weight-bps: 10001
`
    let error: unknown
    try {
      parse(text)
    } catch (err) {
      error = err
    }
    expect(error).toBeInstanceOf(InvalidInputFileError)
    const issues = (error as InvalidInputFileError).issues
    expect(issues.map((i) => [i.field, i.line])).toEqual([
      ['safe', 2],
      ['actions[0].to', 6],
      ['actions[1].kind', 8],
      ['actions[2].weight-bps', 13],
    ])
    // The message lists every issue as file:line:column field: message.
    expect((error as Error).message).toContain('4 problems')
    expect((error as Error).message).toContain(
      `${FILE}:13:17 actions[2].weight-bps: weight is in basis points`,
    )
  })
})

describe('parseActionFile: action errors at their field', () => {
  it('refuses a bad address checksum in "to", suggesting the right one', () => {
    const bad = PAYEE.replace('C51812', 'c51812')
    const text = transferTo(`"${bad}"`)
    expect(issuesOf(() => parse(text))).toEqual([
      {
        file: FILE,
        ...positionOf(text, `"${bad}"`),
        field: 'actions[0].to',
        message: `bad address checksum in ${bad} (did you mean ${PAYEE}?)`,
      },
    ])
  })

  it('reads an unquoted address as an address, not as a hex number', () => {
    // YAML 1.2 reads 0x… as an integer; an address written without quotes must still be an address.
    expect(parse(transferTo(PAYEE)).actions[0]?.calls[0]?.data.toLowerCase()).toContain(
      PAYEE.slice(2).toLowerCase(),
    )
    const bad = PAYEE.replace('C51812', 'c51812')
    const text = transferTo(bad)
    expect(issuesOf(() => parse(text))).toEqual([
      expect.objectContaining({
        field: 'actions[0].to',
        message: expect.stringContaining(`did you mean ${PAYEE}`),
      }),
    ])
  })

  it('refuses an unknown name with a "did you mean" for a near miss', () => {
    const text = transferTo('grants-multisg')
    expect(issuesOf(() => parse(text))).toEqual([
      {
        file: FILE,
        ...positionOf(text, 'grants-multisg'),
        field: 'actions[0].to',
        message: 'unknown name "grants-multisg"; did you mean "grants-multisig"?',
      },
    ])
  })

  it('lists the known names for a name that is nothing like them', () => {
    const [issue] = issuesOf(() => parse(transferTo('zzzzzzzzzz')))
    expect(issue?.message).toMatch(/^unknown name "zzzzzzzzzz"; known: .*grants-multisig/)
    expect(issue?.message).not.toContain('did you mean')
  })

  it('refuses an amount with more decimals than the token', () => {
    const text = transferTo('council').replace('token: ALLY', 'token: aUSD').replace('"1"', '"2500.1234567"')
    expect(issuesOf(() => parse(text))).toEqual([
      {
        file: FILE,
        ...positionOf(text, '"2500.1234567"'),
        field: 'actions[0].amount',
        message: '"2500.1234567" has 7 decimals but the token has only 6',
      },
    ])
  })

  it('does not suggest a rounded value for an unquoted amount beyond 2^53', () => {
    const text = transferTo('council').replace('"1"', '9007199254740993')
    const [issue, ...rest] = issuesOf(() => parse(text))
    expect(rest).toEqual([])
    expect(issue).toMatchObject({ ...positionOf(text, '9007199254740993'), field: 'actions[0].amount' })
    expect(issue?.message).toContain('quoted string')
    // The YAML parser already rounded the number to 9007199254740992: suggesting that would change the amount.
    expect(issue?.message).not.toContain('9007199254740992')
  })

  it('refuses weight-bps 10001', () => {
    const text =
      'version: 1\nsafe: council\nactions:\n  - kind: admit-member\n    name: X\n    token: PLAY\n    treasury: play-dao-treasury\n    weight-bps: 10001\n'
    expect(issuesOf(() => parse(text))).toEqual([
      {
        file: FILE,
        ...positionOf(text, '10001'),
        field: 'actions[0].weight-bps',
        message: 'weight is in basis points: at most 10000 (100%)',
      },
    ])
  })

  it('refuses an unknown kind, listing the known kinds', () => {
    const text = 'version: 1\nsafe: council\nactions:\n  - kind: trnasfer\n    token: ALLY\n'
    expect(issuesOf(() => parse(text))).toEqual([
      {
        file: FILE,
        ...positionOf(text, 'trnasfer'),
        field: 'actions[0].kind',
        message: `unknown kind "trnasfer"; expected one of: ${KINDS.join(', ')}`,
      },
    ])
  })

  it('refuses an action without a kind', () => {
    const text = 'version: 1\nsafe: council\nactions:\n  - token: ALLY\n'
    expect(issuesOf(() => parse(text))).toEqual([
      expect.objectContaining({
        ...positionOf(text, 'token: ALLY'),
        field: 'actions[0].kind',
        message: expect.stringMatching(/^missing "kind"; expected one of: allocate-treasury/),
      }),
    ])
  })

  it('refuses an unknown field (a typo), naming it', () => {
    const text = transferTo('council').replace('amount:', 'ammount:')
    const issues = issuesOf(() => parse(text))
    expect(issues).toContainEqual(
      expect.objectContaining({
        file: FILE,
        line: positionOf(text, 'ammount').line,
        field: 'actions[0].ammount',
        message: 'unknown field "ammount"',
      }),
    )
    // The real field is then missing, and says so at the action.
    expect(issues).toContainEqual(expect.objectContaining({ field: 'actions[0].amount' }))
  })

  it('points an unknown field at its key, not at its value', () => {
    const text = transferTo('council').replace('amount:', 'ammount:')
    const issue = issuesOf(() => parse(text)).find((i) => i.field === 'actions[0].ammount')
    expect(issue).toMatchObject(positionOf(text, 'ammount'))
  })

  it('refuses a missing required field, at the action', () => {
    const text = 'version: 1\nsafe: council\nactions:\n  - kind: transfer\n    token: ALLY\n    amount: "1"\n'
    expect(issuesOf(() => parse(text))).toEqual([
      {
        file: FILE,
        ...positionOf(text, 'kind: transfer'),
        field: 'actions[0].to',
        message: 'expected an address-book name or an address',
      },
    ])
  })
})
