import { resolve } from 'node:path'
import { Args, Flags } from '@oclif/core'
import type { DecodeContext } from '../decode/decodeCall.js'
import { ConfirmationRequiredError, InvalidPeriodError } from '../errors/payouts.js'
import { QueueNotConfiguredError } from '../errors/queue.js'
import { historyLogSource } from '../history/historyLogs.js'
import type { BatchSimulation } from '../payouts/buildPayoutBatches.js'
import { defaultLedgerPath } from '../payouts/ledger.js'
import { checkPeriod } from '../payouts/period.js'
import type { PayoutRunMode, PayoutRunParameters } from '../payouts/runPayouts.js'
import { loadPayoutSchedule, type PayoutSchedule } from '../payouts/schedule.js'
import type { SafePlan } from '../plan/types.js'
import { simulateSafePlan } from '../simulate/simulateSafePlan.js'
import type { Workspace } from '../workspace/loadWorkspace.js'
import { type ChainSession, decodeContext } from './context.js'
import { openQueue, type QueueFlagValues } from './queueInput.js'

export const scheduleArg = {
  schedule: Args.file({ description: 'Payout schedule (YAML)', required: true, exists: true }),
}

export const payoutFlags = {
  period: Flags.string({ summary: 'The month paid, like 2026-11.', required: true }),
  'ledger-file': Flags.string({
    summary: 'The local ledger file (default .alliance/payouts/SCHEDULE.ledger.json beside alliance.yaml).',
  }),
  'cache-dir': Flags.string({
    summary:
      'Cache root, as for history replay: fetched logs go to its logs/ folder (default .alliance/cache beside alliance.yaml).',
  }),
  simulate: Flags.boolean({
    summary: 'Simulate every transaction before it is proposed (default); --no-simulate skips it.',
    default: true,
    allowNo: true,
  }),
}

/** The schedule and the period, both checked before any chain is touched. */
export function openSchedule(file: string, period: string, workspace: Workspace): PayoutSchedule {
  const schedule = loadPayoutSchedule(file, workspace)
  const check = checkPeriod(period, schedule)
  if (!check.ok) throw new InvalidPeriodError(period, check.reason)
  return schedule
}

export const ledgerPathFor = (workspace: Workspace, schedule: PayoutSchedule, flag?: string) =>
  flag ? resolve(flag) : defaultLedgerPath(workspace.dir, schedule.id)

/**
 * Logs in ranges with a disk cache, so next month's run reads only the new blocks: the session's own
 * (the workspace's `.alliance/cache`), or the same kind of source under `--cache-dir`.
 */
export function payoutLogSource(workspace: Workspace, chain: ChainSession, cacheDir?: string) {
  if (!cacheDir) return chain.logs
  return historyLogSource(chain.provider, {
    chainId: BigInt(workspace.config.chain.chainId),
    cacheDir: resolve(cacheDir),
  })
}

/** The fast simulation (the node's own trace with overrides): success, gas, and the reason of a revert. */
export function payoutSimulator(workspace: Workspace, chain: ChainSession, decode: DecodeContext) {
  return async (plan: SafePlan): Promise<BatchSimulation> => {
    const sim = await simulateSafePlan({
      plan,
      provider: chain.provider,
      reads: chain.reads,
      book: workspace.book,
      abiFor: decode.abiFor,
    })
    return {
      success: sim.success,
      gasUsed: sim.gasUsed,
      ...(sim.failure ? { reason: sim.failure.reason } : {}),
    }
  }
}

/**
 * Before anything is posted or sent: `--yes`, or a person's yes on a terminal. A script without `--yes`
 * is refused rather than left waiting on a prompt nobody sees.
 */
export function payoutConfirmation(
  yes: boolean,
  question: string,
  interactive = process.stdin.isTTY === true,
) {
  return async (): Promise<boolean> => {
    if (yes) return true
    if (!interactive) throw new ConfirmationRequiredError('payouts run')
    const { confirm } = await import('@inquirer/prompts')
    return confirm({ message: question, default: false })
  }
}

/**
 * What `payouts plan` and `payouts run` share: the chain reads, the cached log source, the queue when one
 * is configured (required only to propose), the ledger, and the simulator unless --no-simulate.
 */
export async function payoutRunBase(p: {
  schedule: PayoutSchedule
  mode: PayoutRunMode
  workspace: Workspace
  chain: ChainSession
  flags: QueueFlagValues & { period: string; 'ledger-file'?: string; 'cache-dir'?: string; simulate: boolean }
}): Promise<Omit<PayoutRunParameters, 'signer' | 'confirm' | 'onStep'>> {
  const { workspace, chain, flags } = p
  const queue = await openQueue(workspace, flags).catch((err) => {
    // Without a queue nothing proposed can be seen, so only proposing needs one.
    if (err instanceof QueueNotConfiguredError && p.mode !== 'propose') return undefined
    throw err
  })
  const decode = decodeContext(workspace)
  return {
    schedule: p.schedule,
    period: flags.period,
    mode: p.mode,
    workspace,
    provider: chain.provider,
    reads: chain.reads,
    decode,
    logs: payoutLogSource(workspace, chain, flags['cache-dir']),
    ...(queue ? { queue } : {}),
    ledgerPath: ledgerPathFor(workspace, p.schedule, flags['ledger-file']),
    ...(flags.simulate ? { simulate: payoutSimulator(workspace, chain, decode) } : {}),
  }
}
