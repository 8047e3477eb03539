/**
 * Re-simulation throughput (issue 7: with re-simulation, 20 executions per second or better on 2 cores):
 * a history of council executions on the devnet, one per block, then every one re-executed at its block on
 * one anvil fork and compared with the chain. Run: node --import tsx bench/resimulate.ts [count]
 */
import { parseUnits } from 'ethers'
import { providerLogSource } from '../src/chain/logSource.js'
import { tokenAbi } from '../src/contracts/tokenAbi.js'
import { GRANTS_MULTISIG } from '../src/devnet/accounts.js'
import { resimulateExecutions } from '../src/history/resimulate.js'
import { findExecutions } from '../src/history/safe/findExecutions.js'
import type { Hex } from '../src/safe/types.js'
import { executeCouncilCalls } from '../test/support/councilExecutions.js'
import { startTestDevnet } from '../test/support/devnet.js'

const TARGET_PER_SECOND = 20

export async function benchResimulate(count = 200): Promise<number> {
  const devnet = await startTestDevnet()
  try {
    const from = (await devnet.provider.getBlockNumber()) + 1
    const pay = tokenAbi.encodeFunctionData('transfer', [GRANTS_MULTISIG, parseUnits('1', 6)]) as Hex
    await executeCouncilCalls(
      devnet,
      Array.from({ length: count }, () => ({ to: devnet.layout.contracts.aUSD, value: 0n, data: pay })),
    )
    const executions = await findExecutions({
      logs: providerLogSource(devnet.provider),
      safe: devnet.layout.council,
      fromBlock: from,
      toBlock: await devnet.provider.getBlockNumber(),
    })
    const targets = executions.map((execution) => ({ safe: devnet.layout.council, execution }))
    const run = async (label: string, resetEveryBlock: boolean) => {
      const started = performance.now()
      let agreed = 0
      for await (const r of resimulateExecutions({
        rpcUrl: devnet.url,
        chainId: BigInt(devnet.layout.chainId),
        targets,
        resetEveryBlock,
      }))
        if (r.agreed) agreed++
      const seconds = (performance.now() - started) / 1000
      const rate = executions.length / seconds
      const verdict =
        rate >= TARGET_PER_SECOND
          ? `✔ target ${TARGET_PER_SECOND}/s`
          : `✘ under the ${TARGET_PER_SECOND}/s target`
      console.log(
        `${`re-simulate ${executions.length} executions, ${label}`.padEnd(56)} ${rate.toFixed(1).padStart(6)} /s   (${seconds.toFixed(2)} s, ${agreed} agreed)   ${verdict}`,
      )
      if (agreed !== executions.length)
        throw new Error(`${executions.length - agreed} executions did not agree`)
      return rate
    }
    // Consecutive blocks replay on top of each other; a reset per block is the cost of a sparse history.
    const rate = await run('one fork, consecutive blocks', false)
    await run('one fork, reset every block', true)
    return rate
  } finally {
    await devnet.stop()
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await benchResimulate(process.argv[2] ? Number(process.argv[2]) : undefined)
}
