import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { parseActionFile } from '../../../src/actions/actionFile.js'
import { workspaceDecodeContext } from '../../../src/decode/workspaceDecodeContext.js'
import { COUNCIL_OWNERS, DEVNET_ACCOUNTS } from '../../../src/devnet/accounts.js'
import { buildSafePlan } from '../../../src/plan/buildSafePlan.js'
import type { SafePlan } from '../../../src/plan/types.js'
import { directoryQueue } from '../../../src/queue/directoryQueue.js'
import { planFromQueued } from '../../../src/queue/planFromQueued.js'
import { signSafeTxHash } from '../../../src/safe/signatures.js'
import type { Address, Hex } from '../../../src/safe/types.js'
import { devnetWorkspace } from '../../support/workspace.js'
import { ONE_CALL, THREE_CALLS } from '../plan/fixtures.js'
import { CHAIN_ID, stubReads } from '../plan/stubReads.js'

const [alice, bob, carol] = COUNCIL_OWNERS
const sign = (plan: SafePlan, key: string) => signSafeTxHash(key as Hex, plan.hashes.safeTxHash)
const planOf = (yaml: string) =>
  buildSafePlan(parseActionFile('/w/pay.yaml', yaml, devnetWorkspace()), stubReads())

let root: string
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'alliance-queue-'))
})
afterEach(() => rmSync(root, { recursive: true, force: true }))

describe('directoryQueue', () => {
  it('stores a proposal whole and each confirmation as its own file; reads them back', async () => {
    const queue = directoryQueue(root)
    const plan = await planOf(THREE_CALLS)
    await queue.propose({ plan, proposer: alice.address, signature: sign(plan, alice.key) })
    await queue.confirm({
      safeTxHash: plan.hashes.safeTxHash,
      owner: bob.address,
      signature: sign(plan, bob.key),
    })
    const got = await queue.get(plan.hashes.safeTxHash)
    expect(got.safeTxHash).toBe(plan.hashes.safeTxHash)
    expect(got.confirmations.map((c) => c.owner).sort()).toEqual([alice.address, bob.address].sort())
    expect(got.plan?.id).toBe(plan.id)
    expect(readdirSync(root).filter((f) => f.startsWith('.'))).toEqual([])
    const pending = await queue.pending(plan.safe.address, 0n)
    expect(pending.map((t) => t.safeTxHash)).toEqual([plan.hashes.safeTxHash])
    expect(await queue.pending(plan.safe.address, 1n)).toEqual([])
  })

  it('two signers confirming at the same moment both land; the same owner twice lands once', async () => {
    const queue = directoryQueue(root)
    const plan = await planOf(ONE_CALL)
    const hash = plan.hashes.safeTxHash
    await queue.propose({ plan, proposer: alice.address, signature: sign(plan, alice.key) })
    await Promise.all([
      queue.confirm({ safeTxHash: hash, owner: bob.address, signature: sign(plan, bob.key) }),
      queue.confirm({ safeTxHash: hash, owner: carol.address, signature: sign(plan, carol.key) }),
    ])
    expect((await queue.get(hash)).confirmations).toHaveLength(3)

    const other = directoryQueue(root)
    const twice = await Promise.allSettled([
      other.confirm({ safeTxHash: hash, owner: bob.address, signature: sign(plan, bob.key) }),
      other.confirm({ safeTxHash: hash, owner: bob.address, signature: sign(plan, bob.key) }),
    ])
    expect(twice.map((r) => r.status)).toEqual(['rejected', 'rejected'])
    expect((twice[0] as PromiseRejectedResult).reason.code).toBe('QUEUE_DUPLICATE_CONFIRMATION')
  })

  it('two proposers at once: one proposal lands, the other is told it is already queued', async () => {
    const plan = await planOf(ONE_CALL)
    const results = await Promise.allSettled([
      directoryQueue(root).propose({ plan, proposer: alice.address, signature: sign(plan, alice.key) }),
      directoryQueue(root).propose({ plan, proposer: bob.address, signature: sign(plan, bob.key) }),
    ])
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult
    expect(refused.reason.code).toBe('QUEUE_DUPLICATE')
    expect((await directoryQueue(root).get(plan.hashes.safeTxHash)).confirmations).toHaveLength(1)
    expect(readdirSync(root).filter((f) => f.startsWith('.'))).toEqual([])
  })

  it('refuses a signature that is not the claimed owner’s, or not an owner’s, and writes nothing', async () => {
    const queue = directoryQueue(root)
    const plan = await planOf(ONE_CALL)
    const hash = plan.hashes.safeTxHash
    const outsider = DEVNET_ACCOUNTS[5]!
    await expect(
      queue.propose({ plan, proposer: alice.address, signature: sign(plan, bob.key) }),
    ).rejects.toMatchObject({
      code: 'QUEUE_BAD_SIGNATURE',
    })
    expect(readdirSync(root)).toEqual([])
    await queue.propose({ plan, proposer: alice.address, signature: sign(plan, alice.key) })
    await expect(
      queue.confirm({
        safeTxHash: hash,
        owner: outsider.address as Address,
        signature: sign(plan, outsider.key),
      }),
    ).rejects.toMatchObject({ code: 'QUEUE_BAD_SIGNATURE' })
    expect((await queue.get(hash)).confirmations).toHaveLength(1)
    await expect(queue.get(`0x${'00'.repeat(32)}`)).rejects.toMatchObject({ code: 'QUEUE_TX_NOT_FOUND' })
  })

  it('a plan edited in the folder no longer verifies when it is read for signing', async () => {
    const queue = directoryQueue(root)
    const plan = await planOf(ONE_CALL)
    const hash = plan.hashes.safeTxHash
    await queue.propose({ plan, proposer: alice.address, signature: sign(plan, alice.key) })
    // Someone with write access swaps the recipient in the stored transaction.
    const edited = { ...plan, signatures: [], safeTx: { ...plan.safeTx, value: plan.safeTx.value + 1n } }
    const path = join(root, hash.toLowerCase(), 'plan.json')
    const { serializePlan } = await import('../../../src/plan/planFile.js')
    writeFileSync(path, serializePlan(edited))
    const safe = await stubReads().readSafe(plan.safe.address)
    const queued = await queue.get(hash)
    expect(() =>
      planFromQueued(queued, safe, CHAIN_ID, workspaceDecodeContext(devnetWorkspace()), queue.description),
    ).toThrow(/not what alliance recomputes/)
  })
})
