/**
 * A local stand-in for the Safe Transaction Service, for the endpoints @safe-global/api-kit 5 calls, so
 * tests drive the real kit over real HTTP. It answers as safe-transaction-service does (its
 * `history/serializers.py`, `views.py`, `views_v2.py`, `pagination.py`, read for this file): the same
 * paths, status codes, camelCase bodies, error shapes (`nonFieldErrors`, per-field lists, `detail`,
 * `{code, message, arguments}`) and validation order. What the real service keeps in its database and
 * indexer comes from the chain here: owners, threshold, nonce and version through `ChainReads`.
 *
 * Deliberate differences, all in the direction of refusing more, never less:
 * - A signature from an owner who has already confirmed (by confirmation or by proposing the transaction
 *   again) is refused (400 / 422 "already exists"); the real service's get-or-create answers 201 and keeps
 *   the first. Refusing is what alliance's tests need to see a duplicate handled.
 * - ECDSA (EOA, eth_sign) signatures are recovered; approved-hash ones need `storageAt`, contract (EIP-1271)
 *   ones need `call` (the owner contract's isValidSignature, as the real service calls it); without those
 *   dependencies such signatures are refused as not valid.
 * - Executions: given `node`, the stand-in indexes the chain's ExecutionSuccess / ExecutionFailure logs
 *   as the real service's indexer does, and a stored transaction is executed when its Safe logged its hash
 *   (a replaced one at the same nonce stays not executed), with blockNumber, transactionHash and
 *   isSuccessful; executionDate, executor, gas fields and `signatures` stay null. Each block is indexed
 *   once, so a test can `tamper` with what was indexed. Executions of a hash it never received create no
 *   record (the real indexer decodes execTransaction and creates one): this stand-in plays a service that
 *   was never told. Without `node`, "executed" is judged from the Safe's nonce (below it counts as
 *   executed) and executed records carry no execution details.
 * - No delegates: a sender must be an owner.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  AbiCoder,
  concat,
  getAddress,
  Interface,
  isHexString,
  keccak256,
  type Provider,
  ZeroAddress,
} from 'ethers'
import type { ChainReads, SafeState } from '../../src/chain/safeReads.js'
import {
  EXECUTION_FAILURE_TOPIC,
  EXECUTION_SUCCESS_TOPIC,
  executionFromLog,
} from '../../src/history/safe/findExecutions.js'
import { hashSafeTx } from '../../src/safe/safeTxHash.js'
import { type ParsedSignature, parseSafeSignatures } from '../../src/safe/signatures.js'
import { approvedHashSlot, SAFE_NAMED_SLOTS, SAFE_SLOTS } from '../../src/safe/storage.js'
import type { Address, Hex, Operation } from '../../src/safe/types.js'

export type TxServiceSignatureType = 'EOA' | 'ETH_SIGN' | 'APPROVED_HASH' | 'CONTRACT_SIGNATURE'

export type StoredConfirmation = {
  owner: Address
  signature: Hex
  signatureType: TxServiceSignatureType
  submissionDate: string
}

/** One multisig transaction as the service keeps it; `tamper` hands this object to its patch. */
export type StoredTransaction = {
  safe: Address
  to: Address
  value: bigint
  /** `0x` is stored as null, as the service does. */
  data: Hex | null
  operation: number
  safeTxGas: bigint
  baseGas: bigint
  gasPrice: bigint
  gasToken: Address | null
  refundReceiver: Address | null
  nonce: bigint
  safeTxHash: Hex
  proposer: Address
  /** Already in response form: the proposer's text, or the JSON it parsed to re-serialised (`{}` if none). */
  origin: string
  /** True once any signature came with the transaction or a confirmation. */
  trusted: boolean
  submissionDate: string
  modified: string
  confirmations: StoredConfirmation[]
  /** Set by the indexer (with `node`): the execution the Safe logged for this hash. */
  execution?: StoredExecution
}

export type StoredExecution = { transactionHash: Hex; blockNumber: number; isSuccessful: boolean }

export type RecordedRequest = {
  method: string
  /** Path and query as sent, e.g. `/api/v2/safes/0x…/multisig-transactions/?executed=false&nonce__gte=0`. */
  path: string
  /** The parsed JSON body; the raw text when it did not parse; undefined without one. */
  body: unknown
  /** What was answered; `'hang'` for a request left unanswered by `failNext`. */
  status: number | 'hang'
}

export type StartTxServiceParameters = {
  reads: ChainReads
  chainId: bigint
  /**
   * Raw storage reads (`eth_getStorageAt`). With it the stand-in also verifies approved-hash signatures
   * and reports modules, fallback handler and guard in the Safe info; without it, approved-hash signatures
   * are refused and those three fields read empty.
   */
  storageAt?: (address: Address, slot: Hex) => Promise<Hex>
  /** An eth_call; with it, contract (EIP-1271) signatures are verified by calling the owner contract. */
  call?: (to: Address, data: Hex) => Promise<Hex>
  /**
   * The node's logs (a provider will do). With it the stand-in indexes executions from the Safe's logs, as
   * the real service does; without it, a transaction counts as executed once its nonce is used.
   */
  node?: Pick<Provider, 'getBlockNumber' | 'getLogs'>
}

export type TxService = {
  /** The base URL to give api-kit as `txServiceUrl` (ends in `/api`). */
  url: string
  stop(): Promise<void>
  /** Every request received, in order. */
  requests: RecordedRequest[]
  /** Changes a stored record in place, to play a service that lies. Throws for an unknown hash. */
  tamper(safeTxHash: string, patch: (tx: StoredTransaction) => void): void
  /** The next `n` requests get `status` (with a plain-text body, like a gateway) or no answer at all. */
  failNext(n: number, how: number | 'hang'): void
  /** The records, keyed by lowercase safeTxHash, in submission order. */
  store: Map<string, StoredTransaction>
}

/** DRF's `DefaultPagination` on the multisig-transaction and confirmation lists. */
const DEFAULT_LIMIT = 100
const MAX_LIMIT = 200
const SENTINEL = '0x0000000000000000000000000000000000000001'
const coder = AbiCoder.defaultAbiCoder()
const EIP1271 = new Interface([
  'function isValidSignature(bytes data, bytes signature) view returns (bytes4)',
  'function isValidSignature(bytes32 hash, bytes signature) view returns (bytes4)',
])

type Answer = { status: number; body?: unknown }
/** Thrown by handlers to answer early, as DRF's exceptions do. */
class Reply {
  constructor(
    readonly status: number,
    readonly body?: unknown,
  ) {}
}
type Handler = (req: IncomingMessage, url: URL, match: RegExpExecArray, body: unknown) => Promise<Answer>

export async function startTxService({
  reads,
  chainId,
  storageAt,
  call,
  node,
}: StartTxServiceParameters): Promise<TxService> {
  const actual = await reads.chainId()
  if (actual !== chainId) throw new Error(`txService: the chain is ${actual}, not ${chainId}`)

  const store = new Map<string, StoredTransaction>()
  const requests: RecordedRequest[] = []
  const failures: (number | 'hang')[] = []
  let indexedTo = -1

  /** The real service's indexer, run before each answer: new execution logs, matched to stored hashes. */
  async function indexExecutions() {
    if (!node) return
    const head = await node.getBlockNumber()
    if (head <= indexedTo) return
    const logs = await node.getLogs({
      topics: [[EXECUTION_SUCCESS_TOPIC, EXECUTION_FAILURE_TOPIC]],
      fromBlock: indexedTo + 1,
      toBlock: head,
    })
    indexedTo = head
    for (const log of logs) {
      if (log.removed) continue
      const e = executionFromLog(log)
      const tx = store.get(e.safeTxHash)
      if (!tx || tx.execution || tx.safe.toLowerCase() !== log.address.toLowerCase()) continue
      tx.execution = {
        transactionHash: e.transactionHash,
        blockNumber: e.blockNumber,
        isSuccessful: e.success,
      }
    }
  }
  const executedOnChain = (t: StoredTransaction, state: SafeState) =>
    node ? t.execution !== undefined : t.nonce < state.nonce

  // ── POST /api/v2/safes/{address}/multisig-transactions/ ──────────────────────────────────────────
  const propose: Handler = async (_req, _url, match, body) => {
    const safe = checksummedPathAddress(match[1]!)
    const f = proposalFields(body)
    const hashInput = {
      to: f.to,
      value: f.value,
      data: f.data ?? '0x',
      operation: f.operation as Operation,
      safeTxGas: f.safeTxGas,
      baseGas: f.baseGas,
      gasPrice: f.gasPrice,
      gasToken: (f.gasToken ?? ZeroAddress) as Address,
      refundReceiver: (f.refundReceiver ?? ZeroAddress) as Address,
      nonce: f.nonce,
    }
    let state: SafeState
    try {
      state = await reads.readSafe(safe)
    } catch (err) {
      if ((err as { code?: string }).code !== 'NOT_A_SAFE') throw err
      throw invalid422(
        `Could not get Safe version from blockchain, check contract exists on network chainId=${chainId}`,
      )
    }
    // The service rebuilds the SafeTx with the version it reads from the Safe, so 1.0.0–1.2.0 hash without chainId.
    const { safeTxHash, domainHash, messageHash } = hashSafeTx({
      chainId,
      safe,
      version: state.version,
      tx: hashInput,
    })
    const preimage = concat(['0x1901', domainHash, messageHash]) as Hex
    if (safeTxHash !== f.contractTransactionHash) {
      throw invalid422(
        `Contract-transaction-hash=${safeTxHash} does not match provided contract-tx-hash=${f.contractTransactionHash}`,
      )
    }
    // The service refuses a nonce it has seen executed; below the Safe's nonce, one has been.
    if (f.nonce < state.nonce) {
      const same = store.get(safeTxHash)
      throw invalid422(
        same
          ? `Tx with safe-tx-hash=${safeTxHash} for safe=${safe} was already executed in tx-hash=None`
          : `Tx with nonce=${f.nonce} for safe=${safe} already executed in tx-hash=None`,
      )
    }
    const owners = state.owners
    if (!owners.includes(f.sender)) {
      throw invalid422(
        `Sender=${f.sender} is not an owner or delegate. Current owners=${pyList(owners)}. Delegates=set()`,
      )
    }
    const parsed = f.signature ? parseForService(f.signature, safeTxHash, state.version) : { signatures: [] }
    if (parsed.error) throw invalid422(parsed.error)
    const signers: Address[] = []
    for (const sig of parsed.signatures) {
      if (!(await isValid(sig, safe, safeTxHash, preimage))) throw invalid422(notValid(sig))
      if (!owners.includes(sig.signer)) {
        throw invalid422(
          `Signer=${sig.signer} is not an owner or delegate. Current owners=${pyList(owners)}. Delegates=set()`,
        )
      }
      if (signers.includes(sig.signer)) throw invalid422(`Signature for owner=${sig.signer} is duplicated`)
      signers.push(sig.signer)
    }
    if (signers.length > 0 && !signers.includes(f.sender)) {
      throw invalid422(`Signature does not match sender=${f.sender}. Calculated owners=${pyList(signers)}`)
    }

    // A transaction already stored is kept as it is (proposer, fields); another owner proposing it adds
    // that owner's confirmation. A signature from an owner who has already confirmed is a duplicate and is
    // refused, as the project's tests require of the stand-in (a client must never count one owner twice).
    const trusted = signers.length > 0
    const now = timestamp()
    const existing = store.get(safeTxHash)
    const again = existing?.confirmations.find((c) => signers.includes(c.owner))
    if (again)
      throw invalid422(`Signature for owner=${again.owner} already exists for safe-tx-hash=${safeTxHash}`)
    const key = safeTxHash.toLowerCase()
    let tx = store.get(key)
    if (!tx) {
      tx = {
        safe,
        to: f.to,
        value: f.value,
        data: f.data && f.data !== '0x' ? f.data : null,
        operation: f.operation,
        safeTxGas: f.safeTxGas,
        baseGas: f.baseGas,
        gasPrice: f.gasPrice,
        gasToken: f.gasToken,
        refundReceiver: f.refundReceiver,
        nonce: f.nonce,
        safeTxHash,
        proposer: f.sender,
        origin: f.origin,
        trusted,
        submissionDate: now,
        modified: now,
        confirmations: [],
      }
      store.set(key, tx)
    } else if (trusted && !tx.trusted) {
      tx.origin = f.origin
      tx.trusted = true
      tx.modified = now
    }
    addConfirmations(tx, parsed.signatures, now)
    return { status: 201 }
  }

  // ── POST /api/v1/multisig-transactions/{hash}/confirmations/ ─────────────────────────────────────
  const confirm: Handler = async (_req, _url, match, body) => {
    const signature = confirmationSignature(body)
    const hash = match[1]!
    const tx = store.get(hash.toLowerCase())
    if (!tx) throw new Reply(404, { detail: `Multisig transaction with safe-tx-hash=${hash} was not found` })
    const state = await reads.readSafe(tx.safe)
    if (tx.nonce < state.nonce) {
      throw invalid400('signature', `Transaction with safe-tx-hash=${hash} was already executed`)
    }
    const parsed = parseForService(signature, tx.safeTxHash, state.version)
    if (parsed.error) throw invalid400('signature', parsed.error)
    const signers: Address[] = []
    for (const sig of parsed.signatures) {
      if (!state.owners.includes(sig.signer)) {
        throw invalid400(
          'signature',
          `Signer=${sig.signer} is not an owner. Current owners=${pyList(state.owners)}`,
        )
      }
      if (!(await isValid(sig, tx.safe, tx.safeTxHash, preimageOf(tx, state.version))))
        throw invalid400('signature', notValid(sig))
      if (signers.includes(sig.signer)) {
        throw invalid400('signature', `Signature for owner=${sig.signer} is duplicated`)
      }
      signers.push(sig.signer)
    }
    const again = tx.confirmations.find((c) => parsed.signatures.some((sig) => sig.signer === c.owner))
    if (again) throw invalid400('signature', `Signature for owner=${again.owner} already exists`)
    addConfirmations(tx, parsed.signatures, timestamp())
    if (parsed.signatures.length > 0) tx.trusted = true
    return { status: 201, body: { signature } }
  }

  // ── GET /api/v2/multisig-transactions/{hash}/ ─────────────────────────────────────────────────────
  const detail: Handler = async (_req, _url, match) => {
    const tx = store.get(match[1]!.toLowerCase())
    if (!tx) throw new Reply(404, { detail: 'No MultisigTransaction matches the given query.' })
    const state = await reads.readSafe(tx.safe)
    return { status: 200, body: serializeTx(tx, state, executedOnChain(tx, state)) }
  }

  // ── GET /api/v1/multisig-transactions/{hash}/confirmations/ ──────────────────────────────────────
  const confirmations: Handler = async (req, url, match) => {
    // The service filters confirmations by hash: an unknown hash is an empty page, not a 404.
    const tx = store.get(match[1]!.toLowerCase())
    return { status: 200, body: paginate(req, url, (tx?.confirmations ?? []).map(serializeConfirmation)) }
  }

  // ── GET /api/v2/safes/{address}/multisig-transactions/ ───────────────────────────────────────────
  const list: Handler = async (req, url, match) => {
    const safe = checksummedPathAddress(match[1]!)
    const q = url.searchParams
    const all = [...store.values()].filter((t) => t.safe === safe)
    const state = all.length > 0 ? await reads.readSafe(safe) : undefined
    const executed = (t: StoredTransaction) => state !== undefined && executedOnChain(t, state)
    const onlyTrusted = bool(q.get('trusted')) ?? true

    let rows = all
    const isExecuted = bool(q.get('executed'))
    if (isExecuted !== undefined) rows = rows.filter((t) => executed(t) === isExecuted)
    const hasConfirmations = bool(q.get('has_confirmations'))
    if (hasConfirmations !== undefined)
      rows = rows.filter((t) => t.confirmations.length > 0 === hasConfirmations)
    if (onlyTrusted) rows = rows.filter((t) => t.trusted)
    for (const [param, keep] of NONCE_FILTERS) {
      const raw = q.get(param)
      if (raw === null || raw === '') continue
      if (!/^\d+$/.test(raw)) throw new Reply(400, { [param]: ['Enter a number.'] })
      const n = BigInt(raw)
      rows = rows.filter((t) => keep(t.nonce, n))
    }
    const to = q.get('to')
    if (to) rows = rows.filter((t) => t.to === to)
    const hash = q.get('safe_tx_hash')
    if (hash) rows = rows.filter((t) => t.safeTxHash.toLowerCase() === hash.toLowerCase())

    const order = [...store.keys()]
    const created = (t: StoredTransaction) => order.indexOf(t.safeTxHash.toLowerCase())
    rows = [...rows].sort(orderingOf(q.get('ordering'), created))

    const uniqueNonces = new Set(all.filter((t) => !onlyTrusted || t.trusted).map((t) => t.nonce)).size
    const page = paginate(
      req,
      url,
      rows.map((t) => serializeTx(t, state!, executed(t))),
    )
    return { status: 200, body: { ...page, countUniqueNonce: uniqueNonces } }
  }

  // ── GET /api/v1/safes/{address}/ ──────────────────────────────────────────────────────────────────
  const safeInfo: Handler = async (_req, _url, match) => {
    const safe = checksummedPathAddress(match[1]!)
    if ((await reads.code(safe)) === '0x') return { status: 404 } // not indexed: the service sends no body
    let state: SafeState
    try {
      state = await reads.readSafe(safe)
    } catch (err) {
      if ((err as { code?: string }).code !== 'NOT_A_SAFE') throw err
      throw new Reply(422, { code: 50, message: 'Cannot get Safe info from blockchain', arguments: [safe] })
    }
    const extra = storageAt ? await managerState(storageAt, safe) : undefined
    return {
      status: 200,
      body: {
        address: safe,
        nonce: state.nonce.toString(),
        threshold: state.threshold,
        owners: state.owners,
        masterCopy: state.singleton,
        modules: extra?.modules ?? [],
        fallbackHandler: extra?.fallbackHandler ?? ZeroAddress,
        guard: extra?.guard ?? ZeroAddress,
        version: state.version,
      },
    }
  }

  // ── GET /api/v1/about ─────────────────────────────────────────────────────────────────────────────
  const about: Handler = async (req) => ({
    status: 200,
    body: {
      name: 'Safe Transaction Service',
      version: '0.0.0+alliance-test-stand-in',
      api_version: 'v1',
      secure: false,
      host: req.headers.host ?? '',
      headers: [],
      settings: {
        AWS_CONFIGURED: false,
        AWS_S3_CUSTOM_DOMAIN: '',
        ETHEREUM_NODE_URL: '',
        ETHEREUM_TRACING_NODE_URL: '',
        ETH_INTERNAL_TXS_BLOCK_PROCESS_LIMIT: 0,
        ETH_INTERNAL_NO_FILTER: false,
        ETH_REORG_BLOCKS: 0,
        TOKENS_LOGO_BASE_URI: '',
        TOKENS_LOGO_EXTENSION: '',
      },
    },
  })

  const routes: { path: RegExp; methods: Record<string, Handler> }[] = [
    // api-kit asks for `/v1/about` without the slash; Django's APPEND_SLASH redirect ends at the same view.
    { path: /^\/api\/v1\/about\/?$/, methods: { GET: about } },
    { path: /^\/api\/v1\/safes\/([^/]+)\/$/, methods: { GET: safeInfo } },
    { path: /^\/api\/v2\/safes\/([^/]+)\/multisig-transactions\/$/, methods: { GET: list, POST: propose } },
    { path: /^\/api\/v2\/multisig-transactions\/([^/]+)\/$/, methods: { GET: detail } },
    {
      path: /^\/api\/v1\/multisig-transactions\/([^/]+)\/confirmations\/$/,
      methods: { GET: confirmations, POST: confirm },
    },
  ]

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const raw = await readBody(req)
    const method = req.method ?? 'GET'
    const record: RecordedRequest = { method, path: req.url ?? '/', body: undefined, status: 0 }
    requests.push(record)
    let body: unknown
    let badJson: string | undefined
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw)
      } catch (err) {
        body = raw
        badJson = (err as Error).message
      }
    }
    record.body = body

    const failure = failures.shift()
    if (failure === 'hang') {
      record.status = 'hang'
      return // left open until the test moves on or stop() cuts it
    }
    if (failure !== undefined) {
      record.status = failure
      send(res, failure, `HTTP ${failure} from failNext`, 'text/plain')
      return
    }

    let answer: Answer
    try {
      await indexExecutions()
      answer = await route(req, method, body, badJson)
    } catch (err) {
      if (err instanceof Reply) answer = { status: err.status, body: err.body }
      else {
        answer = { status: 500, body: 'Server Error (500)' }
        console.error('txService stand-in:', err)
      }
    }
    record.status = answer.status
    if (answer.body === undefined) send(res, answer.status, '', 'application/json')
    else if (typeof answer.body === 'string') send(res, answer.status, answer.body, 'text/html')
    else send(res, answer.status, JSON.stringify(answer.body), 'application/json')
  }

  async function route(
    req: IncomingMessage,
    method: string,
    body: unknown,
    badJson?: string,
  ): Promise<Answer> {
    const url = new URL(req.url ?? '/', 'http://stand-in')
    for (const r of routes) {
      const match = r.path.exec(url.pathname)
      if (!match) continue
      const handler = r.methods[method]
      if (!handler) throw new Reply(405, { detail: `Method "${method}" not allowed.` })
      if (badJson !== undefined) throw new Reply(400, { detail: `JSON parse error - ${badJson}` })
      return handler(req, url, match, body)
    }
    throw new Reply(404, { detail: 'Not found.' })
  }

  /** `preimage`: 0x1901 ‖ domain hash ‖ message hash, what the Safe hands a contract owner. */
  async function isValid(sig: ParsedSignature, safe: Address, hash: Hex, preimage: Hex): Promise<boolean> {
    switch (sig.kind) {
      case 'eoa':
      case 'eth_sign':
        return true // recovered from the hash itself, so it is the signer's by construction
      case 'approved-hash':
        // The service asks the Safe's approvedHashes(owner, hash); the Safe accepts any non-zero value.
        return (
          storageAt !== undefined && BigInt(await storageAt(safe, approvedHashSlot(sig.signer, hash))) !== 0n
        )
      case 'contract': {
        // As safe-eth-py does: the owner contract's legacy isValidSignature(bytes preimage, bytes), then
        // the EIP-1271 isValidSignature(bytes32 hash, bytes). The preimage is what the Safe hashes.
        if (!call) return false
        const legacy = await call(
          sig.signer,
          EIP1271.encodeFunctionData('isValidSignature(bytes,bytes)', [preimage, sig.signature]) as Hex,
        ).catch(() => '0x')
        if (legacy.startsWith('0x20c13b0b')) return true
        const current = await call(
          sig.signer,
          EIP1271.encodeFunctionData('isValidSignature(bytes32,bytes)', [hash, sig.signature]) as Hex,
        ).catch(() => '0x')
        return current.startsWith('0x1626ba7e')
      }
    }
  }

  function preimageOf(tx: StoredTransaction, version: string): Hex {
    const { domainHash, messageHash } = hashSafeTx({
      chainId,
      safe: tx.safe,
      version,
      tx: {
        to: tx.to,
        value: tx.value,
        data: tx.data ?? '0x',
        operation: tx.operation as Operation,
        safeTxGas: tx.safeTxGas,
        baseGas: tx.baseGas,
        gasPrice: tx.gasPrice,
        gasToken: tx.gasToken ?? (ZeroAddress as Address),
        refundReceiver: tx.refundReceiver ?? (ZeroAddress as Address),
        nonce: tx.nonce,
      },
    })
    return concat(['0x1901', domainHash, messageHash]) as Hex
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      console.error('txService stand-in:', err)
      if (!res.headersSent) send(res, 500, 'Server Error (500)', 'text/html')
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo

  return {
    url: `http://127.0.0.1:${port}/api`,
    requests,
    store,
    tamper(safeTxHash, patch) {
      const tx = store.get(safeTxHash.toLowerCase())
      if (!tx) throw new Error(`txService: no stored transaction ${safeTxHash} to tamper with`)
      patch(tx)
    },
    failNext(n, how) {
      for (let i = 0; i < n; i++) failures.push(how)
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()))
        // Hung requests and keep-alive sockets would hold close() open forever.
        server.closeAllConnections()
      }),
  }
}

// ── request fields, validated as the service's serializers do ─────────────────────────────────────

type ProposalFields = {
  to: Address
  value: bigint
  data: Hex | null
  operation: number
  safeTxGas: bigint
  baseGas: bigint
  gasPrice: bigint
  gasToken: Address | null
  refundReceiver: Address | null
  nonce: bigint
  contractTransactionHash: Hex
  sender: Address
  signature: Hex | null
  origin: string
}

/** SafeMultisigTransactionSerializer: field errors first (all at once, keyed by camelCase name), then validate(). */
function proposalFields(body: unknown): ProposalFields {
  if (!isObject(body)) {
    throw new Reply(422, {
      nonFieldErrors: [`Invalid data. Expected a dictionary, but got ${pyType(body)}.`],
    })
  }
  const errors: Record<string, string[]> = {}
  const field = <T>(
    name: string,
    parse: (v: unknown) => T,
    opts: { nullable?: boolean; fallback?: T } = {},
  ) => {
    const v = body[name]
    if (v === undefined) {
      if ('fallback' in opts) return opts.fallback as T
      errors[name] = ['This field is required.']
      return undefined as T
    }
    if (v === null) {
      if (opts.nullable) return null as T
      errors[name] = ['This field may not be null.']
      return undefined as T
    }
    try {
      return parse(v)
    } catch (err) {
      errors[name] = [(err as Error).message]
      return undefined as T
    }
  }
  const f: ProposalFields = {
    to: field('to', (v) => addressValue(v, true)),
    value: field('value', uintValue),
    data: field('data', (v) => (v === '' ? null : hexValue(v)), { nullable: true, fallback: null }),
    operation: field('operation', operationValue),
    safeTxGas: field('safeTxGas', uintValue),
    baseGas: field('baseGas', uintValue),
    gasPrice: field('gasPrice', uintValue),
    gasToken: field('gasToken', (v) => addressValue(v, true), { nullable: true, fallback: null }),
    refundReceiver: field('refundReceiver', (v) => addressValue(v, true), { nullable: true, fallback: null }),
    nonce: field('nonce', uintValue),
    contractTransactionHash: field('contractTransactionHash', hashValue),
    sender: field('sender', (v) => addressValue(v, false)),
    signature: field('signature', (v) => signatureValue(v), { nullable: true, fallback: null }),
    origin: field('origin', originValue, { nullable: true, fallback: '{}' }) ?? '{}',
  }
  if (Object.keys(errors).length > 0) throw new Reply(422, errors)
  if (f.operation === 2) throw invalid422('Operation CREATE not supported. Please use Gnosis Safe CreateLib')
  return f
}

/** SafeMultisigConfirmationSerializer: only `signature`, answered with 400 (DRF's default for a CreateAPIView). */
function confirmationSignature(body: unknown): Hex {
  if (!isObject(body)) {
    throw new Reply(400, {
      nonFieldErrors: [`Invalid data. Expected a dictionary, but got ${pyType(body)}.`],
    })
  }
  const v = body['signature']
  if (v === undefined) throw new Reply(400, { signature: ['This field is required.'] })
  if (v === null) throw new Reply(400, { signature: ['This field may not be null.'] })
  try {
    return signatureValue(v)
  } catch (err) {
    throw new Reply(400, { signature: [(err as Error).message] })
  }
}

/** EthereumAddressField: checksummed only; `to` and the gas fields may be the zero address. */
function addressValue(v: unknown, allowZero: boolean): Address {
  if (typeof v !== 'string' || !/^0x[0-9a-fA-F]{40}$/.test(v))
    throw new Error(`Address ${String(v)} is not valid`)
  let checksummed: string
  try {
    checksummed = getAddress(v)
  } catch {
    throw new Error(`Address ${v} is not checksumed`)
  }
  if (checksummed !== v) throw new Error(`Address ${v} is not checksumed`)
  if (!allowZero && BigInt(v) === 0n) throw new Error('0x0 address is not allowed')
  return checksummed as Address
}

/** DRF IntegerField(min_value=0): an integer or a string of digits. */
function uintValue(v: unknown): bigint {
  let n: bigint
  if (typeof v === 'number' && Number.isSafeInteger(v)) n = BigInt(v)
  else if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) n = BigInt(v.trim())
  else throw new Error('A valid integer is required.')
  if (n < 0n) throw new Error('Ensure this value is greater than or equal to 0.')
  // The service stores these as uint256 columns; a larger value could never be hashed or executed.
  if (n >= 1n << 256n) throw new Error('Ensure this value is less than 2**256.')
  return n
}

function operationValue(v: unknown): number {
  const n = uintValue(v)
  if (n > 2n) throw new Error('Unknown operation')
  return Number(n)
}

function hexValue(v: unknown): Hex {
  if (typeof v !== 'string' || !isHexString(v) || v.length % 2 !== 0)
    throw new Error(`${String(v)} is not a valid hexadecimal value`)
  return v.toLowerCase() as Hex
}

function hashValue(v: unknown): Hex {
  if (typeof v !== 'string' || !isHexString(v, 32)) throw new Error(`${String(v)} is not a valid hash`)
  return v.toLowerCase() as Hex
}

/** HexadecimalField(min_length=65): a signature is at least one 65-byte item. */
function signatureValue(v: unknown): Hex {
  const hex = hexValue(v)
  if ((hex.length - 2) / 2 < 65)
    throw new Error('Ensure this field has at least 65 hexadecimal chars (not counting 0x).')
  return hex
}

/** CharField(max_length=200); the service then stores parsed JSON, and answers json.dumps of it. */
function originValue(v: unknown): string {
  if (typeof v !== 'string') throw new Error('Not a valid string.')
  if (v.length > 200) throw new Error('Ensure this field has no more than 200 characters.')
  if (v === '') return '{}'
  try {
    const parsed: unknown = JSON.parse(v)
    return typeof parsed === 'string' ? parsed : pyJson(parsed)
  } catch {
    return v
  }
}

// ── signatures ─────────────────────────────────────────────────────────────────────────────────────

type ServiceSignatures = { signatures: ParsedSignature[]; error?: string }

/**
 * safe-eth-py parses items in any order (no ascending-owner rule: that is checkNSignatures' concern at
 * execution). Bytes that cannot be parsed at all are reported as a not-valid signature.
 */
function parseForService(signature: Hex, hash: Hex, version: string): ServiceSignatures {
  try {
    return { signatures: parseSafeSignatures(signature, hash, { version, allowUnsorted: true }) }
  } catch (err) {
    return { signatures: [], error: `Signature=${signature} is not valid: ${(err as Error).message}` }
  }
}

const notValid = (sig: ParsedSignature) => `Signature=${sig.data} for owner=${sig.signer} is not valid`

const SIGNATURE_TYPES: Record<ParsedSignature['kind'], TxServiceSignatureType> = {
  eoa: 'EOA',
  eth_sign: 'ETH_SIGN',
  'approved-hash': 'APPROVED_HASH',
  contract: 'CONTRACT_SIGNATURE',
}

function addConfirmations(tx: StoredTransaction, signatures: ParsedSignature[], now: string) {
  for (const sig of signatures) {
    if (tx.confirmations.some((c) => c.owner === sig.signer)) continue
    tx.confirmations.push({
      owner: sig.signer,
      signature: sig.data,
      signatureType: SIGNATURE_TYPES[sig.kind],
      submissionDate: now,
    })
  }
}

// ── responses ──────────────────────────────────────────────────────────────────────────────────────

/** SafeMultisigTransactionResponseSerializerV2: nonce, safeTxGas and baseGas as strings (v1 has numbers). */
function serializeTx(tx: StoredTransaction, state: SafeState, isExecuted: boolean) {
  const execution = isExecuted ? tx.execution : undefined
  return {
    safe: tx.safe,
    to: tx.to,
    value: tx.value.toString(),
    data: tx.data,
    operation: tx.operation,
    gasToken: tx.gasToken,
    safeTxGas: tx.safeTxGas.toString(),
    baseGas: tx.baseGas.toString(),
    gasPrice: tx.gasPrice.toString(),
    refundReceiver: tx.refundReceiver,
    nonce: tx.nonce.toString(),
    executionDate: null,
    submissionDate: tx.submissionDate,
    modified: tx.modified,
    blockNumber: execution?.blockNumber ?? null,
    transactionHash: execution?.transactionHash ?? null,
    safeTxHash: tx.safeTxHash,
    proposer: tx.proposer,
    proposedByDelegate: null,
    executor: null,
    isExecuted,
    isSuccessful: execution?.isSuccessful ?? null,
    ethGasPrice: null,
    maxFeePerGas: null,
    maxPriorityFeePerGas: null,
    gasUsed: null,
    fee: null,
    origin: tx.origin,
    dataDecoded: null,
    confirmationsRequired: state.threshold,
    confirmations: tx.confirmations.map(serializeConfirmation),
    trusted: tx.trusted,
    // Filled by the indexer from the executing transaction's calldata; this stand-in has no indexer.
    signatures: null,
  }
}

function serializeConfirmation(c: StoredConfirmation) {
  return {
    owner: c.owner,
    submissionDate: c.submissionDate,
    transactionHash: null,
    signature: c.signature,
    signatureType: c.signatureType,
  }
}

/** DRF LimitOffsetPagination: absolute next/previous links with the query re-encoded in sorted order. */
function paginate<T>(req: IncomingMessage, url: URL, items: T[]) {
  const q = url.searchParams
  const limitRaw = Number.parseInt(q.get('limit') ?? '', 10)
  const limit = Number.isFinite(limitRaw) && limitRaw > 0 ? Math.min(limitRaw, MAX_LIMIT) : DEFAULT_LIMIT
  const offsetRaw = Number.parseInt(q.get('offset') ?? '', 10)
  const offset = Number.isFinite(offsetRaw) && offsetRaw > 0 ? offsetRaw : 0
  const link = (set: Record<string, number | undefined>) => {
    const params = new Map<string, string>()
    for (const [k, v] of q) params.set(k, v)
    for (const [k, v] of Object.entries(set)) {
      if (v === undefined) params.delete(k)
      else params.set(k, String(v))
    }
    const query = new URLSearchParams([...params].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    return `http://${req.headers.host}${url.pathname}?${query}`
  }
  return {
    count: items.length,
    next: offset + limit < items.length ? link({ limit, offset: offset + limit }) : null,
    previous:
      offset <= 0
        ? null
        : offset - limit <= 0
          ? link({ limit, offset: undefined })
          : link({ limit, offset: offset - limit }),
    results: items.slice(offset, offset + limit),
  }
}

const NONCE_FILTERS: [string, (nonce: bigint, n: bigint) => boolean][] = [
  ['nonce', (a, b) => a === b],
  ['nonce__gte', (a, b) => a >= b],
  ['nonce__gt', (a, b) => a > b],
  ['nonce__lte', (a, b) => a <= b],
  ['nonce__lt', (a, b) => a < b],
]

/** DRF OrderingFilter over nonce, created, modified; unknown fields are dropped; default `-nonce,-created`. */
function orderingOf(param: string | null, created: (t: StoredTransaction) => number) {
  const keys: Record<string, (t: StoredTransaction) => bigint | number | string> = {
    nonce: (t) => t.nonce,
    created,
    modified: (t) => t.modified,
  }
  const wanted = (param ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => keys[s.replace(/^-/, '')] !== undefined)
  const terms = wanted.length > 0 ? wanted : ['-nonce', '-created']
  return (a: StoredTransaction, b: StoredTransaction) => {
    for (const term of terms) {
      const key = keys[term.replace(/^-/, '')]!
      const [x, y] = [key(a), key(b)]
      if (x === y) continue
      const less = x < y ? -1 : 1
      return term.startsWith('-') ? -less : less
    }
    return 0
  }
}

async function managerState(storageAt: NonNullable<StartTxServiceParameters['storageAt']>, safe: Address) {
  const asAddress = (word: Hex) => getAddress(`0x${word.slice(-40)}`) as Address
  const moduleSlot = (key: string) =>
    keccak256(coder.encode(['address', 'uint256'], [key, SAFE_SLOTS.modules])) as Hex
  const modules: Address[] = []
  // The modules form a linked list in a mapping, starting and ending at the sentinel 0x1.
  for (let next = asAddress(await storageAt(safe, moduleSlot(SENTINEL))); modules.length < 100; ) {
    if (BigInt(next) === 0n || BigInt(next) === 1n) break
    modules.push(next)
    next = asAddress(await storageAt(safe, moduleSlot(next)))
  }
  return {
    modules,
    fallbackHandler: asAddress(await storageAt(safe, SAFE_NAMED_SLOTS.fallbackHandler)),
    guard: asAddress(await storageAt(safe, SAFE_NAMED_SLOTS.guard)),
  }
}

// ── helpers ────────────────────────────────────────────────────────────────────────────────────────

/** Every list and write view starts with this check, answering in the service's code-error shape. */
function checksummedPathAddress(address: string): Address {
  let ok = false
  try {
    ok = /^0x[0-9a-fA-F]{40}$/.test(address) && getAddress(address) === address
  } catch {}
  if (!ok)
    throw new Reply(422, { code: 1, message: 'Checksum address validation failed', arguments: [address] })
  return address as Address
}

const invalid422 = (message: string) => new Reply(422, { nonFieldErrors: [message] })
const invalid400 = (field: string, message: string) => new Reply(400, { [field]: [message] })

/** Django REST's DateTimeField output: ISO 8601 with microseconds and Z. */
const timestamp = () => new Date().toISOString().replace('Z', '000Z')

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

function bool(v: string | null): boolean | undefined {
  if (v === null) return undefined
  if (['true', 'True', '1'].includes(v)) return true
  if (['false', 'False', '0'].includes(v)) return false
  return undefined
}

/** How the service's messages print a Python list of addresses. */
const pyList = (items: string[]) => `[${items.map((i) => `'${i}'`).join(', ')}]`

const pyType = (v: unknown) =>
  Array.isArray(v)
    ? 'list'
    : v === null
      ? 'NoneType'
      : typeof v === 'string'
        ? 'str'
        : typeof v === 'number'
          ? 'int'
          : typeof v

/** Python's json.dumps separators (", " and ": "), which the service uses to answer a JSON origin. */
function pyJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(pyJson).join(', ')}]`
  if (isObject(v))
    return `{${Object.entries(v)
      .map(([k, x]) => `${JSON.stringify(k)}: ${pyJson(x)}`)
      .join(', ')}}`
  return JSON.stringify(v)
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

function send(res: ServerResponse, status: number, body: string, type: string) {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) })
  res.end(body)
}
