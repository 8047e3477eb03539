import { Flags, ux } from '@oclif/core'
import { AllianceCommand } from '../../src/cli/baseCommand.js'
import { openChain, openWorkspace } from '../../src/cli/context.js'
import { executorFlags } from '../../src/cli/flags.js'
import {
  openSchedule,
  payoutConfirmation,
  payoutFlags,
  payoutRunBase,
  scheduleArg,
} from '../../src/cli/payoutsInput.js'
import { queueFlags } from '../../src/cli/queueInput.js'
import { type PayoutRunMode, runPayouts } from '../../src/payouts/runPayouts.js'
import { type PayoutRunView, payoutRunView, renderPayoutRun } from '../../src/render/payoutsView.js'
import { resolveLocalSigner } from '../../src/signers/resolveSigner.js'

export default class PayoutsRun extends AllianceCommand {
  static override summary = "Pay a period's payouts exactly once: propose them to the queue, or execute them."
  static override description =
    `Idempotent: a payout is (schedule, period, recipient, token). Before building anything the run reads the chain (memo'd transfers or treasury allocations) and the queue, and skips what is already paid or proposed; a local ledger records each step, but the chain is trusted over it. Killed at any point, the run can simply be run again.

--propose signs the new transactions as the steward (an owner) and posts them to the queue for the council. --execute also executes the period's queued transactions that have enough confirmations, in nonce order (with no queue, a 1-of-n Safe is executed straight away). Without either flag, it only says what it would do.

Never prompts without a terminal: a script passes --yes. One run per schedule at a time (a lock file beside the ledger).

Exit codes: 0 something was proposed or executed; 2 nothing to do (all paid, or proposed and waiting for confirmations) — not an error; 1 an error, with nothing half-done: each Safe transaction is posted or executed whole or not at all.`
  static override examples = [
    'STEWARD_KEY=0x… <%= config.bin %> payouts run payouts/contributors.yaml --period 2026-11 --propose --key-env STEWARD_KEY --yes',
    '<%= config.bin %> payouts run payouts/contributors.yaml --period 2026-11 --execute --key-env STEWARD_KEY --yes --json',
  ]
  static override args = scheduleArg
  static override flags = {
    ...payoutFlags,
    ...queueFlags,
    ...executorFlags,
    propose: Flags.boolean({
      summary: 'Sign and post the due payouts to the queue.',
      exclusive: ['execute'],
    }),
    execute: Flags.boolean({
      summary:
        'Propose what is due, then execute every queued transaction of the period that has its confirmations.',
      exclusive: ['propose'],
    }),
    yes: Flags.boolean({ char: 'y', summary: 'Do it without asking (cron, CI).' }),
  }

  async run(): Promise<PayoutRunView> {
    const { args, flags } = await this.parse(PayoutsRun)
    const mode: PayoutRunMode = flags.execute ? 'execute' : flags.propose ? 'propose' : 'plan'
    const workspace = openWorkspace(flags.workspace)
    const schedule = openSchedule(args.schedule, flags.period, workspace)
    const signer = mode === 'plan' ? undefined : await resolveLocalSigner(flags)
    const chain = await openChain(workspace, flags['rpc-url'])
    try {
      const base = await payoutRunBase({ schedule, mode, workspace, chain, flags })
      const progress = !this.jsonEnabled() && process.stderr.isTTY === true
      const result = await runPayouts({
        ...base,
        ...(signer ? { signer } : {}),
        confirm: async (pending) => {
          const count = pending.batches.reduce((n, b) => n + b.lines.length, 0)
          const question =
            mode === 'execute'
              ? `Propose ${count} payment${count === 1 ? '' : 's'} and execute the period's ready transactions?`
              : `Propose ${count} payment${count === 1 ? '' : 's'} in ${pending.batches.length} transaction${pending.batches.length === 1 ? '' : 's'}?`
          return payoutConfirmation(flags.yes, question)()
        },
        onStep: (message) => {
          if (progress) ux.action.start(message)
        },
      }).finally(() => {
        if (progress) ux.action.stop()
      })
      const view = payoutRunView(result, { schedule, mode, ledger: base.ledgerPath })
      this.say(renderPayoutRun(view, workspace.book, this.t))
      if (!result.changed) return this.succeedWith(view, 2)
      return view
    } finally {
      chain.close()
    }
  }
}
