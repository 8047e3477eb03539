import { describe, expect, it } from 'vitest'
import { COUNCIL_OWNERS, GRANTS_MULTISIG, PLAY_DAO_TREASURY } from '../../../src/devnet/accounts.js'
import { devnetLayout } from '../../../src/devnet/devnetLayout.js'
import { renderDevnetWorkspace } from '../../../src/devnet/devnetWorkspace.js'
import { parseWorkspace } from '../../../src/workspace/loadWorkspace.js'
import { devnetWorkspace } from '../../support/workspace.js'
import { issuesOf, positionOf } from '../inputIssues.js'

const FILE = '/virtual/alliance.yaml'
const layout = devnetLayout()
const BASE = renderDevnetWorkspace('http://127.0.0.1:8545')
// anvil account 3, not otherwise in the workspace.
const OTHER = '0x90F79bf6EB2c4f870365E785982E1f101E93b906'

/** `BASE` with `insert` placed right after the line `after` (which must be unique). */
function withLines(after: string, insert: string): string {
  const at = BASE.indexOf(`${after}\n`)
  if (at < 0 || BASE.indexOf(`${after}\n`, at + 1) >= 0) throw new Error(`"${after}" is not a unique line`)
  const end = at + after.length + 1
  return BASE.slice(0, end) + insert + BASE.slice(end)
}

describe('parseWorkspace: the devnet template', () => {
  const ws = devnetWorkspace()

  it('parses with the chain and the policy default', () => {
    expect(ws.config.version).toBe(1)
    expect(ws.config.chain).toEqual({ name: 'devnet', chainId: 31337, rpcUrl: 'http://127.0.0.1:8545' })
    expect(ws.config.policy.maxTransferShareBps).toBe(1000)
    expect(ws.config.tokens.aUSD?.decimals).toBe(6)
    expect(ws.config.contracts['ally-staking']).toMatchObject({ stakingToken: 'ALLY', rewardToken: 'ALLY' })
  })

  it('resolves every name to the devnet address', () => {
    const expected: Record<string, string> = {
      council: layout.council,
      ...layout.contracts,
      'grants-multisig': GRANTS_MULTISIG,
      'play-dao-treasury': PLAY_DAO_TREASURY,
      alice: COUNCIL_OWNERS[0].address,
      bob: COUNCIL_OWNERS[1].address,
      carol: COUNCIL_OWNERS[2].address,
    }
    expect(Object.keys(expected)).toHaveLength(15)
    for (const [name, address] of Object.entries(expected)) {
      expect(ws.book.resolveAddress(name), name).toEqual({ ok: true, value: address })
      // Names are case-insensitive and every address maps back to its name.
      expect(ws.book.resolveAddress(name.toUpperCase()), name).toEqual({ ok: true, value: address })
      expect(ws.book.label(address)).toBe(name)
    }
    // Every entry of the book is one of those names, or the native coin.
    expect(
      ws.book
        .entries()
        .map((e) => e.name)
        .sort(),
    ).toEqual(['ETH', ...Object.keys(expected)].sort())
  })

  it('resolves tokens with their decimals, by name or address', () => {
    expect(ws.book.resolveToken('aUSD')).toMatchObject({
      ok: true,
      value: { kind: 'token', address: layout.contracts.aUSD, decimals: 6, symbol: 'aUSD' },
    })
    expect(ws.book.resolveToken(layout.contracts.ALLY.toLowerCase())).toMatchObject({
      ok: true,
      value: { name: 'ALLY', decimals: 18 },
    })
    expect(ws.book.resolveToken('eth')).toMatchObject({ ok: true, value: { kind: 'native', decimals: 18 } })
    expect(ws.book.resolveToken('treasury')).toEqual({
      ok: false,
      reason: '"treasury" is a contract, not a token',
    })
    expect(ws.book.resolveToken(OTHER)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('tokens:'),
    })
  })

  it('picks the only contract of a type and refuses the wrong type', () => {
    expect(ws.book.resolveContract(undefined, ['treasury'])).toMatchObject({
      ok: true,
      value: { name: 'treasury', address: layout.contracts.treasury },
    })
    const wrong = ws.book.resolveContract('registry', ['treasury'])
    expect(wrong).toEqual({
      ok: false,
      reason: '"registry" is not a treasury in the workspace (known: treasury)',
    })
  })
})

describe('parseWorkspace: errors', () => {
  it('reports a name used in two sections at the second one', () => {
    const text = withLines('contracts:', `  aUSD:\n    type: contract\n    address: "${OTHER}"\n`)
    const issues = issuesOf(() => parseWorkspace(FILE, text))
    expect(issues).toHaveLength(1)
    expect(issues[0]).toMatchObject({
      file: FILE,
      field: 'contracts.aUSD',
      message: 'name "aUSD" is already used under "tokens"; names must be unique',
    })
  })

  it('points a duplicate name at the name, not at the first line of its entry', () => {
    const text = withLines('contracts:', `  aUSD:\n    type: contract\n    address: "${OTHER}"\n`)
    const [issue] = issuesOf(() => parseWorkspace(FILE, text))
    expect(issue).toMatchObject({ field: 'contracts.aUSD', ...positionOf(text, 'aUSD:\n    type: contract') })
  })

  it('reports a duplicate name case-insensitively, and "ETH" as reserved', () => {
    const text = withLines('addresses:', `  Treasury: "${OTHER}"\n  eth: "${OTHER}"\n`)
    const issues = issuesOf(() => parseWorkspace(FILE, text))
    expect(issues.map((i) => [i.field, i.line])).toEqual([
      ['addresses.Treasury', positionOf(text, 'Treasury:').line],
      ['addresses.eth', positionOf(text, 'eth:').line],
    ])
    expect(issues[1]?.message).toContain('reserved for the native coin')
  })

  it('reports a bad checksum in tokens at its exact line and column', () => {
    const good = layout.contracts.PLAY
    // Flip the case of the first letter after 0x: still mixed case, checksum wrong.
    const first = good.slice(2).search(/[a-fA-F]/) + 2
    const ch = good[first]!
    const bad =
      good.slice(0, first) +
      (ch === ch.toLowerCase() ? ch.toUpperCase() : ch.toLowerCase()) +
      good.slice(first + 1)
    const text = BASE.replace(`"${good}"`, `"${bad}"`)
    expect(text).not.toBe(BASE)
    const issues = issuesOf(() => parseWorkspace(FILE, text))
    expect(issues).toEqual([
      {
        file: FILE,
        ...positionOf(text, `"${bad}"`),
        field: 'tokens.PLAY.address',
        message: `bad address checksum in ${bad} (did you mean ${good}?)`,
      },
    ])
  })

  it('reports an unknown top-level field by name', () => {
    const text = `${BASE}polcy:\n  maxTransferShareBps: 500\n`
    expect(issuesOf(() => parseWorkspace(FILE, text))).toEqual([
      expect.objectContaining({ file: FILE, field: 'polcy', message: 'unknown field "polcy"' }),
    ])
  })

  it('points an unknown field at its name, not at the line below it', () => {
    const text = `${BASE}polcy:\n  maxTransferShareBps: 500\n`
    const [issue] = issuesOf(() => parseWorkspace(FILE, text))
    expect(issue).toMatchObject({ field: 'polcy', ...positionOf(text, 'polcy:') })
  })

  it('refuses a staking-vault without rewardToken', () => {
    const text = BASE.replace('    rewardToken: ALLY\n', '')
    const issues = issuesOf(() => parseWorkspace(FILE, text))
    expect(issues).toEqual([
      expect.objectContaining({
        field: 'contracts.ally-staking',
        message: 'a staking-vault needs "rewardToken" (a token name)',
      }),
    ])
  })

  it('refuses a vault token that is not in tokens', () => {
    const text = BASE.replace('    stakingToken: ALLY\n', '    stakingToken: ALY\n')
    const issues = issuesOf(() => parseWorkspace(FILE, text))
    expect(issues).toEqual([
      {
        file: FILE,
        ...positionOf(text, 'ALY\n'),
        field: 'contracts.ally-staking.stakingToken',
        message: 'unknown token "ALY"',
      },
    ])
  })

  it('reports schema errors of several fields at once', () => {
    const text = BASE.replace('version: 1', 'version: 2').replace('decimals: 6', 'decimals: 40')
    const issues = issuesOf(() => parseWorkspace(FILE, text))
    expect(issues.map((i) => i.field).sort()).toEqual(['tokens.aUSD.decimals', 'version'])
    expect(issues.find((i) => i.field === 'version')).toMatchObject({
      ...positionOf(text, '2\n'),
      message: 'expected version: 1',
    })
  })
})
