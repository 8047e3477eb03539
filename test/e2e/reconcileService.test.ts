import { Wallet } from 'ethers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadActionFile } from '../../src/actions/actionFile.js'
import { providerLogSource } from '../../src/chain/logSource.js'
import { COUNCIL_OWNERS, DEVNET_ACCOUNTS } from '../../src/devnet/accounts.js'
import { DevnetSender } from '../../src/devnet/devnetSender.js'
import { reconcileServiceWithChain, type ServiceFinding } from '../../src/history/reconcileService.js'
import { findExecutions } from '../../src/history/safe/findExecutions.js'
import { recoverExecTransaction } from '../../src/history/safe/recoverExecTransaction.js'
import { verifyExecution } from '../../src/history/safe/verifyExecution.js'
import { buildSafePlan } from '../../src/plan/buildSafePlan.js'
import type { SafePlan } from '../../src/plan/types.js'
import { serviceQueue } from '../../src/queue/serviceQueue.js'
import type { ProposalQueue } from '../../src/queue/types.js'
import { encodeExecTransaction } from '../../src/safe/execTransaction.js'
import { hashSafeTx } from '../../src/safe/safeTxHash.js'
import { encodeSafeSignatures, signSafeTxHash } from '../../src/safe/signatures.js'
import type { Address, Hex } from '../../src/safe/types.js'
import { startTestDevnet, type TestDevnet } from '../support/devnet.js'
import { startTxService, type TxService } from '../support/txService.js'

// The council (Alice, Bob, Carol; 2 of 3) works through the stand-in service, which indexes executions
// from the chain's logs; then one record is tampered with and one execution bypasses the service.
const [alice, bob, carol] = COUNCIL_OWNERS
const executor = new Wallet(DEVNET_ACCOUNTS[4]!.key)
type Owner = (typeof COUNCIL_OWNERS)[number]

let devnet: TestDevnet
let service: TxService
let queue: ProposalQueue
let sender: DevnetSender
let safe: Address
let nonce0: bigint
let firstBlock: number

const payout = (amount: string) => `version: 1
safe: council
description: Pay grants-multisig ${amount} aUSD
actions:
  - kind: transfer
    token: aUSD
    to: grants-multisig
    amount: "${amount}"
`
const plan = async (amount: string, nonce?: bigint) =>
  buildSafePlan(
    loadActionFile(devnet.write(`pay-${amount}.yaml`, payout(amount)), devnet.workspace),
    devnet.reads,
    nonce === undefined ? {} : { nonce },
  )
const sign = (owner: Owner, p: SafePlan) => signSafeTxHash(owner.key as Hex, p.hashes.safeTxHash)

/** execTransaction sent by an outsider with exactly these owners' signatures; returns the transaction hash. */
async function execute(p: SafePlan, owners: Owner[]): Promise<Hex> {
  const items = owners.map((o) => ({ kind: 'eoa' as const, signer: o.address as Address, data: sign(o, p) }))
  const signatures = encodeSafeSignatures(items, { dataHash: p.hashes.safeTxHash })
  const receipt = await sender.send(executor.connect(devnet.provider), {
    to: safe,
    data: encodeExecTransaction(p.safeTx, signatures),
  })
  return receipt.hash as Hex
}

const h = (p: SafePlan) => p.hashes.safeTxHash
let paid: SafePlan // proposed, confirmed by all three, executed with Alice's and Bob's signatures
let rival: SafePlan // proposed at the same nonce, never executed
let tampered: SafePlan // proposed, executed, then its service record is changed
let bypass: SafePlan // executed without ever reaching the service
const ran = {} as Record<'paid' | 'tampered' | 'bypass', Hex>
const TAMPERED_DATA_AMOUNT = 999_999n

beforeAll(async () => {
  devnet = await startTestDevnet()
  service = await startTxService({
    reads: devnet.reads,
    chainId: 31337n,
    node: devnet.provider,
  })
  // Two per page, so listing the history pages through the service.
  queue = await serviceQueue({ url: service.url, chainId: 31337n, pageSize: 2 })
  sender = new DevnetSender(devnet.provider)
  safe = devnet.layout.council
  nonce0 = (await devnet.reads.readSafe(safe)).nonce
  firstBlock = (await devnet.provider.getBlockNumber()) + 1

  paid = await plan('100')
  rival = await plan('101', nonce0)
  await queue.propose({ plan: paid, proposer: alice.address as Address, signature: sign(alice, paid) })
  await queue.confirm({ safeTxHash: h(paid), owner: bob.address as Address, signature: sign(bob, paid) })
  await queue.confirm({ safeTxHash: h(paid), owner: carol.address as Address, signature: sign(carol, paid) })
  await queue.propose({ plan: rival, proposer: bob.address as Address, signature: sign(bob, rival) })
  ran.paid = await execute(paid, [alice, bob])

  tampered = await plan('200')
  await queue.propose({
    plan: tampered,
    proposer: alice.address as Address,
    signature: sign(alice, tampered),
  })
  await queue.confirm({
    safeTxHash: h(tampered),
    owner: bob.address as Address,
    signature: sign(bob, tampered),
  })
  ran.tampered = await execute(tampered, [alice, bob])

  bypass = await plan('300')
  ran.bypass = await execute(bypass, [alice, carol])
}, 120_000)

afterAll(async () => {
  await service?.stop()
  await devnet?.stop()
})

describe('the stand-in service indexes executions as the real service does', () => {
  it('marks the executed hash executed with its transaction hash, and the rival at its nonce not', async () => {
    const got = await queue.get(h(paid))
    expect(got).toMatchObject({ executed: true, transactionHash: ran.paid })
    const other = await queue.get(h(rival))
    expect(other.executed).toBe(false)
    expect(other.transactionHash).toBeUndefined()
  })

  it('serves the whole list paginated: count, next, previous, executed ones with their transaction hash', async () => {
    const base = `${service.url}/v2/safes/${safe}/multisig-transactions/`
    const first = (await (await fetch(`${base}?ordering=nonce,created&limit=2`)).json()) as {
      count: number
      next: string | null
      previous: string | null
      results: {
        safeTxHash: string
        isExecuted: boolean
        transactionHash: string | null
        blockNumber: number | null
        isSuccessful: boolean | null
      }[]
    }
    expect(first.count).toBe(3)
    expect(first.previous).toBeNull()
    expect(first.next).toBe(`${base}?limit=2&offset=2&ordering=nonce%2Ccreated`)
    expect(first.results.map((r) => [r.safeTxHash, r.isExecuted, r.transactionHash, r.isSuccessful])).toEqual(
      [
        [h(paid), true, ran.paid, true],
        [h(rival), false, null, null],
      ],
    )
    const receipt = await devnet.provider.getTransactionReceipt(ran.paid)
    expect(first.results[0]!.blockNumber).toBe(receipt!.blockNumber)
    const second = (await (await fetch(first.next!)).json()) as typeof first
    expect(second.previous).toBe(`${base}?limit=2&ordering=nonce%2Ccreated`)
    expect(second.next).toBeNull()
    expect(second.results.map((r) => [r.safeTxHash, r.isExecuted, r.transactionHash])).toEqual([
      [h(tampered), true, ran.tampered],
    ])
    const pending = (await (await fetch(`${base}?executed=false`)).json()) as typeof first
    expect(pending.results.map((r) => r.safeTxHash)).toEqual([h(rival)])
  })

  it('lists the history through the queue, page by page, executed ones included', async () => {
    const before = service.requests.length
    const listed = []
    for await (const t of queue.history!(safe)) listed.push(t)
    expect(listed.map((t) => [t.safeTxHash, t.executed, t.transactionHash])).toEqual([
      [h(paid), true, ran.paid],
      [h(rival), false, undefined],
      [h(tampered), true, ran.tampered],
    ])
    expect(listed[0]!.confirmations.map((c) => c.owner)).toEqual([alice, bob, carol].map((o) => o.address))
    const lists = service.requests.slice(before).map((r) => r.path)
    expect(lists).toEqual([
      `/api/v2/safes/${safe}/multisig-transactions/?ordering=nonce%2Ccreated&limit=2&offset=0`,
      `/api/v2/safes/${safe}/multisig-transactions/?ordering=nonce%2Ccreated&limit=2&offset=2`,
    ])
  })
})

describe('reconciling the service with the chain', () => {
  let findings: ServiceFinding[]

  beforeAll(async () => {
    // The service lies about one record: another amount, and another executing transaction.
    const original = tampered.safeTx.data
    const amountWord = original.slice(-64)
    const fake = `${original.slice(0, -64)}${TAMPERED_DATA_AMOUNT.toString(16).padStart(64, '0')}` as Hex
    expect(amountWord).not.toBe(fake.slice(-64))
    service.tamper(h(tampered), (t) => {
      t.data = fake
      t.execution = { ...t.execution!, transactionHash: ran.paid }
    })

    const logs = providerLogSource(devnet.provider)
    const executions = await findExecutions({
      logs,
      safe,
      fromBlock: firstBlock,
      toBlock: await devnet.provider.getBlockNumber(),
    })
    expect(executions.map((e) => e.safeTxHash)).toEqual(
      [paid, tampered, bypass].map((p) => h(p).toLowerCase()),
    )
    const records = []
    for (const execution of executions) {
      const recovered = await recoverExecTransaction({ chain: devnet.provider, safe, execution, executions })
      records.push(await verifyExecution({ chain: devnet.provider, safe, execution, recovered, logs }))
    }
    expect(records.every((r) => r.verified)).toBe(true)
    findings = await reconcileServiceWithChain({
      queue: queue as Required<ProposalQueue>,
      reads: devnet.reads,
      safe,
      records,
      nonces: { from: nonce0, to: nonce0 + 3n },
    })
  }, 60_000)

  it('reports each disagreement, and nothing else', () => {
    const fakeHash = hashSafeTx({
      chainId: 31337n,
      safe,
      version: tampered.safe.version,
      tx: { ...tampered.safeTx, data: service.store.get(h(tampered).toLowerCase())!.data! },
    }).safeTxHash
    expect(findings.map((f) => [f.code, f.level, f.safeTxHash.toLowerCase(), f.nonce])).toEqual([
      ['SERVICE_PENDING_STALE', 'warning', h(rival).toLowerCase(), nonce0],
      ['CONFIRMATION_UNUSED', 'info', h(paid).toLowerCase(), nonce0],
      ['SERVICE_HASH_MISMATCH', 'error', h(tampered).toLowerCase(), nonce0 + 1n],
      ['SERVICE_DATA_DIFFERS', 'error', h(tampered).toLowerCase(), nonce0 + 1n],
      ['SERVICE_TX_HASH_DIFFERS', 'error', h(tampered).toLowerCase(), nonce0 + 1n],
      ['SERVICE_MISSING', 'warning', h(bypass).toLowerCase(), nonce0 + 2n],
    ])
    const message = (code: string) => findings.find((f) => f.code === code)!.message
    expect(message('CONFIRMATION_UNUSED')).toBe(
      // The signers in signature order: ascending owner address, as the Safe requires.
      `the service holds ${carol.address}'s confirmation; the execution in ${ran.paid} used ${bob.address}, ${alice.address}`,
    )
    expect(message('SERVICE_HASH_MISMATCH')).toContain(`its own fields hash to ${fakeHash}`)
    expect(message('SERVICE_DATA_DIFFERS')).toMatch(
      /^the service's fields differ from those executed in 0x[0-9a-f]{64}: data /,
    )
    expect(message('SERVICE_TX_HASH_DIFFERS')).toBe(
      `the service says it ran in ${ran.paid}, the chain ran it in ${ran.tampered}`,
    )
    expect(message('SERVICE_MISSING')).toContain(`executed in ${ran.bypass}`)
    expect(message('SERVICE_PENDING_STALE')).toContain(`ran ${h(paid).toLowerCase()}`)
  })
})
