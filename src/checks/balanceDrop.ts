import { formatAmount } from '../utils/units.js'
import type { CheckFinding, RiskCheck } from './types.js'

/**
 * The observed net effect, whatever the calldata claimed: a Safe or an alliance contract whose
 * balance of a token falls by more than the policy share of what it held. The per-call size check
 * reads intentions from arguments; this one reads the simulation's balance changes, so a drain
 * through an unexpected path (an approval used, a hook, a sweep) shows too.
 */
export const balanceDropCheck: RiskCheck = {
  id: 'balance-drop',
  name: 'No Safe or alliance contract loses more than the policy share of a balance',
  needsSimulation: true,
  async run({ simulation, reads, book, policy }) {
    const findings: CheckFinding[] = []
    const limitBps = BigInt(policy.maxTransferShareBps)
    for (const change of simulation?.balanceChanges ?? []) {
      if (change.delta >= 0n) continue
      const entry = book.byAddress(change.holder)
      if (!entry || (entry.kind !== 'safe' && entry.kind !== 'contract')) continue
      if (!reads) {
        findings.push({ severity: 'info', message: `${change.holderLabel} balance drop not sized (offline)` })
        continue
      }
      const before = await reads.balanceOf(change.token, change.holder)
      const lost = -change.delta
      if (lost * 10_000n <= before * limitBps) continue
      const fmt = (v: bigint) =>
        change.decimals === undefined
          ? `${v} base units of ${change.symbol}`
          : `${formatAmount(v, change.decimals)} ${change.symbol}`
      // Rounded up: a drop just over the limit must not read as the limit itself.
      const share = before === 0n ? 100 : Number((lost * 1_000_000n + before - 1n) / before) / 10_000
      findings.push({
        severity: 'warning',
        message: `${change.holderLabel} ends ${fmt(lost)} lower, ${share}% of the ${fmt(before)} it held (policy: ${Number(limitBps) / 100}%)`,
      })
    }
    return findings
  },
}
