import type { Address } from '../safe/types.js'
import { criticalChanges } from '../simulate/stateDiff/criticalChanges.js'
import type { ContractStorageDiff } from '../simulate/stateDiff/types.js'
import type { AddressBook } from '../workspace/addressBook.js'
import { named } from './named.js'
import type { SimulationReport } from './schema.js'

/** The decoded storage diff per contract, and the critical changes pulled out for the headline. */
export function reportStateDiff(
  diffs: ContractStorageDiff[],
  book: AddressBook,
  executor: Address,
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
  const critical = criticalChanges(diffs, executor).map(({ address, ...change }) => ({
    contract: named(address, book),
    ...change,
  }))
  return { stateDiff, criticalChanges: critical }
}
