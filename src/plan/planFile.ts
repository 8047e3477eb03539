import { readFileSync } from 'node:fs'
import { z } from 'zod'
import { InputFileNotFoundError } from '../errors/input.js'
import { InvalidPlanFileError } from '../errors/plan.js'
import type { Address, Hex } from '../safe/types.js'
import { parseAddress } from '../utils/address.js'
import { writeFileAtomic } from '../utils/atomicWrite.js'
import { PLAN_FORMAT, PLAN_FORMAT_VERSION, type SafePlan } from './types.js'

const hex = z.string().regex(/^0x([0-9a-fA-F]{2})*$/, 'expected 0x-prefixed hex bytes') as z.ZodType<Hex>
const hash = z.string().regex(/^0x[0-9a-fA-F]{64}$/, 'expected a 32-byte hash') as z.ZodType<Hex>
const uint = z
  .string()
  .regex(/^\d+$/, 'expected a decimal integer string')
  .transform((s) => BigInt(s))
const address = z.string().transform((value, ctx): Address => {
  const parsed = parseAddress(value)
  if (parsed.ok) return parsed.address
  ctx.addIssue({ code: 'custom', message: parsed.reason })
  return z.NEVER
})
const operation = z.union([z.literal(0), z.literal(1)])
const call = z.strictObject({ to: address, value: uint, data: hex, operation })

const planSchema = z.strictObject({
  format: z.literal(PLAN_FORMAT),
  formatVersion: z.literal(PLAN_FORMAT_VERSION),
  id: hash,
  route: z.literal('safe'),
  chainId: uint,
  description: z.string(),
  source: z.strictObject({
    kind: z.enum(['txbuilder', 'queue']).optional(),
    file: z.string(),
    sha256: hash,
    text: z.string(),
  }),
  safe: z.strictObject({
    name: z.string().optional(),
    address,
    version: z.string(),
    threshold: z.number().int().positive(),
    owners: z.array(address),
  }),
  actions: z.array(
    z.strictObject({
      index: z.number().int().nonnegative(),
      kind: z.string(),
      description: z.string(),
      input: z.record(z.string(), z.unknown()),
      calls: z.array(call),
    }),
  ),
  batch: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('single') }),
    z.strictObject({ kind: z.literal('multisend-call-only'), multiSend: address }),
  ]),
  safeTx: z.strictObject({
    to: address,
    value: uint,
    data: hex,
    operation,
    safeTxGas: uint,
    baseGas: uint,
    gasPrice: uint,
    gasToken: address,
    refundReceiver: address,
    nonce: uint,
  }),
  hashes: z.strictObject({ domainHash: hash, messageHash: hash, safeTxHash: hash }),
  signatures: z.array(
    z.strictObject({ signer: address, signature: hex, kind: z.enum(['eoa', 'eth_sign', 'contract']) }),
  ),
})

/** Plans on disk: pretty JSON, bigints as decimal strings (JSON numbers lose precision past 2^53). */
export function serializePlan(plan: SafePlan): string {
  return `${JSON.stringify(plan, (_, v) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n`
}

export function parsePlan(file: string, text: string): SafePlan {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (err) {
    throw new InvalidPlanFileError(file, [`not JSON: ${(err as Error).message}`])
  }
  const parsed = planSchema.safeParse(json)
  if (!parsed.success) {
    throw new InvalidPlanFileError(
      file,
      parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
    )
  }
  return parsed.data as SafePlan
}

export function readPlanFile(file: string): SafePlan {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    throw new InputFileNotFoundError(file, 'Plan file')
  }
  return parsePlan(file, text)
}

export function writePlanFile(file: string, plan: SafePlan): void {
  writeFileAtomic(file, serializePlan(plan))
}

/** A plan file is told from an action file by its content, so commands can take either. */
export function looksLikePlan(text: string): boolean {
  return /^\s*\{/.test(text) && text.includes(`"${PLAN_FORMAT}"`)
}
