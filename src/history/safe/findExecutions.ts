import { AbiCoder, id, type Log } from 'ethers'
import type { LogSource } from '../../chain/logSource.js'
import { MalformedSafeLogError } from '../../errors/history.js'
import type { Address, Hex } from '../../safe/types.js'
import type { SafeExecution } from './types.js'

// topic0 ignores `indexed`, so one topic serves 1.3.0 (txHash in data) and 1.4.1+ (txHash in topics[1]).
export const EXECUTION_SUCCESS_TOPIC = id('ExecutionSuccess(bytes32,uint256)') as Hex
export const EXECUTION_FAILURE_TOPIC = id('ExecutionFailure(bytes32,uint256)') as Hex

export type FindExecutionsParameters = {
  logs: LogSource
  safe: Address
  fromBlock: number
  toBlock: number
}

/**
 * Every execTransaction of the Safe in the block range, in chain order, from its ExecutionSuccess and
 * ExecutionFailure logs. Both consume a nonce, so both are executions.
 */
export async function findExecutions({
  logs,
  safe,
  fromBlock,
  toBlock,
}: FindExecutionsParameters): Promise<SafeExecution[]> {
  const found = await logs({
    address: safe,
    topics: [[EXECUTION_SUCCESS_TOPIC, EXECUTION_FAILURE_TOPIC]],
    fromBlock,
    toBlock,
  })
  return found
    .filter((log) => log.address.toLowerCase() === safe.toLowerCase() && !log.removed)
    .map(executionFromLog)
    .sort((a, b) => a.blockNumber - b.blockNumber || a.logIndex - b.logIndex)
}

/** One execution log, in either shape: 1.4.1+ indexes txHash (2 topics), ≤1.3.0 does not (1 topic). */
export function executionFromLog(log: Log): SafeExecution {
  const topic0 = log.topics[0]?.toLowerCase()
  if (topic0 !== EXECUTION_SUCCESS_TOPIC && topic0 !== EXECUTION_FAILURE_TOPIC) {
    throw new MalformedSafeLogError(
      `${log.transactionHash}#${log.index}`,
      'not ExecutionSuccess/ExecutionFailure',
    )
  }
  let safeTxHash: string
  let payment: bigint
  if (log.topics.length === 2) {
    safeTxHash = log.topics[1]!
    ;[payment] = AbiCoder.defaultAbiCoder().decode(['uint256'], log.data) as unknown as [bigint]
  } else if (log.topics.length === 1) {
    ;[safeTxHash, payment] = AbiCoder.defaultAbiCoder().decode(
      ['bytes32', 'uint256'],
      log.data,
    ) as unknown as [string, bigint]
  } else {
    throw new MalformedSafeLogError(
      `${log.transactionHash}#${log.index}`,
      `${log.topics.length} topics, expected 1 (≤1.3.0) or 2 (1.4.1+)`,
    )
  }
  return {
    blockNumber: log.blockNumber,
    transactionHash: log.transactionHash as Hex,
    transactionIndex: log.transactionIndex,
    logIndex: log.index,
    safeTxHash: safeTxHash.toLowerCase() as Hex,
    success: topic0 === EXECUTION_SUCCESS_TOPIC,
    payment,
  }
}
