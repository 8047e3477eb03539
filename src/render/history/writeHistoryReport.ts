import { extname } from 'node:path'
import { InvalidFlagError } from '../../errors/input.js'
import type { HistoryReport } from '../../history/report/schema.js'
import { writeFileAtomic } from '../../utils/atomicWrite.js'
import { jsonSafe } from '../envelope.js'
import { renderHistoryHtml } from './html.js'
import { renderHistoryMarkdown } from './markdown.js'

const FORMATS = {
  '.md': renderHistoryMarkdown,
  '.markdown': renderHistoryMarkdown,
  '.html': renderHistoryHtml,
  '.htm': renderHistoryHtml,
  '.json': (r: HistoryReport) => `${JSON.stringify(jsonSafe(r), null, 2)}\n`,
} as const

/** Checked before anything runs, so a typo in `--report` does not cost a replay. */
export function checkHistoryReportPath(path: string): void {
  if (!(extname(path).toLowerCase() in FORMATS))
    throw new InvalidFlagError(
      '--report',
      `"${path}" must end in .md, .html or .json (the format follows the extension)`,
    )
}

/** Writes the report in the format its extension names; whole or not at all (temp file, then rename). */
export function writeHistoryReport(path: string, report: HistoryReport): void {
  checkHistoryReportPath(path)
  writeFileAtomic(path, FORMATS[extname(path).toLowerCase() as keyof typeof FORMATS](report))
}
