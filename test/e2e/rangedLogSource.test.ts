import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Interface, id, type Log, parseUnits, Wallet } from 'ethers'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { LogQuery } from '../../src/chain/logSource.js'
import { type RangedLogSourceOptions, rangedLogSource } from '../../src/chain/rangedLogSource.js'
import { DEVNET_ACCOUNTS } from '../../src/devnet/accounts.js'
import { DevnetSender } from '../../src/devnet/devnetSender.js'
import { startTestDevnet, type TestDevnet } from '../support/devnet.js'

const erc20 = new Interface(['function transfer(address to, uint256 amount) returns (bool)'])
const TRANSFER = id('Transfer(address,address,uint256)')

let devnet: TestDevnet
let cacheDir: string
beforeAll(async () => {
  cacheDir = mkdtempSync(join(tmpdir(), 'alliance-logcache-e2e-'))
  devnet = await startTestDevnet()
})
afterAll(async () => {
  await devnet?.stop()
  rmSync(cacheDir, { recursive: true, force: true })
})

/** ALLY transfers from account 0 (it holds ALLY on the devnet), one block each on automining anvil. */
async function sendTransfers(count: number, amountOf: (i: number) => string) {
  const sender = new DevnetSender(devnet.provider)
  const wallet = new Wallet(DEVNET_ACCOUNTS[0].key, devnet.provider)
  for (let i = 0; i < count; i++) {
    const to = DEVNET_ACCOUNTS[3 + (i % 5)]!.address
    await sender.send(wallet, {
      to: devnet.layout.contracts.ALLY,
      data: erc20.encodeFunctionData('transfer', [to, parseUnits(amountOf(i), 18)]),
    })
  }
}

async function allyTransfersQuery(): Promise<LogQuery> {
  return {
    address: devnet.layout.contracts.ALLY,
    topics: [TRANSFER],
    fromBlock: 0,
    toBlock: await devnet.provider.getBlockNumber(),
  }
}

// Small chunks so that even a devnet's few dozen blocks span many of them; reorgDepth 0 since anvil does not reorg.
const options = (): RangedLogSourceOptions => ({ chunkSize: 4, concurrency: 3, cacheDir, reorgDepth: 0 })
const asJson = (logs: Log[]) => logs.map((l) => l.toJSON())

describe('rangedLogSource against anvil', () => {
  let firstHistory: Log[]

  it('returns exactly what one eth_getLogs over the whole range returns', async () => {
    await sendTransfers(12, (i) => String(i + 1))
    const query = await allyTransfersQuery()
    expect(query.toBlock).toBeGreaterThan(20)
    const expected = await devnet.provider.getLogs(query)
    const source = rangedLogSource(devnet.provider, options())
    const logs = await source(query)
    expect(logs.length).toBeGreaterThanOrEqual(12)
    expect(asJson(logs)).toEqual(asJson(expected))
    expect(source.stats.chunksFetched).toBe(Math.ceil((query.toBlock + 1) / 4))
    firstHistory = logs
  })

  it('answers the same query again from the cache, with no eth_getLogs', async () => {
    const getLogs = vi.spyOn(devnet.provider, 'getLogs')
    try {
      const source = rangedLogSource(devnet.provider, options())
      const logs = await source(await allyTransfersQuery())
      expect(getLogs).not.toHaveBeenCalled()
      expect(source.stats.logRequests).toBe(0)
      expect(asJson(logs)).toEqual(asJson(firstHistory))
      // Cached logs are ethers Logs bound to the provider, like fetched ones.
      const block = await logs.at(-1)!.getBlock()
      expect(block.number).toBe(logs.at(-1)!.blockNumber)
    } finally {
      getLogs.mockRestore()
    }
  })

  it('does not serve the cache to a restarted anvil with the same chain id and another history', async () => {
    await devnet.stop()
    devnet = await startTestDevnet()
    await sendTransfers(5, (i) => `${i + 100}`)
    const query = await allyTransfersQuery()
    const expected = await devnet.provider.getLogs(query)

    const source = rangedLogSource(devnet.provider, options())
    const logs = await source(query)
    expect(asJson(logs)).toEqual(asJson(expected))
    expect(source.stats.logRequests).toBeGreaterThan(0)
    // Block timestamps alone make every block hash differ from the first anvil's.
    const firstHashes = new Set(firstHistory.map((l) => l.blockHash))
    expect(logs.some((l) => firstHashes.has(l.blockHash))).toBe(false)
    expect(asJson(logs)).not.toEqual(asJson(firstHistory))
  })
})
