import type { JsonRpcProvider } from 'ethers'
import { redactUrl } from '../utils/redactUrl.js'
import type { ForkSession } from './fork.js'

export type SimulationMode = 'trace-call' | 'simulate-v1' | 'fork'

/** Where and how a simulation ran: the report's "environment" section. */
export type SimulationEnvironment = {
  mode: SimulationMode
  description: string
  /** The RPC simulated against, without path or query (hosted RPC URLs carry API keys there). */
  rpc: string
  chainId: bigint
  blockNumber: bigint
  blockTimestamp: bigint
  blockGasLimit: bigint
  forkBlock?: bigint
}

/** `--fork-url` / `--fork-block`: the chain to fork, when not the workspace's. */
export type ForkRequest = { url?: string; block?: bigint }

/** The block simulated on, and the words that say how. */
export async function readEnvironment(
  provider: JsonRpcProvider,
  fork?: ForkSession,
): Promise<SimulationEnvironment> {
  const [block, chainId] = await Promise.all([
    provider.send('eth_getBlockByNumber', ['latest', false]),
    provider.send('eth_chainId', []),
  ])
  const rpc = redactUrl(fork ? fork.source : ((provider as { url?: string }).url ?? 'the RPC'))
  return {
    mode: fork ? 'fork' : 'trace-call',
    description: fork
      ? `real transactions on a local anvil fork of ${rpc} at block ${fork.forkBlock}`
      : `debug_traceCall with state overrides on ${rpc} (nothing sent, no fork)`,
    rpc,
    chainId: BigInt(chainId),
    blockNumber: BigInt(block.number),
    blockTimestamp: BigInt(block.timestamp),
    blockGasLimit: BigInt(block.gasLimit),
    ...(fork ? { forkBlock: fork.forkBlock } : {}),
  }
}
