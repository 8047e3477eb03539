import type { CheckFinding, RiskCheck } from './types.js'

/** Calls should go to contracts the alliance knows; calldata sent to an address without code does nothing. */
export const unknownTargetCheck: RiskCheck = {
  id: 'unknown-target',
  name: 'Every call goes to an address in the workspace, and calldata only to contracts',
  async run({ calls, book, reads }) {
    const findings: CheckFinding[] = []
    for (const [i, c] of calls.entries()) {
      const known = book.byAddress(c.to)
      if (!known) {
        findings.push({
          severity: 'warning',
          call: i + 1,
          message: `call ${i + 1} goes to ${c.to}, which is not in the workspace address book`,
        })
      }
      if (reads && c.data !== '0x') {
        const codeHash = await reads.codeHash(c.to)
        if (!codeHash) {
          findings.push({
            severity: 'danger',
            call: i + 1,
            message: `call ${i + 1} sends calldata to ${book.label(c.to)}, which has no contract code`,
          })
        }
      }
    }
    return findings
  },
}
