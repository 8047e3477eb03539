import { z } from 'zod'

export const PAYOUT_RUN_FORMAT = 'alliance-payout-run'
export const PAYOUT_RUN_FORMAT_VERSION = 1

const decimal = z.string().regex(/^\d+$/, 'base units as a decimal string')
const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/)
const hash = z.string().regex(/^0x[0-9a-fA-F]{64}$/)

/**
 * The `data` of `payouts plan --json` and `payouts run --json`: a stable, versioned shape for scripts.
 * Amounts are base units as decimal strings (formatted beside them); every payout of the period appears
 * with its state after the run. Within a version fields are only ever added.
 */
export const payoutRunSchema = z.strictObject({
  format: z.literal(PAYOUT_RUN_FORMAT),
  formatVersion: z.literal(PAYOUT_RUN_FORMAT_VERSION),
  schedule: z.string(),
  period: z.string().regex(/^\d{4}-\d{2}$/),
  mode: z.enum(['plan', 'propose', 'execute']),
  safe: address,
  route: z.enum(['safe', 'treasury']),
  outcome: z.enum(['nothing-to-do', 'planned', 'proposed', 'executed', 'waiting']),
  /** true: exit 0 (something planned, proposed or executed); false: exit 2 (nothing to do). */
  changed: z.boolean(),
  payouts: z.array(
    z.strictObject({
      recipient: address,
      label: z.string().optional(),
      token: address,
      symbol: z.string(),
      amount: decimal,
      amountFormatted: z.string(),
      state: z.enum(['paid', 'proposed', 'due']),
      transactionHash: hash.optional(),
      safeTxHash: hash.optional(),
    }),
  ),
  totals: z.array(
    z.strictObject({
      token: address,
      symbol: z.string(),
      decimals: z.number().int(),
      scheduled: decimal,
      paid: decimal,
      proposed: decimal,
      due: decimal,
      /** The payer's balance (the Safe's, or the treasury's) before this run. */
      balance: decimal,
      budgetRemaining: decimal.optional(),
    }),
  ),
  transactions: z.strictObject({
    planned: z.array(
      z.strictObject({
        safeTxHash: hash,
        nonce: decimal,
        payments: z.number().int(),
        gasUsed: decimal.optional(),
        planFile: z.string().optional(),
      }),
    ),
    proposed: z.array(
      z.strictObject({
        safeTxHash: hash,
        nonce: decimal,
        payments: z.number().int(),
        alreadyQueued: z.boolean(),
      }),
    ),
    executed: z.array(
      z.strictObject({
        safeTxHash: hash,
        nonce: decimal,
        transactionHash: hash,
        blockNumber: z.number().int(),
        payments: z.number().int(),
      }),
    ),
    waiting: z.array(z.strictObject({ safeTxHash: hash, nonce: decimal, reason: z.string() })),
  }),
  /** Payments of the period to a recipient and token the schedule no longer lists. */
  unlisted: z.array(
    z.strictObject({ recipient: address, token: address, amount: decimal, transactionHash: hash }),
  ),
  findings: z.array(z.strictObject({ level: z.enum(['warning', 'danger']), message: z.string() })),
  ledger: z.string(),
})

export type PayoutRunView = z.infer<typeof payoutRunSchema>

/** The payout run's JSON Schema (draft 2020-12), as published in docs/schemas/. */
export function payoutRunJsonSchema(): Record<string, unknown> {
  return {
    $id: `https://alliance.local/schemas/payout-run.v${PAYOUT_RUN_FORMAT_VERSION}.json`,
    title: `alliance payout run, version ${PAYOUT_RUN_FORMAT_VERSION}`,
    description:
      'The `data` of `alliance payouts plan --json` and `alliance payouts run --json`. Amounts are base units as decimal strings.',
    ...z.toJSONSchema(payoutRunSchema),
  }
}

export const PAYOUT_RUN_SCHEMA_FILE = `docs/schemas/payout-run.v${PAYOUT_RUN_FORMAT_VERSION}.json`
