import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export type RpcProxyOptions = {
  /**
   * Refuse eth_getLogs over more blocks than this, as hosted nodes do (Alchemy, QuickNode, …), with the
   * JSON-RPC error they answer. Requests in a batch are judged one by one.
   */
  maxLogRange?: number
}

type Call = { id: unknown; method: string; params?: unknown[] }

/**
 * A JSON-RPC proxy in front of anvil that counts what a client asks, by method: the independent witness
 * that a run fetches only what a cache does not hold. With `maxLogRange` it also stands in for a node
 * that caps eth_getLogs ranges.
 */
export async function rpcProxy(upstream: string, options: RpcProxyOptions = {}) {
  const counts = new Map<string, number>()
  const refused = (call: Call) => {
    if (call.method !== 'eth_getLogs' || options.maxLogRange === undefined) return false
    const filter = (call.params?.[0] ?? {}) as { fromBlock?: string; toBlock?: string }
    if (!filter.fromBlock?.startsWith('0x') || !filter.toBlock?.startsWith('0x')) return true
    return Number(BigInt(filter.toBlock) - BigInt(filter.fromBlock)) + 1 > options.maxLogRange
  }
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    const body = Buffer.concat(chunks).toString('utf8')
    const parsed = JSON.parse(body) as Call | Call[]
    const calls = Array.isArray(parsed) ? parsed : [parsed]
    for (const call of calls) counts.set(call.method, (counts.get(call.method) ?? 0) + 1)
    const answers = await Promise.all(
      calls.map(async (call) => {
        if (refused(call))
          return {
            jsonrpc: '2.0',
            id: call.id,
            error: { code: -32600, message: `block range too large: at most ${options.maxLogRange} blocks` },
          }
        const answer = await fetch(upstream, {
          method: 'POST',
          body: JSON.stringify(call),
          headers: { 'content-type': 'application/json' },
        })
        return answer.json()
      }),
    )
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(JSON.stringify(Array.isArray(parsed) ? answers : answers[0]))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url,
    /** The counts since the last take, by method. */
    take() {
      const out = Object.fromEntries(counts)
      counts.clear()
      return out as Record<string, number | undefined>
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
