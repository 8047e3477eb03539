import { join, resolve } from 'node:path'
import { Flags, ux } from '@oclif/core'
import { AllianceCommand } from '../../src/cli/baseCommand.js'
import { openChain, openWorkspace } from '../../src/cli/context.js'
import { openSchedule, payoutFlags, payoutRunBase, scheduleArg } from '../../src/cli/payoutsInput.js'
import { queueFlags } from '../../src/cli/queueInput.js'
import { runPayouts } from '../../src/payouts/runPayouts.js'
import { writePlanFile } from '../../src/plan/planFile.js'
import { type PayoutRunView, payoutRunView, renderPayoutRun } from '../../src/render/payoutsView.js'
import { writeFileAtomic } from '../../src/utils/atomicWrite.js'

export default class PayoutsPlan extends AllianceCommand {
  static override summary = "Build and simulate a period's payouts; nothing is signed or sent."
  static override description =
    `Reads the schedule (and its CSV), refusing any bad row before anything is built. Then asks the chain which payouts of the period are already paid (their memo is on chain) and the queue which are already proposed, and builds Safe transactions for the rest, split by the schedule's batch size and by simulated gas, each simulated. Shows every payout's state and the totals per token against the payer's balance (and the treasury's epoch budget).

Exit codes: 0 something is due and was planned; 2 nothing to do (everything is paid or proposed) — not an error; 1 an error (bad schedule, funds short, a transaction that would revert…).`
  static override examples = [
    '<%= config.bin %> payouts plan payouts/contributors.yaml --period 2026-11',
    '<%= config.bin %> payouts plan payouts/contributors.yaml --period 2026-11 --out plans/ --json',
  ]
  static override args = scheduleArg
  static override flags = {
    ...payoutFlags,
    ...queueFlags,
    out: Flags.string({
      summary: 'Write each transaction as a plan bundle and its action file into this directory.',
    }),
  }

  async run(): Promise<PayoutRunView> {
    const { args, flags } = await this.parse(PayoutsPlan)
    const workspace = openWorkspace(flags.workspace)
    const schedule = openSchedule(args.schedule, flags.period, workspace)
    const chain = await openChain(workspace, flags['rpc-url'])
    try {
      const base = await payoutRunBase({ schedule, mode: 'plan', workspace, chain, flags })
      if (!this.jsonEnabled()) ux.action.start('Reading the chain and the queue')
      const result = await runPayouts(base).finally(() => {
        if (!this.jsonEnabled()) ux.action.stop('done')
      })
      const planFiles: string[] = []
      if (flags.out) {
        const dir = resolve(flags.out)
        for (const batch of result.batches) {
          const base = join(dir, batch.actionFile.name.replace(/\.yaml$/, ''))
          writeFileAtomic(`${base}.yaml`, batch.actionFile.text)
          writePlanFile(`${base}.plan.json`, batch.plan)
          planFiles.push(`${base}.plan.json`)
        }
      }
      const view = payoutRunView(result, { schedule, mode: 'plan', ledger: base.ledgerPath, planFiles })
      this.say(renderPayoutRun(view, workspace.book, this.t))
      if (!result.changed) return this.succeedWith(view, 2)
      return view
    } finally {
      chain.close()
    }
  }
}
