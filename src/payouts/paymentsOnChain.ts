import { dataSlice, getAddress, zeroPadValue } from 'ethers'
import { treasuryAbi } from '../actions/allocateTreasury.js'
import type { LogQuery, LogSource } from '../chain/logSource.js'
import { tokenAbi } from '../contracts/tokenAbi.js'
import { callsOfSafeTx } from '../plan/queuedSource.js'
import { decodeExecTransaction, EXEC_TRANSACTION_SELECTOR } from '../safe/execTransaction.js'
import type { Address, Hex, SafeTx } from '../safe/types.js'
import { payoutsOfCalls } from './payoutCalls.js'
import { parsePayoutMemo } from './period.js'
import type { PayoutSchedule } from './schedule.js'

/** A payment of a schedule found on chain: the chain, not the local ledger, says what was paid. */
export type ChainPayment = {
  period: string
  recipient: Address
  token: Address
  amount: bigint
  transactionHash: Hex
  blockNumber: number
  via: 'transfer' | 'allocation'
}

/** What finding payments needs from the chain, passed in. */
export type PaymentReads = {
  logs: LogSource
  /** A transaction's recipient and input; null when the node does not know it. */
  transaction(hash: Hex): Promise<{ to: string | null; data: Hex } | null>
  /**
   * The execTransaction inputs the Safe received inside a transaction not sent to it directly (an owner
   * Safe, a relayer, a module): from a call trace. Without it such payments are not recognised.
   */
  innerExecTransactions?(hash: Hex, safe: Address): Promise<Hex[]>
}

const ALLOCATED = treasuryAbi.getEvent('Allocated')!.topicHash
const TRANSFER = tokenAbi.getEvent('Transfer')!.topicHash

/**
 * Every payment of this schedule (any period) in the block range. Through the treasury, the Allocated
 * event carries the memo. A Safe transfer's memo is in the calldata after the transfer's arguments, so
 * for each Transfer out of the Safe the executed Safe transaction is decoded, and a memo'd call counts
 * only when its Transfer log is there (the call ran).
 */
export async function paymentsOnChain(
  schedule: PayoutSchedule,
  reads: PaymentReads,
  range: { fromBlock: number; toBlock: number },
): Promise<ChainPayment[]> {
  return schedule.route === 'treasury'
    ? allocations(schedule, reads, range)
    : transfers(schedule, reads, range)
}

async function allocations(
  schedule: PayoutSchedule,
  reads: PaymentReads,
  range: { fromBlock: number; toBlock: number },
): Promise<ChainPayment[]> {
  const logs = await reads.logs({ address: schedule.treasury!.address, topics: [ALLOCATED], ...range })
  const out: ChainPayment[] = []
  for (const log of logs) {
    const event = treasuryAbi.parseLog({ topics: [...log.topics], data: log.data })
    if (!event) continue
    const memo = parsePayoutMemo(event.args.memo as string)
    if (memo?.scheduleId !== schedule.id) continue
    out.push({
      period: memo.period,
      recipient: getAddress(event.args.to as string) as Address,
      token: getAddress(event.args.token as string) as Address,
      amount: event.args.amount as bigint,
      transactionHash: log.transactionHash as Hex,
      blockNumber: log.blockNumber,
      via: 'allocation',
    })
  }
  return out
}

async function transfers(
  schedule: PayoutSchedule,
  reads: PaymentReads,
  range: { fromBlock: number; toBlock: number },
): Promise<ChainPayment[]> {
  const safe = schedule.safe.address
  const tokens = [...new Set(schedule.lines.map((l) => l.token.address))]
  const query: LogQuery = { address: tokens, topics: [TRANSFER, zeroPadValue(safe, 32)], ...range }
  const logs = await reads.logs(query)
  const byTransaction = new Map<Hex, typeof logs>()
  for (const log of logs) {
    const list = byTransaction.get(log.transactionHash as Hex) ?? []
    list.push(log)
    byTransaction.set(log.transactionHash as Hex, list)
  }
  const out: ChainPayment[] = []
  for (const [hash, transferLogs] of byTransaction) {
    // Each Transfer log is matched at most once, so two memo'd calls need two transfers.
    const unmatched = transferLogs.map((log) => ({
      token: getAddress(log.address) as Address,
      to: getAddress(dataSlice(log.topics[2]!, 12)) as Address,
      amount: BigInt(log.data),
      blockNumber: log.blockNumber,
    }))
    for (const safeTx of await executedSafeTxs(hash, safe, reads)) {
      const decoded = callsOfSafeTx({ ...safeTx, nonce: 0n })
      if (!decoded.ok) continue
      for (const payout of payoutsOfCalls(schedule.id, decoded.calls)) {
        if (payout.via !== 'transfer') continue
        const at = unmatched.findIndex(
          (t) => t.token === payout.token && t.to === payout.recipient && t.amount === payout.amount,
        )
        if (at < 0) continue
        const [log] = unmatched.splice(at, 1)
        out.push({
          period: payout.period,
          recipient: payout.recipient,
          token: payout.token,
          amount: payout.amount,
          transactionHash: hash,
          blockNumber: log!.blockNumber,
          via: 'transfer',
        })
      }
    }
  }
  return out
}

/** The Safe transactions this Safe executed in one chain transaction: sent directly, or found in its trace. */
async function executedSafeTxs(
  hash: Hex,
  safe: Address,
  reads: PaymentReads,
): Promise<Omit<SafeTx, 'nonce'>[]> {
  const tx = await reads.transaction(hash)
  const inputs =
    tx?.to && getAddress(tx.to) === safe && tx.data.startsWith(EXEC_TRANSACTION_SELECTOR)
      ? [tx.data]
      : ((await reads.innerExecTransactions?.(hash, safe)) ?? [])
  return inputs.map((input) => decodeExecTransaction(input).tx)
}
