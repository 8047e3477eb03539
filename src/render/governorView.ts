import type { ChalkInstance } from 'chalk'
import { toBeHex } from 'ethers'
import { type DecodeContext, decodeCall } from '../decode/decodeCall.js'
import { formatArgsInUnits, formatEth } from '../decode/formatValue.js'
import { type ProposalListEntry, proposalTitle } from '../governor/listProposals.js'
import type { ProposalStatus, Timepoint } from '../governor/proposalStatus.js'
import type { GovernorInfo } from '../governor/readGovernor.js'
import type { GovernorProposal } from '../governor/types.js'
import type { Address, Hex } from '../safe/types.js'
import { formatAmount, formatSpan } from '../utils/units.js'
import type { AddressBook } from '../workspace/addressBook.js'
import { renderDecodedCall } from './decodedView.js'
import { renderTable } from './table.js'

/** A proposal id as explorers show it (decimal) and as it is hashed (hex). */
export const proposalIdLines = (id: bigint) => [id.toString(), toBeHex(id, 32)]

/** The ids computed locally, and each call decoded: what a proposer checks before sending. */
export function renderProposal(
  proposal: GovernorProposal,
  info: GovernorInfo,
  book: AddressBook,
  decode: DecodeContext,
  t: ChalkInstance,
): string {
  const out = [t.bold(`Governor proposal to ${book.label(info.address)} (${info.address})`)]
  out.push(...renderCalls(proposal, book, decode, t))
  const [decimal, hex] = proposalIdLines(proposal.proposalId)
  const rows: [string, string][] = [['descriptionHash', proposal.descriptionHash]]
  if (info.proposalNumbering === 'sequential') {
    rows.push(['proposal hash', `${decimal} (this governor numbers proposals; the id is given at propose)`])
  } else {
    rows.push(['proposalId', decimal!], ['', t.dim(hex!)])
  }
  if (proposal.timelockOperationId) {
    rows.push(
      ['timelock op id', proposal.timelockOperationId],
      ['timelock salt', t.dim(proposal.timelockSalt ?? '')],
    )
  }
  out.push('', t.bold('Ids (computed locally)'), ...keyValues(rows))
  return out.join('\n')
}

function renderCalls(
  proposal: Pick<GovernorProposal, 'targets' | 'values' | 'calldatas'>,
  book: AddressBook,
  decode: DecodeContext,
  t: ChalkInstance,
): string[] {
  return proposal.targets.map((to, i) =>
    renderDecodedCall(
      decodeCall({ to, value: proposal.values[i] ?? 0n, data: proposal.calldatas[i]!, operation: 0 }, decode),
      book,
      t,
      0,
      i + 1,
    ),
  )
}

/** One line per call: `target.function(args in units)`, for lists. */
export function describeCalls(
  proposal: Pick<GovernorProposal, 'targets' | 'values' | 'calldatas'>,
  book: AddressBook,
  decode: DecodeContext,
): string[] {
  return proposal.targets.map((to, i) => {
    const call = decodeCall(
      { to, value: proposal.values[i] ?? 0n, data: proposal.calldatas[i]!, operation: 0 },
      decode,
    )
    const value = call.value ? ` + ${formatEth(call.value)}` : ''
    if (!call.functionName)
      return `${book.label(to)} ${call.data === '0x' ? 'transfer' : `${call.data.slice(0, 10)}…`}${value}`
    return `${book.label(to)}.${call.functionName}(${formatArgsInUnits(call, book)})${value}`
  })
}

export function renderStatus(
  s: ProposalStatus,
  book: AddressBook,
  decode: DecodeContext,
  t: ChalkInstance,
  tokenDecimals = 18,
): string {
  const [decimal, hex] = proposalIdLines(s.proposalId)
  const out = [
    `${t.bold(proposalTitle(s.description) || 'Proposal')}  ${stateBadge(s.state, t)}`,
    t.dim(`${book.label(s.governor.address)} · proposal ${decimal}`),
    '',
  ]
  const votes = (n: bigint) => formatAmount(n, tokenDecimals)
  const rows: [string, string][] = [
    ['id', `${decimal!}`],
    ['', t.dim(hex!)],
    ['proposer', `${book.label(s.proposer)} (${s.proposer})`],
    ['created', `block ${s.created.blockNumber}, tx ${s.created.transactionHash}`],
    ['voting opens', when(s.voteStart, s.now, t)],
    ['voting closes', when(s.voteEnd, s.now, t)],
    ['for', votes(s.votes.for)],
    ['against', votes(s.votes.against)],
    ['abstain', votes(s.votes.abstain)],
  ]
  if (s.quorum !== undefined)
    rows.push([
      'quorum',
      `${votes(s.quorum)} (for + abstain: ${s.quorumReached ? t.green('reached') : t.yellow('not reached')})`,
    ])
  else rows.push(['quorum', t.dim('known once the snapshot is past')])
  if (s.eta) rows.push(['eta', whenSeconds(s.eta.time, s.now.time)])
  if (s.timelock) rows.push(['timelock op', `${s.timelock.operationId} (${s.timelock.state})`])
  rows.push(['descriptionHash', s.descriptionHash])
  out.push(...keyValues(rows), '', t.bold('Calls'), ...renderCalls(s.proposal, book, decode, t))
  out.push('', t.dim(`read at block ${s.blockNumber}; governor clock: ${s.governor.clockMode}`))
  return out.join('\n')
}

export function renderProposalList(
  entries: ProposalListEntry[],
  book: AddressBook,
  decode: DecodeContext,
  t: ChalkInstance,
): string {
  if (entries.length === 0) return t.dim('No proposals.')
  const out: string[] = []
  for (const e of entries) {
    out.push(`${stateBadge(e.state, t)} ${t.bold(proposalTitle(e.description) || '(no title)')}`)
    out.push(t.dim(`  id ${e.proposalId}`))
    const history = [`proposed by ${book.label(e.proposer)} in block ${e.created.blockNumber}`]
    if (e.queued)
      history.push(
        `queued in ${e.queued.blockNumber} (eta ${new Date(Number(e.queued.eta) * 1000).toISOString()})`,
      )
    if (e.executed) history.push(`executed in ${e.executed.blockNumber}`)
    if (e.canceled) history.push(`canceled in ${e.canceled.blockNumber}`)
    out.push(t.dim(`  ${history.join(', ')}`))
    for (const [i, line] of describeCalls(e, book, decode).entries()) out.push(`  ${i + 1}. ${line}`)
    out.push('')
  }
  return out.join('\n').trimEnd()
}

/** A transaction the command sent, as the user checks it on an explorer. */
export function renderSent(
  what: string,
  sent: { from: Address; transactionHash: Hex; blockNumber: number; gasUsed: bigint; value?: bigint },
  book: AddressBook,
  t: ChalkInstance,
): string {
  const value = sent.value ? `, sent ${formatEth(sent.value)}` : ''
  return `${t.green('✔')} ${what}\n  tx ${sent.transactionHash} (block ${sent.blockNumber}, gas ${sent.gasUsed}) from ${book.label(sent.from)}${value}`
}

function keyValues(rows: [string, string][]): string[] {
  return renderTable(['', ''], rows).split('\n').slice(2)
}

const STATE_COLOUR: Record<string, (t: ChalkInstance) => ChalkInstance> = {
  Pending: (t) => t.cyan,
  Active: (t) => t.blue,
  Succeeded: (t) => t.green,
  Queued: (t) => t.magenta,
  Executed: (t) => t.green,
  Defeated: (t) => t.red,
  Canceled: (t) => t.dim,
  Expired: (t) => t.dim,
}
const stateBadge = (state: string, t: ChalkInstance) => (STATE_COLOUR[state]?.(t) ?? t.white)(`[${state}]`)

function when(tp: Timepoint, now: Timepoint, t: ChalkInstance): string {
  const approx = tp.estimated ? t.dim(' (estimated)') : ''
  return `clock ${tp.clock}, ${whenSeconds(tp.time, now.time)}${approx}`
}

function whenSeconds(time: number, now: number): string {
  const iso = `${new Date(time * 1000).toISOString().replace('T', ' ').slice(0, 16)} UTC`
  const delta = time - now
  if (delta === 0) return `${iso} (now)`
  const span = formatSpan(Math.abs(delta))
  return delta > 0 ? `${iso} (in ${span})` : `${iso} (${span} ago)`
}
