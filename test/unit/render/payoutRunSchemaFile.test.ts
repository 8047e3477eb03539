import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { packageRoot } from '../../../src/contracts/artifacts.js'
import { PAYOUT_RUN_SCHEMA_FILE, payoutRunJsonSchema } from '../../../src/render/payoutRunSchema.js'

describe('the published JSON Schema of a payout run', () => {
  it('is the one generated from the code (run `npm run schema` after changing src/render/payoutRunSchema.ts)', () => {
    const published = JSON.parse(readFileSync(join(packageRoot(), PAYOUT_RUN_SCHEMA_FILE), 'utf8'))
    expect(published).toEqual(payoutRunJsonSchema())
  })

  it('requires what stewards script on', () => {
    const published = JSON.parse(readFileSync(join(packageRoot(), PAYOUT_RUN_SCHEMA_FILE), 'utf8'))
    expect(published.required).toEqual(
      expect.arrayContaining([
        'format',
        'formatVersion',
        'outcome',
        'changed',
        'payouts',
        'totals',
        'transactions',
      ]),
    )
    expect(published.additionalProperties).toBe(false)
  })
})
