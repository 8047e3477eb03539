import { z } from 'zod'
import { HISTORY_REPORT_VERSION, historyReportSchema } from './schema.js'

/** The history report's JSON Schema (draft 2020-12), as published in docs/schemas/. */
export function historyReportJsonSchema(): Record<string, unknown> {
  return {
    $id: `https://alliance.local/schemas/history-report.v${HISTORY_REPORT_VERSION}.json`,
    title: `alliance history report, version ${HISTORY_REPORT_VERSION}`,
    description:
      'The `data.report` of `alliance history replay --json`, the file `--report FILE.json` writes, and the JSON embedded in HTML history reports (`#alliance-history-report`). `kind` tells a Safe history from a Governor history. Integers that may pass 2^53 are decimal strings.',
    ...z.toJSONSchema(historyReportSchema),
  }
}

export const HISTORY_REPORT_SCHEMA_FILE = `docs/schemas/history-report.v${HISTORY_REPORT_VERSION}.json`
