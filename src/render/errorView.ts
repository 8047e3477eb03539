import type { ChalkInstance } from 'chalk'
import { AllianceError } from '../errors/base.js'

export function renderError(err: unknown, t: ChalkInstance): string {
  if (!(err instanceof AllianceError))
    return `${t.red('Error:')} ${err instanceof Error ? err.message : String(err)}`
  const lines = [`${t.red('Error:')} ${err.shortMessage}`, ...err.details.map((d) => `  ${d}`)]
  if (err.hint) lines.push(t.dim(`Hint: ${err.hint}`))
  return lines.join('\n')
}
