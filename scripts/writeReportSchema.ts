// Regenerates docs/schemas/simulation-report.v<N>.json from src/report/schema.ts (a test checks they agree).
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { packageRoot } from '../src/contracts/artifacts.js'
import { REPORT_SCHEMA_FILE, reportJsonSchema } from '../src/report/jsonSchema.js'

writeFileSync(join(packageRoot(), REPORT_SCHEMA_FILE), `${JSON.stringify(reportJsonSchema(), null, 2)}\n`)
console.log(`wrote ${REPORT_SCHEMA_FILE}`)
