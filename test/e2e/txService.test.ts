import ApiKitDefault, { HttpError } from '@safe-global/api-kit'
import type { OperationType } from '@safe-global/types-kit'
import { Wallet, ZeroAddress } from 'ethers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { COUNCIL_OWNERS, DEVNET_ACCOUNTS, GRANTS_MULTISIG } from '../../src/devnet/accounts.js'
import { DevnetSender } from '../../src/devnet/devnetSender.js'
import { encodeExecTransaction } from '../../src/safe/execTransaction.js'
import { safeTxFor } from '../../src/safe/safeTxFor.js'
import { hashSafeTx } from '../../src/safe/safeTxHash.js'
import { encodeSafeSignatures, ethSignSafeTxHash, signSafeTxHash } from '../../src/safe/signatures.js'
import type { Address, Hex, SafeTx } from '../../src/safe/types.js'
import { startTestDevnet, type TestDevnet } from '../support/devnet.js'
import { startTxService, type TxService } from '../support/txService.js'

// The real api-kit over HTTP against the stand-in, which checks everything against a real devnet Safe.

// api-kit ships typings for its CommonJS build only, so TypeScript takes the default import for
// `module.exports` ({ default: class }); Node and vitest load its ESM build, whose default is the class.
const SafeApiKit = ((ApiKitDefault as { default?: unknown }).default ??
  ApiKitDefault) as typeof ApiKitDefault.default
type SafeApiKit = InstanceType<typeof SafeApiKit>
const CHAIN_ID = 31337n
const [A, B, C] = COUNCIL_OWNERS
const OUTSIDER = DEVNET_ACCOUNTS[7]
type Account = { address: Address; key: Hex }

let devnet: TestDevnet
let service: TxService
let kit: SafeApiKit
let safe: Address
let version: string
let nonce0: bigint

beforeAll(async () => {
  devnet = await startTestDevnet()
  service = await startTxService({
    reads: devnet.reads,
    chainId: CHAIN_ID,
    storageAt: async (address, slot) => (await devnet.provider.getStorage(address, slot)) as Hex,
  })
  kit = new SafeApiKit({ chainId: CHAIN_ID, txServiceUrl: service.url })
  safe = devnet.layout.council
  const state = await devnet.reads.readSafe(safe)
  version = state.version
  nonce0 = state.nonce
})
afterAll(async () => {
  await service?.stop()
  await devnet?.stop()
})

function build(nonce: bigint, value = 1n) {
  const tx = safeTxFor({ to: GRANTS_MULTISIG, value, data: '0x', operation: 0 }, nonce)
  return { tx, hash: hashSafeTx({ chainId: CHAIN_ID, safe, version, tx }).safeTxHash }
}

function propose(
  tx: SafeTx,
  hash: Hex,
  {
    sender = A as Account,
    signature = signSafeTxHash(sender.key, hash),
    origin = undefined as string | undefined,
  } = {},
) {
  return kit.proposeTransaction({
    safeAddress: safe,
    safeTransactionData: {
      to: tx.to,
      value: tx.value.toString(),
      data: tx.data,
      operation: tx.operation as OperationType,
      safeTxGas: tx.safeTxGas.toString(),
      baseGas: tx.baseGas.toString(),
      gasPrice: tx.gasPrice.toString(),
      gasToken: tx.gasToken,
      refundReceiver: tx.refundReceiver,
      nonce: Number(tx.nonce),
    },
    safeTxHash: hash,
    senderAddress: sender.address,
    senderSignature: signature,
    ...(origin ? { origin } : {}),
  })
}

async function refusal(promise: Promise<unknown>, status: number): Promise<HttpError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(HttpError)
  expect((err as HttpError).statusCode).toBe(status)
  return err as HttpError
}

// Shared by the steps below, which run in order.
let tx1: ReturnType<typeof build>
let tx2: ReturnType<typeof build>

describe('Transaction Service stand-in with the real api-kit', () => {
  it('takes a proposal and answers with the service response shape', async () => {
    tx1 = build(nonce0)
    await propose(tx1.tx, tx1.hash, { origin: 'alliance test' })

    const post = service.requests.at(-1)!
    expect(post).toMatchObject({
      method: 'POST',
      path: `/api/v2/safes/${safe}/multisig-transactions/`,
      status: 201,
    })
    expect(post.body).toMatchObject({
      contractTransactionHash: tx1.hash,
      sender: A.address,
      nonce: Number(nonce0),
      value: '1',
    })

    const got = await kit.getTransaction(tx1.hash)
    expect(got).toMatchObject({
      safe,
      to: GRANTS_MULTISIG,
      value: '1',
      data: null,
      operation: 0,
      gasToken: ZeroAddress,
      safeTxGas: '0',
      baseGas: '0',
      gasPrice: '0',
      refundReceiver: ZeroAddress,
      nonce: nonce0.toString(),
      executionDate: null,
      blockNumber: null,
      transactionHash: null,
      safeTxHash: tx1.hash,
      proposer: A.address,
      executor: null,
      isExecuted: false,
      isSuccessful: null,
      origin: 'alliance test',
      dataDecoded: null,
      confirmationsRequired: 2,
      trusted: true,
      signatures: null,
    })
    expect(got.submissionDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/)
    expect(got.confirmations).toEqual([
      {
        owner: A.address,
        submissionDate: got.submissionDate,
        transactionHash: null,
        signature: signSafeTxHash(A.key, tx1.hash),
        signatureType: 'EOA',
      },
    ])
  })

  it('adds a second owner’s confirmation, and records an eth_sign signature as ETH_SIGN', async () => {
    await expect(kit.confirmTransaction(tx1.hash, signSafeTxHash(B.key, tx1.hash))).resolves.toEqual({
      signature: signSafeTxHash(B.key, tx1.hash),
    })
    const list = await kit.getTransactionConfirmations(tx1.hash)
    expect(list.count).toBe(2)
    expect(list.results.map((c) => [c.owner, c.signatureType])).toEqual([
      [A.address, 'EOA'],
      [B.address, 'EOA'],
    ])

    tx2 = build(nonce0 + 1n)
    await propose(tx2.tx, tx2.hash)
    await kit.confirmTransaction(tx2.hash, ethSignSafeTxHash(C.key, tx2.hash))
    const got = await kit.getTransaction(tx2.hash)
    expect(got.confirmations?.map((c) => [c.owner, c.signatureType])).toEqual([
      [A.address, 'EOA'],
      [C.address, 'ETH_SIGN'],
    ])
  })

  it('lists pending transactions page by page, gives the next nonce and the Safe info', async () => {
    const competing = build(nonce0, 2n) // a second proposal for the same nonce
    await propose(competing.tx, competing.hash)
    const tx3 = build(nonce0 + 2n)
    await propose(tx3.tx, tx3.hash)

    const first = await kit.getPendingTransactions(safe, { ordering: 'nonce', limit: 2 })
    // Without currentNonce the kit reads the Safe's nonce from the service first.
    expect(service.requests.at(-2)).toMatchObject({ method: 'GET', path: `/api/v1/safes/${safe}/` })
    expect(service.requests.at(-1)!.path).toBe(
      `/api/v2/safes/${safe}/multisig-transactions/?executed=false&nonce__gte=${nonce0}&ordering=nonce&limit=2`,
    )
    expect(first.count).toBe(4)
    expect(first.results.map((t) => t.safeTxHash)).toEqual([tx1.hash, competing.hash])
    expect(first.previous).toBeNull()
    expect(first.next).toBe(
      `${service.url}/v2/safes/${safe}/multisig-transactions/?executed=false&limit=2&nonce__gte=${nonce0}&offset=2&ordering=nonce`,
    )

    const second = await kit.getPendingTransactions(safe, { ordering: 'nonce', limit: 2, offset: 2 })
    expect(second.results.map((t) => t.safeTxHash)).toEqual([tx2.hash, tx3.hash])
    expect(second.next).toBeNull()
    expect(second.previous).toContain('limit=2')
    expect(second.previous).not.toContain('offset=')

    // The service's default order is newest nonce first.
    const all = await kit.getMultisigTransactions(safe)
    expect(all.results.map((t) => t.nonce)).toEqual([nonce0 + 2n, nonce0 + 1n, nonce0, nonce0].map(String))
    await expect(kit.getNextNonce(safe)).resolves.toBe((nonce0 + 3n).toString())

    await expect(kit.getSafeInfo(safe)).resolves.toEqual({
      address: safe,
      nonce: nonce0.toString(),
      threshold: 2,
      owners: COUNCIL_OWNERS.map((o) => o.address),
      singleton: devnet.layout.safe.Safe,
      modules: [],
      fallbackHandler: devnet.layout.safe.CompatibilityFallbackHandler,
      guard: ZeroAddress,
      version,
    })
    await expect(kit.getServiceInfo()).resolves.toMatchObject({
      name: 'Safe Transaction Service',
      api_version: 'v1',
    })
  })

  it('refuses proposals the real service refuses, with 422 and its message', async () => {
    const stored = service.store.size
    const next = build(nonce0 + 3n)

    const outsider = await refusal(propose(next.tx, next.hash, { sender: OUTSIDER }), 422)
    expect(outsider.message).toBe(
      `Sender=${OUTSIDER.address} is not an owner or delegate. Current owners=['${A.address}', '${B.address}', '${C.address}']. Delegates=set()`,
    )
    const foreignSignature = signSafeTxHash(OUTSIDER.key, next.hash)
    const signer = await refusal(propose(next.tx, next.hash, { signature: foreignSignature }), 422)
    expect(signer.message).toMatch(new RegExp(`^Signer=${OUTSIDER.address} is not an owner or delegate`))
    const mismatch = await refusal(
      propose(next.tx, next.hash, { signature: signSafeTxHash(B.key, next.hash) }),
      422,
    )
    expect(mismatch.message).toBe(
      `Signature does not match sender=${A.address}. Calculated owners=['${B.address}']`,
    )

    const other = build(nonce0 + 3n, 5n)
    const wrongHash = await refusal(propose(next.tx, other.hash), 422)
    expect(wrongHash.message).toBe(
      `Contract-transaction-hash=${next.hash} does not match provided contract-tx-hash=${other.hash}`,
    )
    expect(wrongHash.data).toEqual({ nonFieldErrors: [wrongHash.message] })
    expect(service.store.size).toBe(stored)
  })

  it('refuses confirmations from non-owners (400), for unknown hashes (404) and malformed signatures (400)', async () => {
    const outsider = await refusal(
      kit.confirmTransaction(tx2.hash, signSafeTxHash(OUTSIDER.key, tx2.hash)),
      400,
    )
    expect(outsider.data).toEqual({
      signature: [
        `Signer=${OUTSIDER.address} is not an owner. Current owners=['${A.address}', '${B.address}', '${C.address}']`,
      ],
    })
    const unknown = `0x${'ab'.repeat(32)}`
    const missing = await refusal(kit.confirmTransaction(unknown, signSafeTxHash(B.key, unknown as Hex)), 404)
    expect(missing.message).toBe(`Multisig transaction with safe-tx-hash=${unknown} was not found`)
    await refusal(kit.getTransaction(unknown), 404)
    await refusal(kit.confirmTransaction(tx2.hash, '0x1234'), 400)
    expect((await kit.getTransaction(tx2.hash)).confirmations).toHaveLength(2)
  })

  it('refuses a second confirmation or proposal by an owner who has confirmed; another owner proposing adds theirs', async () => {
    // B confirms again with another valid signature: refused, and B's first signature stays.
    const twice = await refusal(kit.confirmTransaction(tx1.hash, ethSignSafeTxHash(B.key, tx1.hash)), 400)
    expect(JSON.stringify(twice.data)).toContain(`Signature for owner=${B.address} already exists`)
    // A proposes the same transaction again: refused, still one record.
    await refusal(propose(tx1.tx, tx1.hash, { origin: 'again' }), 422)
    let got = await kit.getTransaction(tx1.hash)
    expect(got.confirmations?.map((c) => [c.owner, c.signature])).toEqual([
      [A.address, signSafeTxHash(A.key, tx1.hash)],
      [B.address, signSafeTxHash(B.key, tx1.hash)],
    ])
    expect(got.origin).toBe('alliance test')
    // C proposing it is how a third owner's signature arrives through the propose endpoint.
    await propose(tx1.tx, tx1.hash, { sender: C })
    got = await kit.getTransaction(tx1.hash)
    expect(got.proposer).toBe(A.address)
    expect(got.confirmations?.map((c) => c.owner)).toEqual([A.address, B.address, C.address])
    expect([...service.store.keys()].filter((k) => k === tx1.hash.toLowerCase())).toHaveLength(1)
  })

  it('judges execution from the chain: executed transactions leave the queue and their nonce is refused', async () => {
    const stored = await kit.getTransaction(tx1.hash)
    const items = stored.confirmations!.slice(0, 2).map((c) => ({
      kind: 'eoa' as const,
      signer: c.owner as Address,
      data: c.signature as Hex,
    }))
    const signatures = encodeSafeSignatures(items, { dataHash: tx1.hash })
    await new DevnetSender(devnet.provider).send(new Wallet(A.key, devnet.provider), {
      to: safe,
      data: encodeExecTransaction(tx1.tx, signatures),
    })

    expect((await kit.getTransaction(tx1.hash)).isExecuted).toBe(true)
    const pending = await kit.getPendingTransactions(safe, { ordering: 'nonce' })
    expect(pending.results.map((t) => t.nonce)).toEqual([nonce0 + 1n, nonce0 + 2n].map(String))
    await expect(kit.getNextNonce(safe)).resolves.toBe((nonce0 + 3n).toString())

    const late = build(nonce0, 7n)
    const old = await refusal(propose(late.tx, late.hash), 422)
    expect(old.message).toMatch(new RegExp(`^Tx with nonce=${nonce0} for safe=${safe} already executed`))
    const again = await refusal(kit.confirmTransaction(tx1.hash, signSafeTxHash(C.key, tx1.hash)), 400)
    expect(again.data).toEqual({
      signature: [`Transaction with safe-tx-hash=${tx1.hash} was already executed`],
    })
  })

  it('lets a test tamper with a stored record', async () => {
    service.tamper(tx2.hash, (t) => {
      t.data = '0xdeadbeef'
      t.nonce = 99n
    })
    const got = await kit.getTransaction(tx2.hash)
    expect(got).toMatchObject({ data: '0xdeadbeef', nonce: '99', safeTxHash: tx2.hash })
    const recomputed = hashSafeTx({
      chainId: CHAIN_ID,
      safe,
      version,
      tx: { ...tx2.tx, data: got.data as Hex, nonce: BigInt(got.nonce) },
    })
    expect(recomputed.safeTxHash).not.toBe(got.safeTxHash)
    expect(() => service.tamper(`0x${'00'.repeat(32)}`, () => {})).toThrow(/no stored transaction/)
  })

  it('fails or hangs the next requests on demand', async () => {
    service.failNext(2, 503)
    await refusal(kit.getTransaction(tx2.hash), 503)
    await refusal(kit.getSafeInfo(safe), 503)
    await expect(kit.getTransaction(tx2.hash)).resolves.toMatchObject({ safeTxHash: tx2.hash })

    service.failNext(1, 'hang')
    const hung = kit.getTransaction(tx2.hash)
    hung.catch(() => {}) // rejected when stop() cuts the connection
    const timedOut = await Promise.race([
      hung.then(() => 'answered'),
      new Promise((r) => setTimeout(() => r('timed out'), 300)),
    ])
    expect(timedOut).toBe('timed out')
    expect(service.requests.at(-1)!.status).toBe('hang')
    await expect(kit.getTransaction(tx2.hash)).resolves.toMatchObject({ safeTxHash: tx2.hash })
  })

  it('answers bad requests as the service does', async () => {
    const raw = (path: string, init?: RequestInit) => fetch(`${service.url}${path}`, init)
    const notFound = await raw('/v1/nothing/')
    expect(notFound.status).toBe(404)
    expect(await notFound.json()).toEqual({ detail: 'Not found.' })

    const badJson = await raw(`/v2/safes/${safe}/multisig-transactions/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{not json',
    })
    expect(badJson.status).toBe(400)
    expect(((await badJson.json()) as { detail: string }).detail).toMatch(/^JSON parse error - /)

    const lower = await raw(`/v2/safes/${safe.toLowerCase()}/multisig-transactions/`)
    expect(lower.status).toBe(422)
    expect(await lower.json()).toEqual({
      code: 1,
      message: 'Checksum address validation failed',
      arguments: [safe.toLowerCase()],
    })

    const missingFields = await raw(`/v2/safes/${safe}/multisig-transactions/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ to: GRANTS_MULTISIG.toLowerCase(), value: '-1' }),
    })
    expect(missingFields.status).toBe(422)
    expect(await missingFields.json()).toMatchObject({
      to: [`Address ${GRANTS_MULTISIG.toLowerCase()} is not checksumed`],
      value: ['Ensure this value is greater than or equal to 0.'],
      nonce: ['This field is required.'],
    })

    expect((await raw(`/v2/safes/${safe}/multisig-transactions/`, { method: 'DELETE' })).status).toBe(405)
  })
})
