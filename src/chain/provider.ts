import { FetchRequest, JsonRpcProvider, type JsonRpcResult, makeError, Network } from 'ethers'
import { AllianceError } from '../errors/base.js'
import { ChainRejectedError, ChainUnreachableError, WrongChainError } from '../errors/chain.js'

export type ProviderOptions = {
  /** Per-request timeout. */
  timeoutMs?: number
  /** Attempts for transport failures (refused, reset, timeout); RPC errors such as reverts are never retried. */
  attempts?: number
}

/**
 * A JSON-RPC provider that fails fast and clearly. ethers' defaults suit wallets, not a CLI against a
 * local node: its 250 ms request cache returns stale nonces against automining anvil, and network
 * detection against a dead node retries forever. So: a static network, no cache, a timeout per
 * request, and a bounded number of attempts for transport faults only.
 */
export class AllianceProvider extends JsonRpcProvider {
  readonly url: string
  readonly #attempts: number

  constructor(url: string, chainId: bigint, options: ProviderOptions = {}) {
    const request = new FetchRequest(url)
    request.timeout = options.timeoutMs ?? 15_000
    const network = Network.from(chainId)
    // batchStallTime 0: only requests made in the same tick are batched; the default 10 ms stall per request
    // would add seconds to a sequential deployment.
    super(request, network, {
      staticNetwork: network,
      cacheTimeout: -1,
      pollingInterval: 100,
      batchMaxCount: 20,
      batchStallTime: 0,
    })
    this.url = url
    this.#attempts = options.attempts ?? 3
  }

  override async _send(payload: Parameters<JsonRpcProvider['_send']>[0]) {
    let lastError: unknown
    for (let attempt = 1; attempt <= this.#attempts; attempt++) {
      try {
        return await this.#post(payload)
      } catch (err) {
        if (!isTransportFault(err)) throw err
        lastError = err
        if (attempt < this.#attempts) await sleep(100 * 2 ** attempt)
      }
    }
    throw new ChainUnreachableError(this.url, this.#attempts, lastError)
  }

  /**
   * ethers' own `_send`, except for reading the answer. ethers decodes the body with a UTF-8 decoder written
   * in JavaScript that first builds an array of every code point: a 6 MB eth_getLogs answer (10,000 logs)
   * took 1.4 s and left ~270 MB of garbage, which is most of a long replay's peak memory. The native
   * decoder reads it in milliseconds; invalid UTF-8 and invalid JSON are still refused as ethers refuses them.
   */
  async #post(payload: Parameters<JsonRpcProvider['_send']>[0]) {
    const request = this._getConnection()
    request.body = JSON.stringify(payload)
    request.setHeader('content-type', 'application/json')
    const response = await request.send()
    response.assertOk()
    let text: string
    try {
      text = UTF8.decode(response.body ?? new Uint8Array())
    } catch {
      throw makeError('response body is not valid UTF-8', 'UNSUPPORTED_OPERATION', {
        operation: 'bodyText',
        info: { response },
      })
    }
    let json: JsonRpcResult | JsonRpcResult[]
    try {
      json = JSON.parse(text)
    } catch {
      throw makeError('response body is not valid JSON', 'UNSUPPORTED_OPERATION', {
        operation: 'bodyJson',
        info: { response },
      })
    }
    return Array.isArray(json) ? json : [json]
  }
}

const UTF8 = new TextDecoder('utf-8', { fatal: true })

/** Connects and checks the node is the chain the workspace names. */
export async function connect(url: string, expectedChainId: bigint, options?: ProviderOptions) {
  const provider = new AllianceProvider(url, expectedChainId, options)
  let actual: bigint
  try {
    actual = BigInt(await provider.send('eth_chainId', []))
  } catch (err) {
    provider.destroy()
    if (err instanceof AllianceError) throw err
    // ethers' own message carries the request, URL and all: keep only its short reason.
    throw new ChainRejectedError(url, (err as { shortMessage?: string }).shortMessage ?? String(err))
  }
  if (actual !== expectedChainId) {
    provider.destroy()
    throw new WrongChainError(url, expectedChainId, actual)
  }
  return provider
}

function isTransportFault(err: unknown): boolean {
  const e = err as { code?: string; cause?: { code?: string } }
  const codes = [
    'ECONNREFUSED',
    'ECONNRESET',
    'EPIPE',
    'ETIMEDOUT',
    'ENOTFOUND',
    'EAI_AGAIN',
    'UND_ERR_SOCKET',
  ]
  if (e?.code === 'TIMEOUT' || e?.code === 'NETWORK_ERROR') return true
  // An overloaded or restarting node (502/503/504) or a rate limit (429) answers over HTTP, not in JSON-RPC:
  // the request never ran, so it is as safe to retry as a refused connection.
  const status = (err as { info?: { responseStatus?: string } }).info?.responseStatus
  if (e?.code === 'SERVER_ERROR' && status && /^(429|502|503|504)\b/.test(status)) return true
  if (e?.code && codes.includes(e.code)) return true
  if (e?.cause?.code && codes.includes(e.cause.code)) return true
  const message = err instanceof Error ? err.message : ''
  return /ECONNREFUSED|ECONNRESET|socket hang up|fetch failed|request timeout/i.test(message)
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
