import { z } from 'zod'
import { namedAddress } from '../../report/schema.js'

/**
 * The history report: what `history replay --json` prints as `data.report`, and what the terminal,
 * Markdown and HTML renderers draw. Like the simulation report it is display-ready (names resolved, calls
 * in words) and plain JSON (integers as decimal strings), and compact on purpose: one entry per execution
 * or proposal, no traces or raw logs, so a history of 10,000 executions stays a few megabytes.
 * `reportVersion` changes when a field is removed or changes meaning; optional fields may be added.
 */
export const HISTORY_REPORT_VERSION = 1 as const

const hex = z.string().regex(/^0x[0-9a-fA-F]*$/)
const hash = z.string().regex(/^0x[0-9a-fA-F]{64}$/)
const decimal = z.string().regex(/^-?\d+$/)

export const historyFindingLevel = z.enum(['error', 'warning', 'info'])

/** `error`: the chain's record and the recomputation disagree; `warning`: a fact a reader must see; `info`: context. */
export const historyFinding = z.object({
  code: z.string(),
  level: historyFindingLevel,
  message: z.string(),
  transactionHash: hash.optional(),
})

/** One leaf call of an execution or a proposal, in words. */
const action = z.object({
  /** An alliance action kind (`allocate-treasury`, `transfer`, …) or `raw` / `call` when none matches. */
  kind: z.string(),
  text: z.string(),
  target: namedAddress,
  operation: z.enum(['call', 'delegatecall']),
  valueWei: decimal,
  selector: hex.optional(),
})

const signer = z.object({
  kind: z.enum(['eoa', 'eth_sign', 'approved-hash', 'contract']),
  signer: namedAddress,
  /** An owner at the parent block. */
  owner: z.boolean(),
  valid: z.boolean(),
  evidence: z
    .enum(['ecdsa', 'eth_sign', 'executor', 'approved-before-block', 'approved-in-block', 'isValidSignature'])
    .optional(),
  reason: z.string().optional(),
})

/**
 * Attached by `--resimulate` (src/history/resimulate.ts) when it runs: its own fields are its own, the
 * findings are counted in the summary like the others.
 */
const resimulation = z.looseObject({ findings: z.array(historyFinding) })

const safeExecution = z.object({
  blockNumber: z.number().int().nonnegative(),
  transactionHash: hash,
  logIndex: z.number().int().nonnegative(),
  /** The Safe's nonce when it ran; absent when the call could not be recovered. */
  nonce: decimal.optional(),
  success: z.boolean(),
  /** How the execTransaction call was found: the transaction's own input, or its call trace (nested Safe, relayer). */
  via: z.enum(['transaction', 'trace']).optional(),
  executor: namedAddress.optional(),
  /** The Safe's VERSION() at the parent block. */
  version: z.string(),
  safeTxHash: z.object({
    logged: hash,
    /** alliance's own EIP-712 hash of the recovered fields. */
    recomputed: hash.optional(),
    /** The Safe's getTransactionHash for the same fields at the parent block. */
    chain: hash.optional(),
  }),
  threshold: z.number().int().nonnegative(),
  owners: z.array(namedAddress),
  signers: z.array(signer),
  batch: z.enum(['single', 'multisend-call-only', 'multisend', 'delegatecall']).optional(),
  actions: z.array(action),
  findings: z.array(historyFinding),
  /** No error finding. */
  verified: z.boolean(),
  resimulation: resimulation.optional(),
})

const configChange = z.object({
  blockNumber: z.number().int().nonnegative(),
  transactionHash: hash,
  logIndex: z.number().int().nonnegative(),
  kind: z.enum([
    'setup',
    'owner-added',
    'owner-removed',
    'threshold-changed',
    'module-enabled',
    'module-disabled',
    'guard-changed',
    'module-guard-changed',
    'fallback-handler-changed',
  ]),
  text: z.string(),
  address: namedAddress.optional(),
  owners: z.array(namedAddress).optional(),
  threshold: z.number().int().nonnegative().optional(),
})

const findingCounts = z.object({
  error: z.number().int().nonnegative(),
  warning: z.number().int().nonnegative(),
  info: z.number().int().nonnegative(),
})

const range = {
  chainId: decimal,
  fromBlock: z.number().int().nonnegative(),
  /** Pinned when the replay started: every read of one replay sees the same chain. */
  toBlock: z.number().int().nonnegative(),
}

const header = {
  reportVersion: z.literal(HISTORY_REPORT_VERSION),
  generatedBy: z.string(),
  generatedAt: z.string(),
}

/**
 * Attached by the Transaction Service reconciliation (src/history/reconcileService.ts) when a service is
 * configured; its findings are counted in the summary.
 */
const reconciliation = z.looseObject({ findings: z.array(historyFinding) })

export const safeHistoryReportSchema = z.object({
  ...header,
  kind: z.literal('safe-history'),
  subject: z.object({ safe: namedAddress, ...range }),
  summary: z.object({
    executions: z.number().int().nonnegative(),
    succeeded: z.number().int().nonnegative(),
    failed: z.number().int().nonnegative(),
    verified: z.number().int().nonnegative(),
    configChanges: z.number().int().nonnegative(),
    findings: findingCounts,
    /** How often each finding code occurs. */
    byCode: z.record(z.string(), z.number().int().nonnegative()),
  }),
  executions: z.array(safeExecution),
  configChanges: z.array(configChange),
  reconciliation: reconciliation.optional(),
})

const proposalEvent = z.object({
  blockNumber: z.number().int().nonnegative(),
  transactionHash: hash,
  logIndex: z.number().int().nonnegative(),
  kind: z.enum([
    'created',
    'vote',
    'queued',
    'extended',
    'executed',
    'canceled',
    'timelock-scheduled',
    'timelock-executed',
    'timelock-cancelled',
  ]),
  text: z.string(),
})

const tally = z.object({ for: decimal, against: decimal, abstain: decimal })

const proposal = z.object({
  proposalId: decimal,
  /** What the logged fields give (hashProposal, or the governor's getProposalId for sequential ids). */
  recomputedProposalId: decimal.optional(),
  /** The last lifecycle event seen in the range. */
  status: z.enum(['created', 'queued', 'executed', 'canceled', 'unknown']),
  proposer: namedAddress.optional(),
  /** The description's first line, without Markdown heading marks. */
  title: z.string().optional(),
  description: z.string().optional(),
  descriptionHash: hash.optional(),
  timelockOperationId: hash.optional(),
  created: z.object({ blockNumber: z.number().int(), transactionHash: hash }).optional(),
  votes: z.object({
    count: z.number().int().nonnegative(),
    /** Summed from the VoteCast events. */
    tally,
    /** The governor's proposalVotes at the end block. */
    onChain: tally.optional(),
  }),
  actions: z.array(action),
  timeline: z.array(proposalEvent),
  findings: z.array(historyFinding),
})

export const governorHistoryReportSchema = z.object({
  ...header,
  kind: z.literal('governor-history'),
  subject: z.object({
    governor: namedAddress,
    timelock: namedAddress.optional(),
    numbering: z.enum(['hash', 'sequential']),
    ...range,
  }),
  summary: z.object({
    proposals: z.number().int().nonnegative(),
    executed: z.number().int().nonnegative(),
    canceled: z.number().int().nonnegative(),
    timelockOperations: z.number().int().nonnegative(),
    findings: findingCounts,
    byCode: z.record(z.string(), z.number().int().nonnegative()),
  }),
  proposals: z.array(proposal),
  /** Timelock operations that did not go through the governor, and proposer grants that allow it. */
  bypass: z.array(historyFinding.extend({ operationId: hash.optional() })),
  /** Findings about the governor as a whole (a timelock switch). */
  findings: z.array(historyFinding),
})

export const historyReportSchema = z.discriminatedUnion('kind', [
  safeHistoryReportSchema,
  governorHistoryReportSchema,
])

export type HistoryReport = z.infer<typeof historyReportSchema>
export type SafeHistoryReport = z.infer<typeof safeHistoryReportSchema>
export type GovernorHistoryReport = z.infer<typeof governorHistoryReportSchema>
export type HistoryReportFinding = z.infer<typeof historyFinding>
export type HistoryReportAction = z.infer<typeof action>
export type SafeHistoryExecutionEntry = z.infer<typeof safeExecution>
export type SafeHistoryConfigChangeEntry = z.infer<typeof configChange>
export type GovernorHistoryProposalEntry = z.infer<typeof proposal>
export type HistoryFindingCounts = z.infer<typeof findingCounts>
export type HistoryResimulation = z.infer<typeof resimulation>
export type HistoryReconciliation = z.infer<typeof reconciliation>
