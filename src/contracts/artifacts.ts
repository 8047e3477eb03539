import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Interface, type InterfaceAbi } from 'ethers'
import { AllianceError } from '../errors/base.js'
import type { Hex } from '../safe/types.js'
import type { ContractType } from '../workspace/schema.js'

export type ContractArtifact = {
  name: string
  abi: InterfaceAbi
  bytecode: Hex
  deployedBytecode: Hex
  storageLayout?: unknown
}

/** The package root, found from this file so it works from src/ (tsx) and dist/src/ (built). */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'contracts'))) {
    const parent = dirname(dir)
    if (parent === dir) throw new Error('alliance package root not found')
    dir = parent
  }
  return dir
}

export class ArtifactMissingError extends AllianceError {
  override name = 'ArtifactMissingError'
  constructor(name: string, path: string) {
    super(`Compiled contract ${name} not found at ${path}`, {
      code: 'ARTIFACT_MISSING',
      hint: 'Build the contracts with `npm run build:contracts` (npm ci does this).',
    })
  }
}

const cache = new Map<string, ContractArtifact>()

/** Reads forge's output for one contract (contracts/out/<Name>.sol/<Name>.json). */
export function loadArtifact(name: string): ContractArtifact {
  const hit = cache.get(name)
  if (hit) return hit
  const file = join(packageRoot(), 'contracts', 'out', `${name}.sol`, `${name}.json`)
  if (!existsSync(file)) throw new ArtifactMissingError(name, file)
  const json = JSON.parse(readFileSync(file, 'utf8'))
  const artifact: ContractArtifact = {
    name,
    abi: json.abi,
    bytecode: json.bytecode.object,
    deployedBytecode: json.deployedBytecode.object,
    storageLayout: json.storageLayout,
  }
  cache.set(name, artifact)
  return artifact
}

/** Where solc wrote an immutable into the runtime code (byte offsets into `deployedBytecode`). */
export type ImmutableReference = { start: number; length: number }

const immutables = new Map<string, ImmutableReference[]>()

/**
 * The byte ranges of `deployedBytecode` that the constructor fills with immutables: deployed code differs
 * from the artifact exactly there, so code is recognised with these ranges masked.
 */
export function loadImmutableReferences(name: string): ImmutableReference[] {
  const hit = immutables.get(name)
  if (hit) return hit
  const file = join(packageRoot(), 'contracts', 'out', `${name}.sol`, `${name}.json`)
  if (!existsSync(file)) throw new ArtifactMissingError(name, file)
  const json = JSON.parse(readFileSync(file, 'utf8'))
  const refs = Object.values(
    (json.deployedBytecode.immutableReferences ?? {}) as Record<string, ImmutableReference[]>,
  ).flat()
  immutables.set(name, refs)
  return refs
}

/** Which compiled contract a workspace contract type is. */
export const ARTIFACT_FOR_TYPE: Partial<Record<ContractType, string>> = {
  treasury: 'AllianceTreasury',
  'staking-vault': 'StakingVault',
  registry: 'AllianceRegistry',
  'fee-splitter': 'FeeSplitter',
  governor: 'AllianceGovernor',
  timelock: 'AllianceTimelock',
}

export const ALLIANCE_CONTRACTS = [
  'AllianceToken',
  'AllianceTimelock',
  'AllianceGovernor',
  'AllianceTreasury',
  'AllianceRegistry',
  'StakingVault',
  'FeeSplitter',
] as const

const interfaces = new Map<string, Interface>()

export function artifactInterface(name: string): Interface {
  const hit = interfaces.get(name)
  if (hit) return hit
  const iface = new Interface(loadArtifact(name).abi)
  interfaces.set(name, iface)
  return iface
}
