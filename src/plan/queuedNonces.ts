import { readdirSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import type { Address } from '../safe/types.js'
import { readPlanFile } from './planFile.js'

/**
 * Nonces of the other plans for the same Safe and chain kept beside a plan (the directory is the local
 * queue), so a nonce collision shows up before two plans are signed for one slot.
 */
export function queuedNoncesBeside(
  planFile: string,
  safe: Address,
  chainId: bigint,
  excludeId?: string,
): bigint[] {
  const dir = dirname(resolve(planFile))
  const nonces: bigint[] = []
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.plan.json') || resolve(join(dir, name)) === resolve(planFile)) continue
    try {
      const other = readPlanFile(join(dir, name))
      if (other.safe.address === safe && other.chainId === chainId && other.id !== excludeId)
        nonces.push(other.safeTx.nonce)
    } catch {
      // Not a readable plan: not part of the queue.
    }
  }
  return nonces
}
