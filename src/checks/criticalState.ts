import type { CheckFinding, RiskCheck } from './types.js'

/**
 * What the execution wrote to state that controls a contract: the Safe's owners, threshold,
 * modules, guard, fallback handler and singleton (any change to the Safe itself is a takeover risk,
 * the Bybit pattern), and in the alliance contracts the roles and governance settings. Seen in the
 * storage diff, so it catches changes made however indirectly.
 */
export const criticalStateCheck: RiskCheck = {
  id: 'critical-state',
  name: 'The execution changes no owner, threshold, module, guard, handler, role or governance setting',
  needsSimulation: true,
  async run({ simulation, safe, book }) {
    if (!simulation?.stateDiff) {
      return [
        { severity: 'info', message: 'the node could not report a state diff: critical state not inspected' },
      ]
    }
    const findings: CheckFinding[] = []
    for (const contract of simulation.stateDiff) {
      if (contract.codeChanged) {
        findings.push({ severity: 'danger', message: `${book.label(contract.address)}: code replaced` })
      }
      for (const change of contract.changes) {
        if (!change.critical) continue
        const isSafe = contract.address === safe.address || contract.layoutName?.startsWith('Safe')
        findings.push({
          severity: isSafe ? 'danger' : 'warning',
          message: `${book.label(contract.address)}: ${change.variable ?? `slot ${change.slot}`} ${change.before} → ${change.after}`,
        })
      }
    }
    return findings
  },
}
