import { z } from 'zod'

/**
 * The simulation report: what `simulate --json` prints as `data`, and what the terminal, Markdown and
 * HTML renderers draw. It is display-ready (names resolved, amounts formatted) and plain JSON
 * (integers past 2^53 as decimal strings), so a renderer needs nothing but the report, and a script
 * can rely on the shape: `reportVersion` changes when a field is removed or changes meaning.
 * docs/schemas/simulation-report.v1.json is generated from this schema (a test keeps them equal).
 */
export const REPORT_VERSION = 1 as const

const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/)
const hex = z.string().regex(/^0x[0-9a-fA-F]*$/)
const decimal = z.string().regex(/^-?\d+$/)
const severity = z.enum(['info', 'warning', 'danger'])

/** An address with the name a reader knows it by (the address book's, else the short address). */
export const namedAddress = z.object({ address, label: z.string() })

const safeSubject = z.object({
  kind: z.literal('safe'),
  safe: namedAddress,
  safeVersion: z.string(),
  nonce: decimal,
  safeTxHash: hex,
  planId: z.string().optional(),
  description: z.string(),
  file: z.string().optional(),
})

const governorSubject = z.object({
  kind: z.literal('governor'),
  governor: namedAddress,
  timelock: namedAddress.optional(),
  proposalId: decimal,
  descriptionHash: hex,
  timelockOperationId: hex.optional(),
  description: z.string(),
  proposer: namedAddress,
  /** ERC-6372 `CLOCK_MODE()`, e.g. `mode=blocknumber&from=default`. */
  clockMode: z.string(),
  /** The proposal existed on chain before the simulation (simulated from its current state). */
  existing: z.boolean(),
  file: z.string().optional(),
})

const environment = z.object({
  /**
   * trace-call: `debug_traceCall` with state overrides on the node itself (no fork);
   * simulate-v1: `eth_simulateV1` with state overrides (no trace, no state diff);
   * fork: real transactions on a local anvil fork.
   */
  mode: z.enum(['trace-call', 'simulate-v1', 'fork']),
  description: z.string(),
  /** The RPC simulated against, with any path or query (API keys) removed. */
  rpc: z.string(),
  chainId: decimal,
  blockNumber: decimal,
  blockTimestamp: decimal,
  blockGasLimit: decimal,
  forkBlock: decimal.optional(),
})

const failure = z.object({
  /** 1-based position of the failing call among `calls`, when one inner call failed. */
  call: z.number().int().positive().optional(),
  /** 1-based action of the action file that produced it. */
  action: z.number().int().positive().optional(),
  target: namedAddress.optional(),
  /** The decoded revert reason or custom error, e.g. `BudgetExceeded(…)`. */
  reason: z.string(),
  /** Which lifecycle step failed (Governor proposals). */
  step: z.string().optional(),
})

const arg = z.object({ name: z.string(), type: z.string(), value: z.string() })

const call = z.object({
  index: z.number().int().positive(),
  action: z.number().int().positive().optional(),
  target: namedAddress,
  operation: z.enum(['call', 'delegatecall']),
  valueWei: decimal,
  /** Function name when the selector is known. */
  function: z.string().optional(),
  selector: hex.optional(),
  /** One line a person reads: `treasury.allocate(token: ALLY, to: grants-multisig, amount: 12,500.5 ALLY, …)`. */
  text: z.string(),
  /** Each argument as decoded: addresses by name, numbers in base units (the `text` has token units). */
  args: z.array(arg),
  reverted: z.boolean(),
})

const balanceChange = z.object({
  holder: namedAddress,
  token: namedAddress,
  symbol: z.string(),
  decimals: z.number().int().nonnegative().optional(),
  /** Signed, in the token's base units. */
  delta: decimal,
  /** Signed and formatted with the token's decimals, e.g. `-12,500 ALLY`. */
  formatted: z.string(),
})

const storageChange = z.object({
  slot: hex,
  /** The variable the slot holds, e.g. `epochBudget[ALLY]`, when the layout is known and the slot resolved. */
  variable: z.string().optional(),
  type: z.string().optional(),
  before: z.string(),
  after: z.string(),
  raw: z.object({ before: hex, after: hex }),
  /** A change to state that controls the contract (owners, threshold, guard, roles…). */
  critical: z.boolean(),
})

const contractDiff = z.object({
  contract: namedAddress,
  /** Whose storage layout decoded it, e.g. `AllianceTreasury` or `Safe 1.4.1`. */
  layout: z.string().optional(),
  changes: z.array(storageChange),
  balance: z.object({ before: decimal, after: decimal }).optional(),
  codeChanged: z.boolean(),
})

const criticalChange = z.object({
  contract: namedAddress,
  what: z.string(),
  before: z.string(),
  after: z.string(),
  severity,
})

const event = z.object({
  emitter: namedAddress,
  name: z.string().optional(),
  signature: z.string().optional(),
  /** One line: `Allocated(token=ALLY, to=grants-multisig, amount=12,500)`, or the raw topic when unknown. */
  text: z.string(),
  args: z.array(arg),
  raw: z.object({ topics: z.array(hex), data: hex }),
})

const traceFrame = z.object({
  depth: z.number().int().nonnegative(),
  type: z.string(),
  from: namedAddress,
  to: namedAddress,
  valueWei: decimal,
  function: z.string().optional(),
  text: z.string(),
  gasUsed: decimal,
  error: z.string().optional(),
  /** A DELEGATECALL runs foreign code with the caller's storage and funds: always worth a look. */
  delegatecall: z.boolean(),
  /** A proxy forwarding its calldata unchanged to its implementation: the routine delegatecall. */
  proxyForward: z.boolean(),
})

const lifecycleStep = z.object({
  step: z.enum(['propose', 'vote', 'queue', 'execute']),
  /** The block the step ran in (or stood at, when skipped), and that block's timestamp. */
  block: decimal,
  timestamp: decimal,
  txHash: hex.optional(),
  gasUsed: decimal.optional(),
  /** The proposal's state after the step, by name (`Active`, `Succeeded`, `Queued`, `Executed`). */
  stateAfter: z.string(),
  /** Not run because the proposal was already past it on chain. */
  skipped: z.boolean(),
})

const lifecycle = z.object({
  steps: z.array(lifecycleStep),
  votes: z.object({
    /** manufactured: voting power written for a stand-in voter; impersonated: real delegates voted. */
    method: z.enum(['manufactured', 'impersonated', 'none']),
    voters: z.array(namedAddress),
    /** In the votes token's base units. */
    forVotes: decimal,
    quorum: decimal,
    /** The votes token, and the two amounts in its units (`400,000 ALLY`), when it is in the workspace. */
    token: namedAddress.optional(),
    formattedFor: z.string().optional(),
    formattedQuorum: z.string().optional(),
  }),
  eta: decimal.optional(),
})

const finding = z.object({ check: z.string(), severity, message: z.string(), call: z.number().optional() })

export const simulationReportSchema = z.object({
  reportVersion: z.literal(REPORT_VERSION),
  generatedBy: z.string(),
  generatedAt: z.string(),
  /** failed: the transaction or proposal would not go through; otherwise the worst check finding. */
  verdict: z.enum(['pass', 'info', 'warning', 'danger', 'failed']),
  /** The few lines that matter, most severe first: the failing call, critical changes, warnings. */
  headline: z.array(z.object({ severity, text: z.string() })),
  subject: z.discriminatedUnion('kind', [safeSubject, governorSubject]),
  environment,
  execution: z.object({
    success: z.boolean(),
    gasUsed: decimal,
    /** gasUsed as a percentage of the block gas limit. */
    gasShare: z.number(),
    failure: failure.optional(),
  }),
  calls: z.array(call),
  balanceChanges: z.array(balanceChange),
  /** Absent in simulate-v1 mode, which cannot see storage. */
  stateDiff: z.array(contractDiff).optional(),
  criticalChanges: z.array(criticalChange),
  events: z.array(event),
  /** Absent in simulate-v1 mode. */
  trace: z.array(traceFrame).optional(),
  lifecycle: lifecycle.optional(),
  checks: z.object({
    verdict: z.enum(['pass', 'info', 'warning', 'danger']),
    counts: z.object({ info: z.number(), warning: z.number(), danger: z.number() }),
    results: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        findings: z.array(finding),
        /** Why the check did not run (e.g. it needs a trace the node could not give). */
        skipped: z.string().optional(),
      }),
    ),
  }),
  /** How the simulation was set up: stand-in signers, overrides, a guard that ran, what was not available. */
  notes: z.array(z.string()),
})

export type SimulationReport = z.infer<typeof simulationReportSchema>
export type ReportNamedAddress = z.infer<typeof namedAddress>
export type ReportStorageChange = z.infer<typeof storageChange>
export type ReportContractDiff = z.infer<typeof contractDiff>
export type ReportTraceFrame = z.infer<typeof traceFrame>
