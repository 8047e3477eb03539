import { describe, expect, it } from 'vitest'
import { UnknownSafeVersionError } from '../../../src/errors/safe.js'
import {
  bubblesInnerRevert,
  DOMAIN_TYPE_WITH_CHAIN_ID,
  DOMAIN_TYPE_WITHOUT_CHAIN_ID,
  domainHasChainId,
  domainTypehash,
  isCrossChainReplayable,
  KNOWN_SAFE_VERSIONS,
  multiSendMapsZeroToSelf,
  parseSafeVersion,
  safeTxTypehash,
  safeVersionAtLeast,
  supportsEthSign,
} from '../../../src/safe/version.js'

// safe.md §4.1
const DOMAIN_WITHOUT_CHAIN = '0x035aff83d86937d35b32e04f0ddc6ff469290eef2f1b692d8a815c89404d4749'
const DOMAIN_WITH_CHAIN = '0x47e79534a245952e8b16893a336b85a3d9ea9fa8c573f3d803afb92a79469218'
const SAFE_TX_DATA_GAS = '0x14d461bc7412367e924637b363c7bf29b8f47e2f84869f4426e5633d8af47b20'
const SAFE_TX_BASE_GAS = '0xbb8310d486368db6bd6f849402fdd73ad53d316b5a4b2644ad6efe0f941286d8'

describe('parseSafeVersion', () => {
  it('parses every released version, with and without +L2 where L2 exists', () => {
    for (const v of KNOWN_SAFE_VERSIONS) {
      const p = parseSafeVersion(v)
      expect(`${p.major}.${p.minor}.${p.patch}`).toBe(v)
      expect(p.l2).toBe(false)
      expect(p.raw).toBe(v)
    }
    expect(parseSafeVersion('1.3.0+L2')).toEqual({ major: 1, minor: 3, patch: 0, l2: true, raw: '1.3.0+L2' })
    expect(parseSafeVersion('1.4.1+L2').l2).toBe(true)
    expect(parseSafeVersion('1.5.0+L2').l2).toBe(true)
  })

  it.each([
    '1.4.0',
    '1.4.0+L2',
    '1.6.0',
    '2.0.0',
    '1.3',
    'v1.3.0',
    '1.3.0+l2',
    '1.3.0-L2',
    ' 1.3.0',
    '1.3.0 ',
    '',
    '1.2.0+L2',
    '0.1.0+L2',
    '01.3.0',
  ])('refuses %j with SAFE_UNKNOWN_VERSION', (v) => {
    let err: unknown
    try {
      parseSafeVersion(v)
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(UnknownSafeVersionError)
    const e = err as UnknownSafeVersionError
    expect(e.code).toBe('SAFE_UNKNOWN_VERSION')
    expect(e.hint).toContain('1.4.1')
    expect(e.hint).toContain('0.1.0')
  })

  it('explains that 1.4.0 was never released', () => {
    expect(() => parseSafeVersion('1.4.0')).toThrow(/never released/)
  })
})

describe('typehashes and version switches (safe.md §3, §4.1)', () => {
  it('type strings hash to the reference typehashes', () => {
    expect(domainTypehash('1.3.0')).toBe(DOMAIN_WITH_CHAIN)
    expect(domainTypehash('1.2.0')).toBe(DOMAIN_WITHOUT_CHAIN)
    expect(safeTxTypehash('0.1.0')).toBe(SAFE_TX_DATA_GAS)
    expect(safeTxTypehash('1.0.0')).toBe(SAFE_TX_BASE_GAS)
    expect(DOMAIN_TYPE_WITH_CHAIN_ID).toBe('EIP712Domain(uint256 chainId,address verifyingContract)')
    expect(DOMAIN_TYPE_WITHOUT_CHAIN_ID).toBe('EIP712Domain(address verifyingContract)')
  })

  const table: [
    string,
    { domain: string; safeTx: string; chainId: boolean; ethSign: boolean; bubbles: boolean },
  ][] = [
    [
      '0.1.0',
      {
        domain: DOMAIN_WITHOUT_CHAIN,
        safeTx: SAFE_TX_DATA_GAS,
        chainId: false,
        ethSign: false,
        bubbles: false,
      },
    ],
    [
      '1.0.0',
      {
        domain: DOMAIN_WITHOUT_CHAIN,
        safeTx: SAFE_TX_BASE_GAS,
        chainId: false,
        ethSign: false,
        bubbles: false,
      },
    ],
    [
      '1.1.0',
      {
        domain: DOMAIN_WITHOUT_CHAIN,
        safeTx: SAFE_TX_BASE_GAS,
        chainId: false,
        ethSign: true,
        bubbles: false,
      },
    ],
    [
      '1.1.1',
      {
        domain: DOMAIN_WITHOUT_CHAIN,
        safeTx: SAFE_TX_BASE_GAS,
        chainId: false,
        ethSign: true,
        bubbles: false,
      },
    ],
    [
      '1.2.0',
      {
        domain: DOMAIN_WITHOUT_CHAIN,
        safeTx: SAFE_TX_BASE_GAS,
        chainId: false,
        ethSign: true,
        bubbles: false,
      },
    ],
    [
      '1.3.0',
      { domain: DOMAIN_WITH_CHAIN, safeTx: SAFE_TX_BASE_GAS, chainId: true, ethSign: true, bubbles: false },
    ],
    [
      '1.3.0+L2',
      { domain: DOMAIN_WITH_CHAIN, safeTx: SAFE_TX_BASE_GAS, chainId: true, ethSign: true, bubbles: false },
    ],
    [
      '1.4.1',
      { domain: DOMAIN_WITH_CHAIN, safeTx: SAFE_TX_BASE_GAS, chainId: true, ethSign: true, bubbles: false },
    ],
    [
      '1.4.1+L2',
      { domain: DOMAIN_WITH_CHAIN, safeTx: SAFE_TX_BASE_GAS, chainId: true, ethSign: true, bubbles: false },
    ],
    [
      '1.5.0',
      { domain: DOMAIN_WITH_CHAIN, safeTx: SAFE_TX_BASE_GAS, chainId: true, ethSign: true, bubbles: true },
    ],
    [
      '1.5.0+L2',
      { domain: DOMAIN_WITH_CHAIN, safeTx: SAFE_TX_BASE_GAS, chainId: true, ethSign: true, bubbles: true },
    ],
  ]
  it.each(table)('%s', (v, want) => {
    expect(domainTypehash(v)).toBe(want.domain)
    expect(safeTxTypehash(v)).toBe(want.safeTx)
    expect(domainHasChainId(v)).toBe(want.chainId)
    expect(isCrossChainReplayable(v)).toBe(!want.chainId)
    expect(supportsEthSign(v)).toBe(want.ethSign)
    expect(bubblesInnerRevert(v)).toBe(want.bubbles)
    expect(multiSendMapsZeroToSelf(v)).toBe(want.bubbles)
    // Helpers accept a parsed version too.
    expect(domainHasChainId(parseSafeVersion(v))).toBe(want.chainId)
  })

  it('compares versions', () => {
    expect(safeVersionAtLeast('1.3.0+L2', '1.3.0')).toBe(true)
    expect(safeVersionAtLeast('1.2.0', '1.3.0')).toBe(false)
    expect(safeVersionAtLeast('1.4.1', '1.1.1')).toBe(true)
    expect(() => safeTxTypehash('1.4.0')).toThrow(UnknownSafeVersionError)
  })
})
