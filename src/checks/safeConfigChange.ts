import type { CheckFinding, RiskCheck } from './types.js'

/** Functions that change who controls the Safe, and what each one changes. */
const CONTROL_FUNCTIONS: Record<string, string> = {
  addOwnerWithThreshold: 'adds an owner (and sets the threshold)',
  removeOwner: 'removes an owner (and sets the threshold)',
  swapOwner: 'replaces an owner',
  changeThreshold: 'changes the signature threshold',
  enableModule: 'enables a module (a module can execute anything without signatures)',
  disableModule: 'disables a module',
  setGuard: 'sets a transaction guard (a guard can block every future transaction)',
  setModuleGuard: 'sets a module guard',
  setFallbackHandler: 'changes the fallback handler (it answers isValidSignature and unknown calls)',
  changeMasterCopy: 'changes the singleton (the Safe’s code)',
  setup: 'calls setup on an existing Safe',
}

/**
 * Any change to the Safe's own configuration, wherever it sits in the batch: owners, threshold,
 * modules, guards, fallback handler or singleton. A call to the Safe that does not decode is just as
 * suspicious, since its effect cannot be read.
 */
export const safeConfigChangeCheck: RiskCheck = {
  id: 'safe-config-change',
  name: 'No call changes the Safe’s owners, threshold, modules, guard, fallback handler or singleton',
  safeOnly: true,
  async run({ calls, safe }) {
    const findings: CheckFinding[] = []
    for (const [i, c] of calls.entries()) {
      if (c.to !== safe.address) continue
      const where = calls.length > 1 ? `call ${i + 1} of the batch` : 'the transaction'
      if (c.functionName && CONTROL_FUNCTIONS[c.functionName]) {
        findings.push({
          severity: 'danger',
          call: i + 1,
          message: `${where} ${CONTROL_FUNCTIONS[c.functionName]}: ${c.signature}`,
        })
      } else if (c.data !== '0x' && !c.functionName) {
        findings.push({
          severity: 'danger',
          call: i + 1,
          message: `${where} calls the Safe itself with calldata that does not decode`,
        })
      } else if (c.data !== '0x' && c.functionName !== 'approveHash') {
        findings.push({
          severity: 'warning',
          call: i + 1,
          message: `${where} calls the Safe itself: ${c.signature}`,
        })
      }
    }
    return findings
  },
}
