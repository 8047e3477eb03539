import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { parseActionFile } from '../../../src/actions/actionFile.js'
import { COUNCIL_OWNERS } from '../../../src/devnet/accounts.js'
import { buildSafePlan } from '../../../src/plan/buildSafePlan.js'
import type { SafePlan } from '../../../src/plan/types.js'
import { directoryQueue } from '../../../src/queue/directoryQueue.js'
import { signSafeTxHash } from '../../../src/safe/signatures.js'
import type { Address, Hex } from '../../../src/safe/types.js'
import { devnetWorkspace } from '../../support/workspace.js'
import { ONE_CALL, THREE_CALLS } from '../plan/fixtures.js'
import { stubReads } from '../plan/stubReads.js'

const [alice] = COUNCIL_OWNERS
const sign = (plan: SafePlan) => signSafeTxHash(alice.key as Hex, plan.hashes.safeTxHash)
const planOf = (yaml: string, nonce: bigint) =>
  buildSafePlan(parseActionFile('/w/pay.yaml', yaml, devnetWorkspace()), stubReads(), { nonce })

let root: string
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'alliance-queue-history-'))
})
afterEach(() => rmSync(root, { recursive: true, force: true }))

describe('directoryQueue history', () => {
  it('lists every folder of the Safe by nonce, below the pending nonce too, without claiming execution', async () => {
    const queue = directoryQueue(root)
    const later = await planOf(ONE_CALL, 7n)
    const earlier = await planOf(THREE_CALLS, 3n)
    for (const plan of [later, earlier])
      await queue.propose({ plan, proposer: alice.address, signature: sign(plan) })

    const listed = []
    for await (const t of queue.history!(earlier.safe.address)) listed.push(t)
    expect(listed.map((t) => [t.safeTxHash, t.safeTx.nonce])).toEqual([
      [earlier.hashes.safeTxHash, 3n],
      [later.hashes.safeTxHash, 7n],
    ])
    expect(listed.every((t) => t.executed === undefined && t.transactionHash === undefined)).toBe(true)
    // `pending` still hides what is below its nonce.
    expect((await queue.pending(earlier.safe.address, 4n)).map((t) => t.safeTxHash)).toEqual([
      later.hashes.safeTxHash,
    ])
    const none = []
    for await (const t of queue.history!('0x00000000000000000000000000000000000000aa' as Address))
      none.push(t)
    expect(none).toEqual([])
    const empty = []
    for await (const t of directoryQueue(join(root, 'missing')).history!(earlier.safe.address)) empty.push(t)
    expect(empty).toEqual([])
  })
})
