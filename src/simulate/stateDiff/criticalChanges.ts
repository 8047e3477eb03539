import type { Address } from '../../safe/types.js'
import { sameAddress } from '../../utils/address.js'
import type { ContractStorageDiff } from './types.js'

export type CriticalChange = {
  address: Address
  /** The variable (`threshold`, `_roles[…]…`), `slot 0x…` when no layout explains it, or `code`. */
  what: string
  before: string
  after: string
  severity: 'danger' | 'warning'
}

/**
 * The changes to state that controls a contract, and how severe each is: anything on the account
 * that makes the calls (the Safe, or the timelock) or on any Safe is a takeover risk (danger);
 * roles and governance settings elsewhere are warnings; replaced code is always a danger. The one
 * judgement both the critical-state check and the report's critical changes use.
 */
export function criticalChanges(diffs: readonly ContractStorageDiff[], executor: Address): CriticalChange[] {
  const out: CriticalChange[] = []
  for (const d of diffs) {
    if (d.codeChanged) {
      out.push({
        address: d.address,
        what: 'code',
        before: 'the deployed code',
        after: 'replaced',
        severity: 'danger',
      })
    }
    const controlsExecution = sameAddress(d.address, executor) || d.layoutName?.startsWith('Safe') === true
    for (const c of d.changes) {
      if (!c.critical) continue
      out.push({
        address: d.address,
        what: c.variable ?? `slot ${c.slot}`,
        before: c.before,
        after: c.after,
        severity: controlsExecution ? 'danger' : 'warning',
      })
    }
  }
  return out
}
