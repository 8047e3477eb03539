import { identifyCodeHash } from '../safe/deployments.js'
import { isCrossChainReplayable, parseSafeVersion } from '../safe/version.js'
import type { CheckFinding, RiskCheck } from './types.js'

const SINGLETONS = new Set(['GnosisSafe', 'GnosisSafeL2', 'Safe', 'SafeL2'])

/**
 * Before 1.3.0 the Safe's EIP-712 domain has no chain id, so a signature is valid on every chain where
 * the same Safe address exists. And a Safe whose singleton is not a known deployment runs unknown code.
 */
export const safeVersionCheck: RiskCheck = {
  id: 'safe-version',
  name: 'The Safe is 1.3.0 or newer and runs a known singleton',
  safeOnly: true,
  async run({ safe, reads }) {
    const findings: CheckFinding[] = []
    if (isCrossChainReplayable(parseSafeVersion(safe.version))) {
      findings.push({
        severity: 'warning',
        message: `Safe ${safe.version} signs without a chain id: these signatures can be replayed on any chain where this Safe exists`,
      })
    }
    if (safe.singleton && reads) {
      const codeHash = await reads.codeHash(safe.singleton)
      const known = codeHash ? identifyCodeHash(codeHash) : undefined
      if (!known || !SINGLETONS.has(known.contractName)) {
        findings.push({
          severity: 'danger',
          message: `the Safe's singleton ${safe.singleton} is not a known Safe deployment`,
        })
      } else if (known.version !== safe.version.replace('+L2', '')) {
        findings.push({
          severity: 'warning',
          message: `the singleton is ${known.contractName} ${known.version} but the Safe reports ${safe.version}`,
        })
      }
    }
    return findings
  },
}
