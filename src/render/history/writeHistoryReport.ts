import { extname } from 'node:path'
import { InvalidFlagError } from '../../errors/input.js'
import type { HistoryReport } from '../../history/report/schema.js'
import { writeFileAtomicChunks } from '../../utils/atomicWrite.js'
import { joinedLines, jsonChunks } from '../../utils/chunks.js'
import { historyHtmlChunks } from './html.js'
import { historyMarkdownLines } from './markdown.js'

const markdown = (r: HistoryReport) => joinedLines(historyMarkdownLines(r))
/** With bigints as decimal strings, as every JSON alliance writes (jsonSafe). */
function* json(r: HistoryReport) {
  yield* jsonChunks(r, 2)
  yield '\n'
}

const FORMATS = {
  '.md': markdown,
  '.markdown': markdown,
  '.html': historyHtmlChunks,
  '.htm': historyHtmlChunks,
  '.json': json,
} as const

/** Checked before anything runs, so a typo in `--report` does not cost a replay. */
export function checkHistoryReportPath(path: string): void {
  if (!(extname(path).toLowerCase() in FORMATS))
    throw new InvalidFlagError(
      '--report',
      `"${path}" must end in .md, .html or .json (the format follows the extension)`,
    )
}

/**
 * Writes the report in the format its extension names, piece by piece as it is drawn (a long history is
 * never one string), and whole or not at all (temp file, then rename).
 */
export function writeHistoryReport(path: string, report: HistoryReport): void {
  checkHistoryReportPath(path)
  writeFileAtomicChunks(path, FORMATS[extname(path).toLowerCase() as keyof typeof FORMATS](report))
}
