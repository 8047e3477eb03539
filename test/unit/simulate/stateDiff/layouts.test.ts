import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type { Hex } from 'viem'
import { describe, expect, it } from 'vitest'
import { loadArtifact, loadImmutableReferences } from '../../../../src/contracts/artifacts.js'
import { canonicalDeployments } from '../../../../src/safe/deployments.js'
import {
  ALLIANCE_CRITICAL_VARIABLES,
  identifyLayout,
  SAFE_STORAGE_LAYOUT,
} from '../../../../src/simulate/stateDiff/layouts.js'
import type { StorageLayout } from '../../../../src/simulate/stateDiff/types.js'

const safeContracts = join(
  dirname(createRequire(import.meta.url).resolve('@safe-global/safe-contracts/package.json')),
  'build/artifacts/contracts',
)
const runtime = (path: string) =>
  JSON.parse(readFileSync(join(safeContracts, path), 'utf8')).deployedBytecode as Hex
const PROXY_141 = runtime('proxies/SafeProxy.sol/SafeProxy.json')

/** The artifact's runtime code as a deployment would hold it: immutables written by the constructor. */
function deployed(name: string, fill = 'ab'): Hex {
  let hex = loadArtifact(name).deployedBytecode.slice(2)
  for (const { start, length } of loadImmutableReferences(name)) {
    hex = hex.slice(0, start * 2) + fill.repeat(length) + hex.slice((start + length) * 2)
  }
  return `0x${hex}`
}

describe('identifyLayout', () => {
  it.each(Object.keys(ALLIANCE_CRITICAL_VARIABLES))(
    'recognises deployed %s whatever its immutables',
    (name) => {
      const a = identifyLayout(deployed(name, 'ab'))
      const b = identifyLayout(deployed(name, '17'))
      expect(a?.name).toBe(name)
      expect(b?.name).toBe(name)
      expect(a?.layout).toEqual(loadArtifact(name).storageLayout)
    },
  )

  it('has immutables to mask in the contracts that declare them', () => {
    expect(loadImmutableReferences('AllianceTreasury').length).toBeGreaterThan(0)
    expect(loadImmutableReferences('AllianceRegistry')).toEqual([])
  })

  it('rejects code that differs outside the immutables, and empty code', () => {
    const code = deployed('AllianceTreasury')
    const tampered = `${code.slice(0, 20)}${code[20] === 'f' ? '0' : 'f'}${code.slice(21)}` as Hex
    expect(identifyLayout(tampered)).toBeUndefined()
    expect(identifyLayout('0x')).toBeUndefined()
    expect(identifyLayout(undefined)).toBeUndefined()
  })

  it.each(Object.entries(ALLIANCE_CRITICAL_VARIABLES))(
    '%s: every critical variable exists in its layout',
    (name, vars) => {
      const labels = (loadArtifact(name).storageLayout as StorageLayout).storage.map((s) => s.label)
      for (const v of vars) expect(labels).toContain(v)
    },
  )

  it('recognises a Safe proxy and names it after its singleton', () => {
    const d141 = canonicalDeployments('1.4.1')
    expect(identifyLayout(PROXY_141)?.name).toBe('Safe')
    expect(identifyLayout(PROXY_141, { singletonCode: runtime('Safe.sol/Safe.json') })?.name).toBe(
      'Safe 1.4.1',
    )
    expect(identifyLayout(PROXY_141, { singletonCode: runtime('SafeL2.sol/SafeL2.json') })?.name).toBe(
      'Safe 1.4.1+L2',
    )
    expect(identifyLayout(PROXY_141, { singleton: d141.singleton.address })?.name).toBe('Safe 1.4.1')
    expect(
      identifyLayout(PROXY_141, { singleton: canonicalDeployments('1.3.0').singletonL2.address })?.name,
    ).toBe('Safe 1.3.0+L2')
    // A singleton the tables do not know leaves the version open.
    expect(identifyLayout(PROXY_141, { singleton: '0x000000000000000000000000000000000000dEaD' })?.name).toBe(
      'Safe',
    )
  })

  it("marks the Safe's configuration critical, not its nonce or signatures", () => {
    const safe = identifyLayout(PROXY_141)!
    expect([...safe.criticalVariables].sort()).toEqual(
      [
        'fallbackHandler',
        'guard',
        'moduleGuard',
        'modules',
        'ownerCount',
        'owners',
        'singleton',
        'threshold',
      ].sort(),
    )
    expect(safe.unresolvedIsCritical).toBe(true)
  })

  it("puts the Safe's variables at SafeStorage's slots and the managers' constant slots", () => {
    const slots = Object.fromEntries(SAFE_STORAGE_LAYOUT.storage.map((s) => [s.label, BigInt(s.slot)]))
    expect(slots).toMatchObject({ singleton: 0n, owners: 2n, threshold: 4n, nonce: 5n, approvedHashes: 8n })
    // The constants as written in safe-smart-account (GuardManager, FallbackManager, ModuleManager 1.5.0).
    expect(slots['guard']).toBe(BigInt('0x4a204f620c8c5ccdca3fd54d003badd85ba500436a431f0cbda4f558c93c34c8'))
    expect(slots['fallbackHandler']).toBe(
      BigInt('0x6c9a6c4a39284e37ed1cf53d337577d14212a4870fb976a4366c693b939918d5'),
    )
    expect(slots['moduleGuard']).toBe(
      BigInt('0xb104e0b93118902c651344349b610029d694cfdec91c589c91ebafbcd0289947'),
    )
  })
})
