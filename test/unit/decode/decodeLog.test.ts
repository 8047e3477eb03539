import { encodeAbiParameters, encodeEventTopics, keccak256, parseAbi, toHex } from 'viem'
import { describe, expect, it } from 'vitest'
import { decodeLog, type RawLog } from '../../../src/decode/decodeLog.js'
import type { Address, Hex } from '../../../src/safe/types.js'

const SAFE = '0xe80F3c2046C04bf94B04Ca142F94fbf7480110C7' as Address
const TX_HASH = keccak256(toHex('a safe transaction'))
const none = () => undefined

describe('decodeLog', () => {
  it('decodes a Safe 1.4.1 ExecutionSuccess, whose txHash is indexed', () => {
    const topics = encodeEventTopics({
      abi: parseAbi(['event ExecutionSuccess(bytes32 indexed txHash, uint256 payment)']),
      eventName: 'ExecutionSuccess',
      args: { txHash: TX_HASH },
    }) as Hex[]
    expect(topics).toHaveLength(2)
    const log: RawLog = { address: SAFE, topics, data: encodeAbiParameters([{ type: 'uint256' }], [7n]) }
    expect(decodeLog(log, none)).toEqual({
      address: SAFE,
      signature: 'ExecutionSuccess(bytes32,uint256)',
      name: 'ExecutionSuccess',
      args: [
        { name: 'txHash', type: 'bytes32', value: TX_HASH },
        { name: 'payment', type: 'uint256', value: 7n },
      ],
      raw: log,
    })
  })

  it('decodes a Safe 1.3.0 ExecutionSuccess, whose txHash sits in the data', () => {
    const topics = encodeEventTopics({
      abi: parseAbi(['event ExecutionSuccess(bytes32 txHash, uint256 payment)']),
      eventName: 'ExecutionSuccess',
    }) as Hex[]
    expect(topics).toHaveLength(1)
    const data = encodeAbiParameters([{ type: 'bytes32' }, { type: 'uint256' }], [TX_HASH, 0n])
    const decoded = decodeLog({ address: SAFE, topics, data }, none)
    expect(decoded).toMatchObject({
      name: 'ExecutionSuccess',
      args: [
        { name: 'txHash', value: TX_HASH },
        { name: 'payment', value: 0n },
      ],
    })
  })

  it('decodes an ERC-20 Transfer and leaves an unknown event raw', () => {
    const from = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'
    const to = '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC'
    const topics = encodeEventTopics({
      abi: parseAbi(['event Transfer(address indexed from, address indexed to, uint256 value)']),
      eventName: 'Transfer',
      args: { from, to },
    }) as Hex[]
    const transfer = decodeLog(
      { address: SAFE, topics, data: encodeAbiParameters([{ type: 'uint256' }], [10n ** 18n]) },
      none,
    )
    expect(transfer.args?.map((a) => a.value)).toEqual([from, to, 10n ** 18n])

    const unknown: RawLog = { address: SAFE, topics: [keccak256(toHex('Nope()'))], data: '0x' }
    expect(decodeLog(unknown, none)).toEqual({ address: SAFE, raw: unknown })
  })
})
