import { computeAddress, SigningKey } from 'ethers'
import { KeyEnvInvalidError, KeyEnvMissingError } from '../errors/signer.js'
import type { Address } from '../safe/types.js'

export type LocalSigner = { address: Address; key: SigningKey; source: string }

/**
 * A private key from an environment variable. Never from a flag (shell history, `ps`), never printed:
 * errors name the variable, not its value.
 */
export function privateKeyFromEnv(variable: string, env: NodeJS.ProcessEnv = process.env): LocalSigner {
  const raw = env[variable]?.trim()
  if (!raw) throw new KeyEnvMissingError(variable)
  const hex = raw.startsWith('0x') ? raw : `0x${raw}`
  if (!/^0x[0-9a-fA-F]{64}$/.test(hex)) throw new KeyEnvInvalidError(variable)
  try {
    // computeAddress is where an out-of-range key (0, ≥ the curve order) is refused.
    const key = new SigningKey(hex)
    return { address: computeAddress(key) as Address, key, source: `$${variable}` }
  } catch {
    throw new KeyEnvInvalidError(variable)
  }
}
