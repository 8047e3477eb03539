import type { ContractStorageDiff } from '../simulate/stateDiff/types.js'
import type { AddressBook } from '../workspace/addressBook.js'
import { named } from './named.js'
import type { SimulationReport } from './schema.js'

/** The decoded storage diff per contract, and the critical changes pulled out for the headline. */
export function reportStateDiff(
  diffs: ContractStorageDiff[],
  book: AddressBook,
  executor: string,
): Pick<SimulationReport, 'stateDiff' | 'criticalChanges'> {
  const stateDiff: NonNullable<SimulationReport['stateDiff']> = diffs.map((d) => ({
    contract: named(d.address, book),
    ...(d.layoutName ? { layout: d.layoutName } : {}),
    changes: d.changes.map((c) => ({
      slot: c.slot,
      ...(c.variable ? { variable: c.variable } : {}),
      ...(c.type ? { type: c.type } : {}),
      before: c.before,
      after: c.after,
      raw: c.raw,
      critical: c.critical,
    })),
    ...(d.balance
      ? { balance: { before: d.balance.before.toString(), after: d.balance.after.toString() } }
      : {}),
    codeChanged: d.codeChanged,
  }))
  const criticalChanges: SimulationReport['criticalChanges'] = []
  for (const d of diffs) {
    const contract = named(d.address, book)
    const isExecutor = d.address.toLowerCase() === executor.toLowerCase() || d.layoutName?.startsWith('Safe')
    if (d.codeChanged) {
      criticalChanges.push({
        contract,
        what: 'code',
        before: 'the deployed code',
        after: 'replaced',
        severity: 'danger',
      })
    }
    for (const c of d.changes) {
      if (!c.critical) continue
      criticalChanges.push({
        contract,
        what: c.variable ?? `slot ${c.slot}`,
        before: c.before,
        after: c.after,
        severity: isExecutor ? 'danger' : 'warning',
      })
    }
  }
  return { stateDiff, criticalChanges }
}
