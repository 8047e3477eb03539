import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AllianceProvider } from '../../../src/chain/provider.js'

/**
 * The provider reads answers with the native UTF-8 decoder instead of ethers' JavaScript one (which made
 * a 10,000-log answer cost ~270 MB). A node answering over plain HTTP checks that what is read is what
 * was sent, that bodies ethers refuses are still refused, and that batching and retries are unchanged.
 */
describe('AllianceProvider answers', () => {
  let server: Server
  let url: string
  let answer: (body: { id: number; method: string }[] | { id: number; method: string }) => {
    status?: number
    body: Buffer | string
  }
  let requests = 0

  beforeAll(async () => {
    server = createServer((req, res) => {
      let raw = ''
      req.on('data', (d) => {
        raw += d
      })
      req.on('end', () => {
        requests++
        const { status = 200, body } = answer(JSON.parse(raw))
        res.writeHead(status, { 'content-type': 'application/json' })
        res.end(body)
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

  const provider = () => new AllianceProvider(url, 1n, { timeoutMs: 5_000, attempts: 3 })
  const reply = (id: number, result: unknown) => JSON.stringify({ jsonrpc: '2.0', id, result })

  it('reads a 10,000-log answer, multi-byte characters included, exactly as sent', async () => {
    const logs = Array.from({ length: 10_000 }, (_, i) => ({
      blockNumber: `0x${i.toString(16)}`,
      data: `0x${'00'.repeat(64)}`,
      note: i % 1000 === 0 ? 'ü € 😀 \u202e' : '',
    }))
    answer = (body) => ({ body: reply((body as { id: number }).id, logs) })
    const p = provider()
    try {
      expect(await p.send('eth_getLogs', [{}])).toEqual(logs)
    } finally {
      p.destroy()
    }
  })

  it('answers requests batched in one tick, each with its own result', async () => {
    // Recorded here and asserted in the test: an expect inside the server would fail outside the test.
    let batched = false
    answer = (body) => {
      batched = Array.isArray(body)
      const list = (batched ? body : [body]) as { id: number; method: string }[]
      return { body: `[${list.map((r) => reply(r.id, r.method)).join(',')}]` }
    }
    const p = provider()
    try {
      expect(await Promise.all([p.send('eth_a', []), p.send('eth_b', [])])).toEqual(['eth_a', 'eth_b'])
      expect(batched).toBe(true)
    } finally {
      p.destroy()
    }
  })

  it('refuses a body that is not UTF-8, and one that is not JSON, as ethers does', async () => {
    const p = provider()
    try {
      answer = () => ({ body: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]) })
      await expect(p.send('eth_chainId', [])).rejects.toThrow(/not valid UTF-8/)
      answer = () => ({ body: '{"jsonrpc":"2.0","id":' })
      await expect(p.send('eth_chainId', [])).rejects.toThrow(/not valid JSON/)
    } finally {
      p.destroy()
    }
  })

  it('retries a node that answers 503, then reads its answer', async () => {
    let calls = 0
    answer = (body) =>
      ++calls < 3 ? { status: 503, body: 'busy' } : { body: reply((body as { id: number }).id, '0x1') }
    const p = provider()
    const before = requests
    try {
      expect(await p.send('eth_chainId', [])).toBe('0x1')
      expect(requests - before).toBe(3)
    } finally {
      p.destroy()
    }
  })
})
