// Regenerates docs/schemas/simulation-report.v<N>.json from src/report/schema.ts and
// docs/schemas/payout-run.v<N>.json from src/render/payoutRunSchema.ts and docs/schemas/history-report.v<N>.json
// from src/history/report/schema.ts (tests check they agree).
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { packageRoot } from '../src/contracts/artifacts.js'
import { HISTORY_REPORT_SCHEMA_FILE, historyReportJsonSchema } from '../src/history/report/jsonSchema.js'
import { PAYOUT_RUN_SCHEMA_FILE, payoutRunJsonSchema } from '../src/render/payoutRunSchema.js'
import { REPORT_SCHEMA_FILE, reportJsonSchema } from '../src/report/jsonSchema.js'

writeFileSync(join(packageRoot(), REPORT_SCHEMA_FILE), `${JSON.stringify(reportJsonSchema(), null, 2)}\n`)
console.log(`wrote ${REPORT_SCHEMA_FILE}`)
writeFileSync(
  join(packageRoot(), PAYOUT_RUN_SCHEMA_FILE),
  `${JSON.stringify(payoutRunJsonSchema(), null, 2)}\n`,
)
console.log(`wrote ${PAYOUT_RUN_SCHEMA_FILE}`)
writeFileSync(
  join(packageRoot(), HISTORY_REPORT_SCHEMA_FILE),
  `${JSON.stringify(historyReportJsonSchema(), null, 2)}\n`,
)
console.log(`wrote ${HISTORY_REPORT_SCHEMA_FILE}`)
