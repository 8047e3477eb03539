import { parseUnits, toBeHex } from 'ethers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { treasuryAbi } from '../../src/actions/allocateTreasury.js'
import { providerLogSource } from '../../src/chain/logSource.js'
import { tokenAbi } from '../../src/contracts/tokenAbi.js'
import { DEVNET_ACCOUNTS, GRANTS_MULTISIG, PLAY_DAO_TREASURY } from '../../src/devnet/accounts.js'
import { type ResimulationResult, resimulateExecutions } from '../../src/history/resimulate.js'
import { findExecutions } from '../../src/history/safe/findExecutions.js'
import type { SafeExecution } from '../../src/history/safe/types.js'
import type { Hex } from '../../src/safe/types.js'
import { executeCouncilCalls } from '../support/councilExecutions.js'
import { startTestDevnet, type TestDevnet } from '../support/devnet.js'
import { balanceSlot } from '../support/tokenStorage.js'

let devnet: TestDevnet
let executions: SafeExecution[]
let hashes: { single: Hex[]; paired: Hex[]; tampered: Hex }
let results: ResimulationResult[]

beforeAll(async () => {
  devnet = await startTestDevnet()
  const L = devnet.layout
  const from = (await devnet.provider.getBlockNumber()) + 1
  const pay = (amount: string) => ({
    to: L.contracts.aUSD,
    value: 0n,
    data: tokenAbi.encodeFunctionData('transfer', [GRANTS_MULTISIG, parseUnits(amount, 6)]) as Hex,
  })
  const single = await executeCouncilCalls(devnet, [
    pay('10'),
    {
      to: L.contracts.treasury,
      value: 0n,
      data: treasuryAbi.encodeFunctionData('allocate', [
        L.contracts.ALLY,
        GRANTS_MULTISIG,
        parseUnits('25', 18),
        'round 1',
      ]) as Hex,
    },
  ])
  // Two executions of the same Safe in one block: the second only runs after the first took its nonce.
  const paired = await executeCouncilCalls(
    devnet,
    [pay('3'), { to: PLAY_DAO_TREASURY, value: parseUnits('0.2', 18), data: '0x' }],
    { perBlock: 2 },
  )
  const [tampered] = await executeCouncilCalls(devnet, [pay('7')])
  // The chain's record made to disagree with what the execution does: one more aUSD unit for the multisig
  // written into the head block's state, outside any transaction. A re-execution cannot produce it.
  const slot = await balanceSlot(devnet.provider, L.contracts.aUSD, GRANTS_MULTISIG)
  const balance = BigInt(await devnet.provider.getStorage(L.contracts.aUSD, slot))
  await devnet.provider.send('anvil_setStorageAt', [L.contracts.aUSD, slot, toBeHex(balance + 1n, 32)])
  hashes = { single, paired, tampered: tampered! }
  executions = await findExecutions({
    logs: providerLogSource(devnet.provider),
    safe: L.council,
    fromBlock: from,
    toBlock: await devnet.provider.getBlockNumber(),
  })
  results = []
  for await (const r of resimulateExecutions({
    rpcUrl: devnet.url,
    chainId: 31337n,
    targets: executions.map((execution) => ({ safe: L.council, execution, watch: [PLAY_DAO_TREASURY] })),
  }))
    results.push(r)
})

afterAll(async () => {
  await devnet?.stop()
})

const resultOf = (hash: Hex) => {
  const r = results.find((x) => x.target.execution.transactionHash === hash)
  if (!r) throw new Error(`no result for ${hash}`)
  return r
}

describe('resimulateExecutions on the devnet', () => {
  it('finds the five executions, two of them in one block', () => {
    expect(executions).toHaveLength(5)
    const [a, b] = hashes.paired.map((h) => executions.find((e) => e.transactionHash === h)!)
    expect(a!.blockNumber).toBe(b!.blockNumber)
    expect(results.map((r) => r.target.execution.transactionHash)).toEqual(
      executions.map((e) => e.transactionHash),
    )
  })

  it('agrees with the chain on every execution whose record was not tampered with', () => {
    for (const hash of [...hashes.single, ...hashes.paired]) {
      const r = resultOf(hash)
      expect(r.findings, hash).toEqual([])
      expect(r.agreed).toBe(true)
      expect(r.fork?.logs).toEqual(r.chain.logs)
    }
  })

  it('compared real balance changes, gas included', () => {
    const paid = resultOf(hashes.paired[0]!).balances.find(
      (b) => b.token === devnet.layout.contracts.aUSD && b.holder === GRANTS_MULTISIG,
    )
    expect(paid).toBeDefined()
    // Both executions of the block moved aUSD/ETH to the multisig; the balance is the block's end state.
    expect(paid!.chain - paid!.before).toBe(parseUnits('3', 6))
    expect(paid!.fork).toBe(paid!.chain)
    const executor = resultOf(hashes.single[0]!).balances.find(
      (b) => !b.token && b.holder === DEVNET_ACCOUNTS[5]!.address,
    )
    // The executor paid gas on the chain; the fork charged the same fee, so the balances are equal.
    expect(executor!.chain).toBeLessThan(executor!.before)
    expect(executor!.fork).toBe(executor!.chain)
    const ether = resultOf(hashes.paired[1]!).balances.find((b) => !b.token && b.holder === PLAY_DAO_TREASURY)
    expect(ether!.chain - ether!.before).toBe(parseUnits('0.2', 18))
    expect(ether!.fork).toBe(ether!.chain)
  })

  it('names the balance that differs when the chain state disagrees with the execution', () => {
    const r = resultOf(hashes.tampered)
    expect(r.agreed).toBe(false)
    // The logs still agree: only the balance written outside the transaction differs.
    expect(r.fork?.logs).toEqual(r.chain.logs)
    expect(r.findings).toEqual([
      {
        code: 'RESIMULATION_DIFFERS',
        severity: 'error',
        message: `token ${devnet.layout.contracts.aUSD} balance of ${GRANTS_MULTISIG} changed by +7000001 on chain, by +7000000 on the fork`,
      },
    ])
  })

  it('finds the same with a reset before every block as when consecutive blocks are replayed on top', async () => {
    const strict: ResimulationResult[] = []
    for await (const r of resimulateExecutions({
      rpcUrl: devnet.url,
      chainId: 31337n,
      targets: executions.map((execution) => ({
        safe: devnet.layout.council,
        execution,
        watch: [PLAY_DAO_TREASURY],
      })),
      resetEveryBlock: true,
    }))
      strict.push(r)
    expect(strict).toEqual(results)
  })
})
