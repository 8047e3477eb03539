import { z } from 'zod'
import { parseAddress } from '../utils/address.js'

/** An address field: checksum enforced when mixed-case, normalised to the checksummed form. */
export const addressField = z.string({ error: 'expected an address (0x…)' }).transform((value, ctx) => {
  const parsed = parseAddress(value)
  if (!parsed.ok) {
    ctx.addIssue({ code: 'custom', message: parsed.reason })
    return z.NEVER
  }
  return parsed.address
})

const NAME = /^[A-Za-z][A-Za-z0-9_.-]*$/
const nameKey = z.string().regex(NAME, 'names start with a letter and use letters, digits, "-", "_" or "."')

export const CONTRACT_TYPES = [
  'treasury',
  'staking-vault',
  'registry',
  'fee-splitter',
  'governor',
  'timelock',
  'contract',
] as const
export type ContractType = (typeof CONTRACT_TYPES)[number]

const tokenEntry = z.strictObject({
  address: addressField,
  decimals: z.number().int().min(0).max(36),
  symbol: z.string().optional(),
})

const contractEntry = z.strictObject({
  type: z.enum(CONTRACT_TYPES, { error: `expected one of: ${CONTRACT_TYPES.join(', ')}` }),
  address: addressField,
  /** staking-vault: the tokens it stakes and pays, by name, so rates validate without a chain. */
  stakingToken: z.string().optional(),
  rewardToken: z.string().optional(),
  /** Path to an ABI JSON file (relative to alliance.yaml) used to decode calls to this contract. */
  abi: z.string().optional(),
})

export const workspaceSchema = z.strictObject({
  version: z.literal(1, { error: 'expected version: 1' }),
  chain: z.strictObject({
    name: z.string().default('devnet'),
    chainId: z.number().int().positive(),
    rpcUrl: z.string().url({ error: 'expected an http(s) URL' }),
  }),
  safes: z.record(nameKey, z.strictObject({ address: addressField })).default({}),
  tokens: z.record(nameKey, tokenEntry).default({}),
  contracts: z.record(nameKey, contractEntry).default({}),
  addresses: z.record(nameKey, addressField).default({}),
  /** Where council proposals travel between signers (flags override it). */
  queue: z
    .strictObject({
      /** Safe Transaction Service base URL, ending in /api. */
      txServiceUrl: z.string().url({ error: 'expected an http(s) URL ending in /api' }).optional(),
      /** A shared directory of plan bundles, relative to alliance.yaml. */
      directory: z.string().optional(),
      /** Environment variable holding the service's API key (default SAFE_API_KEY). */
      apiKeyEnv: z.string().optional(),
    })
    .optional(),
  policy: z
    .strictObject({
      /** Warn when one transfer or allocation moves more than this share of the sender's balance. */
      maxTransferShareBps: z.number().int().min(0).max(10_000).default(1000),
    })
    .default({ maxTransferShareBps: 1000 }),
})

export type WorkspaceConfig = z.infer<typeof workspaceSchema>
export type TokenEntry = z.infer<typeof tokenEntry>
export type ContractEntry = z.infer<typeof contractEntry>
