import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { packageRoot } from '../contracts/artifacts.js'
import type { SimulationEnvironment } from '../simulate/environment.js'
import type { SimulationReport } from './schema.js'

export function reportEnvironment(env: SimulationEnvironment): SimulationReport['environment'] {
  return {
    mode: env.mode,
    description: env.description,
    rpc: env.rpc,
    chainId: env.chainId.toString(),
    blockNumber: env.blockNumber.toString(),
    blockTimestamp: env.blockTimestamp.toString(),
    blockGasLimit: env.blockGasLimit.toString(),
    ...(env.forkBlock !== undefined ? { forkBlock: env.forkBlock.toString() } : {}),
  }
}

/** gasUsed as a percentage of the block gas limit, two decimals. */
export const gasShare = (gasUsed: bigint, blockGasLimit: bigint) =>
  blockGasLimit ? Number((gasUsed * 10_000n) / blockGasLimit) / 100 : 0

let version: string | undefined
export function generatedBy(): string {
  version ??= (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string })
    .version
  return `alliance ${version}`
}
