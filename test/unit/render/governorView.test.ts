import { encodeFunctionData, parseAbi, parseEther, parseUnits } from 'viem'
import { describe, expect, it } from 'vitest'
import { workspaceDecodeContext } from '../../../src/decode/workspaceDecodeContext.js'
import { devnetLayout } from '../../../src/devnet/devnetLayout.js'
import { type ProposalListEntry, proposalTitle } from '../../../src/governor/listProposals.js'
import type { ProposalStatus } from '../../../src/governor/proposalStatus.js'
import type { GovernorProposal } from '../../../src/governor/types.js'
import { describeCalls, renderProposalList, renderStatus } from '../../../src/render/governorView.js'
import { createTheme } from '../../../src/render/theme.js'
import type { Address, Hex } from '../../../src/safe/types.js'
import { devnetWorkspace } from '../../support/workspace.js'

const ws = devnetWorkspace()
const book = ws.book
const ctx = workspaceDecodeContext(ws)
const t = createTheme({ color: false })
const layout = devnetLayout()
const { aUSD, governor, timelock } = layout.contracts
const COUNCIL = layout.council
const GRANTS = book.byName('grants-multisig')!.address
/** anvil account 3: an address the book does not name. */
const STRANGER = '0x90F79bf6EB2c4f870365E785982E1f101E93b906' as Address
// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escapes are what is looked for.
const ANSI = /\u001b\[/

const erc20 = parseAbi(['function transfer(address to, uint256 amount) returns (bool)'])
const PAY_GRANTS = encodeFunctionData({
  abi: erc20,
  functionName: 'transfer',
  args: [GRANTS, parseUnits('250.25', 6)],
})
const hash = (byte: string) => `0x${byte.repeat(32)}` as Hex

const proposal: GovernorProposal = {
  governor,
  timelock,
  targets: [aUSD],
  values: [0n],
  calldatas: [PAY_GRANTS],
  description: '# Pay grants\n\nRound 7, in aUSD.',
  descriptionHash: hash('11'),
  proposalId: 123n,
  timelockOperationId: hash('33'),
  actions: [],
}

/** 2025-01-01T00:00:00Z. */
const NOW = 1_735_689_600

/** Active: opened 3m 48s ago, closes in an estimated 6 minutes, quorum not yet readable. */
const active: ProposalStatus = {
  governor: { address: governor, name: 'AllianceGovernor', clockMode: 'mode=blocknumber&from=default' },
  proposalId: 123n,
  state: 'Active',
  proposer: COUNCIL,
  description: proposal.description,
  descriptionHash: proposal.descriptionHash,
  created: { blockNumber: 10, transactionHash: hash('22') },
  votes: { for: parseUnits('1000', 18), against: parseUnits('0.5', 18), abstain: 0n },
  now: { clock: 120n, time: NOW, estimated: false },
  voteStart: { clock: 101n, time: NOW - 228, estimated: false },
  voteEnd: { clock: 150n, time: NOW + 360, estimated: true },
  proposal,
  blockNumber: 120,
}

/** Queued: voting over, quorum reached, eta in 2d 3h, timelock operation waiting. */
const queued: ProposalStatus = {
  ...active,
  state: 'Queued',
  now: { clock: 200n, time: NOW, estimated: false },
  voteStart: { clock: 101n, time: NOW - 3 * 3600, estimated: false },
  voteEnd: { clock: 150n, time: NOW - 3600, estimated: false },
  quorum: parseUnits('400', 18),
  quorumReached: true,
  eta: { time: NOW + 2 * 86_400 + 3 * 3600 },
  timelock: { address: timelock, operationId: hash('33'), state: 'waiting', readyAt: NOW + 2 * 86_400 },
}

const lines = (text: string) => text.split('\n')
/** The value column of a key/value row of the status table. */
const row = (text: string, key: string) => {
  const line = lines(text).find((l) => new RegExp(`^\\s+${key}\\s{2,}`).test(l))
  if (line === undefined) throw new Error(`no "${key}" row in:\n${text}`)
  return line.replace(new RegExp(`^\\s+${key}\\s+`), '')
}

describe('renderStatus', () => {
  const text = renderStatus(active, book, ctx, t)

  it('has no colour codes when colour is off', () => {
    expect(text).not.toMatch(ANSI)
    expect(renderStatus(queued, book, ctx, t)).not.toMatch(ANSI)
  })

  it('heads with the title and state badge, then the governor by name and the proposal id', () => {
    expect(lines(text).slice(0, 2)).toEqual(['Pay grants  [Active]', 'governor · proposal 123'])
  })

  it('shows the id in decimal and as 32-byte hex, and the proposer by name and address', () => {
    expect(row(text, 'id')).toBe('123')
    expect(text).toContain(`0x${'0'.repeat(62)}7b`)
    expect(row(text, 'proposer')).toBe(`council (${COUNCIL})`)
    expect(row(text, 'created')).toBe(`block 10, tx ${hash('22')}`)
  })

  it('gives each vote timepoint in clock units and UTC, relative to now, marking estimates', () => {
    expect(row(text, 'voting opens')).toBe('clock 101, 2024-12-31 23:56 UTC (3m 48s ago)')
    expect(row(text, 'voting closes')).toBe('clock 150, 2025-01-01 00:06 UTC (in 6m) (estimated)')
  })

  it('does not mark a measured time as estimated', () => {
    expect(row(text, 'voting opens')).not.toContain('estimated')
    expect(renderStatus(queued, book, ctx, t)).not.toContain('(estimated)')
  })

  it('says "now" for a timepoint at the current time', () => {
    const atNow = renderStatus({ ...active, voteStart: { ...active.now } }, book, ctx, t)
    expect(row(atNow, 'voting opens')).toBe('clock 120, 2025-01-01 00:00 UTC (now)')
  })

  it('shows votes in token units (18 decimals by default, or the token’s)', () => {
    expect(row(text, 'for')).toBe('1,000')
    expect(row(text, 'against')).toBe('0.5')
    expect(row(text, 'abstain')).toBe('0')
    const sixDecimals = renderStatus(
      { ...active, votes: { for: 2_500_000n, against: 0n, abstain: 1n } },
      book,
      ctx,
      t,
      6,
    )
    expect(row(sixDecimals, 'for')).toBe('2.5')
    expect(row(sixDecimals, 'abstain')).toBe('0.000001')
  })

  it('says quorum is unknown while the snapshot is ahead, and shows no eta or timelock row', () => {
    expect(row(text, 'quorum')).toBe('known once the snapshot is past')
    expect(text).not.toMatch(/^\s+eta\s/m)
    expect(text).not.toMatch(/^\s+timelock op\s/m)
  })

  it('lists the calls decoded, with token amounts in units', () => {
    const calls = lines(text).slice(lines(text).indexOf('Calls') + 1)
    expect(calls[0]).toBe('  1. aUSD.transfer(address,uint256)')
    expect(calls[1]).toMatch(new RegExp(`^\\s+to\\s+grants-multisig \\(${GRANTS}\\)$`))
    expect(calls[2]).toMatch(/^\s+amount\s+250250000\s+\(250\.25 aUSD\)$/)
  })

  it('ends with the block and clock mode it was read at', () => {
    expect(lines(text).at(-1)).toBe('read at block 120; governor clock: mode=blocknumber&from=default')
  })

  describe('Queued, with an eta ahead', () => {
    const q = renderStatus(queued, book, ctx, t)

    it('badges the state', () => {
      expect(lines(q)[0]).toBe('Pay grants  [Queued]')
    })

    it('shows the quorum in units and whether for + abstain reached it', () => {
      expect(row(q, 'quorum')).toBe('400 (for + abstain: reached)')
      const short = renderStatus({ ...queued, quorumReached: false }, book, ctx, t)
      expect(row(short, 'quorum')).toBe('400 (for + abstain: not reached)')
    })

    it('shows the eta in UTC and how far ahead it is', () => {
      expect(row(q, 'eta')).toBe('2025-01-03 03:00 UTC (in 2d 3h)')
    })

    it('says how long ago a past eta was', () => {
      const past = renderStatus({ ...queued, eta: { time: NOW - 90 } }, book, ctx, t)
      expect(row(past, 'eta')).toBe('2024-12-31 23:58 UTC (1m 30s ago)')
    })

    it('shows the timelock operation and its state', () => {
      expect(row(q, 'timelock op')).toBe(`${hash('33')} (waiting)`)
    })

    it('shows past vote times as "ago"', () => {
      expect(row(q, 'voting closes')).toBe('clock 150, 2024-12-31 23:00 UTC (1h ago)')
    })
  })

  it('falls back to "Proposal" for a description without text', () => {
    const untitled = renderStatus({ ...active, description: '\n  \n' }, book, ctx, t)
    expect(lines(untitled)[0]).toBe('Proposal  [Active]')
  })
})

const entry = (over: Partial<ProposalListEntry> = {}): ProposalListEntry => ({
  proposalId: 123n,
  proposer: COUNCIL,
  description: proposal.description,
  targets: [aUSD],
  values: [0n],
  calldatas: [PAY_GRANTS],
  created: { blockNumber: 10, transactionHash: hash('22') },
  state: 'Active',
  ...over,
})

describe('renderProposalList', () => {
  it('says so when there are none', () => {
    expect(renderProposalList([], book, ctx, t)).toBe('No proposals.')
  })

  it('shows state, title, id, who proposed it when, and each call in words', () => {
    expect(lines(renderProposalList([entry()], book, ctx, t))).toEqual([
      '[Active] Pay grants',
      '  id 123',
      '  proposed by council in block 10',
      '  1. aUSD.transfer(to: grants-multisig, amount: 250.25 aUSD)',
    ])
  })

  it('adds when it was queued (with the eta as ISO time) and executed', () => {
    const text = renderProposalList(
      [
        entry({
          state: 'Executed',
          queued: { blockNumber: 20, eta: BigInt(NOW) },
          executed: { blockNumber: 30, transactionHash: hash('44') },
        }),
      ],
      book,
      ctx,
      t,
    )
    expect(lines(text).slice(0, 3)).toEqual([
      '[Executed] Pay grants',
      '  id 123',
      '  proposed by council in block 10, queued in 20 (eta 2025-01-01T00:00:00.000Z), executed in 30',
    ])
  })

  it('adds when it was canceled', () => {
    const text = renderProposalList(
      [entry({ state: 'Canceled', canceled: { blockNumber: 15, transactionHash: hash('55') } })],
      book,
      ctx,
      t,
    )
    expect(lines(text)[2]).toBe('  proposed by council in block 10, canceled in 15')
  })

  it('separates proposals by one blank line, keeps their order, and ends without one', () => {
    const text = renderProposalList(
      [entry(), entry({ proposalId: 456n, description: 'Second', state: 'Pending' })],
      book,
      ctx,
      t,
    )
    const all = lines(text)
    expect(all[4]).toBe('')
    expect(all[5]).toBe('[Pending] Second')
    expect(all[6]).toBe('  id 456')
    expect(all.at(-1)).not.toBe('')
    expect(text).not.toMatch(ANSI)
  })

  it('shows "(no title)" for an empty description', () => {
    expect(lines(renderProposalList([entry({ description: '' })], book, ctx, t))[0]).toBe(
      '[Active] (no title)',
    )
  })

  it('names an unknown proposer by address', () => {
    const text = renderProposalList([entry({ proposer: STRANGER })], book, ctx, t)
    expect(lines(text)[2]).toBe(`  proposed by ${STRANGER} in block 10`)
  })
})

describe('describeCalls', () => {
  it('names the token and the payee, with the amount in the token’s decimals', () => {
    expect(describeCalls({ targets: [aUSD], values: [0n], calldatas: [PAY_GRANTS] }, book, ctx)).toEqual([
      'aUSD.transfer(to: grants-multisig, amount: 250.25 aUSD)',
    ])
  })

  it('shows a plain ETH payment, an unknown selector, and value sent with a call', () => {
    const calls = describeCalls(
      {
        targets: [GRANTS, STRANGER, aUSD],
        values: [parseEther('0.25'), 0n, parseEther('1')],
        calldatas: ['0x', '0xdeadbeef0001', PAY_GRANTS],
      },
      book,
      ctx,
    )
    expect(calls).toEqual([
      'grants-multisig transfer + 0.25 ETH',
      `${STRANGER} 0xdeadbeef…`,
      'aUSD.transfer(to: grants-multisig, amount: 250.25 aUSD) + 1 ETH',
    ])
  })

  it('treats a missing value as zero', () => {
    expect(describeCalls({ targets: [GRANTS], values: [], calldatas: ['0x'] }, book, ctx)).toEqual([
      'grants-multisig transfer',
    ])
  })
})

describe('proposalTitle', () => {
  it('strips leading Markdown heading marks and blanks', () => {
    expect(proposalTitle('# Pay grants\n\nbody')).toBe('Pay grants')
    expect(proposalTitle('###   Deep heading  ')).toBe('Deep heading')
    expect(proposalTitle('#NoSpace')).toBe('NoSpace')
  })

  it('keeps a # that is not at the start', () => {
    expect(proposalTitle('Fix issue #12')).toBe('Fix issue #12')
  })

  it('skips blank and whitespace-only lines before the title', () => {
    expect(proposalTitle('\n   \n\t\n# Title\nsecond line')).toBe('Title')
  })

  it('reads the first line only, also with CRLF line ends', () => {
    expect(proposalTitle('First\nSecond')).toBe('First')
    expect(proposalTitle('# First\r\nSecond')).toBe('First')
  })

  it('is empty for an empty or blank description', () => {
    expect(proposalTitle('')).toBe('')
    expect(proposalTitle('\n \n')).toBe('')
  })

  it('keeps a title of exactly 80 characters whole', () => {
    const eighty = 'x'.repeat(80)
    expect(proposalTitle(`# ${eighty}`)).toBe(eighty)
  })

  it('cuts a longer title to its first 77 characters and …', () => {
    const long = `${'a'.repeat(70)} ${'b'.repeat(30)}`
    const title = proposalTitle(`# ${long}\n\nbody`)
    expect(title).toBe(`${long.slice(0, 77)}…`)
    expect(title.length).toBe(78)
    expect(proposalTitle('y'.repeat(81))).toBe(`${'y'.repeat(77)}…`)
  })
})
