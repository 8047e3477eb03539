import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { packageRoot } from '../../../src/contracts/artifacts.js'
import { REPORT_SCHEMA_FILE, reportJsonSchema } from '../../../src/report/jsonSchema.js'
import { simulationReportSchema } from '../../../src/report/schema.js'

describe('the published JSON Schema of the simulation report', () => {
  it('is the one generated from the code (run `npm run schema` after changing src/report/schema.ts)', () => {
    const published = JSON.parse(readFileSync(join(packageRoot(), REPORT_SCHEMA_FILE), 'utf8'))
    expect(published).toEqual(reportJsonSchema())
  })

  it('requires what scripts rely on and rejects a report of another version', () => {
    const published = JSON.parse(readFileSync(join(packageRoot(), REPORT_SCHEMA_FILE), 'utf8'))
    expect(published.required).toEqual(
      expect.arrayContaining(['reportVersion', 'verdict', 'headline', 'subject', 'execution', 'checks']),
    )
    const fixture = JSON.parse(
      readFileSync(join(packageRoot(), 'test/fixtures/reports/safe-batch-failed.json'), 'utf8'),
    )
    expect(simulationReportSchema.safeParse(fixture).success).toBe(true)
    expect(simulationReportSchema.safeParse({ ...fixture, reportVersion: 2 }).success).toBe(false)
  })
})
