import { keccak256, toUtf8Bytes } from 'ethers'
import type { Hex } from '../safe/types.js'

// JSON has no `undefined`; the Transaction Builder writes an absent field as null and hashes it as null.
const replacer = (_key: string, value: unknown) => (value === undefined ? null : value)

/**
 * The Transaction Builder's own serialisation (`serializeJSONObject` in apps/tx-builder/src/lib/checksum.ts):
 * objects become `{` + the JSON array of their sorted keys + each value followed by a comma + `}`, with no
 * key/value separators; arrays keep their order. Not JSON, and deliberately reproduced byte for byte.
 */
export function serializeForChecksum(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(serializeForChecksum).join(',')}]`
  if (typeof value === 'object' && value !== null) {
    // Default sort (UTF-16 code units), as upstream: localeCompare would differ for some keys.
    const keys = Object.keys(value).sort()
    const record = value as Record<string, unknown>
    return `{${JSON.stringify(keys)}${keys.map((k) => `${serializeForChecksum(record[k])},`).join('')}}`
  }
  return `${JSON.stringify(value, replacer)}`
}

/**
 * The checksum the Transaction Builder writes to `meta.checksum`: keccak256 of the serialised file with
 * the `checksum` key removed from `meta` and `meta.name` set to null (renaming a batch keeps it valid).
 * Takes the file as parsed from JSON, not a normalised copy: every key present counts.
 */
export function txBuilderChecksum(file: Record<string, unknown>): Hex {
  const meta = file.meta && typeof file.meta === 'object' ? (file.meta as Record<string, unknown>) : {}
  const { checksum: _checksum, ...rest } = meta
  return keccak256(toUtf8Bytes(serializeForChecksum({ ...file, meta: { ...rest, name: null } }))) as Hex
}

export type ChecksumCheck = {
  /** `missing`: no checksum (or an empty one), which the Transaction Builder also flags as modified. */
  status: 'valid' | 'invalid' | 'missing'
  expected: Hex
  found: string | null
}

/** Validates as the Transaction Builder does on import: recompute, then compare exactly (case included). */
export function checkTxBuilderChecksum(file: Record<string, unknown>): ChecksumCheck {
  const expected = txBuilderChecksum(file)
  const meta = file.meta && typeof file.meta === 'object' ? (file.meta as Record<string, unknown>) : {}
  const found = typeof meta.checksum === 'string' && meta.checksum !== '' ? meta.checksum : null
  const status = found === null ? 'missing' : found === expected ? 'valid' : 'invalid'
  return { status, expected, found }
}
