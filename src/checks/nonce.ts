import type { CheckFinding, RiskCheck } from './types.js'

/** A nonce other than the Safe's next one is either already spent or queued behind others; two queued transactions with one nonce mean only one can ever execute. */
export const nonceCheck: RiskCheck = {
  id: 'nonce',
  name: "The nonce is the Safe's next and no other queued transaction uses it",
  safeOnly: true,
  async run({ safeTx, safe, queuedNonces }) {
    const findings: CheckFinding[] = []
    if (safe.nonce === undefined) {
      findings.push({
        severity: 'info',
        message: `nonce ${safeTx.nonce} not compared with the chain (offline)`,
      })
    } else if (safeTx.nonce < safe.nonce) {
      findings.push({
        severity: 'danger',
        message: `nonce ${safeTx.nonce} is already used (the Safe is at ${safe.nonce}): this can never execute`,
      })
    } else if (safeTx.nonce > safe.nonce) {
      findings.push({
        severity: 'warning',
        message: `nonce ${safeTx.nonce} is ahead of the Safe's next nonce ${safe.nonce}: ${safeTx.nonce - safe.nonce} transaction(s) must execute first`,
      })
    }
    const clashes = (queuedNonces ?? []).filter((n) => n === safeTx.nonce).length
    if (clashes > 0) {
      findings.push({
        severity: 'warning',
        message: `${clashes} other queued transaction(s) use nonce ${safeTx.nonce}; only one can execute`,
      })
    }
    return findings
  },
}
