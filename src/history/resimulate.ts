import { getAddress, Interface, id } from 'ethers'
import { type AnvilInstance, startAnvil } from '../chain/anvil.js'
import { AllianceProvider, connect } from '../chain/provider.js'
import type { Address, Hex } from '../safe/types.js'
import {
  compareResimulation,
  type ReplayBalance,
  type ReplayLog,
  type ReplayOutcome,
  type ResimulationFinding,
} from './resimulateCompare.js'
import type { SafeExecution } from './safe/types.js'

export type ResimulationTarget = {
  safe: Address
  execution: SafeExecution
  /** Further addresses whose native balance is compared (e.g. the recipients of the Safe's calls). */
  watch?: Address[]
}

export type ResimulateExecutionsParameters = {
  /** The chain the executions happened on; the fork reads its state from here. */
  rpcUrl: string
  /** Checked against the node: the fork keeps it, so every hash and signature stays the chain's. */
  chainId: bigint
  targets: readonly ResimulationTarget[]
  /**
   * Reset the fork before every block, even right after the block before it was replayed identically.
   * Slower (an `anvil_reset` is ~30 ms) and immune to state a replay changed without any visible trace.
   */
  resetEveryBlock?: boolean
  onProgress?: (progress: { done: number; total: number; blockNumber: number }) => void
}

export type ResimulationResult = {
  target: ResimulationTarget
  /** True when nothing differs. */
  agreed: boolean
  findings: ResimulationFinding[]
  chain: ReplayOutcome
  /** Undefined when the block could not be replayed at all (the finding says why). */
  fork?: ReplayOutcome
  balances: ReplayBalance[]
}

const TRANSFER_TOPIC = id('Transfer(address,address,uint256)').toLowerCase()
const erc20 = new Interface(['function balanceOf(address) view returns (uint256)'])

/**
 * Re-executes each target's transaction at its block on one anvil fork and compares it with the chain.
 *
 * One fork serves the whole run: starting anvil costs 0.3–1 s, far above the 50 ms an execution may take,
 * while `anvil_reset` to another fork block is cheap. For each block holding a target the fork is reset
 * to the parent block, and the block's transactions are sent again in their order, from their senders
 * (impersonated), with their gas limits, fee fields and nonces, then mined as one block with the block's
 * timestamp, coinbase, base fee and gas limit. The whole block is replayed, not only up to the target:
 * balances can be read on the chain only at block boundaries, so only a complete block compares them
 * exactly, and with the real fees gas is paid on the fork as it was on the chain.
 *
 * Not set: prevrandao (anvil has no method for it; an anvil chain happens to give the same value, a
 * real chain need not). Not replayable: blob transactions (the blobs are not in the block). A transaction
 * that cannot be sent again makes the block's targets RESIMULATION_FAILED.
 *
 * Results stream in block order, one per target; stopping the iteration early stops the fork.
 */
export async function* resimulateExecutions({
  rpcUrl,
  chainId,
  targets,
  resetEveryBlock = false,
  onProgress,
}: ResimulateExecutionsParameters): AsyncGenerator<ResimulationResult> {
  if (!targets.length) return
  const sorted = [...targets].sort(
    (a, b) =>
      a.execution.blockNumber - b.execution.blockNumber || a.execution.logIndex - b.execution.logIndex,
  )
  const upstream = await connect(rpcUrl, chainId, { timeoutMs: 60_000 })
  let anvil: AnvilInstance | undefined
  let fork: AllianceProvider | undefined
  try {
    anvil = await startAnvil({
      chainId: Number(chainId),
      forkUrl: rpcUrl,
      forkBlock: BigInt(sorted[0]!.execution.blockNumber - 1),
      extraArgs: [
        '--auto-impersonate',
        // Mined in the order sent (the block's order), not by fee.
        '--order',
        'fifo',
        '--no-mining',
        '--no-storage-caching',
        // anvil funds its own dev accounts with 10,000 ETH on every fork and reset; those are the devnet's
        // (and many test chains') accounts, so their real balances would be overwritten.
        '--accounts',
        '0',
      ],
      readyTimeoutMs: 30_000,
    })
    fork = new AllianceProvider(anvil.url, chainId, { timeoutMs: 60_000 })
    let done = 0
    // The block the fork's head reproduces exactly, if any: the next block can then be replayed on top.
    let exactHead: number | undefined = sorted[0]!.execution.blockNumber - 1
    for (const group of byBlock(sorted)) {
      const blockNumber = group[0]!.execution.blockNumber
      const { results, exact } = await replayBlock(
        upstream,
        fork,
        rpcUrl,
        blockNumber,
        group,
        exactHead === blockNumber - 1,
      )
      exactHead = exact && !resetEveryBlock ? blockNumber : undefined
      for (const result of results) {
        done++
        yield result
      }
      onProgress?.({ done, total: sorted.length, blockNumber })
    }
  } finally {
    fork?.destroy()
    upstream.destroy()
    await anvil?.stop()
  }
}

type RpcTx = {
  hash: Hex
  from: Address
  to: Address | null
  value: Hex
  input: Hex
  gas: Hex
  nonce: Hex
  type: Hex
  gasPrice?: Hex
  maxFeePerGas?: Hex
  maxPriorityFeePerGas?: Hex
  accessList?: unknown[]
  authorizationList?: unknown[]
}
type RpcBlock = {
  number: Hex
  timestamp: Hex
  miner: Address
  gasLimit: Hex
  baseFeePerGas?: Hex
  receiptsRoot: Hex
  transactions: RpcTx[]
}
type RpcReceipt = { status: Hex; logs: { address: Address; topics: Hex[]; data: Hex }[] }

async function replayBlock(
  upstream: AllianceProvider,
  fork: AllianceProvider,
  rpcUrl: string,
  blockNumber: number,
  targets: ResimulationTarget[],
  onParent: boolean,
): Promise<{ results: ResimulationResult[]; exact: boolean }> {
  const hex = (n: number | bigint) => `0x${n.toString(16)}`
  const [block, ...chainReceipts] = (await Promise.all([
    upstream.send('eth_getBlockByNumber', [hex(blockNumber), true]),
    ...targets.map((t) => upstream.send('eth_getTransactionReceipt', [t.execution.transactionHash])),
  ])) as [RpcBlock, ...RpcReceipt[]]
  const chainOutcomes = chainReceipts.map(outcomeOf)

  const failed = (reason: string): ResimulationResult[] =>
    targets.map((target, i) => ({
      target,
      agreed: false,
      findings: [{ code: 'RESIMULATION_FAILED', severity: 'error', message: reason }],
      chain: chainOutcomes[i]!,
      balances: [],
    }))

  const failAll = (reason: string) => ({ results: failed(reason), exact: false })

  // A reset is cheap next to a new anvil but is the main cost per block, so it is skipped when the fork's
  // head already is this block's parent, reproduced exactly.
  if (!onParent)
    await fork.send('anvil_reset', [{ forking: { jsonRpcUrl: rpcUrl, blockNumber: blockNumber - 1 } }])
  await fork.send('evm_setAutomine', [false])
  await Promise.all([
    fork.send('anvil_setCoinbase', [block.miner]),
    fork.send('evm_setNextBlockTimestamp', [block.timestamp]),
    fork.send('evm_setBlockGasLimit', [block.gasLimit]),
    ...(block.baseFeePerGas ? [fork.send('anvil_setNextBlockBaseFeePerGas', [block.baseFeePerGas])] : []),
  ])

  for (const tx of block.transactions) {
    if (tx.type === '0x3')
      return failAll(`block ${blockNumber} holds a blob transaction, which cannot be sent again`)
    try {
      // Sent one at a time: with FIFO ordering the arrival order is the block's order.
      await fork.send('eth_sendTransaction', [replayRequest(tx)])
    } catch (err) {
      return failAll(
        `transaction ${tx.hash} of block ${blockNumber} could not be sent again: ${firstLine(err)}`,
      )
    }
  }
  await fork.send('evm_mine', [])
  const mined = (await fork.send('eth_getBlockByNumber', ['latest', false])) as {
    transactions: Hex[]
    receiptsRoot: Hex
  }
  if (mined.transactions.length !== block.transactions.length) {
    return failAll(
      `the fork mined ${mined.transactions.length} of the block's ${block.transactions.length} transactions`,
    )
  }

  const indexOf = new Map(block.transactions.map((t, i) => [t.hash.toLowerCase(), i]))
  const forkReceipts = await Promise.all(
    targets.map((t) => {
      const i = indexOf.get(t.execution.transactionHash.toLowerCase())
      return i === undefined
        ? undefined
        : (fork.send('eth_getTransactionReceipt', [mined.transactions[i]]) as Promise<RpcReceipt>)
    }),
  )

  const results = await Promise.all(
    targets.map(async (target, i): Promise<ResimulationResult> => {
      const chain = chainOutcomes[i]!
      const forkReceipt = forkReceipts[i]
      if (!forkReceipt)
        return failed(`transaction ${target.execution.transactionHash} is not in block ${blockNumber}`)[i]!
      const forkOutcome = outcomeOf(forkReceipt)
      const tx = block.transactions[indexOf.get(target.execution.transactionHash.toLowerCase())!]!
      const balances = await readBalances(upstream, fork, blockNumber, [
        ...touched(chain.logs),
        ...touched(forkOutcome.logs),
        { holder: target.safe },
        { holder: tx.from },
        ...(tx.to ? [{ holder: tx.to }] : []),
        ...(target.watch ?? []).map((holder) => ({ holder })),
      ])
      const findings = compareResimulation({ chain, fork: forkOutcome, balances })
      return { target, agreed: findings.length === 0, findings, chain, fork: forkOutcome, balances }
    }),
  )
  // Every receipt of the block equal (status, gas, logs: the receipts root) and nothing found: the fork's
  // state is taken to be the chain's after this block. State a transaction changed with no gas, log or
  // balance difference would escape this; `resetEveryBlock` rules that out.
  const exact = mined.receiptsRoot === block.receiptsRoot && results.every((r) => r.agreed)
  return { results, exact }
}

/** The transaction as it was sent, for anvil to send again from the same account. */
function replayRequest(tx: RpcTx): Record<string, unknown> {
  const request: Record<string, unknown> = {
    from: tx.from,
    value: tx.value,
    data: tx.input,
    gas: tx.gas,
    nonce: tx.nonce,
  }
  if (tx.to) request.to = tx.to
  if (tx.type === '0x0') request.gasPrice = tx.gasPrice
  else if (tx.maxFeePerGas) {
    request.maxFeePerGas = tx.maxFeePerGas
    request.maxPriorityFeePerGas = tx.maxPriorityFeePerGas
  } else request.gasPrice = tx.gasPrice
  if (tx.accessList?.length) request.accessList = tx.accessList
  if (tx.authorizationList?.length) request.authorizationList = tx.authorizationList
  return request
}

const outcomeOf = (r: RpcReceipt): ReplayOutcome => ({
  status: BigInt(r.status) === 1n,
  logs: r.logs.map((l) => ({ address: getAddress(l.address) as Address, topics: l.topics, data: l.data })),
})

type Holding = { holder: Address; token?: Address }

/** Sender and receiver of every ERC-20 Transfer (3 topics; ERC-721's has 4 and is not a balance). */
function touched(logs: readonly ReplayLog[]): Holding[] {
  return logs.flatMap((l) => {
    if (l.topics.length !== 3 || l.topics[0]!.toLowerCase() !== TRANSFER_TOPIC) return []
    const who = (t: Hex) => getAddress(`0x${t.slice(-40)}`) as Address
    const token = l.address
    return [who(l.topics[1]!), who(l.topics[2]!)].flatMap((holder) => [{ holder, token }, { holder }])
  })
}

/**
 * Each balance before the block (the chain at the parent, which is where the fork started), after it on
 * the chain, and after the replayed block on the fork.
 */
async function readBalances(
  upstream: AllianceProvider,
  fork: AllianceProvider,
  blockNumber: number,
  holdings: Holding[],
): Promise<ReplayBalance[]> {
  const unique = new Map<string, Holding>()
  for (const h of holdings) {
    // Receipts and blocks spell addresses in lower case; results use checksummed ones throughout.
    const holding = {
      holder: getAddress(h.holder) as Address,
      ...(h.token ? { token: getAddress(h.token) as Address } : {}),
    }
    unique.set(`${holding.holder}|${holding.token ?? ''}`, holding)
  }
  const read = async (p: AllianceProvider, h: Holding, blockTag: number | 'latest'): Promise<bigint> => {
    if (!h.token) return p.getBalance(h.holder, blockTag)
    try {
      const out = await p.call({
        to: h.token,
        data: erc20.encodeFunctionData('balanceOf', [h.holder]),
        blockTag,
      })
      return BigInt(out)
    } catch {
      // A Transfer from a contract without balanceOf is no balance to compare; both sides read -1.
      return -1n
    }
  }
  return Promise.all(
    [...unique.values()].map(async (h) => {
      const [before, chain, fork_] = await Promise.all([
        read(upstream, h, blockNumber - 1),
        read(upstream, h, blockNumber),
        read(fork, h, 'latest'),
      ])
      return { holder: h.holder, ...(h.token ? { token: h.token } : {}), before, chain, fork: fork_ }
    }),
  )
}

function* byBlock(targets: ResimulationTarget[]): Generator<ResimulationTarget[]> {
  let group: ResimulationTarget[] = []
  for (const t of targets) {
    if (group.length && group[0]!.execution.blockNumber !== t.execution.blockNumber) {
      yield group
      group = []
    }
    group.push(t)
  }
  if (group.length) yield group
}

const firstLine = (err: unknown) =>
  ((err as { shortMessage?: string }).shortMessage ?? (err as Error).message ?? String(err)).split('\n')[0]!
