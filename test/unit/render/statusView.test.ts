import { parseEther, parseUnits } from 'viem'
import { describe, expect, it } from 'vitest'
import type { AllianceState, TreasuryBudget } from '../../../src/chain/readAllianceState.js'
import { workspaceDecodeContext } from '../../../src/decode/workspaceDecodeContext.js'
import { COUNCIL_OWNERS } from '../../../src/devnet/accounts.js'
import { devnetLayout } from '../../../src/devnet/devnetLayout.js'
import type { ProposalListEntry } from '../../../src/governor/listProposals.js'
import { PROPOSAL_STATES } from '../../../src/governor/types.js'
import { renderAllianceStatus, viewStatus } from '../../../src/render/statusView.js'
import { createTheme } from '../../../src/render/theme.js'
import type { Address, Hex } from '../../../src/safe/types.js'
import { devnetWorkspace } from '../../support/workspace.js'

const ws = devnetWorkspace()
const book = ws.book
const ctx = workspaceDecodeContext(ws)
const t = createTheme({ color: false })
const layout = devnetLayout()
const c = layout.contracts
const COUNCIL = layout.council
const OTHER_SAFE = '0x000000000000000000000000000000000000dEaD' as Address
const STABLE_GUILD = '0x14dC79964da2C08b23698B3D3cc7Ca32193d9955' as Address
const hash = (byte: string) => `0x${byte.repeat(32)}` as Hex
// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escapes are what is looked for.
const ANSI = /\u001b\[/

/** 2025-01-01T00:00:00Z. */
const NOW = 1_735_689_600
const DAY = 86_400
const ALLY = (n: string) => parseUnits(n, 18)

const budget = (over: Partial<TreasuryBudget>): TreasuryBudget => ({
  symbol: 'ALLY',
  decimals: 18,
  token: c.ALLY,
  epoch: 3n,
  budget: ALLY('100000'),
  spent: ALLY('12500.5'),
  remaining: ALLY('87499.5'),
  epochEnd: BigInt(NOW + 12 * DAY + 5 * 3600),
  ...over,
})

const state: AllianceState = {
  block: { number: 1234, timestamp: NOW },
  safes: [
    {
      name: 'council',
      address: COUNCIL,
      version: '1.4.1',
      nonce: 7n,
      owners: COUNCIL_OWNERS.map((o) => o.address as Address),
      threshold: 2,
      singleton: layout.safe.Safe,
    },
    {
      name: 'partners',
      address: OTHER_SAFE,
      unreadable: `${OTHER_SAFE} is not a Safe: no contract is deployed there`,
    },
  ],
  treasuries: [
    {
      name: 'treasury',
      address: c.treasury,
      balances: [
        { symbol: 'ETH', decimals: 18, balance: parseEther('20') },
        { symbol: 'ALLY', decimals: 18, balance: ALLY('3987499.5') },
        { symbol: 'aUSD', decimals: 6, balance: 1_000_000_000_000n },
        { symbol: 'PLAY', decimals: 18, balance: 0n },
      ],
      budgets: [
        budget({
          symbol: 'ETH',
          token: '0x0000000000000000000000000000000000000000',
          budget: parseEther('10'),
          spent: parseEther('10'),
          remaining: 0n,
        }),
        budget({}),
        budget({
          symbol: 'aUSD',
          decimals: 6,
          token: c.aUSD,
          budget: 50_000_000_000n,
          spent: 0n,
          remaining: 50_000_000_000n,
        }),
        budget({ symbol: 'PLAY', token: c.PLAY, budget: 0n, spent: 0n, remaining: 0n }),
      ],
    },
  ],
  vaults: [
    {
      name: 'ally-staking',
      address: c['ally-staking'],
      rewardRate: ALLY('0.05'),
      periodFinish: BigInt(NOW + 30 * DAY),
      totalStaked: ALLY('100000'),
      rewardDecimals: 18,
      rewardSymbol: 'ALLY',
      rewardToken: c.ALLY,
      stakingToken: c.ALLY,
      stakingDecimals: 18,
      stakingSymbol: 'ALLY',
    },
  ],
  registries: [
    {
      name: 'registry',
      address: c.registry,
      members: [
        { name: 'Alliance Core', token: c.ALLY, treasury: c.treasury, weightBps: 4000 },
        { name: 'Stable Guild', token: c.aUSD, treasury: STABLE_GUILD, weightBps: 2000 },
        {
          name: 'PLAY DAO',
          token: c.PLAY,
          treasury: book.byName('play-dao-treasury')!.address,
          weightBps: 1250,
        },
      ],
    },
  ],
}

const entry = (id: bigint, state: ProposalListEntry['state']): ProposalListEntry => ({
  proposalId: id,
  proposer: COUNCIL_OWNERS[0].address as Address,
  description: `# Proposal ${id} (${state})\n\nBody.`,
  targets: [c.treasury],
  values: [0n],
  calldatas: ['0x'],
  created: { blockNumber: 1000 + Number(id), transactionHash: hash('22') },
  state,
})
const everyState = PROPOSAL_STATES.map((s, i) => entry(BigInt(i + 1), s))
const view = viewStatus(state, {
  governors: [{ name: 'governor', address: c.governor, proposals: everyState }],
})
const text = renderAllianceStatus(view, book, ctx, t)
const lines = text.split('\n')
/** The lines of one section, from its heading to the blank line that ends it. */
const section = (heading: string, from = text) => {
  const all = from.split('\n')
  const start = all.indexOf(heading)
  if (start === -1) throw new Error(`no "${heading}" section in:\n${from}`)
  const end = all.indexOf('', start)
  return all.slice(start + 1, end === -1 ? undefined : end)
}

describe('viewStatus', () => {
  it('keeps the proposals still Pending, Active, Succeeded or Queued, in their order', () => {
    expect(view.governors[0]!.proposals.map((p) => p.state)).toEqual([
      'Pending',
      'Active',
      'Succeeded',
      'Queued',
    ])
  })

  it('carries the chain state as read, and no queue unless one is given', () => {
    expect(view).toMatchObject(state)
    expect(view).not.toHaveProperty('queued')
    expect(viewStatus(state).governors).toEqual([])
  })
})

describe('renderAllianceStatus', () => {
  it('has no colour codes when colour is off, and colours when it is on', () => {
    expect(text).not.toMatch(ANSI)
    expect(renderAllianceStatus(view, book, ctx, createTheme({ color: true }))).toMatch(ANSI)
  })

  it('heads with the block and its time, then the sections in order', () => {
    expect(lines[0]).toBe('Alliance status  block 1234, 2025-01-01 00:00 UTC')
    const headings = lines.filter((l) => /^[A-Z]/.test(l)).slice(1)
    expect(headings).toEqual(['Safes', 'Treasury', 'Vaults', 'Members', 'Governor proposals'])
  })

  it('shows each Safe with version, threshold of owners and nonce, its owners by name, and an unreadable Safe in words', () => {
    expect(section('Safes')).toEqual([
      `  council ${COUNCIL}  Safe 1.4.1, 2 of 3 owners, nonce 7`,
      '    owner  address',
      `    ─────  ${'─'.repeat(42)}`,
      ...COUNCIL_OWNERS.map((o, i) => `    ${['alice', 'bob  ', 'carol'][i]}  ${o.address}`),
      `  partners ${OTHER_SAFE}  unreadable: ${OTHER_SAFE} is not a Safe: no contract is deployed there`,
    ])
  })

  it('shows balances and remaining / budget per token, with the epoch end in UTC and from now', () => {
    expect(section('Treasury')).toEqual([
      `  treasury ${c.treasury}`,
      '    budget epoch 3 ends 2025-01-13 05:00 UTC (in 12d 5h)',
      '    token  balance      remaining / budget this epoch',
      '    ─────  ───────────  ─────────────────────────────',
      '    ETH    20           0 / 10',
      '    ALLY   3,987,499.5  87,499.5 / 100,000',
      '    aUSD   1,000,000    50,000 / 50,000',
      '    PLAY   0            no budget',
    ])
  })

  it('gives each token its own epoch end when they differ, and a dash for a token without a budget view', () => {
    const [treasury] = state.treasuries
    const mixed = viewStatus({
      ...state,
      treasuries: [
        {
          ...treasury!,
          budgets: [
            budget({ epochEnd: BigInt(NOW + DAY) }),
            budget({ symbol: 'aUSD', decimals: 6, epochEnd: BigInt(NOW + 2 * DAY) }),
          ],
        },
      ],
    })
    const rows = section('Treasury', renderAllianceStatus(mixed, book, ctx, t))
    expect(rows[1]).toMatch(/token\s+balance\s+remaining \/ budget this epoch\s+epoch ends$/)
    expect(rows.find((r) => r.includes(' ALLY '))).toMatch(
      /87,499\.5 \/ 100,000\s+2025-01-02 00:00 UTC \(in 1d\)$/,
    )
    expect(rows.find((r) => r.includes(' ETH '))).toMatch(/ETH\s+20\s+—$/)
  })

  it('says when a treasury has no epoch budgets at all', () => {
    const [treasury] = state.treasuries
    const none = viewStatus({ ...state, treasuries: [{ ...treasury!, budgets: [] }] })
    expect(section('Treasury', renderAllianceStatus(none, book, ctx, t))[1]).toBe('    no epoch budgets')
  })

  it('shows a vault’s TVL in token units and its reward rate per day until the period ends', () => {
    expect(section('Vaults')).toEqual([
      `  ally-staking ${c['ally-staking']}`,
      '    TVL          100,000 ALLY staked',
      '    reward rate  4,320 ALLY/day (0.05 ALLY/s) until 2025-01-31 00:00 UTC (in 30d)',
    ])
  })

  it('says a finished reward period streams nothing', () => {
    const [vault] = state.vaults
    const ended = viewStatus({ ...state, vaults: [{ ...vault!, periodFinish: BigInt(NOW - 2 * DAY) }] })
    expect(section('Vaults', renderAllianceStatus(ended, book, ctx, t))[2]).toBe(
      '    reward rate  none: the period ended 2024-12-30 00:00 UTC (2d ago) (was 4,320 ALLY/day)',
    )
  })

  it('lists members with token, treasury by name and weight in %, and the total', () => {
    expect(section('Members')).toEqual([
      `  registry ${c.registry}  3 members`,
      `    member         token  treasury${' '.repeat(36)}weight`,
      `    ─────────────  ─────  ${'─'.repeat(42)}  ─────────────`,
      `    Alliance Core  ALLY   treasury${' '.repeat(36)}40%`,
      `    Stable Guild   aUSD   ${STABLE_GUILD}  20%`,
      `    PLAY DAO       PLAY   play-dao-treasury${' '.repeat(27)}12.5%`,
      `    total${' '.repeat(61)}72.5% of 100%`,
    ])
  })

  it('lists the pending Governor proposals with their state and title, or says there are none', () => {
    const proposals = section('Governor proposals')
    expect(proposals[0]).toBe(`  governor ${c.governor}`)
    expect(proposals.filter((l) => l.startsWith('    ['))).toEqual([
      '    [Pending] Proposal 1 (Pending)',
      '    [Active] Proposal 2 (Active)',
      '    [Succeeded] Proposal 5 (Succeeded)',
      '    [Queued] Proposal 6 (Queued)',
    ])
    const none = viewStatus(state, {
      governors: [{ name: 'governor', address: c.governor, proposals: [everyState[7]!] }],
    })
    expect(section('Governor proposals', renderAllianceStatus(none, book, ctx, t))).toEqual([
      `  governor ${c.governor}`,
      '    No pending proposals.',
    ])
    expect(section('Governor proposals', renderAllianceStatus(viewStatus(state), book, ctx, t))).toEqual([
      '  No governor in the workspace.',
    ])
  })

  it('shows the council queue only when one was read: nonce, confirmations of the threshold, hash, description', () => {
    expect(text).not.toContain('Council queue')
    const tx = {
      safe: COUNCIL,
      safeTxHash: hash('ab'),
      nonce: 7n,
      confirmations: 1,
      threshold: 2,
      signers: [COUNCIL_OWNERS[0].address],
      calls: ['treasury.allocate(address,address,uint256,string)'],
      origin: 'November grants',
      problems: [],
      rejected: [],
      nonceCollision: false,
      ready: false,
    }
    const withQueue = renderAllianceStatus(viewStatus(state, { queued: [tx] }), book, ctx, t)
    expect(section('Council queue', withQueue)).toEqual([
      '  safe     nonce  confirmations  safeTxHash   description',
      '  ───────  ─────  ─────────────  ───────────  ───────────────',
      `  council  7      1 of 2         ${hash('ab').slice(0, 10)}…  November grants`,
    ])
    expect(
      section('Council queue', renderAllianceStatus(viewStatus(state, { queued: [] }), book, ctx, t)),
    ).toEqual(['  Nothing queued.'])
  })
})
