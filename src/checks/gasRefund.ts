import { ZeroAddress as ZERO } from 'ethers'
import type { CheckFinding, RiskCheck } from './types.js'

/**
 * Refund parameters pay the executor out of the Safe. With a custom gas token and refund receiver they
 * can quietly route funds anywhere; alliance never sets them, so any non-zero value is foreign.
 */
export const gasRefundCheck: RiskCheck = {
  id: 'gas-refund',
  name: 'gasPrice, gasToken and refundReceiver are zero (no refund is paid from the Safe)',
  safeOnly: true,
  async run({ safeTx, book }) {
    const findings: CheckFinding[] = []
    const custom = safeTx.gasToken !== ZERO && safeTx.refundReceiver !== ZERO
    if (safeTx.gasPrice !== 0n) {
      findings.push({
        severity: custom ? 'danger' : 'warning',
        message: `gasPrice is ${safeTx.gasPrice}: the Safe pays a gas refund to ${safeTx.refundReceiver === ZERO ? 'the executor' : book.label(safeTx.refundReceiver)}`,
      })
    }
    if (safeTx.gasToken !== ZERO) {
      findings.push({
        severity: 'warning',
        message: `the refund is paid in a custom gas token ${book.label(safeTx.gasToken)}`,
      })
    }
    if (safeTx.refundReceiver !== ZERO) {
      findings.push({
        severity: custom ? 'danger' : 'warning',
        message: `refunds go to ${book.label(safeTx.refundReceiver)}, not the executor${custom ? ' — with a custom gas token this can hide a transfer of funds' : ''}`,
      })
    }
    return findings
  },
}
