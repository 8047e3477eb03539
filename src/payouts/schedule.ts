import { readFileSync } from 'node:fs'
import { dirname, isAbsolute, join } from 'node:path'
import { z } from 'zod'
import { type InputIssue, InvalidInputFileError } from '../errors/input.js'
import type { Address } from '../safe/types.js'
import { formatAmount, parseAmount } from '../utils/units.js'
import { readYamlFile, type YamlSource } from '../utils/yamlSource.js'
import { zodIssues } from '../utils/zodIssues.js'
import type { TokenRef } from '../workspace/addressBook.js'
import type { Workspace } from '../workspace/loadWorkspace.js'
import { parseCsv } from './csv.js'
import { PERIOD_PATTERN } from './period.js'

export const PAYOUT_ROUTES = ['safe', 'treasury'] as const
export type PayoutRoute = (typeof PAYOUT_ROUTES)[number]

/** One payment the schedule asks for every period. */
export type PayoutLine = {
  recipient: Address
  token: TokenRef
  amount: bigint
  label?: string
  /** Where it was written (the schedule, or a row of its CSV), for messages a person can act on. */
  origin: { file: string; line: number }
}

export type PayoutLimits = { maxPerRecipient: bigint; maxTotal: bigint }

export type PayoutSchedule = {
  file: string
  /** The schedule's name on chain (in every memo): payouts are recognised by it, so it never changes. */
  id: string
  description: string
  safe: { name?: string; address: Address }
  route: PayoutRoute
  /** The treasury contract paying, for `route: treasury`. */
  treasury?: { name: string; address: Address }
  periods: { from?: string; until?: string }
  /** Where scans for earlier payments begin: the block the schedule was first run at, or earlier. */
  startBlock: number
  /** Calls per Safe transaction before a period is split into several. */
  maxCallsPerTransaction: number
  /** Simulated gas per Safe transaction before it is split (default: ¾ of the block gas limit). */
  maxGasPerTransaction?: bigint
  /** By token address. Every token paid has limits: a schedule cannot pay what nobody bounded. */
  limits: Map<Address, PayoutLimits>
  lines: PayoutLine[]
}

const SCHEDULE_ID = /^[a-z0-9][a-z0-9-]{0,47}$/

const amountText = z.union([z.string(), z.number()], { error: 'expected an amount like "1500.5"' })

const recipientSchema = z.strictObject({
  to: z.string({ error: 'expected an address-book name or an address' }),
  amount: amountText,
  token: z.string().optional(),
  label: z.string().max(80, 'keep the label under 80 characters').optional(),
})

const scheduleSchema = z
  .strictObject({
    version: z.literal(1, { error: 'expected version: 1' }),
    schedule: z
      .string({ error: 'expected the schedule name (lowercase letters, digits, "-")' })
      .regex(
        SCHEDULE_ID,
        'a schedule name is 1–48 lowercase letters, digits or "-", starting with a letter or digit',
      ),
    description: z.string().default(''),
    safe: z.string({ error: 'expected the paying Safe: a name from alliance.yaml or an address' }),
    route: z.enum(PAYOUT_ROUTES, { error: `expected one of: ${PAYOUT_ROUTES.join(', ')}` }).default('safe'),
    treasury: z.string().optional(),
    token: z.string().optional(),
    periods: z
      .strictObject({
        from: z.string().regex(PERIOD_PATTERN, 'expected a month like 2026-09').optional(),
        until: z.string().regex(PERIOD_PATTERN, 'expected a month like 2026-12').optional(),
      })
      .default({}),
    startBlock: z.number().int().min(0).default(0),
    batch: z
      .strictObject({
        maxCalls: z.number().int().min(1).max(500).default(50),
        /** Simulated gas above which a transaction is split; default three quarters of the block gas limit. */
        maxGas: z.number().int().min(50_000).optional(),
      })
      .prefault({}),
    limits: z.record(z.string(), z.strictObject({ maxPerRecipient: amountText, maxTotal: amountText }), {
      error: 'expected limits per token: { TOKEN: { maxPerRecipient, maxTotal } }',
    }),
    recipients: z.array(z.unknown(), { error: 'expected a list of recipients' }).optional(),
    recipientsCsv: z.string().optional(),
  })
  .refine((s) => (s.recipients === undefined) !== (s.recipientsCsv === undefined), {
    message:
      'give the recipients either inline (recipients:) or from a file (recipientsCsv:), one of the two',
    path: ['recipients'],
  })

/**
 * Reads and checks a payout schedule completely before anything is built: every row resolved (names,
 * decimals), no recipient twice for a token, every amount positive and within the token's precision, each
 * within its per-recipient limit, and the running total within the token's limit. Every problem is
 * reported at once, at the file, line and field a person has to edit.
 */
export function loadPayoutSchedule(file: string, workspace: Workspace): PayoutSchedule {
  const source = readYamlFile(file, 'Payout schedule')
  const top = scheduleSchema.safeParse(source.data ?? {})
  if (!top.success) throw new InvalidInputFileError(file, zodIssues(source, top.error), 'payout schedule')
  const s = top.data
  const book = workspace.book
  const issues: InputIssue[] = []

  const safe = book.resolveSafe(s.safe)
  if (!safe.ok) issues.push(source.issue(['safe'], safe.reason))

  let treasury: PayoutSchedule['treasury']
  if (s.route === 'treasury') {
    const t = book.resolveContract(s.treasury, ['treasury'])
    if (t.ok) treasury = { name: t.value.name, address: t.value.address }
    else issues.push(source.issue(['treasury'], t.reason))
  } else if (s.treasury !== undefined) {
    issues.push(source.issue(['treasury'], 'a treasury is only used with route: treasury'))
  }

  let defaultToken: TokenRef | undefined
  if (s.token !== undefined) {
    const t = book.resolveToken(s.token)
    if (t.ok) defaultToken = t.value
    else issues.push(source.issue(['token'], t.reason))
  }

  if (s.periods.from && s.periods.until && s.periods.from > s.periods.until)
    issues.push(
      source.issue(
        ['periods', 'until'],
        `the last period ${s.periods.until} is before the first ${s.periods.from}`,
      ),
    )

  const rawLimits = new Map<
    Address,
    { token: TokenRef; key: string; raw: { maxPerRecipient: unknown; maxTotal: unknown } }
  >()
  for (const [key, raw] of Object.entries(s.limits)) {
    const t = book.resolveToken(key)
    if (!t.ok) {
      issues.push(source.issue(['limits', key], t.reason, 'key'))
      continue
    }
    rawLimits.set(t.value.address, { token: t.value, key, raw })
  }
  const limits = new Map<Address, PayoutLimits>()
  for (const [address, { token, key, raw }] of rawLimits) {
    const perRecipient = parseAmount(raw.maxPerRecipient, token.decimals, 'limit')
    const total = parseAmount(raw.maxTotal, token.decimals, 'limit')
    if (!perRecipient.ok) issues.push(source.issue(['limits', key, 'maxPerRecipient'], perRecipient.reason))
    if (!total.ok) issues.push(source.issue(['limits', key, 'maxTotal'], total.reason))
    if (perRecipient.ok && total.ok)
      limits.set(address, { maxPerRecipient: perRecipient.value, maxTotal: total.value })
  }

  const rows =
    s.recipients !== undefined
      ? inlineRows(source, s.recipients, issues)
      : csvRows(csvPath(file, s.recipientsCsv!), source, issues)

  const lines: PayoutLine[] = []
  const firstSeen = new Map<string, PayoutLine>()
  const totals = new Map<Address, bigint>()
  for (const row of rows) {
    if (row.token === undefined && s.token === undefined) {
      row.fail('token', 'no token: give one here or a default "token:" in the schedule')
      continue
    }
    const own = row.token === undefined ? undefined : book.resolveToken(row.token)
    if (own && !own.ok) {
      row.fail('token', own.reason)
      continue
    }
    const token = own ? own.value : defaultToken
    if (!token) continue // the schedule's default token failed; reported there
    const recipient = book.resolveAddress(row.to)
    if (!recipient.ok) row.fail('to', recipient.reason)
    const amount = parseAmount(row.amount, token.decimals)
    if (!amount.ok) row.fail('amount', amount.reason)
    else if (amount.value === 0n) row.fail('amount', 'the amount must be greater than zero')
    if (s.route === 'safe' && token.kind === 'native')
      row.fail(
        'token',
        'a Safe transfer of the native coin carries no memo to recognise it by: use route: treasury',
      )
    if (!recipient.ok || !amount.ok || amount.value === 0n) continue
    if (safe.ok && recipient.value === safe.value.address) {
      row.fail('to', 'the paying Safe cannot pay itself')
      continue
    }

    const line: PayoutLine = {
      recipient: recipient.value,
      token,
      amount: amount.value,
      ...(row.label ? { label: row.label } : {}),
      origin: { file: row.file, line: row.line },
    }
    const key = `${line.recipient}|${token.address}`
    const earlier = firstSeen.get(key)
    if (earlier) {
      row.fail(
        'to',
        `${row.to} is paid ${token.symbol} twice: also on line ${earlier.origin.line}; merge the two rows`,
      )
      continue
    }
    firstSeen.set(key, line)

    const limit = limits.get(token.address)
    if (!limit) {
      if (!rawLimits.has(token.address))
        row.fail(
          'token',
          `no limits for ${token.symbol}: add limits.${token.symbol}: { maxPerRecipient, maxTotal }`,
        )
      continue
    }
    if (line.amount > limit.maxPerRecipient) {
      row.fail(
        'amount',
        `${formatAmount(line.amount, token.decimals)} ${token.symbol} is over maxPerRecipient ${formatAmount(limit.maxPerRecipient, token.decimals)}`,
      )
      continue
    }
    const total = (totals.get(token.address) ?? 0n) + line.amount
    totals.set(token.address, total)
    if (total > limit.maxTotal && total - line.amount <= limit.maxTotal)
      row.fail(
        'amount',
        `this row brings the ${token.symbol} total to ${formatAmount(total, token.decimals)}, over maxTotal ${formatAmount(limit.maxTotal, token.decimals)}`,
      )
    lines.push(line)
  }
  if (rows.length === 0 && issues.length === 0)
    issues.push(source.issue(['recipients'], 'the schedule pays nobody'))

  if (issues.length || !safe.ok) throw new InvalidInputFileError(file, issues, 'payout schedule')
  return {
    file,
    id: s.schedule,
    description: s.description,
    safe: safe.value,
    route: s.route,
    ...(treasury ? { treasury } : {}),
    periods: s.periods,
    startBlock: s.startBlock,
    maxCallsPerTransaction: s.batch.maxCalls,
    ...(s.batch.maxGas !== undefined ? { maxGasPerTransaction: BigInt(s.batch.maxGas) } : {}),
    limits,
    lines,
  }
}

/** A recipient row from either place, with a way to report a problem at one of its fields. */
type RawRow = {
  file: string
  line: number
  to: string
  amount: unknown
  token?: string
  label?: string
  fail(field: 'to' | 'amount' | 'token', message: string): void
}

function inlineRows(source: YamlSource, recipients: unknown[], issues: InputIssue[]): RawRow[] {
  const rows: RawRow[] = []
  recipients.forEach((raw, i) => {
    const parsed = recipientSchema.safeParse(raw)
    if (!parsed.success) {
      issues.push(...zodIssues(source, parsed.error, ['recipients', i]))
      return
    }
    const r = parsed.data
    rows.push({
      file: source.file,
      line: source.locate(['recipients', i]).line,
      to: r.to,
      amount: r.amount,
      ...(r.token !== undefined ? { token: r.token } : {}),
      ...(r.label !== undefined ? { label: r.label } : {}),
      fail: (field, message) => issues.push(source.issue(['recipients', i, field], message)),
    })
  })
  return rows
}

const CSV_COLUMNS = ['to', 'amount', 'token', 'label'] as const

function csvRows(path: string, schedule: YamlSource, issues: InputIssue[]): RawRow[] {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch {
    issues.push(schedule.issue(['recipientsCsv'], `cannot read ${path}`))
    return []
  }
  const parsed = parseCsv(text.replace(/^\uFEFF/, ''))
  if (!parsed.ok) {
    issues.push({ file: path, line: parsed.line, column: 1, field: '', message: `CSV: ${parsed.reason}` })
    return []
  }
  const [header, ...body] = parsed.rows
  if (!header) {
    issues.push({
      file: path,
      line: 1,
      column: 1,
      field: '',
      message: 'the CSV is empty; expected a header: to,amount[,token][,label]',
    })
    return []
  }
  const names = header.cells.map((c) => c.trim().toLowerCase())
  const unknown = names.filter((n) => !(CSV_COLUMNS as readonly string[]).includes(n))
  const missing = ['to', 'amount'].filter((n) => !names.includes(n))
  if (unknown.length || missing.length || new Set(names).size !== names.length) {
    issues.push({
      file: path,
      line: header.line,
      column: 1,
      field: 'header',
      message: `expected the columns to,amount and optionally token,label (got ${header.cells.join(',')})`,
    })
    return []
  }
  const column = (cells: string[], name: string) => {
    const i = names.indexOf(name)
    const value = i < 0 ? undefined : cells[i]?.trim()
    return value === '' ? undefined : value
  }
  const rows: RawRow[] = []
  for (const row of body) {
    const at = (field: string, message: string) =>
      issues.push({
        file: path,
        line: row.line,
        column: 1,
        field: `row ${row.line}${field ? ` ${field}` : ''}`,
        message,
      })
    if (row.cells.length !== names.length) {
      at('', `expected ${names.length} cells, found ${row.cells.length}`)
      continue
    }
    const to = column(row.cells, 'to')
    const amount = column(row.cells, 'amount')
    if (to === undefined || amount === undefined) {
      at(to === undefined ? 'to' : 'amount', 'empty cell')
      continue
    }
    const token = column(row.cells, 'token')
    const label = column(row.cells, 'label')
    rows.push({
      file: path,
      line: row.line,
      to,
      amount,
      ...(token !== undefined ? { token } : {}),
      ...(label !== undefined ? { label } : {}),
      fail: (field, message) => at(field, message),
    })
  }
  return rows
}

function csvPath(scheduleFile: string, csv: string): string {
  if (isAbsolute(csv)) return csv
  return join(dirname(scheduleFile), csv)
}
