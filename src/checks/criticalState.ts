import { criticalChanges } from '../simulate/stateDiff/criticalChanges.js'
import type { RiskCheck } from './types.js'

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
    return criticalChanges(simulation.stateDiff, safe.address).map((c) => ({
      severity: c.severity,
      message:
        c.what === 'code'
          ? `${book.label(c.address)}: code replaced`
          : `${book.label(c.address)}: ${c.what} ${c.before} → ${c.after}`,
    }))
  },
}
