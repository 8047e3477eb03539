import { AllianceError } from '../errors/base.js'
import { InvalidInputFileError } from '../errors/input.js'

/** The one shape of machine output: versioned, with stable error codes. */
export type Envelope<T> = {
  schemaVersion: 1
  success: boolean
  data: T | null
  errors: { code: string; message: string; details?: string[]; hint?: string; issues?: unknown[] }[]
  warnings: { code: string; message: string }[]
}

export const ok = <T>(data: T, warnings: Envelope<T>['warnings'] = []): Envelope<T> => ({
  schemaVersion: 1,
  success: true,
  data: jsonSafe(data) as T,
  errors: [],
  warnings,
})

export function failed(err: unknown): Envelope<null> {
  const e =
    err instanceof AllianceError
      ? {
          code: err.code,
          message: err.shortMessage,
          ...(err.details.length ? { details: err.details } : {}),
          ...(err.hint ? { hint: err.hint } : {}),
          ...(err instanceof InvalidInputFileError ? { issues: err.issues } : {}),
        }
      : { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) }
  return { schemaVersion: 1, success: false, data: null, errors: [e], warnings: [] }
}

/** bigints as decimal strings (JSON has no integers past 2^53); everything else as is. */
export function jsonSafe(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString()
  if (Array.isArray(value)) return value.map(jsonSafe)
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonSafe(v)]))
  }
  return value
}
