import { z } from 'zod'
import { REPORT_VERSION, simulationReportSchema } from './schema.js'

/** The report's JSON Schema (draft 2020-12), as published in docs/schemas/. */
export function reportJsonSchema(): Record<string, unknown> {
  return {
    $id: `https://alliance.local/schemas/simulation-report.v${REPORT_VERSION}.json`,
    title: `alliance simulation report, version ${REPORT_VERSION}`,
    description:
      'The `data` of `alliance simulate --json`, and the JSON embedded in HTML reports. Integers that may pass 2^53 are decimal strings.',
    ...z.toJSONSchema(simulationReportSchema),
  }
}

export const REPORT_SCHEMA_FILE = `docs/schemas/simulation-report.v${REPORT_VERSION}.json`
