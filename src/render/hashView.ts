import type { ChalkInstance } from 'chalk'
import type { ResolvedSafe } from '../cli/hashInput.js'

/** The label/value rows both hash commands print, and the block that introduces a Safe. */
export function hashRows(t: ChalkInstance, say: (line: string) => void, chainId: bigint) {
  const row = (label: string, value: string, note = '') =>
    say(`  ${label.padEnd(16)} ${value}${note ? `  ${t.dim(note)}` : ''}`)
  const safeBlock = (title: string, s: ResolvedSafe) => {
    say(t.bold(title))
    row('Safe', s.address)
    row('Version', s.version, s.versionNote)
    row('Chain', String(chainId))
    for (const n of s.notes) say(`  ${t.dim(n)}`)
  }
  return { row, safeBlock }
}
