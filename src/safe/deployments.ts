import {
  type DeploymentFilter,
  getCompatibilityFallbackHandlerDeployment,
  getCreateCallDeployment,
  getDefaultCallbackHandlerDeployment,
  getExtensibleFallbackHandlerDeployment,
  getFallbackHandlerDeployment,
  getMultiSendCallOnlyDeployment,
  getMultiSendDeployment,
  getProxyFactoryDeployment,
  getSafeL2SingletonDeployment,
  getSafeMigrationDeployment,
  getSafeSingletonDeployment,
  getSafeToL2MigrationDeployment,
  getSafeToL2SetupDeployment,
  getSignMessageLibDeployment,
  getSimulateTxAccessorDeployment,
  getTokenCallbackHandlerDeployment,
  type SingletonDeployment,
} from '@safe-global/safe-deployments'
import { getAddress } from 'ethers'
import { UnknownSafeDeploymentError } from '../errors/safe.js'
import type { Address, Hex } from './types.js'

/**
 * Contract names the Safe Transaction Service trusts as DELEGATECALL targets
 * (`TRUSTED_FOR_DELEGATE_CALL`); anything else delegatecalled from a Safe deserves a loud warning.
 */
export const TRUSTED_DELEGATECALL_NAMES = ['MultiSendCallOnly', 'SignMessageLib', 'SafeMigration'] as const

export const CANONICAL_DEPLOYMENT_VERSIONS = ['1.3.0', '1.4.1', '1.5.0'] as const
export type CanonicalDeploymentVersion = (typeof CANONICAL_DEPLOYMENT_VERSIONS)[number]

export type SafeContractDeployment = {
  contractName: string
  version: string
  address: Address
  codeHash: Hex
}

export type SafeDeploymentSet = {
  version: CanonicalDeploymentVersion
  singleton: SafeContractDeployment
  singletonL2: SafeContractDeployment
  proxyFactory: SafeContractDeployment
  multiSend: SafeContractDeployment
  multiSendCallOnly: SafeContractDeployment
  fallbackHandler: SafeContractDeployment
  signMessageLib: SafeContractDeployment
  createCall: SafeContractDeployment
  simulateTxAccessor: SafeContractDeployment
  /** Shipped from 1.4.1. */
  safeMigration?: SafeContractDeployment
}

type Getter = (filter?: DeploymentFilter) => SingletonDeployment | undefined

function canonical(getter: Getter, version: string, contract: string): SafeContractDeployment {
  const d = getter({ version, released: true })
  const c = d?.deployments.canonical
  if (!d || !c) throw new UnknownSafeDeploymentError({ version, contract })
  return {
    contractName: d.contractName,
    version: d.version,
    address: getAddress(c.address) as Address,
    codeHash: c.codeHash.toLowerCase() as Hex,
  }
}

const cache = new Map<CanonicalDeploymentVersion, SafeDeploymentSet>()

/**
 * Canonical (Safe singleton factory) addresses of one release, read from `@safe-global/safe-deployments`
 * so they follow the package rather than a hand-copied table.
 */
export function canonicalDeployments(version: string): SafeDeploymentSet {
  if (!(CANONICAL_DEPLOYMENT_VERSIONS as readonly string[]).includes(version)) {
    throw new UnknownSafeDeploymentError({ version })
  }
  const v = version as CanonicalDeploymentVersion
  const cached = cache.get(v)
  if (cached) return cached
  const set: SafeDeploymentSet = {
    version: v,
    singleton: canonical(getSafeSingletonDeployment, v, 'Safe singleton'),
    singletonL2: canonical(getSafeL2SingletonDeployment, v, 'SafeL2 singleton'),
    proxyFactory: canonical(getProxyFactoryDeployment, v, 'SafeProxyFactory'),
    multiSend: canonical(getMultiSendDeployment, v, 'MultiSend'),
    multiSendCallOnly: canonical(getMultiSendCallOnlyDeployment, v, 'MultiSendCallOnly'),
    fallbackHandler: canonical(getCompatibilityFallbackHandlerDeployment, v, 'CompatibilityFallbackHandler'),
    signMessageLib: canonical(getSignMessageLibDeployment, v, 'SignMessageLib'),
    createCall: canonical(getCreateCallDeployment, v, 'CreateCall'),
    simulateTxAccessor: canonical(getSimulateTxAccessorDeployment, v, 'SimulateTxAccessor'),
  }
  if (getSafeMigrationDeployment({ version: v, released: true })) {
    set.safeMigration = canonical(getSafeMigrationDeployment, v, 'SafeMigration')
  }
  cache.set(v, set)
  return set
}

export type CanonicalSafe141 = {
  Safe: Address
  SafeL2: Address
  SafeProxyFactory: Address
  MultiSend: Address
  MultiSendCallOnly: Address
  CompatibilityFallbackHandler: Address
  SignMessageLib: Address
  CreateCall: Address
  SimulateTxAccessor: Address
}

const d141 = canonicalDeployments('1.4.1')

/** The 1.4.1 contracts the devnet deploys at their canonical addresses. */
export const canonicalSafe141: CanonicalSafe141 = Object.freeze({
  Safe: d141.singleton.address,
  SafeL2: d141.singletonL2.address,
  SafeProxyFactory: d141.proxyFactory.address,
  MultiSend: d141.multiSend.address,
  MultiSendCallOnly: d141.multiSendCallOnly.address,
  CompatibilityFallbackHandler: d141.fallbackHandler.address,
  SignMessageLib: d141.signMessageLib.address,
  CreateCall: d141.createCall.address,
  SimulateTxAccessor: d141.simulateTxAccessor.address,
})

export type KnownContract = { contractName: string; version: string }

const ALL_GETTERS: Getter[] = [
  getSafeSingletonDeployment,
  getSafeL2SingletonDeployment,
  getProxyFactoryDeployment,
  getMultiSendDeployment,
  getMultiSendCallOnlyDeployment,
  getCompatibilityFallbackHandlerDeployment,
  getFallbackHandlerDeployment,
  getDefaultCallbackHandlerDeployment,
  getTokenCallbackHandlerDeployment,
  getExtensibleFallbackHandlerDeployment,
  getSignMessageLibDeployment,
  getCreateCallDeployment,
  getSimulateTxAccessorDeployment,
  getSafeMigrationDeployment,
  getSafeToL2MigrationDeployment,
  getSafeToL2SetupDeployment,
]
const ALL_VERSIONS = ['1.0.0', '1.1.1', '1.2.0', '1.3.0', '1.4.1', '1.5.0']

let codeHashes: ReadonlyMap<Hex, KnownContract> | undefined

/**
 * Runtime code hash (lowercase) → contract, over every released version and every deployment flavour
 * (canonical, eip155, zkSync). Matching code rather than addresses recognises non-canonical deployments
 * and rejects look-alike addresses.
 */
export function knownCodeHashes(): ReadonlyMap<Hex, KnownContract> {
  if (codeHashes) return codeHashes
  const map = new Map<Hex, KnownContract>()
  for (const version of ALL_VERSIONS) {
    for (const getter of ALL_GETTERS) {
      const d = getter({ version, released: true })
      if (!d) continue
      for (const flavour of Object.values(d.deployments)) {
        if (!flavour) continue
        const key = flavour.codeHash.toLowerCase() as Hex
        // Several getters alias one contract (fallback handler); the first name seen is kept.
        if (!map.has(key)) map.set(key, { contractName: d.contractName, version: d.version })
      }
    }
  }
  codeHashes = map
  return map
}

/** Looks up a runtime code hash (any case) among the known Safe contracts. */
export function identifyCodeHash(codeHash: Hex): KnownContract | undefined {
  return knownCodeHashes().get(codeHash.toLowerCase() as Hex)
}

/** True for a code hash of a contract named in TRUSTED_DELEGATECALL_NAMES. */
export function isTrustedDelegateCallCode(codeHash: Hex): boolean {
  const known = identifyCodeHash(codeHash)
  return known !== undefined && (TRUSTED_DELEGATECALL_NAMES as readonly string[]).includes(known.contractName)
}

const CANONICAL_MULTISEND_CALL_ONLY = new Set(
  CANONICAL_DEPLOYMENT_VERSIONS.map((v) => canonicalDeployments(v).multiSendCallOnly.address.toLowerCase()),
)

/** A canonical MultiSendCallOnly (any version): the one delegatecall target a plan may batch through. */
export const isCanonicalMultiSendCallOnly = (address: string) =>
  CANONICAL_MULTISEND_CALL_ONLY.has(address.toLowerCase())
