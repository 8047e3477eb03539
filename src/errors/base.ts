/**
 * Every failure the tool reports on purpose is an AllianceError: a short first line that states the
 * fault, optional context lines, and a hint that says what to do. `code` is stable (scripts match on it,
 * it appears in the JSON envelope) and `exitCode` is what the CLI exits with.
 */
export type AllianceErrorOptions = {
  code: string
  details?: string[]
  hint?: string
  cause?: unknown
  exitCode?: number
}

export class AllianceError extends Error {
  override name = 'AllianceError'
  readonly shortMessage: string
  readonly details: string[]
  readonly hint: string | undefined
  readonly code: string
  readonly exitCode: number

  constructor(shortMessage: string, options: AllianceErrorOptions) {
    const lines = [shortMessage, ...(options.details ?? []).map((d) => `  ${d}`)]
    if (options.hint) lines.push(`Hint: ${options.hint}`)
    super(lines.join('\n'), options.cause === undefined ? undefined : { cause: options.cause })
    this.shortMessage = shortMessage
    this.details = options.details ?? []
    this.hint = options.hint
    this.code = options.code
    this.exitCode = options.exitCode ?? 1
  }

  /** Follows the cause chain, returning the deepest error (or the first that matches `fn`). */
  walk(fn?: (err: unknown) => boolean): unknown {
    let current: unknown = this
    while (current instanceof Error && current.cause !== undefined) {
      if (fn?.(current)) return current
      current = current.cause
    }
    return fn ? (fn(current) ? current : undefined) : current
  }
}

export const isAllianceError = (err: unknown): err is AllianceError => err instanceof AllianceError
