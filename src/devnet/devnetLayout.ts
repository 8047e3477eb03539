import { getCreateAddress, parseUnits } from 'ethers'
import type { Address } from '../safe/types.js'
import { COUNCIL_OWNERS, COUNCIL_THRESHOLD, DEPLOYER } from './accounts.js'
import {
  canonicalAddress,
  predictSafeAddress,
  SAFE_141_NAMES,
  type Safe141ContractName,
  type SafeSetup,
  safeArtifact,
} from './safeArtifacts.js'

/**
 * The devnet's contracts in deployment order. The deployer account's nonce picks each address, so this
 * order is the devnet's address map: append, never reorder.
 */
export const DEVNET_CONTRACTS = [
  { key: 'ALLY', artifact: 'AllianceToken' },
  { key: 'aUSD', artifact: 'DevToken' },
  { key: 'PLAY', artifact: 'DevToken' },
  { key: 'timelock', artifact: 'AllianceTimelock' },
  { key: 'governor', artifact: 'AllianceGovernor' },
  { key: 'treasury', artifact: 'AllianceTreasury' },
  { key: 'registry', artifact: 'AllianceRegistry' },
  { key: 'ally-staking', artifact: 'StakingVault' },
  { key: 'fee-splitter', artifact: 'FeeSplitter' },
] as const
export type DevnetContractKey = (typeof DEVNET_CONTRACTS)[number]['key']

export const DEVNET_PARAMS = {
  chainId: 31337,
  allySupply: parseUnits('10000000', 18),
  ausdSupply: parseUnits('5000000', 6),
  playSupply: parseUnits('1000000', 18),
  timelockDelay: 3600n,
  votingDelay: 1n,
  votingPeriod: 50n,
  proposalThreshold: parseUnits('1000', 18),
  quorumPercent: 4n,
  epochDuration: 30n * 86_400n,
  budgets: { ALLY: parseUnits('100000', 18), aUSD: parseUnits('50000', 6), ETH: parseUnits('10', 18) },
  treasuryFunding: {
    ALLY: parseUnits('4000000', 18),
    aUSD: parseUnits('1000000', 6),
    ETH: parseUnits('20', 18),
  },
  vaultRewards: parseUnits('1000000', 18),
  ownerAlly: parseUnits('1000000', 18),
  councilFunding: { aUSD: parseUnits('100000', 6), ETH: parseUnits('5', 18) },
  councilSaltNonce: 0n,
} as const

export type DevnetLayout = {
  chainId: number
  council: Address
  councilSetup: SafeSetup
  contracts: Record<DevnetContractKey, Address>
  safe: Record<Safe141ContractName, Address>
}

/** Every devnet address, computed without a chain (`alliance init` writes these before any devnet runs). */
export function devnetLayout(): DevnetLayout {
  const safe = Object.fromEntries(
    SAFE_141_NAMES.map((name) => [name, canonicalAddress(safeArtifact(name).bytecode)]),
  ) as Record<Safe141ContractName, Address>
  const councilSetup: SafeSetup = {
    owners: COUNCIL_OWNERS.map((o) => o.address),
    threshold: COUNCIL_THRESHOLD,
    fallbackHandler: safe.CompatibilityFallbackHandler,
    saltNonce: DEVNET_PARAMS.councilSaltNonce,
  }
  const contracts = Object.fromEntries(
    DEVNET_CONTRACTS.map((c, nonce) => [
      c.key,
      getCreateAddress({ from: DEPLOYER.address, nonce }) as Address,
    ]),
  ) as Record<DevnetContractKey, Address>
  return {
    chainId: DEVNET_PARAMS.chainId,
    council: predictSafeAddress(safe.SafeProxyFactory, safe.Safe, councilSetup),
    councilSetup,
    contracts,
    safe,
  }
}
