import { describe, expect, it } from 'vitest'
import { parseActionFile } from '../../../src/actions/actionFile.js'
import { COUNCIL_OWNERS } from '../../../src/devnet/accounts.js'
import { buildSafePlan, withId } from '../../../src/plan/buildSafePlan.js'
import type { SafePlan } from '../../../src/plan/types.js'
import { checkPlanAgainstSource, checkPlanIntegrity } from '../../../src/plan/verifyPlan.js'
import { canonicalDeployments } from '../../../src/safe/deployments.js'
import { signSafeTxHash } from '../../../src/safe/signatures.js'
import type { Hex } from '../../../src/safe/types.js'
import { sha256Hex } from '../../../src/utils/canonicalJson.js'
import { devnetWorkspace } from '../../support/workspace.js'
import { ONE_CALL, THREE_CALLS } from './fixtures.js'
import { stubReads } from './stubReads.js'

const ws = devnetWorkspace()
const owner = (i: number) => COUNCIL_OWNERS[i]!
const build = (text: string) => buildSafePlan(parseActionFile('/w/pay.yaml', text, ws), stubReads())
const single = await build(ONE_CALL)
const batch = await build(THREE_CALLS)

/** A deep copy to tamper with; `reId` recomputes the id, as someone editing the file would. */
const copy = (plan: SafePlan): SafePlan => structuredClone(plan)
const reId = (plan: SafePlan): SafePlan => {
  const { id: _id, ...content } = plan
  return withId(content)
}
/** Flips the last byte of some hex. */
const flip = (hex: Hex): Hex => `${hex.slice(0, -2)}${hex.endsWith('00') ? '01' : '00'}` as Hex

const signed = (plan: SafePlan, by: number, claimed = by): SafePlan => ({
  ...plan,
  signatures: [
    ...plan.signatures,
    {
      signer: COUNCIL_OWNERS[claimed]!.address,
      signature: signSafeTxHash(COUNCIL_OWNERS[by]!.key, plan.hashes.safeTxHash),
      kind: 'eoa',
    },
  ],
})

describe('checkPlanIntegrity', () => {
  it('finds nothing wrong in a plan as built, or signed by two owners', () => {
    expect(checkPlanIntegrity(single)).toEqual([])
    expect(checkPlanIntegrity(batch)).toEqual([])
    expect(checkPlanIntegrity(signed(signed(batch, 0), 1))).toEqual([])
  })

  it('notices an edited id', () => {
    const t = copy(single)
    t.id = sha256Hex('other')
    expect(checkPlanIntegrity(t)).toEqual([expect.stringMatching(/^plan id .* does not match its content/)])
  })

  it('notices an edited call in a single-call plan, even with a recomputed id', () => {
    const t = copy(single)
    t.actions[0]!.calls[0]!.data = flip(t.actions[0]!.calls[0]!.data)
    expect(checkPlanIntegrity(reId(t))).toContain("safeTx is not the plan's one call")
  })

  it('notices an edited call in a batch, even with a recomputed id', () => {
    const t = copy(batch)
    t.actions[2]!.calls[0]!.data = flip(t.actions[2]!.calls[0]!.data)
    expect(checkPlanIntegrity(reId(t))).toEqual([
      "safeTx is not the MultiSendCallOnly batch of the plan's calls",
    ])
    // Without the recomputed id, the id is named too.
    expect(checkPlanIntegrity(t)).toHaveLength(2)
  })

  it('notices an edited nonce: the hashes no longer follow', () => {
    const t = copy(batch)
    t.safeTx.nonce = 1n
    const problems = checkPlanIntegrity(reId(t))
    expect(problems).toContainEqual(expect.stringMatching(/^messageHash: plan says /))
    expect(problems).toContainEqual(expect.stringMatching(/^safeTxHash: plan says /))
    expect(problems.some((p) => p.startsWith('domainHash'))).toBe(false)
  })

  it('notices an edited hash', () => {
    const t = copy(single)
    t.hashes.domainHash = flip(t.hashes.domainHash)
    expect(checkPlanIntegrity(reId(t))).toEqual([
      `domainHash: plan says ${t.hashes.domainHash}, recomputed ${single.hashes.domainHash}`,
    ])
  })

  it('notices a batch target that is not a canonical MultiSendCallOnly', () => {
    // Plain MultiSend can delegatecall from inside the batch: never acceptable as the batch target.
    const multiSend = canonicalDeployments('1.4.1').multiSend.address
    const t = copy(batch)
    t.batch = { kind: 'multisend-call-only', multiSend }
    t.safeTx.to = multiSend
    const problems = checkPlanIntegrity(reId(t))
    expect(problems).toContainEqual(`batch target ${multiSend} is not a canonical MultiSendCallOnly`)
  })

  it('accepts the MultiSendCallOnly of another canonical release', () => {
    const t = copy(batch)
    const other = canonicalDeployments('1.3.0').multiSendCallOnly.address
    t.batch = { kind: 'multisend-call-only', multiSend: other }
    t.safeTx.to = other
    const problems = checkPlanIntegrity(reId(t))
    expect(problems.some((p) => p.startsWith('batch target'))).toBe(false)
  })

  it('notices edited source text', () => {
    const t = copy(single)
    t.source.text = t.source.text.replace('12500.5', '99999')
    expect(checkPlanIntegrity(reId(t))).toEqual(['source.sha256 does not match source.text'])
  })

  it('notices a signature claimed for someone who did not make it', () => {
    const forged = signed(single, 0, 1)
    expect(checkPlanIntegrity(forged)).toEqual([
      `signature claimed by ${owner(1).address} was made by ${owner(0).address}`,
    ])
  })

  it('notices a repeated signer and a signer who is not an owner', () => {
    expect(checkPlanIntegrity(signed(signed(single, 0), 0))).toEqual([`${owner(0).address} signed twice`])
    const outsider = { ...single, safe: { ...single.safe, owners: single.safe.owners.slice(1) } }
    expect(checkPlanIntegrity(signed(reId(outsider), 0))).toEqual([
      `${owner(0).address} is not an owner of the Safe`,
    ])
  })

  it('notices a signature that does not parse', () => {
    const t = copy(single)
    t.signatures = [{ signer: owner(0).address, signature: '0x1234', kind: 'eoa' }]
    expect(checkPlanIntegrity(t)).toEqual([
      expect.stringMatching(new RegExp(`^signature claimed by ${owner(0).address} does not parse`)),
    ])
  })
})

describe('checkPlanAgainstSource', () => {
  it('finds nothing wrong in a plan as built', () => {
    expect(checkPlanAgainstSource(single, ws)).toEqual([])
    expect(checkPlanAgainstSource(batch, ws)).toEqual([])
  })

  it('notices calls that differ from what the embedded YAML encodes to', async () => {
    // A consistent plan (hashes, sha256, id all recomputed) built from other YAML than it embeds.
    const other = await build(ONE_CALL.replace('"12500.5"', '"12500.6"'))
    const swapped = reId({ ...other, source: single.source })
    expect(checkPlanIntegrity(swapped)).toEqual([])
    expect(checkPlanAgainstSource(swapped, ws)).toEqual([
      'the calls differ from what the embedded action file encodes to',
    ])
  })

  it('notices a plan for another Safe than its YAML names', () => {
    const otherSafe = owner(2).address
    const t = reId({ ...single, safe: { ...single.safe, address: otherSafe } })
    expect(checkPlanAgainstSource(t, ws)).toContainEqual(
      `the action file names Safe ${devnetWorkspace().book.byName('council')!.address}, the plan ${otherSafe}`,
    )
  })
})
