import type { DecodedCall } from '../decode/decodeCall.js'
import {
  CANONICAL_DEPLOYMENT_VERSIONS,
  canonicalDeployments,
  identifyCodeHash,
  isTrustedDelegateCallCode,
} from '../safe/deployments.js'
import type { Address } from '../safe/types.js'
import type { CheckFinding, RiskCheck } from './types.js'

const TRUSTED_BY_ADDRESS = new Set<string>(
  CANONICAL_DEPLOYMENT_VERSIONS.flatMap((v) => {
    const d = canonicalDeployments(v)
    return [
      d.multiSendCallOnly.address,
      d.signMessageLib.address,
      ...(d.safeMigration ? [d.safeMigration.address] : []),
    ]
  }),
)

/**
 * A delegatecall runs foreign code with the Safe's storage and funds: the Bybit loss. Only
 * MultiSendCallOnly, SignMessageLib and SafeMigration are trusted, recognised by the hash of the code
 * actually deployed at the target, so a look-alike at a familiar address is caught and a genuine copy
 * elsewhere is not flagged.
 */
export const delegatecallCheck: RiskCheck = {
  id: 'delegatecall',
  name: 'No call delegatecalls anything but MultiSendCallOnly, SignMessageLib or SafeMigration',
  safeOnly: true,
  async run({ safeTx, decoded, reads, book }) {
    const findings: CheckFinding[] = []
    if (safeTx.operation === 1) {
      const target = safeTx.to
      if (reads) {
        const codeHash = await reads.codeHash(target)
        const known = codeHash ? identifyCodeHash(codeHash) : undefined
        if (!codeHash) {
          findings.push({
            severity: 'danger',
            message: `delegatecall to ${label(book, target)}, which has no code`,
          })
        } else if (!isTrustedDelegateCallCode(codeHash)) {
          const what = known
            ? `${known.contractName} ${known.version}`
            : 'code that is not a known Safe library'
          findings.push({
            severity: 'danger',
            message: `delegatecall to ${label(book, target)} running ${what}: it can rewrite the Safe (owners, singleton) and move all funds`,
          })
        }
      } else if (!TRUSTED_BY_ADDRESS.has(target)) {
        findings.push({
          severity: 'danger',
          message: `delegatecall to ${label(book, target)}, which is not a canonical MultiSendCallOnly, SignMessageLib or SafeMigration`,
        })
      } else {
        findings.push({
          severity: 'info',
          message: `delegatecall target ${label(book, target)} recognised by address only (offline); its code was not checked`,
        })
      }
    }
    // Inside a batch (only plain MultiSend lets an inner call delegatecall; MultiSendCallOnly reverts),
    // at any depth: an inner delegatecall may itself carry a batch.
    ;(decoded.inner ?? []).forEach((c, i) => {
      for (const inner of [c, ...descendants(c)]) {
        if (inner.operation === 1) {
          findings.push({
            severity: 'danger',
            call: i + 1,
            message: `call ${i + 1} in the batch ${inner === c ? 'is' : 'contains'} a delegatecall to ${label(book, inner.to)}`,
          })
        }
      }
    })
    return findings
  },
}

const descendants = (c: DecodedCall): DecodedCall[] => (c.inner ?? []).flatMap((i) => [i, ...descendants(i)])

const label = (book: { label(a: string): string }, address: Address) => {
  const name = book.label(address)
  return name === address ? address : `${name} (${address})`
}
