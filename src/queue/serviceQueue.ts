import { getAddress, ZeroAddress } from 'ethers'
import {
  AlreadyQueuedError,
  DuplicateConfirmationError,
  QueuedTransactionNotFoundError,
  QueueRefusedError,
  QueueUnavailableError,
} from '../errors/queue.js'
import type { Address, Hex, SafeTx } from '../safe/types.js'
import { redactUrl } from '../utils/redactUrl.js'
import type { ProposalQueue, QueuedConfirmation, QueuedTransaction } from './types.js'

export type ServiceQueueOptions = {
  url: string
  chainId: bigint
  /** Sent as a bearer token; required by the hosted service (api.safe.global). */
  apiKey?: string
  /** Per request. */
  timeoutMs?: number
  /** Attempts for a request that times out or meets a network fault or a 5xx (reads, and writes checked first). */
  attempts?: number
  /** Transactions per page when `history` lists them all (the service allows up to 200). */
  pageSize?: number
}

type Kit = {
  proposeTransaction(p: unknown): Promise<void>
  confirmTransaction(hash: string, signature: string): Promise<unknown>
  getTransaction(hash: string): Promise<ServiceTx>
  getPendingTransactions(
    safe: string,
    o: { currentNonce: number; ordering: string; limit: number; offset: number },
  ): Promise<{ count: number; next?: string | null; results: ServiceTx[] }>
  getMultisigTransactions(
    safe: string,
    o: { ordering: string; limit: number; offset: number },
  ): Promise<{ count: number; next?: string | null; results: ServiceTx[] }>
}

/** The fields alliance reads from the service's SafeMultisigTransactionResponse. */
type ServiceTx = {
  safe: string
  to: string
  value: string
  data?: string | null
  operation: number
  gasToken: string
  safeTxGas: string | number
  baseGas: string | number
  gasPrice: string
  refundReceiver?: string | null
  nonce: string | number
  safeTxHash: string
  proposer: string | null
  isExecuted: boolean
  transactionHash?: string | null
  origin?: string | null
  confirmations?: { owner: string; signature: string; submissionDate: string }[]
}

const PAGE = 100

/**
 * The Safe Transaction Service through @safe-global/api-kit (loaded only when a command needs it: it
 * costs ~0.5 s to import). Every request has a timeout; reads are retried a bounded number of times.
 * A write that fails without an answer is never blindly repeated: the service is asked whether it
 * landed, so a retry cannot double-post and a lost answer cannot hide a success.
 */
export async function serviceQueue(o: ServiceQueueOptions): Promise<ProposalQueue> {
  // The package's types describe its CJS build; the ESM build's default export is the class.
  const SafeApiKit = (await import('@safe-global/api-kit')).default as unknown as new (
    config: Record<string, unknown>,
  ) => Kit
  const kit = new SafeApiKit({
    chainId: o.chainId,
    txServiceUrl: o.url,
    ...(o.apiKey ? { apiKey: o.apiKey } : {}),
  })
  const description = `Transaction Service at ${redactUrl(o.url)}`
  const timeoutMs = o.timeoutMs ?? 15_000
  const attempts = o.attempts ?? 3
  const pageSize = o.pageSize ?? PAGE

  async function request<T>(what: string, run: () => Promise<T>, { retry = true } = {}): Promise<T> {
    let last = ''
    const tries = retry ? attempts : 1
    for (let i = 1; i <= tries; i++) {
      try {
        return await withTimeout(run(), timeoutMs)
      } catch (err) {
        const status = statusOf(err)
        if (status !== undefined && status < 500) throw refusal(err, status)
        last = status
          ? `HTTP ${status}`
          : err instanceof TimeoutError
            ? `no answer within ${timeoutMs} ms`
            : messageOf(err)
        if (i < tries) await sleep(250 * 2 ** (i - 1))
      }
    }
    throw new QueueUnavailableError(description, `${what}: ${last}`, tries)
  }

  const refusal = (err: unknown, status: number) =>
    new QueueRefusedError(description, serviceMessage(err), status)

  async function get(safeTxHash: Hex): Promise<QueuedTransaction> {
    try {
      return fromService(await request('get the transaction', () => kit.getTransaction(safeTxHash)))
    } catch (err) {
      if (err instanceof QueueRefusedError && /HTTP 404/.test(err.message))
        throw new QueuedTransactionNotFoundError(safeTxHash, description)
      throw err
    }
  }
  const tryGet = (hash: Hex) =>
    get(hash).catch((err) =>
      err instanceof QueuedTransactionNotFoundError ? undefined : Promise.reject(err),
    )

  return {
    description,
    async propose({ plan, proposer, signature }) {
      const hash = plan.hashes.safeTxHash
      if (await tryGet(hash)) throw new AlreadyQueuedError(hash, description)
      const body = {
        safeAddress: plan.safe.address,
        safeTransactionData: toService(plan.safeTx),
        safeTxHash: hash,
        senderAddress: proposer,
        senderSignature: signature,
        origin: plan.description.slice(0, 200),
      }
      try {
        await request('propose', () => kit.proposeTransaction(body), { retry: false })
      } catch (err) {
        // Did it land anyway (an answer lost on the way back)? Then it is done; else the error stands.
        if (err instanceof QueueUnavailableError && (await tryGet(hash))) return
        if (err instanceof QueueRefusedError && (await tryGet(hash)))
          throw new AlreadyQueuedError(hash, description)
        throw err
      }
    },
    async confirm({ safeTxHash, owner, signature }) {
      const before = await get(safeTxHash)
      if (before.confirmations.some((c) => c.owner.toLowerCase() === owner.toLowerCase()))
        throw new DuplicateConfirmationError(owner, safeTxHash)
      try {
        await request('confirm', () => kit.confirmTransaction(safeTxHash, signature), { retry: false })
      } catch (err) {
        const after = await tryGet(safeTxHash)
        const landed = after?.confirmations.some((c) => c.owner.toLowerCase() === owner.toLowerCase())
        if (landed && err instanceof QueueUnavailableError) return
        if (landed) throw new DuplicateConfirmationError(owner, safeTxHash)
        throw err
      }
    },
    get,
    async pending(safe, fromNonce) {
      const all: QueuedTransaction[] = []
      for (let offset = 0; ; offset += PAGE) {
        const page = await request('list pending transactions', () =>
          kit.getPendingTransactions(safe, {
            currentNonce: Number(fromNonce),
            ordering: 'nonce',
            limit: PAGE,
            offset,
          }),
        )
        all.push(...page.results.map(fromService))
        if (!page.next || page.results.length === 0) break
      }
      return all.sort((a, b) =>
        a.safeTx.nonce === b.safeTx.nonce ? 0 : a.safeTx.nonce < b.safeTx.nonce ? -1 : 1,
      )
    },
    async *history(safe) {
      // Oldest first, so a proposal arriving while we page lands after the pages read (it has the newest
      // `created`); one for an old nonce would shift the offsets by one, hence the check for repeats.
      const seen = new Set<string>()
      for (let offset = 0; ; offset += pageSize) {
        const page = await request('list the transactions', () =>
          kit.getMultisigTransactions(safe, { ordering: 'nonce,created', limit: pageSize, offset }),
        )
        for (const t of page.results) {
          const key = t.safeTxHash.toLowerCase()
          if (seen.has(key)) continue
          seen.add(key)
          yield fromService(t)
        }
        if (!page.next || page.results.length === 0) break
      }
    },
  }
}

function toService(tx: SafeTx) {
  return {
    to: tx.to,
    value: tx.value.toString(),
    data: tx.data,
    operation: tx.operation,
    safeTxGas: tx.safeTxGas.toString(),
    baseGas: tx.baseGas.toString(),
    gasPrice: tx.gasPrice.toString(),
    gasToken: tx.gasToken,
    refundReceiver: tx.refundReceiver,
    nonce: Number(tx.nonce),
  }
}

/** The service's record as alliance's types; nothing is trusted until it is recomputed (verifyQueued). */
export function fromService(t: ServiceTx): QueuedTransaction {
  const confirmations: QueuedConfirmation[] = (t.confirmations ?? []).map((c) => ({
    owner: getAddress(c.owner) as Address,
    signature: c.signature as Hex,
    submittedAt: c.submissionDate,
  }))
  return {
    safe: getAddress(t.safe) as Address,
    safeTx: {
      to: getAddress(t.to) as Address,
      value: BigInt(t.value),
      data: (t.data ?? '0x') as Hex,
      operation: t.operation as 0 | 1,
      safeTxGas: BigInt(t.safeTxGas),
      baseGas: BigInt(t.baseGas),
      gasPrice: BigInt(t.gasPrice),
      gasToken: getAddress(t.gasToken) as Address,
      refundReceiver: getAddress(t.refundReceiver ?? ZeroAddress) as Address,
      nonce: BigInt(t.nonce),
    },
    safeTxHash: t.safeTxHash as Hex,
    confirmations,
    executed: t.isExecuted,
    ...(t.isExecuted && t.transactionHash ? { transactionHash: t.transactionHash as Hex } : {}),
    ...(t.proposer ? { proposer: getAddress(t.proposer) as Address } : {}),
    ...(t.origin ? { origin: t.origin } : {}),
  }
}

class TimeoutError extends Error {}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`timed out after ${ms} ms`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const statusOf = (err: unknown) => (err as { statusCode?: number }).statusCode
const messageOf = (err: unknown) => (err instanceof Error ? err.message.split('\n')[0]! : String(err))

/** The service explains a 4xx in its JSON body; api-kit keeps it in `data` (or the message). */
function serviceMessage(err: unknown): string {
  const data = (err as { data?: unknown }).data
  if (data && typeof data === 'object') return JSON.stringify(data).slice(0, 300)
  return messageOf(err)
}
