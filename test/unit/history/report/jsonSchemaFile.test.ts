import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { packageRoot } from '../../../../src/contracts/artifacts.js'
import {
  HISTORY_REPORT_SCHEMA_FILE,
  historyReportJsonSchema,
} from '../../../../src/history/report/jsonSchema.js'

const published = () => JSON.parse(readFileSync(join(packageRoot(), HISTORY_REPORT_SCHEMA_FILE), 'utf8'))

describe('the published JSON Schema of a history report', () => {
  it('is the one generated from the code (run `npm run schema` after changing src/history/report/schema.ts)', () => {
    expect(published()).toEqual(historyReportJsonSchema())
  })

  it('tells the two kinds apart and requires what auditors read', () => {
    const [safe, governor] = published().oneOf as {
      properties: { kind: { const: string } }
      required: string[]
    }[]
    expect(safe!.properties.kind.const).toBe('safe-history')
    expect(governor!.properties.kind.const).toBe('governor-history')
    expect(safe!.required).toEqual(
      expect.arrayContaining(['reportVersion', 'subject', 'summary', 'executions', 'configChanges']),
    )
    expect(governor!.required).toEqual(
      expect.arrayContaining(['reportVersion', 'subject', 'summary', 'proposals', 'bypass']),
    )
  })
})
