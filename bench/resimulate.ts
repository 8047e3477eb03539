/**
 * Re-simulation throughput (issue 7: with re-simulation, 20 executions per second or better on 2 cores),
 * `npm run bench -- resimulate [count]` or `node --import tsx bench/resimulate.ts [count]`. Three
 * histories of `count` council executions (default 200), each on a devnet of its own:
 * - consecutive: one execution per block, blocks in a row (each fork replays each block on the one before);
 * - sparse: a block with an unrelated payment between any two executions (the fork replays it too);
 * - far apart: five empty blocks between any two (too far to replay: the fork is reset for every block).
 * Every execution is re-executed at its block and compared with the chain, with the default forks and
 * with one; the consecutive history also with a reset before every block (`resetEveryBlock`). Each line
 * ends with how the forks reached the blocks' parents.
 *
 * The devnet keeps every block's state in memory, as an archive node serves any block's: by default anvil
 * keeps a few hundred and reads older ones back from disk at ~10× the CPU, and the 1,200 blocks of the far
 * history would then time the devnet, not the re-simulation (~15/s instead of ~50/s on the reference machine).
 */
import { cpus } from 'node:os'
import { parseUnits } from 'ethers'
import { startAnvil } from '../src/chain/anvil.js'
import { providerLogSource } from '../src/chain/logSource.js'
import { connect } from '../src/chain/provider.js'
import { chainReads } from '../src/chain/safeReads.js'
import { tokenAbi } from '../src/contracts/tokenAbi.js'
import { GRANTS_MULTISIG } from '../src/devnet/accounts.js'
import { deployDevnet } from '../src/devnet/deployDevnet.js'
import { DEVNET_PARAMS } from '../src/devnet/devnetLayout.js'
import { type ResimulateExecutionsParameters, resimulateExecutions } from '../src/history/resimulate.js'
import { findExecutions } from '../src/history/safe/findExecutions.js'
import type { Hex } from '../src/safe/types.js'
import {
  type CouncilDevnet,
  executeCouncilCalls,
  unrelatedBlocks,
} from '../test/support/councilExecutions.js'

const TARGET_PER_SECOND = 20

export async function benchResimulate(count = 200): Promise<number> {
  console.log(
    `re-simulation — ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}; ${count} executions per history\n`,
  )
  const consecutive = await onDevnet(count, 'consecutive', async (run) => {
    const rate = await run('consecutive blocks')
    await run('consecutive blocks, one fork', { forks: 1 })
    await run('consecutive, reset every block', { resetEveryBlock: true })
    await run('consecutive, reset every block, one fork', { resetEveryBlock: true, forks: 1 })
    return rate
  })
  await onDevnet(count, 'sparse', async (run) => {
    await run('sparse (a light block between executions)')
    await run('sparse, one fork', { forks: 1 })
  })
  await onDevnet(count, 'far', async (run) => {
    await run('far apart (five empty blocks between)')
    await run('far apart, one fork', { forks: 1 })
  })
  return consecutive
}

type History = 'consecutive' | 'sparse' | 'far'
type Run = (
  label: string,
  options?: Pick<ResimulateExecutionsParameters, 'resetEveryBlock' | 'forks'>,
) => Promise<number>

/** A devnet with a history of `count` executions, and `runs` timing re-simulations of it. */
async function onDevnet<T>(count: number, shape: History, runs: (run: Run) => Promise<T>): Promise<T> {
  // Every state in memory (see above); nothing is kept on disk.
  const anvil = await startAnvil({
    chainId: DEVNET_PARAMS.chainId,
    extraArgs: ['--prune-history', '1000000'],
  })
  const chainId = BigInt(DEVNET_PARAMS.chainId)
  const provider = await connect(anvil.url, chainId, { timeoutMs: 60_000 }).catch(async (err) => {
    await anvil.stop()
    throw err
  })
  try {
    const layout = await deployDevnet(provider)
    const targets = await history({ layout, provider, reads: chainReads(provider) }, count, shape)
    const resimulate = (options: Partial<ResimulateExecutionsParameters>) =>
      resimulateExecutions({ rpcUrl: anvil.url, chainId, targets, ...options })
    // Untimed: the first re-simulation in a process also pays for compiling its code, which would be
    // billed to whichever line comes first.
    for await (const _ of resimulate({ targets: targets.slice(0, 20) }));
    return await runs(async (label, options = {}) => {
      const started = performance.now()
      let agreed = 0
      const reached = new Map<string, number>()
      for await (const r of resimulate({
        ...options,
        onProgress: (p) => reached.set(p.reached, (reached.get(p.reached) ?? 0) + 1),
      }))
        if (r.agreed) agreed++
      const seconds = (performance.now() - started) / 1000
      const rate = targets.length / seconds
      const verdict =
        rate >= TARGET_PER_SECOND
          ? `✔ target ${TARGET_PER_SECOND}/s`
          : `✘ under the ${TARGET_PER_SECOND}/s target`
      const how = [...reached].map(([k, n]) => `${n} ${k}`).join(', ')
      console.log(
        `${`re-simulate ${targets.length} executions, ${label}`.padEnd(62)} ${rate.toFixed(1).padStart(6)} /s   (${seconds.toFixed(2)} s, ${agreed} agreed)   ${verdict}   [${how}]`,
      )
      if (agreed !== targets.length) throw new Error(`${targets.length - agreed} executions did not agree`)
      return rate
    })
  } finally {
    provider.destroy()
    await anvil.stop()
  }
}

/** `count` council executions, one per block, with the blocks between them that `shape` asks for. */
async function history(devnet: CouncilDevnet, count: number, shape: History) {
  const from = (await devnet.provider.getBlockNumber()) + 1
  const pay = tokenAbi.encodeFunctionData('transfer', [GRANTS_MULTISIG, parseUnits('1', 6)]) as Hex
  const between = {
    consecutive: undefined,
    sparse: unrelatedBlocks(devnet),
    far: unrelatedBlocks(devnet, { blocks: 5, transactions: 0 }),
  }[shape]
  await executeCouncilCalls(
    devnet,
    Array.from({ length: count }, () => ({ to: devnet.layout.contracts.aUSD, value: 0n, data: pay })),
    between ? { between } : {},
  )
  const executions = await findExecutions({
    logs: providerLogSource(devnet.provider),
    safe: devnet.layout.council,
    fromBlock: from,
    toBlock: await devnet.provider.getBlockNumber(),
  })
  return executions.map((execution) => ({ safe: devnet.layout.council, execution }))
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await benchResimulate(process.argv[2] ? Number(process.argv[2]) : undefined)
}
