import type { LogSource } from '../chain/logSource.js'
import type { AllianceProvider } from '../chain/provider.js'
import type { ChainReads, SafeState } from '../chain/safeReads.js'
import type { DecodeContext } from '../decode/decodeCall.js'
import {
  PayoutDeclinedError,
  PayoutFundsShortError,
  PayoutNeedsQueueError,
  PayoutSimulationFailedError,
} from '../errors/payouts.js'
import { AlreadyQueuedError, QueueNotConfiguredError } from '../errors/queue.js'
import { executeSafePlan, onChainApprovals } from '../execute/executeSafePlan.js'
import { tracedExecTransactions } from '../history/safe/recoverExecTransaction.js'
import type { SafePlan } from '../plan/types.js'
import { nextQueueNonce } from '../queue/nextNonce.js'
import type { ProposalQueue } from '../queue/types.js'
import type { Address, Hex } from '../safe/types.js'
import type { LocalSigner } from '../signers/privateKeyFromEnv.js'
import { signPlan } from '../signers/signPlan.js'
import { sameAddress } from '../utils/address.js'
import { faultPoint } from '../utils/faultPoint.js'
import type { Workspace } from '../workspace/loadWorkspace.js'
import { type BatchSimulation, buildPayoutBatches, type PayoutBatch } from './buildPayoutBatches.js'
import { chainFundsReads, periodTotals, shortfallLines, type TokenTotals } from './funds.js'
import { type LedgerEntry, type PayoutLedger, readLedger, recordInLedger, withRunLock } from './ledger.js'
import { type ChainPayment, type PaymentReads, paymentsOnChain } from './paymentsOnChain.js'
import { payoutsInQueue, type QueuedPayoutTransaction } from './payoutsInQueue.js'
import { dueLines, type PayoutFinding, type PayoutItem, type Reconciliation, reconcile } from './reconcile.js'
import type { PayoutSchedule } from './schedule.js'

export type PayoutRunMode = 'plan' | 'propose' | 'execute'

export type PayoutRunParameters = {
  schedule: PayoutSchedule
  period: string
  mode: PayoutRunMode
  workspace: Workspace
  provider: AllianceProvider
  reads: ChainReads
  decode: DecodeContext
  logs: LogSource
  /** Where proposals travel; required to propose, and to execute for a Safe that needs several signatures. */
  queue?: ProposalQueue
  ledgerPath: string
  /** The steward's key: signs as proposer (an owner) and sends executions. Required to propose or execute. */
  signer?: LocalSigner
  /** Simulates one plan; absent means no simulation (and no split on gas). */
  simulate?: (plan: SafePlan) => Promise<BatchSimulation>
  /** Asked once before anything is posted or sent; false stops the run with nothing done. */
  confirm?: (pending: PayoutAssessment) => Promise<boolean>
  /** Progress, one line per step, for a person watching. */
  onStep?: (message: string) => void
}

/** What the chain and the queue say of the period, before this run acts. */
export type PayoutAssessment = {
  safe: SafeState
  reconciliation: Reconciliation
  totals: TokenTotals[]
  /** The Safe transactions this run would propose (already simulated). */
  batches: PayoutBatch[]
  /** Queued transactions of this period (verified), in nonce order. */
  queued: QueuedPayoutTransaction[]
  ledgerFindings: PayoutFinding[]
}

export type PayoutOutcome = 'nothing-to-do' | 'planned' | 'proposed' | 'executed' | 'waiting'

export type PayoutRunResult = PayoutAssessment & {
  outcome: PayoutOutcome
  /** True when the run planned, proposed or executed something (exit 0); false when it had nothing to do (exit 2). */
  changed: boolean
  proposed: { safeTxHash: Hex; nonce: bigint; payments: number; alreadyQueued: boolean }[]
  executed: { safeTxHash: Hex; nonce: bigint; transactionHash: Hex; blockNumber: number; payments: number }[]
  /** Queued transactions of the period that this run could not execute, and why. */
  waiting: { safeTxHash: Hex; nonce: bigint; reason: string }[]
}

/**
 * A payout run, safe to repeat and to kill at any point. What is paid comes from the chain (the memo'd
 * transfers or allocations), what is proposed from the queue (verified); only the rest is built. Each Safe
 * transaction is recorded in the ledger before it is posted or sent and again after, but a later run
 * trusts the chain and the queue, so a run killed between two steps is simply run again.
 */
export async function runPayouts(p: PayoutRunParameters): Promise<PayoutRunResult> {
  if (p.mode === 'propose' && !p.queue) throw new QueueNotConfiguredError()
  return withRunLock(p.ledgerPath, async () => {
    const step = p.onStep ?? (() => {})
    const chainId = await p.reads.chainId()
    let ledger = readLedger(p.ledgerPath, {
      schedule: p.schedule.id,
      safe: p.schedule.safe.address,
      chainId: chainId.toString(),
    })
    const assessment = await assessPeriod(p, chainId, ledger)
    ledger = syncLedger(p.ledgerPath, ledger, p.period, assessment.reconciliation.items)
    const result: PayoutRunResult = {
      ...assessment,
      outcome: 'nothing-to-do',
      changed: false,
      proposed: [],
      executed: [],
      waiting: [],
    }
    const { batches, safe } = assessment
    if (p.mode === 'plan') {
      if (batches.length) Object.assign(result, { outcome: 'planned', changed: true })
      return result
    }
    if (p.mode === 'execute' && !p.queue && safe.threshold > 1 && batches.length)
      throw new PayoutNeedsQueueError(safe.threshold)
    const signer = p.signer!
    const executable = p.mode === 'execute' && assessment.queued.length > 0
    if ((batches.length || executable) && p.confirm && !(await p.confirm(assessment)))
      throw new PayoutDeclinedError()

    for (const batch of batches) {
      const signed = await signPlan({
        plan: batch.plan,
        planFile: batch.actionFile.name,
        signer,
        workspace: p.workspace,
        reads: p.reads,
      })
      if (!p.queue) {
        // A Safe its steward alone can sign for (threshold 1): executed straight away.
        step(`executing ${batch.plan.hashes.safeTxHash} (nonce ${batch.plan.safeTx.nonce})`)
        ledger = await executeRecorded(p, ledger, signed, linePayments(batch), result)
        continue
      }
      const entry = ledgerEntry(p.period, signed, 'proposing', linePayments(batch))
      ledger = recordInLedger(p.ledgerPath, ledger, entry)
      faultPoint('payouts-before-post')
      let alreadyQueued = false
      try {
        step(
          `proposing ${signed.hashes.safeTxHash} (nonce ${signed.safeTx.nonce}) to the ${p.queue.description}`,
        )
        await p.queue.propose({
          plan: signed,
          proposer: signer.address,
          signature: signed.signatures.at(-1)!.signature,
        })
      } catch (err) {
        // A run killed after posting and before recording it: the same payouts give the same transaction.
        if (!(err instanceof AlreadyQueuedError)) throw err
        alreadyQueued = true
      }
      faultPoint('payouts-after-post')
      ledger = recordInLedger(p.ledgerPath, ledger, { ...entry, state: 'proposed' })
      result.proposed.push({
        safeTxHash: signed.hashes.safeTxHash,
        nonce: signed.safeTx.nonce,
        payments: batch.lines.length,
        alreadyQueued,
      })
    }

    if (p.mode === 'execute' && p.queue) ledger = await executeQueued(p, chainId, assessment, ledger, result)

    result.outcome = result.executed.length
      ? 'executed'
      : result.proposed.length
        ? 'proposed'
        : result.waiting.length
          ? 'waiting'
          : 'nothing-to-do'
    result.changed = result.executed.length > 0 || result.proposed.length > 0
    return result
  })
}

async function assessPeriod(
  p: PayoutRunParameters,
  chainId: bigint,
  ledger: PayoutLedger,
): Promise<PayoutAssessment> {
  const step = p.onStep ?? (() => {})
  const [safe, head] = await Promise.all([
    p.reads.readSafe(p.schedule.safe.address),
    p.provider.getBlockNumber(),
  ])
  step(`reading payments of ${p.schedule.id} from block ${p.schedule.startBlock} to ${head}`)
  const paid = await paymentsOnChain(p.schedule, paymentReads(p.provider, p.logs), {
    fromBlock: p.schedule.startBlock,
    toBlock: head,
  })
  const queued = p.queue ? await payoutsInQueue(p.schedule.id, p.queue, safe, chainId, p.decode) : []
  const label = (a: string) => p.workspace.book.label(a)
  const reconciliation = reconcile(p.period, p.schedule.lines, paid, queued, label)
  const totals = await periodTotals(p.schedule, reconciliation.items, chainFundsReads(p.provider))
  const ledgerFindings = ledgerDisagreements(ledger, p.period, paid)

  const due = dueLines(reconciliation)
  let batches: PayoutBatch[] = []
  if (due.length) {
    const short = shortfallLines(totals)
    if (short.length) throw new PayoutFundsShortError(short)
    const firstNonce = p.queue ? await nextQueueNonce(p.queue, safe) : safe.nonce
    const block = await p.provider.getBlock('latest')
    step(`building ${due.length} payment${due.length === 1 ? '' : 's'} from nonce ${firstNonce}`)
    batches = await buildPayoutBatches({
      schedule: p.schedule,
      period: p.period,
      lines: due,
      workspace: p.workspace,
      reads: p.reads,
      firstNonce,
      ...(p.simulate ? { simulate: p.simulate } : {}),
      blockGasLimit: block?.gasLimit ?? 30_000_000n,
    })
    batches.forEach((b, i) => {
      if (b.simulation && !b.simulation.success)
        throw new PayoutSimulationFailedError(
          `${i + 1} of ${batches.length} (nonce ${b.plan.safeTx.nonce})`,
          b.simulation.reason ?? 'unknown reason',
        )
    })
  }
  return { safe, reconciliation, totals, batches, queued: ofPeriod(queued, p.period), ledgerFindings }
}

/** The queued transactions that pay something of `period`, in nonce order. */
const ofPeriod = (queued: readonly QueuedPayoutTransaction[], period: string) =>
  queued
    .filter((q) => q.payouts.some((x) => x.period === period))
    .sort((a, b) => (a.nonce < b.nonce ? -1 : a.nonce > b.nonce ? 1 : 0))

/**
 * Executes the period's queued transactions that have their signatures, in nonce order. The queue is
 * read again only when this run added to it; the Safe's nonce then follows each execution (a payout
 * batch changes nothing else of the Safe).
 */
async function executeQueued(
  p: PayoutRunParameters,
  chainId: bigint,
  assessment: PayoutAssessment,
  ledger: PayoutLedger,
  result: PayoutRunResult,
): Promise<PayoutLedger> {
  const signer = p.signer!
  let safe = assessment.safe
  const queued = result.proposed.length
    ? ofPeriod(await payoutsInQueue(p.schedule.id, p.queue!, safe, chainId, p.decode), p.period)
    : assessment.queued
  for (const tx of queued) {
    if (tx.nonce !== safe.nonce) {
      result.waiting.push({
        safeTxHash: tx.safeTxHash,
        nonce: tx.nonce,
        reason: `the Safe is at nonce ${safe.nonce}: the transactions before it must execute first`,
      })
      continue
    }
    const owners = tx.plan.signatures.filter((s) => safe.owners.includes(s.signer)).length
    const approvals = await onChainApprovals(p.provider, tx.plan, safe.owners, signer.address)
    if (owners + approvals.length < safe.threshold) {
      const missing = safe.threshold - owners - approvals.length
      result.waiting.push({
        safeTxHash: tx.safeTxHash,
        nonce: tx.nonce,
        reason: `needs ${missing} more confirmation${missing === 1 ? '' : 's'} (${owners} of ${safe.threshold})`,
      })
      continue
    }
    p.onStep?.(`executing ${tx.safeTxHash} (nonce ${tx.nonce})`)
    ledger = await executeRecorded(p, ledger, tx.plan, tx.payouts, result)
    safe = { ...safe, nonce: safe.nonce + 1n }
  }
  return ledger
}

async function executeRecorded(
  p: PayoutRunParameters,
  ledger: PayoutLedger,
  plan: SafePlan,
  payments: readonly Payment[],
  result: PayoutRunResult,
): Promise<PayoutLedger> {
  const entry = ledgerEntry(p.period, plan, 'executing', payments)
  let current = recordInLedger(p.ledgerPath, ledger, entry)
  const executed = await executeSafePlan({
    plan,
    planFile: plan.hashes.safeTxHash,
    executor: p.signer!,
    provider: p.provider,
    reads: p.reads,
    workspace: p.workspace,
    onSent: (transactionHash) => {
      current = recordInLedger(p.ledgerPath, current, { ...entry, transactionHash })
      faultPoint('payouts-after-send')
    },
  })
  faultPoint('payouts-after-execute')
  current = recordInLedger(p.ledgerPath, current, {
    ...entry,
    state: 'executed',
    transactionHash: executed.transactionHash,
  })
  result.executed.push({
    safeTxHash: plan.hashes.safeTxHash,
    nonce: plan.safeTx.nonce,
    transactionHash: executed.transactionHash,
    blockNumber: executed.blockNumber,
    payments: payments.length,
  })
  return current
}

type Payment = { recipient: Address; token: Address; amount: bigint }

function ledgerEntry(
  period: string,
  plan: SafePlan,
  state: LedgerEntry['state'],
  payments: readonly Payment[],
) {
  return {
    period,
    safeTxHash: plan.hashes.safeTxHash,
    nonce: plan.safeTx.nonce.toString(),
    state,
    payouts: payments.map((x) => ({ recipient: x.recipient, token: x.token, amount: x.amount.toString() })),
  }
}

const linePayments = (batch: PayoutBatch): Payment[] =>
  batch.lines.map((l) => ({ recipient: l.recipient, token: l.token.address, amount: l.amount }))

/** The ledger follows the chain: an entry whose payments the chain shows is marked executed. */
function syncLedger(
  path: string,
  ledger: PayoutLedger,
  period: string,
  items: readonly PayoutItem[],
): PayoutLedger {
  const payments = items.flatMap((i) => (i.status.state === 'paid' ? i.status.payments : []))
  let current = ledger
  for (const entry of ledger.entries) {
    if (entry.period !== period || entry.state === 'executed') continue
    const paidIn = payments.find((pay) =>
      entry.payouts.some((x) => sameAddress(x.recipient, pay.recipient) && sameAddress(x.token, pay.token)),
    )
    if (paidIn)
      current = recordInLedger(path, current, {
        ...entry,
        safeTxHash: entry.safeTxHash as Hex,
        state: 'executed',
        transactionHash: paidIn.transactionHash,
      })
  }
  return current
}

/** Where the local record and the chain disagree; the chain wins, the steward is told. */
function ledgerDisagreements(
  ledger: PayoutLedger,
  period: string,
  paid: readonly ChainPayment[],
): PayoutFinding[] {
  const out: PayoutFinding[] = []
  for (const entry of ledger.entries) {
    if (entry.period !== period || entry.state !== 'executed') continue
    const onChain = paid.filter(
      (pay) => pay.period === period && pay.transactionHash === entry.transactionHash,
    )
    if (onChain.length === 0)
      out.push({
        level: 'warning',
        message: `the ledger records ${entry.safeTxHash} as executed in ${entry.transactionHash ?? 'an unknown transaction'}, but the chain shows no payment of it; trusting the chain`,
      })
  }
  return out
}

/** Payment lookups on a node: transactions by hash, and execTransaction calls found in a call trace. */
export function paymentReads(provider: AllianceProvider, logs: LogSource): PaymentReads {
  return {
    logs,
    async transaction(hash) {
      const tx = await provider.getTransaction(hash)
      return tx ? { to: tx.to, data: tx.data as Hex } : null
    },
    async innerExecTransactions(hash, safe: Address) {
      return (await tracedExecTransactions(provider, hash, safe)).map((frame) => frame.input as Hex)
    },
  }
}
