import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { providerLogSource } from '../../src/chain/logSource.js'
import { workspaceDecodeContext } from '../../src/decode/workspaceDecodeContext.js'
import { configChanges } from '../../src/history/safe/configChanges.js'
import { decodeExecution } from '../../src/history/safe/decodeExecution.js'
import { findExecutions } from '../../src/history/safe/findExecutions.js'
import {
  type RecoveredExecTransaction,
  recoverExecTransaction,
} from '../../src/history/safe/recoverExecTransaction.js'
import type { SafeExecution } from '../../src/history/safe/types.js'
import { verifyExecution } from '../../src/history/safe/verifyExecution.js'
import { encodeGetTransactionHash } from '../../src/safe/execTransaction.js'
import { encodeSafeSignatures } from '../../src/safe/signatures.js'
import type { Address, Hex, SafeTx } from '../../src/safe/types.js'
import { startTestDevnet, type TestDevnet } from '../support/devnet.js'
import {
  alice,
  bob,
  type CouncilHistory,
  carol,
  ecdsa,
  generateCouncilHistory,
  outsider,
  ownerSafeSignature as ownerSafeSignatureOn,
} from '../support/safeHistory.js'

const council = () => devnet.layout.council

let devnet: TestDevnet
let ownerSafe: Address

/** What the test did, keyed by name: the hash it signed, so the logs can be checked against it. */
let sent: CouncilHistory['sent']
let executions: SafeExecution[]
const byName = (name: keyof CouncilHistory['sent']) => {
  const e = executions.find((x) => x.safeTxHash === sent[name].hash.toLowerCase())
  if (!e) throw new Error(`no execution logged for ${name}`)
  return e
}
const ownerSafeSignature = (hashes: Parameters<typeof ownerSafeSignatureOn>[2], key?: typeof bob.key) =>
  ownerSafeSignatureOn(devnet, ownerSafe, hashes, key)

beforeAll(async () => {
  devnet = await startTestDevnet()
  ;({ ownerSafe, sent } = await generateCouncilHistory(devnet))
  executions = await findExecutions({
    logs: providerLogSource(devnet.provider),
    safe: council(),
    fromBlock: 0,
    toBlock: await devnet.provider.getBlockNumber(),
  })
}, 120_000)

afterAll(async () => {
  await devnet?.stop()
})

const recoverAndVerify = async (execution: SafeExecution) => {
  const recovered = await recoverExecTransaction({
    chain: devnet.provider,
    safe: council(),
    execution,
    executions,
  })
  const record = await verifyExecution({
    chain: devnet.provider,
    safe: council(),
    execution,
    recovered,
    logs: providerLogSource(devnet.provider),
  })
  return { recovered, record }
}

/** The Safe's own getTransactionHash at the parent block: the independent source for every hash. */
const safeOwnHash = async (safe: Address, tx: SafeTx, blockNumber: number) =>
  devnet.provider.call({ to: safe, data: encodeGetTransactionHash(tx), blockTag: blockNumber - 1 })

describe('the council history, from the chain alone', () => {
  it('finds every execution in order, successes and the failure, with the hashes the test signed', () => {
    const order = ['batch', 'approved', 'byCarol', 'swap', 'by1271', 'nested', 'failing']
    expect(executions.map((e) => e.safeTxHash)).toEqual(
      order.map((n) => sent[n as keyof CouncilHistory['sent']].hash.toLowerCase()),
    )
    expect(executions.map((e) => e.success)).toEqual([true, true, true, true, true, true, false])
    expect(executions.every((e) => e.payment === 0n)).toBe(true)
  })

  it("recovers each execution's fields and nonce, and its hash equals the Safe's own getTransactionHash", async () => {
    for (const [i, execution] of executions.entries()) {
      const { recovered, record } = await recoverAndVerify(execution)
      if (!recovered.ok) throw new Error(recovered.reason)
      const name = (Object.keys(sent) as (keyof CouncilHistory['sent'])[]).find(
        (n) => sent[n].hash.toLowerCase() === execution.safeTxHash,
      )!
      expect(recovered.value.safeTx, name).toEqual(sent[name].safeTx)
      expect(recovered.value.safeTx.nonce).toBe(BigInt(i))
      const own = await safeOwnHash(council(), recovered.value.safeTx, execution.blockNumber)
      expect(own, name).toBe(execution.safeTxHash)
      expect(record.hashes?.safeTxHash, name).toBe(own)
      expect(record.chainHash, name).toBe(own)
      expect(
        record.findings.filter((f) => f.severity === 'error'),
        name,
      ).toEqual([])
      expect(record.verified, name).toBe(true)
    }
  })

  it('decodes the plain batch into its alliance actions', async () => {
    const { recovered, record } = await recoverAndVerify(byName('batch'))
    if (!recovered.ok) throw new Error(recovered.reason)
    expect(recovered.value.via).toBe('transaction')
    expect(recovered.value.executor).toBe(carol.address)
    expect(record.signers.map((s) => [s.signer, s.kind, s.evidence])).toEqual(
      [alice.address, bob.address]
        .sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1))
        .map((a) => [a, 'eoa', 'ecdsa']),
    )
    const decoded = decodeExecution({
      safeTx: recovered.value.safeTx,
      safe: council(),
      version: record.version,
      decode: workspaceDecodeContext(devnet.workspace),
      workspace: devnet.workspace,
    })
    expect(decoded.batch).toBe('multisend-call-only')
    expect(decoded.actions.map((a) => a.kind)).toEqual([
      'allocate-treasury',
      'set-reward-rate',
      'admit-member',
    ])
    expect(decoded.actions[0]).toMatchObject({
      description: expect.stringMatching(/Allocate 12,?500\.5 ALLY/),
    })
    expect(decoded.findings).toEqual([])
  })

  it("counts Bob's on-chain approval, found at the parent block", async () => {
    const { record } = await recoverAndVerify(byName('approved'))
    const bobs = record.signers.find((s) => s.signer === bob.address)
    expect(bobs).toMatchObject({
      kind: 'approved-hash',
      owner: true,
      valid: true,
      evidence: 'approved-before-block',
    })
    const decoded = decodeExecution({
      safeTx: record.safeTx!,
      safe: council(),
      version: record.version,
      decode: workspaceDecodeContext(devnet.workspace),
      workspace: devnet.workspace,
    })
    expect(decoded.batch).toBe('single')
    expect(decoded.actions[0]?.kind).toBe('transfer')
  })

  it('verifies against the owners at that block: Carol signed before she was removed', async () => {
    const execution = byName('byCarol')
    const { recovered, record } = await recoverAndVerify(execution)
    expect(record.signers.find((s) => s.signer === carol.address)).toMatchObject({
      kind: 'eth_sign',
      owner: true,
      valid: true,
    })
    // Carol is no owner today: judging the same signatures against today's owners must flag her.
    expect((await devnet.reads.readSafe(council())).owners).not.toContain(carol.address)
    const latest = await devnet.provider.getBlockNumber()
    const today = await verifyExecution({
      chain: devnet.provider,
      safe: council(),
      execution: { ...execution, blockNumber: latest + 1 },
      recovered,
    })
    expect(today.findings.map((f) => f.code)).toEqual(
      expect.arrayContaining(['SIGNER_NOT_OWNER', 'BELOW_THRESHOLD']),
    )
    expect(today.verified).toBe(false)
  })

  it("accepts the owner Safe's EIP-1271 signature by asking it at the parent block, and refuses a forged one", async () => {
    const { recovered, record } = await recoverAndVerify(byName('by1271'))
    if (!recovered.ok) throw new Error(recovered.reason)
    expect(record.signers.find((s) => s.signer === ownerSafe)).toMatchObject({
      kind: 'contract',
      owner: true,
      valid: true,
      evidence: 'isValidSignature',
    })
    // Signed by a key that does not own the owner Safe: its isValidSignature must refuse.
    const forged = encodeSafeSignatures([
      ecdsa(alice, record.hashes!.safeTxHash),
      { kind: 'contract', signer: ownerSafe, signature: await ownerSafeSignature(record.hashes!, bob.key) },
    ])
    const bad = await verifyExecution({
      chain: devnet.provider,
      safe: council(),
      execution: byName('by1271'),
      recovered: { ok: true, value: { ...recovered.value, signatures: forged } },
    })
    expect(bad.findings.map((f) => f.code)).toEqual(['BAD_SIGNATURE', 'BELOW_THRESHOLD'])
  })

  it("recovers the nested Safe's call to the council from the trace; the caller's approval is being msg.sender", async () => {
    const execution = byName('nested')
    const { recovered, record } = await recoverAndVerify(execution)
    if (!recovered.ok) throw new Error(recovered.reason)
    const tx = await devnet.provider.getTransaction(execution.transactionHash)
    expect(tx?.to).toBe(ownerSafe)
    expect(recovered.value).toMatchObject({ via: 'trace', executor: ownerSafe, hashMatched: true })
    expect(record.signers.find((s) => s.signer === ownerSafe)).toMatchObject({
      kind: 'approved-hash',
      valid: true,
      evidence: 'executor',
    })
    // The same item with another caller and no approveHash on chain is not an approval.
    const other: RecoveredExecTransaction = { ...recovered.value, executor: outsider.address }
    const bad = await verifyExecution({
      chain: devnet.provider,
      safe: council(),
      execution,
      recovered: { ok: true, value: other },
      logs: providerLogSource(devnet.provider),
    })
    expect(bad.findings.map((f) => f.code)).toEqual(['BAD_SIGNATURE', 'BELOW_THRESHOLD'])
  })

  it('reports the failed execution as a warning, still verified', async () => {
    const { record } = await recoverAndVerify(byName('failing'))
    expect(record.findings.map((f) => [f.code, f.severity])).toEqual([['EXECUTION_FAILED', 'warning']])
    expect(record.verified).toBe(true)
    expect(record.safeTx?.safeTxGas).toBe(100_000n)
  })

  it('flags a logged hash that does not match the fields', async () => {
    const execution = byName('approved')
    const { recovered } = await recoverAndVerify(execution)
    const wrong = { ...execution, safeTxHash: sent.byCarol.hash.toLowerCase() as Hex }
    const record = await verifyExecution({
      chain: devnet.provider,
      safe: council(),
      execution: wrong,
      recovered,
    })
    expect(record.findings.map((f) => f.code)).toEqual(['HASH_MISMATCH'])
    expect(record.verified).toBe(false)
  })

  it("lists the council's owner changes from its own events", async () => {
    const changes = await configChanges({
      logs: providerLogSource(devnet.provider),
      safe: council(),
      fromBlock: 0,
      toBlock: await devnet.provider.getBlockNumber(),
    })
    expect(changes.map((c) => c.kind)).toEqual(['setup', 'owner-removed', 'owner-added'])
    expect(changes[0]).toMatchObject({ owners: [alice.address, bob.address, carol.address], threshold: 2 })
    expect(changes[1]).toMatchObject({
      owner: carol.address,
      transactionHash: byName('swap').transactionHash,
    })
    expect(changes[2]).toMatchObject({ owner: ownerSafe, blockNumber: byName('swap').blockNumber })
  })
})
