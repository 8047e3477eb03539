import { extname } from 'node:path'
import { InvalidFlagError } from '../../errors/input.js'
import type { SimulationReport } from '../../report/schema.js'
import { writeFileAtomic } from '../../utils/atomicWrite.js'
import { renderReportHtml } from './html.js'
import { renderReportMarkdown } from './markdown.js'

const FORMATS = {
  '.md': (r: SimulationReport) => renderReportMarkdown(r),
  '.markdown': (r: SimulationReport) => renderReportMarkdown(r),
  '.html': (r: SimulationReport) => renderReportHtml(r),
  '.htm': (r: SimulationReport) => renderReportHtml(r),
  '.json': (r: SimulationReport) => `${JSON.stringify(r, null, 2)}\n`,
} as const

/** Checked before anything runs, so a typo in `--report` does not cost a simulation. */
export function checkReportPath(path: string): void {
  if (!(extname(path).toLowerCase() in FORMATS)) {
    throw new InvalidFlagError(
      '--report',
      `"${path}" must end in .md, .html or .json (the format follows the extension)`,
    )
  }
}

/** Writes the report in the format its extension names; whole or not at all (temp file, then rename). */
export function writeReportFile(path: string, report: SimulationReport): void {
  checkReportPath(path)
  writeFileAtomic(path, FORMATS[extname(path).toLowerCase() as keyof typeof FORMATS](report))
}
