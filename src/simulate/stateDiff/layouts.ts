import { getAddress, keccak256 } from 'ethers'
import { ALLIANCE_CONTRACTS, loadArtifact, loadImmutableReferences } from '../../contracts/artifacts.js'
import {
  CANONICAL_DEPLOYMENT_VERSIONS,
  canonicalDeployments,
  identifyCodeHash,
} from '../../safe/deployments.js'
import { SAFE_NAMED_SLOTS } from '../../safe/storage.js'
import type { Address, Hex } from '../../safe/types.js'
import type { StorageLayout } from './types.js'

/** A storage layout recognised for an account, and which of its variables a reviewer must not miss. */
export type KnownLayout = {
  /** `AllianceTreasury`, `Safe 1.4.1`. */
  name: string
  layout: StorageLayout
  /** Top-level variables whose change is critical. */
  criticalVariables: readonly string[]
  /** A changed slot the layout cannot place is critical too (see the Safe). */
  unresolvedIsCritical: boolean
  /** Addresses with a meaning in this contract, printed by name. */
  knownAddresses?: ReadonlyMap<Address, string>
}

export type IdentifyLayoutHints = {
  /** For a Safe proxy: its singleton (slot 0), and that singleton's runtime code, to name the version. */
  singleton?: Address
  singletonCode?: Hex
}

/**
 * Which layout the runtime `code` has: an alliance contract (the forge artifact's runtime code, compared
 * with the immutables masked out) or a Safe proxy. Undefined for anything else.
 */
export function identifyLayout(
  code: Hex | undefined,
  hints: IdentifyLayoutHints = {},
): KnownLayout | undefined {
  if (!code || code === '0x') return undefined
  const lower = code.toLowerCase()
  if (isSafeProxy(lower)) return safeLayout(hints)
  return allianceLayout(lower)
}

/**
 * Why these are critical: each one decides who controls the contract or bounds what can be done with it
 * without a vote. Day-to-day state (balances, spending within a budget, stakes, members and weights set
 * by the registrar, proposal votes) changes on every ordinary call and is not.
 * - `_roles` (AccessControl): role grants and role admins are the authority over every guarded function.
 * - the timelock's `_minDelay`: the community's window to react to a queued operation.
 * - the governor's settings, quorum history and `_timelock`: who may propose, how votes pass, and which
 *   timelock executes (pointing it elsewhere hands the treasury's admin to another executor).
 * - the treasury's `epochBudget`: the cap allocators spend under; raising it loosens the only spending limit.
 * - the fee splitter's `registry`: decides who receives every distributed fee.
 * A unit test checks that every name here exists in its artifact's layout, so a rename cannot silently drop one.
 */
export const ALLIANCE_CRITICAL_VARIABLES: Record<string, readonly string[]> = {
  AllianceToken: [],
  DevToken: [],
  AllianceTimelock: ['_roles', '_minDelay'],
  AllianceGovernor: [
    '_votingDelay',
    '_votingPeriod',
    '_proposalThreshold',
    '_quorumNumeratorHistory',
    '_timelock',
  ],
  AllianceTreasury: ['_roles', 'epochBudget'],
  AllianceRegistry: ['_roles'],
  StakingVault: ['_roles'],
  FeeSplitter: ['_roles', 'registry'],
}

/** Recognised alliance contracts; DevToken is the devnet's plain ERC-20 (aUSD, PLAY). */
const ALLIANCE_LAYOUT_CONTRACTS = [...ALLIANCE_CONTRACTS, 'DevToken'] as const

type Fingerprint = { name: string; masked: string; ranges: { start: number; length: number }[] }
let fingerprints: Fingerprint[] | undefined
const byCode = new Map<string, KnownLayout | undefined>()

function allianceLayout(code: string): KnownLayout | undefined {
  if (byCode.has(code)) return byCode.get(code)
  fingerprints ??= ALLIANCE_LAYOUT_CONTRACTS.map((name) => {
    const ranges = loadImmutableReferences(name)
    return { name, ranges, masked: mask(loadArtifact(name).deployedBytecode.toLowerCase(), ranges) }
  })
  const match = fingerprints.find((f) => f.masked.length === code.length && mask(code, f.ranges) === f.masked)
  const known = match && {
    name: match.name,
    layout: loadArtifact(match.name).storageLayout as StorageLayout,
    criticalVariables: ALLIANCE_CRITICAL_VARIABLES[match.name] ?? [],
    unresolvedIsCritical: false,
  }
  byCode.set(code, known)
  return known
}

/** Zeroes the immutable ranges (byte offsets into the code) of 0x-prefixed hex. */
function mask(code: string, ranges: readonly { start: number; length: number }[]): string {
  let out = code
  for (const { start, length } of ranges) {
    const from = 2 + start * 2
    out = out.slice(0, from) + '0'.repeat(length * 2) + out.slice(from + length * 2)
  }
  return out
}

/**
 * `masterCopy()`'s selector as the proxy compares it with the calldata: right-padded in a PUSH32, or, if an
 * optimizer rebuilt the constant, PUSH4 then `shl(224)`.
 */
const MASTER_COPY_SELECTOR = [`7fa619486e${'0'.repeat(56)}`, '63a619486e60e01b']

/**
 * SafeProxy's runtime code is not in safe-deployments (only the factory is), and its bytes differ between
 * releases (1.5.0 rewrote the assembly). What every release since 1.1.1 shares: a contract of under 256
 * bytes that answers `masterCopy()` itself (from slot 0) and delegates everything else.
 */
function isSafeProxy(code: string): boolean {
  return code.length <= 2 + 2 * 256 && MASTER_COPY_SELECTOR.some((s) => code.includes(s))
}

const SINGLETON_NAMES = new Set(['GnosisSafe', 'GnosisSafeL2', 'Safe', 'SafeL2'])

/** `1.4.1` or `1.4.1+L2` for a known singleton, by its code hash or else its canonical address. */
function singletonVersion(hints: IdentifyLayoutHints): string | undefined {
  if (hints.singletonCode && hints.singletonCode !== '0x') {
    const known = identifyCodeHash(keccak256(hints.singletonCode) as Hex)
    if (known && SINGLETON_NAMES.has(known.contractName)) {
      return known.contractName.endsWith('L2') ? `${known.version}+L2` : known.version
    }
  }
  if (!hints.singleton) return undefined
  const singleton = getAddress(hints.singleton)
  for (const version of CANONICAL_DEPLOYMENT_VERSIONS) {
    const set = canonicalDeployments(version)
    if (set.singleton.address === singleton) return version
    if (set.singletonL2.address === singleton) return `${version}+L2`
  }
  return undefined
}

const SENTINEL = '0x0000000000000000000000000000000000000001' as Address

/** Written only by the Safe's own code paths a reviewer expects to see in a plan. */
const SAFE_CRITICAL = [
  'singleton',
  'modules',
  'owners',
  'ownerCount',
  'threshold',
  'guard',
  'fallbackHandler',
  'moduleGuard',
] as const

const t = (label: string, numberOfBytes = '32') => ({ encoding: 'inplace' as const, label, numberOfBytes })
const mapping = (key: string, value: string, label: string) => ({
  encoding: 'mapping' as const,
  key,
  value,
  label,
  numberOfBytes: '32',
})
const at = (label: string, slot: bigint | Hex, type: string) => ({
  label,
  offset: 0,
  slot: BigInt(slot).toString(),
  type,
})

/**
 * SafeStorage (identical from 1.0.0 to 1.5.0) in solc's layout format, plus the managers' hashed slots
 * as variables at those slots.
 */
export const SAFE_STORAGE_LAYOUT: StorageLayout = {
  storage: [
    at('singleton', 0n, 't_address'),
    at('modules', 1n, 't_mapping(t_address,t_address)'),
    at('owners', 2n, 't_mapping(t_address,t_address)'),
    at('ownerCount', 3n, 't_uint256'),
    at('threshold', 4n, 't_uint256'),
    at('nonce', 5n, 't_uint256'),
    at('deprecatedDomainSeparator', 6n, 't_bytes32'),
    at('signedMessages', 7n, 't_mapping(t_bytes32,t_uint256)'),
    at('approvedHashes', 8n, 't_mapping(t_address,t_mapping(t_bytes32,t_uint256))'),
    at('guard', SAFE_NAMED_SLOTS.guard, 't_address'),
    at('fallbackHandler', SAFE_NAMED_SLOTS.fallbackHandler, 't_address'),
    at('moduleGuard', SAFE_NAMED_SLOTS.moduleGuard, 't_address'),
  ],
  types: {
    t_address: t('address', '20'),
    t_uint256: t('uint256'),
    t_bytes32: t('bytes32'),
    't_mapping(t_address,t_address)': mapping('t_address', 't_address', 'mapping(address => address)'),
    't_mapping(t_bytes32,t_uint256)': mapping('t_bytes32', 't_uint256', 'mapping(bytes32 => uint256)'),
    't_mapping(t_address,t_mapping(t_bytes32,t_uint256))': mapping(
      't_address',
      't_mapping(t_bytes32,t_uint256)',
      'mapping(address => mapping(bytes32 => uint256))',
    ),
  },
}

function safeLayout(hints: IdentifyLayoutHints): KnownLayout {
  const version = singletonVersion(hints)
  return {
    name: version ? `Safe ${version}` : 'Safe',
    layout: SAFE_STORAGE_LAYOUT,
    criticalVariables: SAFE_CRITICAL,
    // Legitimate Safe code only writes the variables above; any other slot was written by code the Safe
    // delegatecalled, which is exactly what a reviewer must see.
    unresolvedIsCritical: true,
    knownAddresses: new Map([[SENTINEL, 'SENTINEL']]),
  }
}
