import { z } from 'zod'
import { InvalidTxBuilderFileError } from '../errors/txbuilder.js'
import { parseAddress } from '../utils/address.js'
import { formatPath, type PathSegment, parseYamlSource } from '../utils/yamlSource.js'

/** One ABI input as the Transaction Builder stores it (`ContractInput` in typings/models.ts). */
export type TxBuilderContractInput = {
  internalType?: string | null
  name?: string | null
  type: string
  components?: TxBuilderContractInput[] | null
}

export type TxBuilderContractMethod = { name: string; payable: boolean; inputs: TxBuilderContractInput[] }

export type TxBuilderTransaction = {
  to: string
  /** Wei as a decimal string: the Transaction Builder refuses numbers (2^53 is far below 2^256). */
  value: string
  /** Hex calldata; when non-empty it wins over contractMethod. */
  data?: string | null
  contractMethod?: TxBuilderContractMethod | null
  /** Every value is a string, keyed by input name (or its index when unnamed). */
  contractInputsValues?: Record<string, string> | null
}

export type TxBuilderBatchFile = {
  version: string
  /** Decimal string, e.g. "1". */
  chainId: string
  /** Milliseconds since the epoch. */
  createdAt: number
  meta: {
    name?: string | null
    description?: string | null
    txBuilderVersion?: string | null
    createdFromSafeAddress?: string | null
    createdFromOwnerAddress?: string | null
    checksum?: string | null
  }
  transactions: TxBuilderTransaction[]
}

const address = (what: string) =>
  z.string({ error: `expected ${what} as a string` }).superRefine((value, ctx) => {
    const parsed = parseAddress(value)
    if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.reason })
  })
// Safe{Wallet} writes "" where it has no owner address; anything else must be an address.
const optionalAddress = z.union([z.literal(''), address('an address')]).nullish()
const text = z.string().nullish()

const contractInput: z.ZodType<TxBuilderContractInput> = z.lazy(() =>
  z.looseObject({
    internalType: text,
    name: text,
    type: z.string({ error: 'expected the ABI type as a string' }),
    components: z.array(contractInput).nullish(),
  }),
)

// Loose objects: a field a later Transaction Builder adds is kept (and hashed), not rejected. Types stay
// strict: a number where a string belongs is refused, as the Transaction Builder refuses it.
const transaction = z.looseObject({
  to: address('"to"'),
  value: z
    .string({ error: 'expected the value in wei as a decimal string' })
    .regex(/^\d+$/, 'expected the value in wei as a decimal string'),
  data: z
    .string({ error: 'expected hex calldata or null' })
    .regex(/^(0x([0-9a-fA-F]{2})*)?$/, 'expected 0x-prefixed hex bytes')
    .nullish(),
  contractMethod: z
    .looseObject({
      name: z.string({ error: 'expected the method name' }),
      payable: z.boolean({ error: 'expected payable: true or false' }).default(false),
      inputs: z.array(contractInput).default([]),
    })
    .nullish(),
  contractInputsValues: z
    .record(z.string(), z.string({ error: 'every contractInputsValues entry must be a string' }))
    .nullish(),
})

export const txBuilderBatchSchema = z.looseObject({
  version: z.string({ error: 'expected version "1.0"' }),
  chainId: z
    .string({ error: 'expected chainId as a decimal string, e.g. "1"' })
    .regex(/^\d+$/, 'expected chainId as a decimal string, e.g. "1"'),
  createdAt: z.number({ error: 'expected createdAt in milliseconds' }).int().nonnegative(),
  meta: z.looseObject({
    name: text,
    description: text,
    txBuilderVersion: text,
    createdFromSafeAddress: optionalAddress,
    createdFromOwnerAddress: optionalAddress,
    checksum: text,
  }),
  transactions: z.array(transaction).min(1, 'the batch has no transactions'),
})

export type ParsedTxBuilderFile = {
  /** Exactly what JSON.parse gave: the checksum is computed over this, every key included. */
  raw: Record<string, unknown>
  batch: TxBuilderBatchFile
}

/** Parses and validates a batch file; problems are reported at line:column (JSON is YAML). */
export function parseTxBuilderFile(file: string, text: string): ParsedTxBuilderFile {
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (err) {
    throw new InvalidTxBuilderFileError(file, [`not JSON: ${(err as Error).message}`])
  }
  if (isLibraryExport(raw)) {
    const count = Object.keys(raw.data).length
    throw new InvalidTxBuilderFileError(file, [
      `this is a Transaction Builder library export holding ${count} batch${count === 1 ? '' : 'es'}, not one batch`,
      'open the batch in the Transaction Builder and download it on its own',
    ])
  }
  const parsed = txBuilderBatchSchema.safeParse(raw)
  if (!parsed.success) {
    const at = locator(file, text)
    throw new InvalidTxBuilderFileError(
      file,
      parsed.error.issues.map((i) => {
        const path = i.path as PathSegment[]
        return `${at(path)}${formatPath(path) || '(root)'}: ${i.message}`
      }),
    )
  }
  return { raw: raw as Record<string, unknown>, batch: parsed.data as TxBuilderBatchFile }
}

const isLibraryExport = (raw: unknown): raw is { data: Record<string, unknown> } =>
  typeof raw === 'object' &&
  raw !== null &&
  !('transactions' in raw) &&
  'data' in raw &&
  typeof raw.data === 'object' &&
  raw.data !== null

/** `line:column ` of a path, when the YAML parser (a JSON superset) can place it; else nothing. */
function locator(file: string, text: string): (path: PathSegment[]) => string {
  try {
    const source = parseYamlSource(file, text)
    return (path) => {
      const { line, column } = source.locate(path)
      return `${line}:${column} `
    }
  } catch {
    return () => ''
  }
}
