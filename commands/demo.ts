import { Flags } from '@oclif/core'
import type { AllianceState } from '../src/chain/readAllianceState.js'
import { AllianceCommand } from '../src/cli/baseCommand.js'
import { decodeContext } from '../src/cli/context.js'
import { runDemo } from '../src/demo/runDemo.js'
import { renderChecks } from '../src/render/checksView.js'
import { renderPlan, viewPlan } from '../src/render/planView.js'
import { renderReportTerminal } from '../src/render/report/terminal.js'
import { formatAmount } from '../src/utils/units.js'
import { loadWorkspace, type Workspace } from '../src/workspace/loadWorkspace.js'

export default class Demo extends AllianceCommand {
  static override summary =
    'Run the whole story on a fresh devnet: validate, plan, simulate, two signatures, execute.'
  static override description =
    'Starts its own devnet on a free port, plans a three-action batch for the council Safe (a treasury allocation, a new vault reward rate, a new member), simulates it, has two of the three owners sign, executes it, and shows the state that changed. Leaves nothing running.'
  static override examples = [
    '<%= config.bin %> demo',
    '<%= config.bin %> demo --keep',
    '<%= config.bin %> demo --json',
  ]
  static override flags = {
    keep: Flags.boolean({
      summary: 'Keep the demo directory (workspace, action file, signed plan) afterwards.',
    }),
  }

  async run() {
    const { flags } = await this.parse(Demo)
    let workspace: Workspace | undefined
    const label = (address: string) => workspace?.book.label(address) ?? address
    const result = await runDemo({
      keep: flags.keep,
      onStep: (s) => {
        if (s.step === 'devnet') {
          workspace = loadWorkspace({ file: s.workspace })
          this.say(this.t.bold(`1. Devnet ready at ${s.url} in ${s.readyMs} ms`))
          this.say(`   workspace ${s.workspace}`)
        } else if (s.step === 'validate') {
          this.say(this.t.bold(`\n2. Validate ${s.file}`))
          for (const [i, a] of s.actions.entries()) this.say(`   ${i + 1}. ${a}`)
        } else if (s.step === 'plan' && workspace) {
          this.say(this.t.bold('\n3. Plan'))
          this.say(renderPlan(viewPlan(s.plan, decodeContext(workspace)), workspace.book, this.t))
          this.say(`\n${renderChecks(s.checks, this.t)}`)
        } else if (s.step === 'simulate') {
          this.say(this.t.bold('\n4. Simulate'))
          this.say(renderReportTerminal(s.report, this.t))
        } else if (s.step === 'sign') {
          if (s.signatures === 1) this.say(this.t.bold('\n5. Sign (two of the three council owners)'))
          this.say(`${this.t.green('✔')} ${label(s.signer)} signed (${s.signatures} of ${s.threshold})`)
        } else if (s.step === 'execute') {
          this.say(this.t.bold('\n6. Execute'))
          this.say(
            `${this.t.green('✔')} executed in tx ${s.result.transactionHash}, block ${s.result.blockNumber}, gas ${s.result.gasUsed}`,
          )
        } else if (s.step === 'state') {
          this.say(this.t.bold('\n7. What changed on chain'))
          this.say(renderStateChange(s.before, s.after))
        } else if (s.step === 'payouts') {
          this.say(this.t.bold(`\n8. Recurring payouts: schedule ${s.schedule}, ${s.period}`))
          const payments = s.proposed.reduce((n, p) => n + p.payments, 0)
          this.say(
            `${this.t.green('✔')} proposed ${payments} payments in ${s.proposed.length} transaction(s) to the queue`,
          )
          this.say(`${this.t.green('✔')} ${label(s.confirmedBy)} confirmed`)
          for (const e of s.executed)
            this.say(`${this.t.green('✔')} executed nonce ${e.nonce} in tx ${e.transactionHash}`)
          this.say(
            `   run again: ${s.rerun === 'nothing-to-do' ? 'nothing to do — every payout is on chain (exit 2)' : s.rerun}`,
          )
        }
      },
    })
    if (flags.keep) this.say(this.t.dim(`\nDemo files kept in ${result.dir}`))
    return { dir: flags.keep ? result.dir : undefined, steps: result.steps }
  }
}

function renderStateChange(before: AllianceState, after: AllianceState): string {
  const lines: string[] = []
  for (const [i, t] of after.treasuries.entries()) {
    for (const [j, b] of t.balances.entries()) {
      const old = before.treasuries[i]?.balances[j]?.balance ?? 0n
      if (old !== b.balance) {
        lines.push(
          `   ${t.name} ${b.symbol}: ${formatAmount(old, b.decimals)} → ${formatAmount(b.balance, b.decimals)}`,
        )
      }
    }
  }
  for (const [i, v] of after.vaults.entries()) {
    const old = before.vaults[i]
    if (old && old.rewardRate !== v.rewardRate) {
      lines.push(
        `   ${v.name} reward rate: ${formatAmount(old.rewardRate, v.rewardDecimals)} → ${formatAmount(v.rewardRate, v.rewardDecimals)} ${v.rewardSymbol}/s`,
      )
    }
  }
  for (const [i, r] of after.registries.entries()) {
    const old = before.registries[i]?.members ?? []
    lines.push(
      `   ${r.name} members: ${old.map((m) => m.name).join(', ')} → ${r.members.map((m) => `${m.name} (${m.weightBps / 100}%)`).join(', ')}`,
    )
  }
  return lines.join('\n')
}
