import { Contract, concat, Interface, parseUnits, Wallet, ZeroAddress } from 'ethers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadActionFile } from '../../src/actions/actionFile.js'
import { providerLogSource } from '../../src/chain/logSource.js'
import { tokenAbi } from '../../src/contracts/tokenAbi.js'
import { workspaceDecodeContext } from '../../src/decode/workspaceDecodeContext.js'
import { DEMO_ACTIONS } from '../../src/demo/runDemo.js'
import { DEVNET_ACCOUNTS, GRANTS_MULTISIG } from '../../src/devnet/accounts.js'
import { DevnetSender } from '../../src/devnet/devnetSender.js'
import { predictSafeAddress, proxyFactoryInterface, safeSetupData } from '../../src/devnet/safeArtifacts.js'
import { executeSafePlan } from '../../src/execute/executeSafePlan.js'
import { configChanges } from '../../src/history/safe/configChanges.js'
import { decodeExecution } from '../../src/history/safe/decodeExecution.js'
import { findExecutions } from '../../src/history/safe/findExecutions.js'
import {
  type RecoveredExecTransaction,
  recoverExecTransaction,
} from '../../src/history/safe/recoverExecTransaction.js'
import type { SafeExecution } from '../../src/history/safe/types.js'
import { verifyExecution } from '../../src/history/safe/verifyExecution.js'
import { buildSafePlan } from '../../src/plan/buildSafePlan.js'
import { encodeExecTransaction, encodeGetTransactionHash } from '../../src/safe/execTransaction.js'
import { hashSafeTx } from '../../src/safe/safeTxHash.js'
import {
  approvedHashSignature,
  encodeSafeSignatures,
  ethSignSafeTxHash,
  type SafeSignatureItem,
  signSafeTxHash,
} from '../../src/safe/signatures.js'
import type { Address, Hex, SafeTx } from '../../src/safe/types.js'
import { signPlan } from '../../src/signers/signPlan.js'
import { devnetSigner, startTestDevnet, type TestDevnet } from '../support/devnet.js'

// Alice, Bob, Carol own the council (2 of 3); Dan alone owns the "owner Safe" that replaces Carol.
const [alice, bob, carol, dan, outsider] = [0, 1, 2, 3, 5].map(devnetSigner) as [
  ReturnType<typeof devnetSigner>,
  ReturnType<typeof devnetSigner>,
  ReturnType<typeof devnetSigner>,
  ReturnType<typeof devnetSigner>,
  ReturnType<typeof devnetSigner>,
]
const council = () => devnet.layout.council
const aUSD = () => devnet.layout.contracts.aUSD
const ownerManager = new Interface([
  'function swapOwner(address prevOwner, address oldOwner, address newOwner)',
  'function approveHash(bytes32 hashToApprove)',
])

let devnet: TestDevnet
let sender: DevnetSender
let ownerSafe: Address

/** What the test did, keyed by name: the hash it signed, so the logs can be checked against it. */
const sent: Record<string, { hash: Hex; safeTx: SafeTx }> = {}
let executions: SafeExecution[]
const byName = (name: string) => {
  const e = executions.find((x) => x.safeTxHash === sent[name]!.hash.toLowerCase())
  if (!e) throw new Error(`no execution logged for ${name}`)
  return e
}

const hashOf = (safe: Address, tx: SafeTx) => hashSafeTx({ chainId: 31337n, safe, version: '1.4.1', tx })

async function nonceOf(safe: Address): Promise<bigint> {
  return (await devnet.reads.readSafe(safe)).nonce
}

function councilTx(to: Address, data: Hex, nonce: bigint, extra: Partial<SafeTx> = {}): SafeTx {
  return {
    to,
    value: 0n,
    data,
    operation: 0,
    safeTxGas: 0n,
    baseGas: 0n,
    gasPrice: 0n,
    gasToken: ZeroAddress as Address,
    refundReceiver: ZeroAddress as Address,
    nonce,
    ...extra,
  }
}

const payAUSD = (amount: string) =>
  tokenAbi.encodeFunctionData('transfer', [GRANTS_MULTISIG, parseUnits(amount, 6)]) as Hex

/** Sends execTransaction from `from`; the nonce is the Safe's own, so it is not an argument. */
async function execute(safe: Address, tx: SafeTx, items: SafeSignatureItem[]) {
  // Sent by an outsider (account 5): no signature counts as the caller's approval by accident.
  const wallet = new Wallet(DEVNET_ACCOUNTS[5]!.key, devnet.provider)
  return sender.send(wallet, { to: safe, data: encodeExecTransaction(tx, encodeSafeSignatures(items)) })
}

const ecdsa = (s: typeof alice, hash: Hex): SafeSignatureItem => ({
  kind: 'eoa',
  signer: s.address,
  data: signSafeTxHash(s.key, hash),
})

/** A 1-of-1 Safe 1.4.1 owned by Dan: it becomes a council owner, signs by EIP-1271 and executes the council. */
async function deployOwnerSafe(): Promise<Address> {
  const L = devnet.layout
  const setup = {
    owners: [dan.address],
    threshold: 1,
    fallbackHandler: L.safe.CompatibilityFallbackHandler,
    saltNonce: 4242n,
  }
  const address = predictSafeAddress(L.safe.SafeProxyFactory, L.safe.Safe, setup)
  await sender.send(new Wallet(DEVNET_ACCOUNTS[8]!.key, devnet.provider), {
    to: L.safe.SafeProxyFactory,
    data: proxyFactoryInterface().encodeFunctionData('createProxyWithNonce', [
      L.safe.Safe,
      safeSetupData(setup),
      setup.saltNonce,
    ]) as Hex,
  })
  return address
}

/** The owner Safe's EIP-1271 signature of a council transaction: Dan signs its SafeMessage of the preimage. */
async function ownerSafeSignature(hashes: ReturnType<typeof hashOf>, key = dan.key): Promise<Hex> {
  const handler = new Contract(
    devnet.layout.safe.CompatibilityFallbackHandler,
    ['function getMessageHashForSafe(address,bytes) view returns (bytes32)'],
    devnet.provider,
  )
  const preimage = concat(['0x1901', hashes.domainHash, hashes.messageHash])
  const digest = (await handler.getFunction('getMessageHashForSafe')(ownerSafe, preimage)) as Hex
  return encodeSafeSignatures([{ kind: 'eoa', signer: dan.address, data: signSafeTxHash(key, digest) }])
}

beforeAll(async () => {
  devnet = await startTestDevnet()
  sender = new DevnetSender(devnet.provider)
  ownerSafe = await deployOwnerSafe()

  // 1. A plain batch through the whole plan → sign → execute path (MultiSendCallOnly, executed by Carol).
  const file = loadActionFile(devnet.write('batch.yaml', DEMO_ACTIONS), devnet.workspace)
  let plan = await buildSafePlan(file, devnet.reads)
  for (const s of [alice, bob])
    plan = await signPlan({
      plan,
      planFile: 'p.json',
      signer: s,
      workspace: devnet.workspace,
      reads: devnet.reads,
    })
  await executeSafePlan({
    plan,
    planFile: 'p.json',
    executor: carol,
    provider: devnet.provider,
    reads: devnet.reads,
    workspace: devnet.workspace,
  })
  sent.batch = { hash: plan.hashes.safeTxHash, safeTx: plan.safeTx }

  // 2. Bob approves the hash on chain; an outsider executes with Alice's signature and Bob's approval.
  const approved = councilTx(aUSD(), payAUSD('10'), await nonceOf(council()))
  const approvedHash = hashOf(council(), approved).safeTxHash
  await sender.send(new Wallet(DEVNET_ACCOUNTS[1]!.key, devnet.provider), {
    to: council(),
    data: ownerManager.encodeFunctionData('approveHash', [approvedHash]) as Hex,
  })
  await execute(council(), approved, [
    ecdsa(alice, approvedHash),
    { kind: 'approved-hash', signer: bob.address, data: approvedHashSignature(bob.address) },
  ])
  sent.approved = { hash: approvedHash, safeTx: approved }

  // 3. Carol (removed in step 4) signs with eth_sign, Alice with EIP-712: 0.1 ETH to the grants multisig.
  const byCarol = councilTx(GRANTS_MULTISIG, '0x', await nonceOf(council()), { value: parseUnits('0.1', 18) })
  const byCarolHash = hashOf(council(), byCarol).safeTxHash
  await execute(council(), byCarol, [
    ecdsa(alice, byCarolHash),
    { kind: 'eth_sign', signer: carol.address, data: ethSignSafeTxHash(carol.key, byCarolHash) },
  ])
  sent.byCarol = { hash: byCarolHash, safeTx: byCarol }

  // 4. The owner Safe replaces Carol (RemovedOwner + AddedOwner).
  const owners = (await devnet.reads.readSafe(council())).owners
  const at = owners.indexOf(carol.address)
  const prev = at === 0 ? '0x0000000000000000000000000000000000000001' : owners[at - 1]!
  const swap = councilTx(
    council(),
    ownerManager.encodeFunctionData('swapOwner', [prev, carol.address, ownerSafe]) as Hex,
    await nonceOf(council()),
  )
  const swapHash = hashOf(council(), swap).safeTxHash
  await execute(council(), swap, [ecdsa(alice, swapHash), ecdsa(bob, swapHash)])
  sent.swap = { hash: swapHash, safeTx: swap }

  // 5. The owner Safe signs by EIP-1271 (Dan signs its SafeMessage), with Alice.
  const by1271 = councilTx(aUSD(), payAUSD('5'), await nonceOf(council()))
  const by1271Hashes = hashOf(council(), by1271)
  await execute(council(), by1271, [
    ecdsa(alice, by1271Hashes.safeTxHash),
    { kind: 'contract', signer: ownerSafe, signature: await ownerSafeSignature(by1271Hashes) },
  ])
  sent.by1271 = { hash: by1271Hashes.safeTxHash, safeTx: by1271 }

  // 6. The owner Safe executes the council: its own execTransaction calls the council's. Its approval is
  //    being the caller (v = 1, msg.sender); the council's call is only visible in the trace.
  const nested = councilTx(aUSD(), payAUSD('1'), await nonceOf(council()))
  const nestedHash = hashOf(council(), nested).safeTxHash
  const innerCall = encodeExecTransaction(
    nested,
    encodeSafeSignatures([
      ecdsa(alice, nestedHash),
      { kind: 'approved-hash', signer: ownerSafe, data: approvedHashSignature(ownerSafe) },
    ]),
  )
  const outer = councilTx(council(), innerCall, await nonceOf(ownerSafe))
  await execute(ownerSafe, outer, [ecdsa(dan, hashOf(ownerSafe, outer).safeTxHash)])
  sent.nested = { hash: nestedHash, safeTx: nested }

  // 7. A failing call: more aUSD than the council holds. safeTxGas > 0, so Safe 1.4.1 does not revert
  //    (GS013 needs safeTxGas == 0 and gasPrice == 0) but emits ExecutionFailure and uses the nonce.
  const failing = councilTx(aUSD(), payAUSD('100000000'), await nonceOf(council()), { safeTxGas: 100_000n })
  const failingHash = hashOf(council(), failing).safeTxHash
  await execute(council(), failing, [ecdsa(alice, failingHash), ecdsa(bob, failingHash)])
  sent.failing = { hash: failingHash, safeTx: failing }

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
    expect(executions.map((e) => e.safeTxHash)).toEqual(order.map((n) => sent[n]!.hash.toLowerCase()))
    expect(executions.map((e) => e.success)).toEqual([true, true, true, true, true, true, false])
    expect(executions.every((e) => e.payment === 0n)).toBe(true)
  })

  it("recovers each execution's fields and nonce, and its hash equals the Safe's own getTransactionHash", async () => {
    for (const [i, execution] of executions.entries()) {
      const { recovered, record } = await recoverAndVerify(execution)
      if (!recovered.ok) throw new Error(recovered.reason)
      const name = Object.keys(sent).find((n) => sent[n]!.hash.toLowerCase() === execution.safeTxHash)!
      expect(recovered.value.safeTx, name).toEqual(sent[name]!.safeTx)
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
    const wrong = { ...execution, safeTxHash: sent.byCarol!.hash.toLowerCase() as Hex }
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
