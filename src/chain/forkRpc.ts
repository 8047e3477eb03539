import { Agent, request } from 'node:http'
import { ForkUnreachableError } from '../errors/chain.js'

/** A JSON-RPC error as the node answered it (a revert, an unknown method, a rejected transaction). */
export class ForkRpcError extends Error {
  override name = 'ForkRpcError'
  readonly method: string
  readonly code: number
  readonly data: unknown
  constructor(method: string, error: { code?: number; message?: string; data?: unknown }) {
    super(error.message ?? `${method} failed`)
    this.method = method
    this.code = error.code ?? 0
    this.data = error.data
  }
}

/** One call's answer inside a batch: its result, or the node's error for it. */
export type ForkRpcAnswer = { result: unknown } | { error: ForkRpcError }

export type ForkRpc = {
  send<T = unknown>(method: string, params: readonly unknown[]): Promise<T>
  /** Independent calls in one request. The node may run them in any order: never batch calls that depend on each other. */
  batch(calls: readonly (readonly [method: string, params: readonly unknown[]])[]): Promise<ForkRpcAnswer[]>
  close(): void
}

/**
 * A bare JSON-RPC client for the re-simulation's own anvil: plain HTTP on a kept-alive connection, no
 * retries. A re-simulation sends thousands of small requests to a node on this machine, and a request
 * through ethers' provider costs ~2 ms and ~0.9 ms of CPU against ~0.5 ms and ~0.35 ms here (measured
 * on the 2-core reference machine): the fork spends most of its time waiting on such round trips.
 * Only for a local `http:` node that this process started; the chain itself is read through the provider.
 */
export function forkRpc(url: string, { timeoutMs = 60_000 }: { timeoutMs?: number } = {}): ForkRpc {
  const { hostname, port, protocol } = new URL(url)
  if (protocol !== 'http:') throw new Error(`forkRpc serves a local http: node, not ${url}`)
  const agent = new Agent({ keepAlive: true, maxSockets: 4 })
  let nextId = 1

  const post = (body: string): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const req = request(
        {
          host: hostname,
          port,
          method: 'POST',
          path: '/',
          agent,
          timeout: timeoutMs,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          const chunks: Buffer[] = []
          res.on('data', (c: Buffer) => chunks.push(c))
          res.on('error', reject)
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString()
            try {
              resolve(JSON.parse(text))
            } catch {
              reject(new Error(`HTTP ${res.statusCode}: ${text.slice(0, 200)}`))
            }
          })
        },
      )
      req.on('timeout', () => req.destroy(new Error(`request timeout after ${timeoutMs} ms`)))
      req.on('error', (err) => reject(new ForkUnreachableError(url, err)))
      req.end(body)
    })

  type Reply = { id: number; result?: unknown; error?: { code?: number; message?: string; data?: unknown } }
  const answer = (method: string, reply: Reply | undefined): ForkRpcAnswer =>
    !reply
      ? { error: new ForkRpcError(method, { message: 'no answer in the batch' }) }
      : reply.error
        ? { error: new ForkRpcError(method, reply.error) }
        : { result: reply.result }

  return {
    async send<T>(method: string, params: readonly unknown[]): Promise<T> {
      const reply = (await post(JSON.stringify({ jsonrpc: '2.0', id: nextId++, method, params }))) as Reply
      if (reply.error) throw new ForkRpcError(method, reply.error)
      return reply.result as T
    },
    async batch(calls) {
      if (!calls.length) return []
      const first = nextId
      nextId += calls.length
      const payload = calls.map(([method, params], i) => ({ jsonrpc: '2.0', id: first + i, method, params }))
      const replies = (await post(JSON.stringify(payload))) as Reply[] | Reply
      // A node that refuses the whole batch answers with one error object.
      if (!Array.isArray(replies)) {
        const error = new ForkRpcError('batch', replies.error ?? { message: 'not a batch answer' })
        return calls.map(() => ({ error }))
      }
      const byId = new Map(replies.map((r) => [r.id, r]))
      return calls.map(([method], i) => answer(method, byId.get(first + i)))
    },
    close() {
      agent.destroy()
    },
  }
}
