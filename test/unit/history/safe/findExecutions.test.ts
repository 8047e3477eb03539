import { AbiCoder, type Log, zeroPadValue } from 'ethers'
import { describe, expect, it } from 'vitest'
import type { LogQuery } from '../../../../src/chain/logSource.js'
import { MalformedSafeLogError } from '../../../../src/errors/history.js'
import {
  EXECUTION_FAILURE_TOPIC,
  EXECUTION_SUCCESS_TOPIC,
  executionFromLog,
  findExecutions,
} from '../../../../src/history/safe/findExecutions.js'

const SAFE = '0x1111111111111111111111111111111111111111'
const HASH = `0x${'ab'.repeat(32)}`
const abi = AbiCoder.defaultAbiCoder()

const log = (over: Partial<Log>): Log =>
  ({
    address: SAFE,
    blockNumber: 10,
    transactionHash: `0x${'01'.repeat(32)}`,
    transactionIndex: 0,
    index: 0,
    removed: false,
    topics: [],
    data: '0x',
    ...over,
  }) as unknown as Log

describe('executionFromLog', () => {
  it('reads the 1.4.1 shape: txHash indexed in topics[1], payment in data', () => {
    const e = executionFromLog(
      log({ topics: [EXECUTION_SUCCESS_TOPIC, HASH], data: abi.encode(['uint256'], [5n]) }),
    )
    expect(e).toMatchObject({ safeTxHash: HASH, payment: 5n, success: true })
  })

  it('reads the 1.3.0 shape: nothing indexed, txHash and payment both in data', () => {
    const e = executionFromLog(
      log({ topics: [EXECUTION_FAILURE_TOPIC], data: abi.encode(['bytes32', 'uint256'], [HASH, 0n]) }),
    )
    expect(e).toMatchObject({ safeTxHash: HASH, payment: 0n, success: false })
  })

  it('refuses a log of another event, or with too many topics', () => {
    expect(() => executionFromLog(log({ topics: [zeroPadValue('0x01', 32)] }))).toThrow(MalformedSafeLogError)
    expect(() =>
      executionFromLog(log({ topics: [EXECUTION_SUCCESS_TOPIC, HASH, HASH], data: '0x' })),
    ).toThrow(MalformedSafeLogError)
  })
})

describe('findExecutions', () => {
  it('asks for both events of the Safe and returns them in chain order, without removed or foreign logs', async () => {
    const queries: LogQuery[] = []
    const data = abi.encode(['uint256'], [0n])
    const found = await findExecutions({
      safe: SAFE,
      fromBlock: 1,
      toBlock: 20,
      logs: async (q) => {
        queries.push(q)
        return [
          log({ blockNumber: 12, index: 3, topics: [EXECUTION_SUCCESS_TOPIC, HASH], data }),
          log({ blockNumber: 11, index: 9, topics: [EXECUTION_FAILURE_TOPIC, HASH], data }),
          log({ blockNumber: 12, index: 1, topics: [EXECUTION_SUCCESS_TOPIC, HASH], data }),
          log({ blockNumber: 13, removed: true, topics: [EXECUTION_SUCCESS_TOPIC, HASH], data }),
          log({ address: `0x${'22'.repeat(20)}`, topics: [EXECUTION_SUCCESS_TOPIC, HASH], data }),
        ]
      },
    })
    expect(queries).toEqual([
      {
        address: SAFE,
        topics: [[EXECUTION_SUCCESS_TOPIC, EXECUTION_FAILURE_TOPIC]],
        fromBlock: 1,
        toBlock: 20,
      },
    ])
    expect(found.map((e) => [e.blockNumber, e.logIndex, e.success])).toEqual([
      [11, 9, false],
      [12, 1, true],
      [12, 3, true],
    ])
  })
})
