import { describe, expect, it } from 'vitest'
import { parseActionFile } from '../../../src/actions/actionFile.js'
import { InvalidPlanFileError } from '../../../src/errors/plan.js'
import { buildSafePlan } from '../../../src/plan/buildSafePlan.js'
import { looksLikePlan, parsePlan, serializePlan } from '../../../src/plan/planFile.js'
import { devnetWorkspace } from '../../support/workspace.js'
import { THREE_CALLS } from './fixtures.js'
import { stubReads } from './stubReads.js'

const plan = await buildSafePlan(
  parseActionFile('/w/pay.yaml', THREE_CALLS, devnetWorkspace()),
  stubReads(),
  {
    // Past 2^53, so a JSON number would lose it.
    nonce: 2n ** 64n + 1n,
  },
)

const planError = (text: string): InvalidPlanFileError => {
  try {
    parsePlan('/w/plan.json', text)
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidPlanFileError)
    return err as InvalidPlanFileError
  }
  throw new Error('parsePlan accepted the text')
}

describe('serializePlan / parsePlan', () => {
  it('round-trips a plan exactly, bigints included', () => {
    const text = serializePlan(plan)
    const back = parsePlan('/w/plan.json', text)
    expect(back).toEqual(plan)
    expect(back.safeTx.nonce).toBe(18_446_744_073_709_551_617n)
    expect(back.actions[1]?.calls[0]?.value).toBe(250_000_000_000_000_000n)
    expect(back.chainId).toBe(31337n)
  })

  it('writes bigints as decimal strings, never as JSON numbers', () => {
    const json = JSON.parse(serializePlan(plan))
    expect(json.safeTx.nonce).toBe('18446744073709551617')
    expect(json.chainId).toBe('31337')
    expect(json.actions[1].calls[0].value).toBe('250000000000000000')
  })

  it('is recognised as a plan, and an action file is not', () => {
    expect(looksLikePlan(serializePlan(plan))).toBe(true)
    expect(looksLikePlan(THREE_CALLS)).toBe(false)
  })

  it('refuses text that is not JSON', () => {
    expect(planError('{"format": "alliance-plan", ').details[0]).toMatch(/^not JSON/)
    planError('')
  })

  it('refuses a plan with a missing field, naming it', () => {
    const json = JSON.parse(serializePlan(plan))
    delete json.safeTx
    expect(planError(JSON.stringify(json)).details).toEqual([expect.stringMatching(/^safeTx: /)])
  })

  it('refuses a number where a bigint string belongs, and a bad checksum', () => {
    const json = JSON.parse(serializePlan(plan))
    json.safeTx.value = 0
    json.safe.owners[0] = json.safe.owners[0].replace(/[A-F]/, (c: string) => c.toLowerCase())
    const details = planError(JSON.stringify(json)).details
    expect(details).toContainEqual(expect.stringMatching(/^safeTx\.value: /))
    expect(details).toContainEqual(expect.stringMatching(/^safe\.owners\.0: bad address checksum/))
  })

  it('refuses unknown fields and another format', () => {
    const json = JSON.parse(serializePlan(plan))
    json.extra = 1
    expect(planError(JSON.stringify(json)).details.join('\n')).toContain('extra')
    expect(planError(JSON.stringify({ ...JSON.parse(serializePlan(plan)), format: 'x' })).details).toEqual([
      expect.stringMatching(/^format: /),
    ])
  })
})
