import type { ChalkInstance } from 'chalk'
import type { AllianceState } from '../chain/readAllianceState.js'
import type { DecodeContext } from '../decode/decodeCall.js'
import type { ProposalListEntry } from '../governor/listProposals.js'
import type { ProposalStateName } from '../governor/types.js'
import type { QueueEntry } from '../queue/reviewQueue.js'
import type { Address } from '../safe/types.js'
import { formatAmount, formatSpan } from '../utils/units.js'
import type { AddressBook } from '../workspace/addressBook.js'
import { renderProposalList } from './governorView.js'
import { renderTable } from './table.js'

/** The Governor states in which a proposal still awaits something: a vote, a queue, an execution. */
export const PENDING_PROPOSAL_STATES: readonly ProposalStateName[] = [
  'Pending',
  'Active',
  'Succeeded',
  'Queued',
]

/** The alliance at a glance: `alliance status` prints it, and returns it under --json. */
export type StatusView = AllianceState & {
  /** Each governor of the workspace with its proposals still in a pending state, oldest first. */
  governors: { name: string; address: Address; proposals: ProposalListEntry[] }[]
  /** Council transactions waiting in a proposal queue, when one is configured, each re-verified (`reviewQueue`). */
  queued?: (QueueEntry & { safe: Address })[]
}

/** The status from the chain state and each governor's proposals (every state; only the pending are kept). */
export function viewStatus(
  state: AllianceState,
  { governors = [], queued }: Partial<Pick<StatusView, 'governors' | 'queued'>> = {},
): StatusView {
  return {
    ...state,
    governors: governors.map((g) => ({
      ...g,
      proposals: g.proposals.filter((p) => PENDING_PROPOSAL_STATES.includes(p.state)),
    })),
    ...(queued ? { queued } : {}),
  }
}

export function renderAllianceStatus(
  view: StatusView,
  book: AddressBook,
  decode: DecodeContext,
  t: ChalkInstance,
): string {
  const now = view.block.timestamp
  const out = [
    `${t.bold('Alliance status')}  ${t.dim(`block ${view.block.number}, ${utc(now)}`)}`,
    '',
    ...section(
      'Safes',
      view.safes.length === 0 ? [t.dim('  No Safes in the workspace.')] : safes(view, book, t),
    ),
    ...section(
      'Treasury',
      view.treasuries.length === 0 ? [t.dim('  No treasury in the workspace.')] : treasuries(view, t),
    ),
    ...section(
      'Vaults',
      view.vaults.length === 0 ? [t.dim('  No vaults in the workspace.')] : vaults(view, t),
    ),
    ...section(
      'Members',
      view.registries.length === 0 ? [t.dim('  No registry in the workspace.')] : members(view, book, t),
    ),
    ...section(
      'Governor proposals',
      view.governors.length === 0
        ? [t.dim('  No governor in the workspace.')]
        : governors(view, book, decode, t),
    ),
  ]
  if (view.queued) out.push(...section('Council queue', queued(view, book, t)))
  return out.join('\n').trimEnd()
}

const section = (title: string, lines: string[]) => [title, ...lines, '']

function safes(view: StatusView, book: AddressBook, t: ChalkInstance): string[] {
  return view.safes.flatMap((s) => {
    const head = `  ${t.bold(s.name)} ${t.dim(s.address)}`
    if ('unreadable' in s) return [`${head}  ${t.yellow(`unreadable: ${s.unreadable}`)}`]
    const owners = s.owners.map((o) => [book.label(o) === o ? '' : book.label(o), o])
    return [
      `${head}  Safe ${s.version}, ${t.bold(`${s.threshold} of ${s.owners.length}`)} owners, nonce ${s.nonce}`,
      ...renderTable(['owner', 'address'], owners, { indent: 4 }).split('\n'),
    ]
  })
}

function treasuries(view: StatusView, t: ChalkInstance): string[] {
  return view.treasuries.flatMap((tr) => {
    const ends = [...new Set(tr.budgets.map((b) => b.epochEnd))]
    const lines = [`  ${t.bold(tr.name)} ${t.dim(tr.address)}`]
    if (ends.length === 1)
      lines.push(
        `    budget epoch ${tr.budgets[0]!.epoch} ends ${when(Number(ends[0]), view.block.timestamp)}`,
      )
    else if (tr.budgets.length === 0) lines.push(t.dim('    no epoch budgets'))
    const header = ['token', 'balance', 'remaining / budget this epoch']
    if (ends.length > 1) header.push('epoch ends')
    const rows = tr.balances.map((bal) => {
      const b = tr.budgets.find((x) => x.symbol === bal.symbol)
      const row = [bal.symbol, formatAmount(bal.balance, bal.decimals)]
      if (!b) return [...row, t.dim('—')]
      if (b.budget === 0n && b.spent === 0n) row.push(t.dim('no budget'))
      else {
        const left = formatAmount(b.remaining, b.decimals)
        // Nothing left to spend this epoch reads as a warning; the budget itself is plain.
        row.push(
          `${b.remaining === 0n ? t.yellow(left) : t.green(left)} / ${formatAmount(b.budget, b.decimals)}`,
        )
      }
      if (ends.length > 1) row.push(when(Number(b.epochEnd), view.block.timestamp))
      return row
    })
    return [...lines, ...renderTable(header, rows, { indent: 4 }).split('\n')]
  })
}

function vaults(view: StatusView, t: ChalkInstance): string[] {
  const now = view.block.timestamp
  return view.vaults.flatMap((v) => {
    const perDay = `${formatAmount(v.rewardRate * 86_400n, v.rewardDecimals)} ${v.rewardSymbol}/day`
    const perSecond = t.dim(`(${formatAmount(v.rewardRate, v.rewardDecimals)} ${v.rewardSymbol}/s)`)
    // The rate stays stored after the period ends, but nothing streams any more.
    const reward =
      v.periodFinish > BigInt(now)
        ? `${perDay} ${perSecond} until ${when(Number(v.periodFinish), now)}`
        : v.periodFinish === 0n
          ? t.yellow('no reward period started')
          : `${t.yellow(`none: the period ended ${when(Number(v.periodFinish), now)}`)} ${t.dim(`(was ${perDay})`)}`
    return [
      `  ${t.bold(v.name)} ${t.dim(v.address)}`,
      ...keyValues([
        ['TVL', `${formatAmount(v.totalStaked, v.stakingDecimals)} ${v.stakingSymbol} staked`],
        ['reward rate', reward],
      ]),
    ]
  })
}

function members(view: StatusView, book: AddressBook, t: ChalkInstance): string[] {
  return view.registries.flatMap((r) => {
    const total = r.members.reduce((sum, m) => sum + m.weightBps, 0)
    const rows = r.members.map((m) => [
      m.name,
      book.label(m.token),
      book.label(m.treasury),
      percent(m.weightBps),
    ])
    rows.push([t.dim('total'), '', '', t.dim(`${percent(total)} of 100%`)])
    return [
      `  ${t.bold(r.name)} ${t.dim(r.address)}  ${r.members.length} member${r.members.length === 1 ? '' : 's'}`,
      ...renderTable(['member', 'token', 'treasury', 'weight'], rows, { indent: 4 }).split('\n'),
    ]
  })
}

function governors(view: StatusView, book: AddressBook, decode: DecodeContext, t: ChalkInstance): string[] {
  return view.governors.flatMap((g) => [
    `  ${t.bold(g.name)} ${t.dim(g.address)}`,
    ...(g.proposals.length === 0
      ? [t.dim('    No pending proposals.')]
      : // Without the list's blank lines: here a blank line ends a section.
        indent(renderProposalList(g.proposals, book, decode, t), 4).filter((l) => l !== '')),
  ])
}

function queued(view: StatusView, book: AddressBook, t: ChalkInstance): string[] {
  if (!view.queued?.length) return [t.dim('  Nothing queued.')]
  const rows = view.queued.map((q) => {
    // Counted are the signatures that recovered to current owners, not what the queue claims.
    const confirmations = q.problems.length
      ? t.red('does not verify')
      : `${q.confirmations} of ${q.threshold}`
    return [
      book.label(q.safe),
      String(q.nonce),
      q.ready ? t.green(confirmations) : confirmations,
      `${q.safeTxHash.slice(0, 10)}…`,
      q.origin ?? '',
    ]
  })
  return renderTable(['safe', 'nonce', 'confirmations', 'safeTxHash', 'description'], rows).split('\n')
}

/** Rows of label and value, aligned, under a contract's line. */
const keyValues = (rows: string[][]) => renderTable(['', ''], rows, { indent: 4 }).split('\n').slice(2)

const indent = (text: string, by: number) => text.split('\n').map((l) => (l === '' ? l : ' '.repeat(by) + l))

/** Basis points as a percentage: 4000 → "40%", 1250 → "12.5%". */
const percent = (bps: number) => `${bps / 100}%`

const utc = (time: number) => `${new Date(time * 1000).toISOString().replace('T', ' ').slice(0, 16)} UTC`

function when(time: number, now: number): string {
  const delta = time - now
  if (delta === 0) return `${utc(time)} (now)`
  const span = formatSpan(Math.abs(delta))
  return delta > 0 ? `${utc(time)} (in ${span})` : `${utc(time)} (${span} ago)`
}
