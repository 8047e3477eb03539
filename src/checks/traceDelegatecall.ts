import { getAddress } from 'ethers'
import { identifyCodeHash, isTrustedDelegateCallCode } from '../safe/deployments.js'
import type { Address } from '../safe/types.js'
import { type CallFrame, isProxyForward } from '../simulate/callTrace.js'
import type { CheckFinding, RiskCheck } from './types.js'

/**
 * The calldata check sees only the delegatecalls the Safe is asked to make; the trace sees every one
 * that ran, at any depth, including those a called contract makes on its own. A proxy forwarding its
 * calldata unchanged to its implementation is routine; anything else runs foreign code with the
 * caller's storage and funds unless it is a trusted Safe library (by code hash).
 */
export const traceDelegatecallCheck: RiskCheck = {
  id: 'trace-delegatecall',
  name: 'No delegatecall ran in the simulation except proxies and trusted Safe libraries',
  needsSimulation: true,
  async run({ simulation, reads, book, safe }) {
    if (!simulation?.trace) {
      return [
        { severity: 'info', message: 'the node could not trace the execution: delegatecalls not inspected' },
      ]
    }
    const findings: CheckFinding[] = []
    const seen = new Set<string>()
    for (const { frame, parent } of delegatecalls(simulation.trace)) {
      if (isProxyForward(frame, parent) || !frame.to) continue
      const from = getAddress(frame.from) as Address
      const to = getAddress(frame.to) as Address
      const key = `${from}>${to}`
      if (seen.has(key)) continue
      seen.add(key)
      const codeHash = reads ? await reads.codeHash(to) : undefined
      if (codeHash && isTrustedDelegateCallCode(codeHash)) continue
      const known = codeHash ? identifyCodeHash(codeHash) : undefined
      const what = known
        ? `${known.contractName} ${known.version}`
        : 'code that is not a trusted Safe library'
      findings.push({
        severity: from === safe.address ? 'danger' : 'warning',
        message: `${book.label(from)} delegatecalled ${book.label(to)} (${what}) during execution: that code ran with ${book.label(from)}'s storage and funds`,
      })
    }
    return findings
  },
}

function* delegatecalls(
  frame: CallFrame,
  parent?: CallFrame,
): Generator<{ frame: CallFrame; parent?: CallFrame }> {
  if (frame.type === 'DELEGATECALL') yield { frame, ...(parent ? { parent } : {}) }
  for (const child of frame.calls ?? []) yield* delegatecalls(child, frame)
}
