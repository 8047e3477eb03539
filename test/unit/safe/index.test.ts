import { describe, expect, it } from 'vitest'
import * as safe from '../../../src/safe/index.js'

describe('src/safe public API', () => {
  it('re-exports the module surface', () => {
    for (const name of [
      'parseSafeVersion',
      'safeTxTypehash',
      'domainTypehash',
      'domainHasChainId',
      'supportsEthSign',
      'bubblesInnerRevert',
      'isCrossChainReplayable',
      'hashSafeTx',
      'domainSeparator',
      'encodeExecTransaction',
      'decodeExecTransaction',
      'encodeGetTransactionHash',
      'encodeMultiSend',
      'decodeMultiSend',
      'canonicalDeployments',
      'knownCodeHashes',
      'signSafeTxHash',
      'parseSafeSignatures',
      'encodeSafeSignatures',
      'approvedHashSignature',
    ]) {
      expect(typeof (safe as Record<string, unknown>)[name], name).toBe('function')
    }
    expect(safe.Operation).toEqual({ Call: 0, DelegateCall: 1 })
    expect(safe.TRUSTED_DELEGATECALL_NAMES).toContain('MultiSendCallOnly')
    expect(safe.canonicalSafe141.MultiSendCallOnly).toBe('0x9641d764fc13c8B624c04430C7356C1C7C8102e2')
  })
})
