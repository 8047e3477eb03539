import { recoverAddress } from 'viem'
import { describe, expect, it } from 'vitest'
import { parseActionFile } from '../../../src/actions/actionFile.js'
import { COUNCIL_OWNERS, DEVNET_ACCOUNTS } from '../../../src/devnet/accounts.js'
import { PlanMismatchError } from '../../../src/errors/plan.js'
import { AlreadySignedError, NotAnOwnerError, StalePlanError } from '../../../src/errors/signer.js'
import { buildSafePlan, withId } from '../../../src/plan/buildSafePlan.js'
import type { SafePlan } from '../../../src/plan/types.js'
import { privateKeyFromEnv } from '../../../src/signers/privateKeyFromEnv.js'
import { signPlan } from '../../../src/signers/signPlan.js'
import { devnetWorkspace } from '../../support/workspace.js'
import { THREE_CALLS } from '../plan/fixtures.js'
import { stubReads } from '../plan/stubReads.js'

const ws = devnetWorkspace()
const owner = (i: number) => COUNCIL_OWNERS[i]!
const plan = await buildSafePlan(parseActionFile('/w/pay.yaml', THREE_CALLS, ws), stubReads())
const signer = (i: number) => privateKeyFromEnv('K', { K: DEVNET_ACCOUNTS[i]!.key })
const sign = (p: SafePlan, i: number, extra: Partial<Parameters<typeof signPlan>[0]> = {}) =>
  signPlan({ plan: p, planFile: '/w/plan.json', signer: signer(i), ...extra })

describe('signPlan', () => {
  it("adds an owner's signature that recovers to that owner over the safeTxHash", async () => {
    const out = await sign(plan, 1, { workspace: ws, reads: stubReads() })
    expect(out.signatures).toHaveLength(1)
    const [sig] = out.signatures
    expect(sig).toMatchObject({ signer: owner(1).address, kind: 'eoa' })
    expect(await recoverAddress({ hash: plan.hashes.safeTxHash, signature: sig!.signature })).toBe(
      owner(1).address,
    )
    // Signatures are outside the id: signing does not change what the plan is.
    expect(out.id).toBe(plan.id)
    expect(plan.signatures).toEqual([])
  })

  it('collects a second owner after the first', async () => {
    const two = await sign(await sign(plan, 0), 2)
    expect(two.signatures.map((s) => s.signer)).toEqual([owner(0).address, owner(2).address])
  })

  it('refuses a key that is not an owner', async () => {
    await expect(sign(plan, 3)).rejects.toBeInstanceOf(NotAnOwnerError)
  })

  it('refuses to sign twice with the same key', async () => {
    const once = await sign(plan, 0)
    await expect(sign(once, 0)).rejects.toBeInstanceOf(AlreadySignedError)
  })

  it('refuses a tampered plan and leaves it unsigned', async () => {
    const tampered: SafePlan = structuredClone(plan)
    tampered.actions[1]!.calls[0]!.value = 10n ** 21n
    const err = await sign(tampered, 0).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(PlanMismatchError)
    expect((err as PlanMismatchError).mismatches).toContainEqual(expect.stringMatching(/^plan id /))
    expect(tampered.signatures).toEqual([])
  })

  it('refuses a consistent plan whose calls are not what its YAML says, given the workspace', async () => {
    const other = await buildSafePlan(
      parseActionFile('/w/pay.yaml', THREE_CALLS.replace('"0.25"', '"25"'), ws),
      stubReads(),
    )
    const { id: _id, ...content } = { ...other, source: plan.source }
    const swapped = withId(content)
    // Alone it looks fine; against the workspace it is not.
    await expect(sign(swapped, 0)).resolves.toBeDefined()
    await expect(sign(swapped, 0, { workspace: ws })).rejects.toBeInstanceOf(PlanMismatchError)
  })

  it('refuses a plan the Safe on chain has moved past', async () => {
    await expect(sign(plan, 0, { reads: stubReads({ safe: { nonce: 1n } }) })).rejects.toBeInstanceOf(
      StalePlanError,
    )
    await expect(
      sign(plan, 0, {
        reads: stubReads({ safe: { owners: COUNCIL_OWNERS.slice(0, 2).map((o) => o.address) } }),
      }),
    ).rejects.toBeInstanceOf(StalePlanError)
  })
})
