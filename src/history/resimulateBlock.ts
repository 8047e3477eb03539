import { getAddress, id } from 'ethers'
import type { ForkRpc, ForkRpcAnswer } from '../chain/forkRpc.js'
import type { AllianceProvider } from '../chain/provider.js'
import { AllianceError } from '../errors/base.js'
import type { Address, Hex } from '../safe/types.js'
import type { ResimulationResult, ResimulationTarget } from './resimulate.js'
import { compareResimulation, type ReplayLog, type ReplayOutcome } from './resimulateCompare.js'

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
export type RpcBlock = {
  number: Hex
  timestamp: Hex
  miner: Address
  gasLimit: Hex
  baseFeePerGas?: Hex
  receiptsRoot: Hex
  /** Full transactions, except in a header fetched only to count them (hashes). */
  transactions: RpcTx[]
  /** Beacon-chain withdrawals, credited after the block's transactions (amounts in gwei). */
  withdrawals?: { address: Address; amount: Hex }[]
}
type RpcReceipt = { status: Hex; logs: { address: Address; topics: Hex[]; data: Hex }[] }
type Holding = { holder: Address; token?: Address }

/** Everything read from the chain for one block with targets: fetched ahead, while a fork replays another. */
export type PreparedBlock = {
  blockNumber: number
  block: RpcBlock
  targets: ResimulationTarget[]
  chainOutcomes: ReplayOutcome[]
  /**
   * The blocks between the previous target block of the same run and this one, full, when they are few
   * and light enough to replay on top instead of resetting the fork (undefined: reset).
   */
  bridge?: RpcBlock[]
  /** The holdings the chain's logs, the Safe and the transaction name: read on the fork after the replay. */
  predicted: Holding[]
  /** Balances on the chain before and after the block, by `holdingKey`, for `predicted`. */
  onChain: Map<string, { before: bigint; chain: bigint }>
}

/**
 * The chain as a re-simulation reads it: the provider, and each balance at a block read once (a block's
 * balances after it are the next block's before it).
 */
export type ResimulationChain = { provider: AllianceProvider; balances: Map<string, Promise<bigint>> }

export const resimulationChain = (provider: AllianceProvider): ResimulationChain => ({
  provider,
  balances: new Map(),
})

/** Balances remembered at most (the oldest are dropped first): a few blocks' worth is all that is reused. */
const BALANCES_KEPT = 4096

/**
 * A gap of up to this many blocks between two target blocks may be replayed instead of reset, when it
 * holds no more than BRIDGE_MAX_TRANSACTIONS. Measured on the devnet: a bridged block costs ~3.5 ms and
 * ~1 ms more per transaction; a reset ~15 ms, and the block after it ~7 ms more for the state it reads
 * from the chain again (more against a remote node). The limits sit near where the two cost the same.
 */
export const BRIDGE_MAX_BLOCKS = 4
export const BRIDGE_MAX_TRANSACTIONS = 8

const TRANSFER_TOPIC = id('Transfer(address,address,uint256)').toLowerCase()
const hex = (n: number | bigint) => `0x${n.toString(16)}`

/**
 * Reads one target block from the chain: the block with its transactions, each target's receipt, the
 * blocks of the gap since `previous` (the run's previous target block) when bridging it may pay, and
 * the balances before and after the block of everything the chain's logs, the Safe and the transaction
 * name, so that only the fork's side is left to read once it has replayed the block.
 */
export async function prepareBlock(
  chain: ResimulationChain,
  blockNumber: number,
  targets: ResimulationTarget[],
  previous: number | undefined,
): Promise<PreparedBlock> {
  const upstream = chain.provider
  const gap =
    previous !== undefined && blockNumber - previous - 1 <= BRIDGE_MAX_BLOCKS
      ? Array.from({ length: blockNumber - previous - 1 }, (_, i) => previous + 1 + i)
      : []
  const [block, chainReceipts, headers] = await Promise.all([
    upstream.send('eth_getBlockByNumber', [hex(blockNumber), true]) as Promise<RpcBlock>,
    Promise.all(
      targets.map(
        (t) =>
          upstream.send('eth_getTransactionReceipt', [t.execution.transactionHash]) as Promise<RpcReceipt>,
      ),
    ),
    Promise.all(gap.map((n) => upstream.send('eth_getBlockByNumber', [hex(n), false]) as Promise<RpcBlock>)),
  ])
  const chainOutcomes = chainReceipts.map(outcomeOf)
  const bridgeTransactions = headers.reduce((sum, h) => sum + h.transactions.length, 0)
  const bridge =
    gap.length && bridgeTransactions <= BRIDGE_MAX_TRANSACTIONS
      ? await Promise.all(
          headers.map((h, i) =>
            h.transactions.length
              ? (upstream.send('eth_getBlockByNumber', [hex(gap[i]!), true]) as Promise<RpcBlock>)
              : h,
          ),
        )
      : undefined
  const predicted = uniqueHoldings(
    targets.flatMap((target, i) => predictedHoldings(target, block, chainOutcomes[i]!)),
  )
  const onChain = await readChainBalances(chain, blockNumber, predicted)
  return { blockNumber, block, targets, chainOutcomes, ...(bridge ? { bridge } : {}), predicted, onChain }
}

export type ReplayedBlock = { results: ResimulationResult[]; exact: boolean }

/**
 * Replays a prepared block on a fork whose head is the block's parent and compares each target with the
 * chain. `exact`: every receipt of the block equal (status, gas, logs: the receipts root) and nothing
 * found, so the fork's state is taken to be the chain's after this block. State a transaction changed
 * with no gas, log or balance difference would escape this; `resetEveryBlock` rules that out.
 */
export async function resimulateBlock(
  chain: ResimulationChain,
  fork: ForkRpc,
  prepared: PreparedBlock,
): Promise<ReplayedBlock> {
  const { blockNumber, block, targets, chainOutcomes, predicted } = prepared
  const failed = (reason: string): ResimulationResult[] =>
    targets.map((target, i) => ({
      target,
      agreed: false,
      findings: [{ code: 'RESIMULATION_FAILED', severity: 'error', message: reason }],
      chain: chainOutcomes[i]!,
      balances: [],
    }))

  const replayed = await replayTransactions(fork, block)
  if ('failure' in replayed) return { results: failed(replayed.failure), exact: false }
  const { mined } = replayed

  const indexOf = new Map(block.transactions.map((t, i) => [t.hash.toLowerCase(), i]))
  const txIndex = targets.map((t) => indexOf.get(t.execution.transactionHash.toLowerCase()))
  // The receipts and the fork's balances of everything predicted, in one request.
  const receiptCalls = txIndex.flatMap((i) =>
    i === undefined ? [] : [['eth_getTransactionReceipt', [mined.transactions[i]!.hash]] as const],
  )
  const answers = await fork.batch([...receiptCalls, ...predicted.map(forkBalanceCall)])
  const forkReceipts: (RpcReceipt | undefined)[] = []
  let next = 0
  for (const i of txIndex)
    forkReceipts.push(i === undefined ? undefined : (resultOf(answers[next++]!) as RpcReceipt))
  const onFork = new Map(predicted.map((h, k) => [holdingKey(h), forkBalance(h, answers[next + k]!)]))

  const forkOutcomes = forkReceipts.map((r) => (r ? outcomeOf(r) : undefined))
  // A fork whose logs differ may name holders the chain's do not: their balances are read now.
  const wanted = targets.map((target, i) =>
    forkOutcomes[i]
      ? uniqueHoldings([
          ...touched(chainOutcomes[i]!.logs),
          ...touched(forkOutcomes[i]!.logs),
          ...ownHoldings(target, block.transactions[txIndex[i]!]!),
        ])
      : [],
  )
  const missing = uniqueHoldings(wanted.flat().filter((h) => !onFork.has(holdingKey(h))))
  if (missing.length) {
    const [chainSide, forkSide] = await Promise.all([
      readChainBalances(chain, blockNumber, missing),
      fork.batch(missing.map(forkBalanceCall)),
    ])
    for (const [key, value] of chainSide) prepared.onChain.set(key, value)
    for (const [k, h] of missing.entries()) onFork.set(holdingKey(h), forkBalance(h, forkSide[k]!))
  }

  const results = targets.map((target, i): ResimulationResult => {
    const chain = chainOutcomes[i]!
    const fork_ = forkOutcomes[i]
    if (!fork_)
      return failed(`transaction ${target.execution.transactionHash} is not in block ${blockNumber}`)[i]!
    const balances = wanted[i]!.map((h) => {
      const key = holdingKey(h)
      const { before, chain: after } = prepared.onChain.get(key)!
      return { ...h, before, chain: after, fork: onFork.get(key)! }
    })
    const findings = compareResimulation({ chain, fork: fork_, balances })
    return { target, agreed: findings.length === 0, findings, chain, fork: fork_, balances }
  })
  const exact = mined.receiptsRoot === block.receiptsRoot && results.every((r) => r.agreed)
  return { results, exact }
}

/**
 * Replays a block without targets (a gap between two target blocks) on a fork whose head is its parent.
 * True when the fork reproduced it exactly (the same receipts root); otherwise the caller resets.
 */
export async function bridgeBlock(fork: ForkRpc, block: RpcBlock): Promise<boolean> {
  const replayed = await replayTransactions(fork, block)
  return !('failure' in replayed) && replayed.mined.receiptsRoot === block.receiptsRoot
}

type MinedBlock = { number: Hex; receiptsRoot: Hex; transactions: { hash: Hex }[] }

/**
 * Sends the block's transactions again, in their order, from their senders (impersonated), with their
 * gas limits, fee fields and nonces, then mines them as one block with the block's timestamp, coinbase,
 * base fee and gas limit, and credits its withdrawals. On a failure nothing stays pending on the fork.
 */
async function replayTransactions(
  fork: ForkRpc,
  block: RpcBlock,
): Promise<{ mined: MinedBlock } | { failure: string }> {
  const blockNumber = Number(block.number)
  if (block.transactions.some((tx) => tx.type === '0x3'))
    return { failure: `block ${blockNumber} holds a blob transaction, which cannot be sent again` }
  // Independent of each other, so one request.
  const setUp = await fork.batch([
    ['evm_setAutomine', [false]],
    ['anvil_setCoinbase', [block.miner]],
    ['evm_setNextBlockTimestamp', [block.timestamp]],
    ['evm_setBlockGasLimit', [block.gasLimit]],
    ...(block.baseFeePerGas ? [['anvil_setNextBlockBaseFeePerGas', [block.baseFeePerGas]] as const] : []),
  ])
  for (const answer of setUp) resultOf(answer)

  for (const tx of block.transactions) {
    try {
      // Sent one at a time: with FIFO ordering the arrival order is the block's order.
      await fork.send('eth_sendTransaction', [replayRequest(tx)])
    } catch (err) {
      await fork.send('anvil_dropAllTransactions', [])
      return {
        failure: `transaction ${tx.hash} of block ${blockNumber} could not be sent again: ${firstLine(err)}`,
      }
    }
  }
  // The mined block in the same answer: its receipts root and the fork's transaction hashes.
  const [mined] = await fork.send<MinedBlock[]>('evm_mine_detailed', [])
  if (!mined || Number(mined.number) !== blockNumber) {
    return {
      failure: `the fork mined block ${mined ? Number(mined.number) : 'none'} instead of ${blockNumber}`,
    }
  }
  if (mined.transactions.length !== block.transactions.length) {
    return {
      failure: `the fork mined ${mined.transactions.length} of the block's ${block.transactions.length} transactions`,
    }
  }
  if (block.withdrawals?.length) await creditWithdrawals(fork, block.withdrawals)
  return { mined }
}

/**
 * anvil mines no withdrawals; the chain credits them after the block's transactions, so the fork's state
 * matches the chain's after the block only once they are credited too.
 */
async function creditWithdrawals(fork: ForkRpc, withdrawals: NonNullable<RpcBlock['withdrawals']>) {
  const credit = new Map<string, bigint>()
  for (const w of withdrawals) {
    const address = w.address.toLowerCase()
    credit.set(address, (credit.get(address) ?? 0n) + BigInt(w.amount) * 1_000_000_000n)
  }
  const addresses = [...credit.keys()]
  const balances = await fork.batch(addresses.map((a) => ['eth_getBalance', [a, 'latest']] as const))
  const set = await fork.batch(
    addresses.map(
      (a, i) =>
        ['anvil_setBalance', [a, hex(BigInt(resultOf(balances[i]!) as Hex) + credit.get(a)!)]] as const,
    ),
  )
  for (const answer of set) resultOf(answer)
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
  logs: r.logs.map((l) => ({ address: checksummed(l.address), topics: l.topics, data: l.data })),
})

/** Sender and receiver of every ERC-20 Transfer (3 topics; ERC-721's has 4 and is not a balance). */
function touched(logs: readonly ReplayLog[]): Holding[] {
  return logs.flatMap((l) => {
    if (l.topics.length !== 3 || l.topics[0]!.toLowerCase() !== TRANSFER_TOPIC) return []
    const who = (t: Hex) => checksummed(`0x${t.slice(-40)}`)
    const token = l.address
    return [who(l.topics[1]!), who(l.topics[2]!)].flatMap((holder) => [{ holder, token }, { holder }])
  })
}

/** The Safe, the transaction's sender and recipient, and the watched addresses: native balances. */
function ownHoldings(target: ResimulationTarget, tx: RpcTx | undefined): Holding[] {
  return [
    { holder: target.safe },
    ...(tx ? [{ holder: tx.from }] : []),
    ...(tx?.to ? [{ holder: tx.to }] : []),
    ...(target.watch ?? []).map((holder) => ({ holder })),
  ]
}

function predictedHoldings(target: ResimulationTarget, block: RpcBlock, chain: ReplayOutcome): Holding[] {
  const tx = block.transactions.find(
    (t) => t.hash.toLowerCase() === target.execution.transactionHash.toLowerCase(),
  )
  return [...touched(chain.logs), ...ownHoldings(target, tx)]
}

/** In first-seen order; receipts and blocks spell addresses in lower case, results use checksummed ones. */
function uniqueHoldings(holdings: readonly Holding[]): Holding[] {
  const unique = new Map<string, Holding>()
  for (const h of holdings) {
    const holding = { holder: checksummed(h.holder), ...(h.token ? { token: checksummed(h.token) } : {}) }
    const key = holdingKey(holding)
    if (!unique.has(key)) unique.set(key, holding)
  }
  return [...unique.values()]
}

const holdingKey = (h: Holding) => `${h.holder}|${h.token ?? ''}`

/** Each balance before the block (the chain at the parent, where the fork started) and after it. */
async function readChainBalances(
  chain: ResimulationChain,
  blockNumber: number,
  holdings: readonly Holding[],
): Promise<Map<string, { before: bigint; chain: bigint }>> {
  const read = async (h: Holding, block: number): Promise<bigint> => {
    if (!h.token) return BigInt(await chain.provider.send('eth_getBalance', [h.holder, hex(block)]))
    try {
      return tokenBalance(
        await chain.provider.send('eth_call', [{ to: h.token, data: balanceOfData(h) }, hex(block)]),
      )
    } catch (err) {
      // The chain unreachable is no answer; a revert is (a token without balanceOf, below).
      if (err instanceof AllianceError) throw err
      return -1n
    }
  }
  const remembered = (h: Holding, block: number) => {
    const key = `${block}|${holdingKey(h)}`
    let value = chain.balances.get(key)
    if (!value) {
      if (chain.balances.size >= BALANCES_KEPT)
        for (const old of [...chain.balances.keys()].slice(0, BALANCES_KEPT / 4)) chain.balances.delete(old)
      value = read(h, block)
      // A failure is met by the read that asked; the next one asks again.
      value.catch(() => chain.balances.delete(key))
      chain.balances.set(key, value)
    }
    return value
  }
  // Issued in one tick: the provider sends them as batches.
  const values = await Promise.all(
    holdings.map((h) => Promise.all([remembered(h, blockNumber - 1), remembered(h, blockNumber)])),
  )
  return new Map(holdings.map((h, i) => [holdingKey(h), { before: values[i]![0], chain: values[i]![1] }]))
}

// balanceOf(address): encoded by hand, ethers' encoder costs more than the rest of a block's reads.
const balanceOfData = (h: Holding) => `0x70a08231${h.holder.slice(2).toLowerCase().padStart(64, '0')}`

const forkBalanceCall = (h: Holding) =>
  h.token
    ? (['eth_call', [{ to: h.token, data: balanceOfData(h) }, 'latest']] as const)
    : (['eth_getBalance', [h.holder, 'latest']] as const)

function forkBalance(h: Holding, answer: ForkRpcAnswer): bigint {
  if (!h.token) return BigInt(resultOf(answer) as Hex)
  return 'error' in answer ? -1n : tokenBalance(answer.result as Hex)
}

/**
 * A Transfer from a contract without balanceOf is no balance to compare: both sides read -1 (a revert,
 * or no code and so no return data).
 */
const tokenBalance = (out: Hex): bigint => (out === '0x' ? -1n : BigInt(out))

function resultOf(answer: ForkRpcAnswer): unknown {
  if ('error' in answer) throw answer.error
  return answer.result
}

// Checksumming hashes every address: the same few addresses recur in every block, so once each.
const checksums = new Map<string, Address>()
function checksummed(address: string): Address {
  const key = address.toLowerCase()
  let out = checksums.get(key)
  if (!out) {
    if (checksums.size > 10_000) checksums.clear()
    out = getAddress(key) as Address
    checksums.set(key, out)
  }
  return out
}

const firstLine = (err: unknown) =>
  ((err as { shortMessage?: string }).shortMessage ?? (err as Error).message ?? String(err)).split('\n')[0]!
