import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ForkRpcError, forkRpc } from '../../../src/chain/forkRpc.js'

/** The forks' bare JSON-RPC client against a node answering over plain HTTP. */
describe('forkRpc', () => {
  let server: Server
  let url: string
  beforeAll(async () => {
    server = createServer((req, res) => {
      let raw = ''
      req.on('data', (d) => {
        raw += d
      })
      req.on('end', () => {
        const body = JSON.parse(raw)
        const answer = (c: { id: number; method: string; params: unknown[] }) =>
          c.method === 'eth_fail'
            ? {
                jsonrpc: '2.0',
                id: c.id,
                error: { code: -32000, message: 'execution reverted', data: '0x12' },
              }
            : { jsonrpc: '2.0', id: c.id, result: [c.method, ...c.params] }
        res.writeHead(200, { 'content-type': 'application/json' })
        // Batch answers in reverse order: a node may answer in any order, ids say which is which.
        res.end(JSON.stringify(Array.isArray(body) ? body.map(answer).reverse() : answer(body)))
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

  it('sends one call, and a batch whose answers it matches by id, each error to its own call', async () => {
    const rpc = forkRpc(url)
    try {
      expect(await rpc.send('eth_a', [1])).toEqual(['eth_a', 1])
      const answers = await rpc.batch([
        ['eth_a', [1]],
        ['eth_fail', []],
        ['eth_b', [2]],
      ])
      expect(answers[0]).toEqual({ result: ['eth_a', 1] })
      expect(answers[2]).toEqual({ result: ['eth_b', 2] })
      const failed = (answers[1] as { error: ForkRpcError }).error
      expect(failed).toBeInstanceOf(ForkRpcError)
      expect(failed).toMatchObject({
        method: 'eth_fail',
        code: -32000,
        data: '0x12',
        message: 'execution reverted',
      })
      await expect(rpc.send('eth_fail', [])).rejects.toBeInstanceOf(ForkRpcError)
    } finally {
      rpc.close()
    }
  })

  it('says the fork stopped answering, not that the workspace chain is down', async () => {
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const port = (closed.address() as AddressInfo).port
    await new Promise<void>((resolve) => closed.close(() => resolve()))
    const rpc = forkRpc(`http://127.0.0.1:${port}`)
    try {
      await expect(rpc.send('eth_blockNumber', [])).rejects.toMatchObject({
        code: 'FORK_UNREACHABLE',
        shortMessage: expect.stringContaining('local anvil fork'),
      })
    } finally {
      rpc.close()
    }
  })

  it('serves only a local http: node', () => {
    expect(() => forkRpc('https://mainnet.example.org')).toThrow(/local http: node/)
  })
})
