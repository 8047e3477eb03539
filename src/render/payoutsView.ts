import type { ChalkInstance } from 'chalk'
import type { PayoutRunMode, PayoutRunResult } from '../payouts/runPayouts.js'
import type { PayoutSchedule } from '../payouts/schedule.js'
import { formatAmount } from '../utils/units.js'
import type { AddressBook } from '../workspace/addressBook.js'
import { PAYOUT_RUN_FORMAT, PAYOUT_RUN_FORMAT_VERSION, type PayoutRunView } from './payoutRunSchema.js'

export type { PayoutRunView }

export function payoutRunView(
  result: PayoutRunResult,
  p: { schedule: PayoutSchedule; mode: PayoutRunMode; ledger: string; planFiles?: string[] },
): PayoutRunView {
  const proposedHere = new Set(result.proposed.map((x) => x.safeTxHash))
  const executedHere = new Map(result.executed.map((x) => [x.safeTxHash, x.transactionHash]))
  const batchOf = (recipient: string, token: string) =>
    result.batches.find((b) => b.lines.some((l) => l.recipient === recipient && l.token.address === token))
  const payouts = result.reconciliation.items.map((item) => {
    const { line, status } = item
    const base = {
      recipient: line.recipient,
      ...(line.label ? { label: line.label } : {}),
      token: line.token.address,
      symbol: line.token.symbol,
      amount: line.amount.toString(),
      amountFormatted: formatAmount(line.amount, line.token.decimals),
    }
    if (status.state === 'paid')
      return { ...base, state: 'paid' as const, transactionHash: status.payments[0]!.transactionHash }
    const safeTxHash =
      status.state === 'proposed'
        ? status.safeTxHash
        : batchOf(line.recipient, line.token.address)?.plan.hashes.safeTxHash
    const executedIn = safeTxHash ? executedHere.get(safeTxHash) : undefined
    if (executedIn)
      return { ...base, state: 'paid' as const, transactionHash: executedIn, safeTxHash: safeTxHash! }
    if (status.state === 'proposed' || (safeTxHash && proposedHere.has(safeTxHash)))
      return { ...base, state: 'proposed' as const, safeTxHash: safeTxHash! }
    return { ...base, state: 'due' as const }
  })
  return {
    format: PAYOUT_RUN_FORMAT,
    formatVersion: PAYOUT_RUN_FORMAT_VERSION,
    schedule: p.schedule.id,
    period: result.reconciliation.period,
    mode: p.mode,
    safe: p.schedule.safe.address,
    route: p.schedule.route,
    outcome: result.outcome,
    changed: result.changed,
    payouts,
    // Paid, proposed and due as they stand after this run (the payouts above), not as the run found them.
    totals: result.totals.map((t) => {
      const sum = (state: string) =>
        payouts
          .filter((x) => x.token === t.token.address && x.state === state)
          .reduce((total, x) => total + BigInt(x.amount), 0n)
          .toString()
      return {
        token: t.token.address,
        symbol: t.token.symbol,
        decimals: t.token.decimals,
        scheduled: t.scheduled.toString(),
        paid: sum('paid'),
        proposed: sum('proposed'),
        due: sum('due'),
        balance: t.balance.toString(),
        ...(t.budgetRemaining !== undefined ? { budgetRemaining: t.budgetRemaining.toString() } : {}),
      }
    }),
    transactions: {
      planned: result.batches.map((b, i) => ({
        safeTxHash: b.plan.hashes.safeTxHash,
        nonce: b.plan.safeTx.nonce.toString(),
        payments: b.lines.length,
        ...(b.simulation ? { gasUsed: b.simulation.gasUsed.toString() } : {}),
        ...(p.planFiles?.[i] ? { planFile: p.planFiles[i] } : {}),
      })),
      proposed: result.proposed.map((x) => ({ ...x, nonce: x.nonce.toString() })),
      executed: result.executed.map((x) => ({ ...x, nonce: x.nonce.toString() })),
      waiting: result.waiting.map((x) => ({ ...x, nonce: x.nonce.toString() })),
    },
    unlisted: result.reconciliation.unlisted.map((u) => ({
      recipient: u.recipient,
      token: u.token,
      amount: u.amount.toString(),
      transactionHash: u.transactionHash,
    })),
    findings: [...result.reconciliation.findings, ...result.ledgerFindings],
    ledger: p.ledger,
  }
}

const OUTCOME_WORDS: Record<PayoutRunResult['outcome'], string> = {
  'nothing-to-do': 'nothing to do',
  planned: 'planned',
  proposed: 'proposed to the queue',
  executed: 'executed',
  waiting: 'waiting for confirmations',
}

/** The run for a person: each payout with its state, totals per token, what was done, findings. */
export function renderPayoutRun(view: PayoutRunView, book: AddressBook, t: ChalkInstance): string {
  const out: string[] = []
  out.push(
    t.bold(`Payouts ${view.schedule} ${view.period}`) + `  from ${book.label(view.safe)} (${view.route})`,
  )
  const width = Math.max(0, ...view.payouts.map((x) => book.label(x.recipient).length))
  for (const x of view.payouts) {
    const state =
      x.state === 'paid'
        ? t.green(`paid      ${x.transactionHash}`)
        : x.state === 'proposed'
          ? t.cyan(`proposed  ${x.safeTxHash}`)
          : t.yellow('due')
    const who = book.label(x.recipient).padEnd(width)
    out.push(
      `  ${who}  ${`${x.amountFormatted} ${x.symbol}`.padStart(18)}  ${state}${x.label ? t.dim(`  ${x.label}`) : ''}`,
    )
  }
  out.push('')
  out.push(t.bold('Totals'))
  for (const total of view.totals) {
    const decimals = total.decimals
    const f = (v: string) => `${formatAmount(BigInt(v), decimals)} ${total.symbol}`
    const budget =
      total.budgetRemaining === undefined ? '' : `, epoch budget left ${f(total.budgetRemaining)}`
    out.push(
      `  ${total.symbol}: ${f(total.scheduled)} scheduled · ${f(total.paid)} paid · ${f(total.proposed)} proposed · ${f(total.due)} due · payer held ${f(total.balance)}${budget} before this run`,
    )
  }
  const tx = view.transactions
  if (tx.planned.length) {
    out.push('')
    out.push(t.bold(view.mode === 'plan' ? 'Would propose' : 'Built'))
    for (const b of tx.planned)
      out.push(
        `  nonce ${b.nonce}  ${b.safeTxHash}  ${b.payments} payment${b.payments === 1 ? '' : 's'}${b.gasUsed ? `, ${Number(b.gasUsed).toLocaleString('en-US')} gas simulated` : ''}${b.planFile ? `  → ${b.planFile}` : ''}`,
      )
  }
  for (const b of tx.proposed)
    out.push(
      `${t.green('✔')} proposed nonce ${b.nonce} ${b.safeTxHash}${b.alreadyQueued ? ' (it was already queued)' : ''}`,
    )
  for (const b of tx.executed)
    out.push(`${t.green('✔')} executed nonce ${b.nonce} ${b.safeTxHash} in ${b.transactionHash}`)
  for (const b of tx.waiting) out.push(`${t.yellow('…')} nonce ${b.nonce} ${b.safeTxHash}: ${b.reason}`)
  if (view.unlisted.length) {
    out.push('')
    out.push(t.yellow(`Paid for ${view.period} but no longer in the schedule:`))
    for (const u of view.unlisted)
      out.push(`  ${book.label(u.recipient)} ${u.amount} of ${book.label(u.token)} in ${u.transactionHash}`)
  }
  for (const f of view.findings) out.push((f.level === 'danger' ? t.red : t.yellow)(`! ${f.message}`))
  out.push('')
  out.push(`${t.bold('Outcome')}: ${OUTCOME_WORDS[view.outcome]}${view.changed ? '' : ' (exit 2)'}`)
  return out.join('\n')
}
