/** One CSV record with the line it starts on (1-based), for errors a person can find. */
export type CsvRow = { line: number; cells: string[] }

export type CsvParse = { ok: true; rows: CsvRow[] } | { ok: false; line: number; reason: string }

/**
 * RFC 4180 CSV: commas, double-quoted cells (a quote doubled inside), CRLF or LF, a quoted cell may
 * span lines. Small and strict on purpose: a payout file that parses "somehow" is worse than one refused.
 * Blank lines are skipped; cells are not trimmed here (the schedule decides what spaces mean).
 */
export function parseCsv(text: string): CsvParse {
  const rows: CsvRow[] = []
  let line = 1
  let cells: string[] = []
  let cell = ''
  let rowLine = 1
  let quoted = false
  let cellStarted = false
  const endRow = () => {
    cells.push(cell)
    if (!(cells.length === 1 && cells[0] === '' && !cellStarted)) rows.push({ line: rowLine, cells })
    cells = []
    cell = ''
    cellStarted = false
  }
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"'
          i++
        } else {
          quoted = false
          const next = text[i + 1]
          if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r')
            return { ok: false, line, reason: 'a closing quote must end its cell' }
        }
      } else {
        if (ch === '\n') line++
        cell += ch
      }
      continue
    }
    if (ch === '"') {
      if (cell !== '') return { ok: false, line, reason: 'a quote may only open a cell' }
      quoted = true
      cellStarted = true
    } else if (ch === ',') {
      cells.push(cell)
      cell = ''
      cellStarted = true
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++
      endRow()
      line++
      rowLine = line
    } else {
      cell += ch
      cellStarted = true
    }
  }
  if (quoted) return { ok: false, line: rowLine, reason: 'a quoted cell is never closed' }
  endRow()
  return { ok: true, rows }
}
