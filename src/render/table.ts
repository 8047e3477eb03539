/** A plain text table: columns padded to their widest cell, ANSI colour ignored when measuring. */
export function renderTable(header: string[], rows: string[][], { indent = 2 } = {}): string {
  const all = [header, ...rows]
  const widths = header.map((_, c) => Math.max(...all.map((r) => visibleLength(r[c] ?? ''))))
  const line = (r: string[]) =>
    ' '.repeat(indent) +
    r
      .map((cell, c) => (c === r.length - 1 ? cell : cell + ' '.repeat(widths[c]! - visibleLength(cell))))
      .join('  ')
      .trimEnd()
  return [
    line(header),
    ' '.repeat(indent) + widths.map((w) => '─'.repeat(w)).join('  '),
    ...rows.map(line),
  ].join('\n')
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escape sequences are what we strip.
const ANSI = /\u001b\[[0-9;]*m/g
export const visibleLength = (s: string) => s.replace(ANSI, '').length
