import { describe, expect, it } from 'vitest'
import { UnknownSafeDeploymentError } from '../../../src/errors/safe.js'
import {
  canonicalDeployments,
  canonicalSafe141,
  identifyCodeHash,
  isTrustedDelegateCallCode,
  knownCodeHashes,
  TRUSTED_DELEGATECALL_NAMES,
} from '../../../src/safe/deployments.js'

describe('canonical deployments (safe.md §4.6)', () => {
  // Canonical addresses as listed in the reference (safe-smart-account CHANGELOG / tool constants).
  const reference = {
    '1.3.0': {
      multiSend: '0xA238CBeb142c10Ef7Ad8442C6D1f9E89e07e7761',
      multiSendCallOnly: '0x40A2aCCbd92BCA938b02010E17A5b8929b49130D',
      signMessageLib: '0xA65387F16B013cf2Af4605Ad8aA5ec25a2cbA3a2',
      safeMigration: undefined,
    },
    '1.4.1': {
      multiSend: '0x38869bf66a61cF6bDB996A6aE40D5853Fd43B526',
      multiSendCallOnly: '0x9641d764fc13c8B624c04430C7356C1C7C8102e2',
      signMessageLib: '0xd53cd0aB83D845Ac265BE939c57F53AD838012c9',
      safeMigration: '0x526643F69b81B008F46d95CD5ced5eC0edFFDaC6',
    },
    '1.5.0': {
      multiSend: '0x218543288004CD07832472D464648173c77D7eB7',
      multiSendCallOnly: '0xA83c336B20401Af773B6219BA5027174338D1836',
      signMessageLib: '0x4FfeF8222648872B3dE295Ba1e49110E61f5b5aa',
      safeMigration: '0x6439e7ABD8Bb915A5263094784C5CF561c4172AC',
    },
  } as const

  it.each(Object.entries(reference))('%s matches the reference table', (version, want) => {
    const d = canonicalDeployments(version)
    expect(d.version).toBe(version)
    expect(d.multiSend.address).toBe(want.multiSend)
    expect(d.multiSendCallOnly.address).toBe(want.multiSendCallOnly)
    expect(d.signMessageLib.address).toBe(want.signMessageLib)
    expect(d.safeMigration?.address).toBe(want.safeMigration)
    for (const c of Object.values(d)) {
      if (typeof c === 'string' || c === undefined) continue
      expect(c.version).toBe(version)
      expect(c.address).toMatch(/^0x[0-9a-fA-F]{40}$/)
      expect(c.codeHash).toMatch(/^0x[0-9a-f]{64}$/)
      expect(identifyCodeHash(c.codeHash)).toEqual({ contractName: c.contractName, version })
    }
  })

  it('names the 1.3.0 contracts with their Gnosis-era names', () => {
    const d = canonicalDeployments('1.3.0')
    expect(d.singleton).toMatchObject({
      contractName: 'GnosisSafe',
      address: '0xd9Db270c1B5E3Bd161E8c8503c55cEABeE709552',
    })
    expect(d.singletonL2.contractName).toBe('GnosisSafeL2')
  })

  it('exposes the 1.4.1 set the devnet uses', () => {
    expect(canonicalSafe141).toEqual({
      Safe: '0x41675C099F32341bf84BFc5382aF534df5C7461a',
      SafeL2: '0x29fcB43b46531BcA003ddC8FCB67FFE91900C762',
      SafeProxyFactory: '0x4e1DCf7AD4e460CfD30791CCC4F9c8a4f820ec67',
      MultiSend: '0x38869bf66a61cF6bDB996A6aE40D5853Fd43B526',
      MultiSendCallOnly: '0x9641d764fc13c8B624c04430C7356C1C7C8102e2',
      CompatibilityFallbackHandler: '0xfd0732Dc9E303f09fCEf3a7388Ad10A83459Ec99',
      SignMessageLib: '0xd53cd0aB83D845Ac265BE939c57F53AD838012c9',
      CreateCall: '0x9b35Af71d77eaf8d7e40252370304687390A1A52',
      SimulateTxAccessor: '0x3d4BA2E0884aa488718476ca2FB8Efc291A46199',
    })
    expect(Object.isFrozen(canonicalSafe141)).toBe(true)
  })

  it('refuses versions without a canonical set', () => {
    for (const v of ['1.2.0', '1.4.0', '1.3.0+L2', 'x']) {
      const err = (() => {
        try {
          canonicalDeployments(v)
        } catch (e) {
          return e
        }
      })()
      expect(err, v).toBeInstanceOf(UnknownSafeDeploymentError)
      expect((err as UnknownSafeDeploymentError).code).toBe('SAFE_DEPLOYMENT_UNKNOWN')
    }
  })
})

describe('knownCodeHashes', () => {
  it('covers older releases and non-canonical flavours, keyed by lowercase hash', () => {
    const map = knownCodeHashes()
    expect(map.size).toBeGreaterThan(40)
    for (const k of map.keys()) expect(k).toMatch(/^0x[0-9a-f]{64}$/)
    const versions = new Set([...map.values()].map((c) => c.version))
    for (const v of ['1.0.0', '1.1.1', '1.2.0', '1.3.0', '1.4.1', '1.5.0'])
      expect(versions.has(v), v).toBe(true)
    // 1.3.0 eip155 MultiSend has its own code hash (safe-deployments), recognised as MultiSend 1.3.0.
    expect(identifyCodeHash('0x81db0e4afdf5178583537b58c5ad403bd47a4ac7f9bde2442ef3e341d433126a')).toEqual({
      contractName: 'MultiSend',
      version: '1.3.0',
    })
    expect(knownCodeHashes()).toBe(map)
  })

  it('identifies hashes case-insensitively and flags trusted delegatecall targets', () => {
    const d = canonicalDeployments('1.4.1')
    expect(
      identifyCodeHash(d.multiSendCallOnly.codeHash.toUpperCase().replace('0X', '0x') as `0x${string}`),
    ).toEqual({
      contractName: 'MultiSendCallOnly',
      version: '1.4.1',
    })
    expect(TRUSTED_DELEGATECALL_NAMES).toEqual(['MultiSendCallOnly', 'SignMessageLib', 'SafeMigration'])
    expect(isTrustedDelegateCallCode(d.multiSendCallOnly.codeHash)).toBe(true)
    expect(isTrustedDelegateCallCode(d.signMessageLib.codeHash)).toBe(true)
    expect(isTrustedDelegateCallCode(d.safeMigration!.codeHash)).toBe(true)
    expect(isTrustedDelegateCallCode(d.multiSend.codeHash)).toBe(false)
    expect(isTrustedDelegateCallCode(d.singleton.codeHash)).toBe(false)
    expect(isTrustedDelegateCallCode(`0x${'00'.repeat(32)}`)).toBe(false)
    expect(identifyCodeHash(`0x${'00'.repeat(32)}`)).toBeUndefined()
  })
})
