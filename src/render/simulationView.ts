import type { ChalkInstance } from 'chalk'
import type { SafePlan } from '../plan/types.js'
import type { SafeSimulation } from '../simulate/simulateSafePlan.js'
import { formatAmount } from '../utils/units.js'
import type { AddressBook } from '../workspace/addressBook.js'
import { formatArgs } from './formatValue.js'
import { renderTable } from './table.js'

export function renderSimulation(
  sim: SafeSimulation,
  plan: SafePlan,
  book: AddressBook,
  t: ChalkInstance,
): string {
  const out: string[] = []
  const share = sim.blockGasLimit ? Number((sim.gasUsed * 10_000n) / sim.blockGasLimit) / 100 : 0
  if (sim.success) {
    out.push(
      `${t.green.bold('✔ Simulation succeeded')}  gas ${sim.gasUsed.toLocaleString('en-US')} (${share}% of the block gas limit)`,
    )
  } else {
    out.push(t.red.bold('✘ Simulation failed'))
    const f = sim.failure
    if (f?.callIndex !== undefined) {
      const action =
        f.actionIndex !== undefined ? plan.actions.find((a) => a.index === f.actionIndex) : undefined
      out.push(
        t.red(
          `  Call ${f.callIndex + 1} reverted${action ? ` (action ${action.index + 1}: ${action.description})` : ''}`,
        ),
      )
      out.push(t.red(`  Reason: ${f.reason}`))
    } else if (f) {
      out.push(t.red(`  Reason: ${f.reason}`))
    }
  }
  const how = [
    `mode ${sim.mode} at block ${sim.blockNumber}`,
    sim.signers.real.length
      ? `real signatures: ${sim.signers.real.map((a) => book.label(a)).join(', ')}`
      : undefined,
    sim.signers.simulated.length
      ? `stood in by approved-hash override: ${sim.signers.simulated.map((a) => book.label(a)).join(', ')}`
      : undefined,
    sim.nonceOverridden ? `nonce moved forward to ${plan.safeTx.nonce}` : undefined,
  ].filter(Boolean)
  out.push(t.dim(`  ${how.join('; ')}`))

  if (sim.balanceChanges.length) {
    out.push('', t.bold('Balance changes'))
    out.push(
      renderTable(
        ['holder', 'token', 'change'],
        sim.balanceChanges.map((c) => {
          const amount =
            c.decimals === undefined ? `${c.delta} (base units)` : formatAmount(c.delta, c.decimals)
          const signed = c.delta > 0n ? t.green(`+${amount}`) : t.red(amount)
          return [c.holderLabel, c.symbol, signed]
        }),
      ),
    )
  }
  if (sim.events.length) {
    out.push('', t.bold('Events'))
    for (const e of sim.events) {
      const what = e.name
        ? `${e.name}(${formatArgs(e.args, book)})`
        : t.yellow(`unknown event ${e.raw.topics[0] ?? ''}`)
      out.push(`  ${book.label(e.address)}: ${what}`)
    }
  }
  return out.join('\n')
}
