import { getAddress, type JsonRpcProvider } from 'ethers'
import type { RawLog } from '../../decode/decodeLog.js'
import type { Address, Hex } from '../../safe/types.js'
import type { ExecutionCapture, NativeTransfer } from '../capture.js'
import type { SimulatedCall, StateOverrides } from './types.js'

/** eth_simulateV1 with traceTransfers reports native value moves as ERC-20-like logs from this address. */
const NATIVE_TRANSFER_EMITTER = '0xEeeeeEeeeEeEeeEeEeEeeEEEeeeeEeeeeeeeEEeE'

type SimCallResult = {
  status: string
  gasUsed: string
  logs?: { address: string; topics: Hex[]; data: Hex }[]
}

/**
 * The fallback fast engine, for nodes that simulate but do not trace (many hosted RPCs):
 * `eth_simulateV1` gives success, gas, logs and native transfers, but no call tree and no storage
 * diff, so a failing call cannot be named.
 */
export async function simulateV1(
  provider: JsonRpcProvider,
  call: SimulatedCall,
  overrides: StateOverrides,
  block: bigint,
): Promise<ExecutionCapture> {
  const at = `0x${block.toString(16)}`
  const [result] = await provider.send('eth_simulateV1', [
    {
      blockStateCalls: [
        {
          stateOverrides: overrides,
          calls: [
            {
              from: call.from,
              to: call.to,
              data: call.data,
              ...(call.value ? { value: `0x${call.value.toString(16)}` } : {}),
            },
          ],
        },
      ],
      validation: false,
      traceTransfers: true,
    },
    at,
  ])
  const sim = result.calls[0] as SimCallResult
  const logs: RawLog[] = []
  const nativeTransfers: NativeTransfer[] = []
  for (const l of sim.logs ?? []) {
    const address = getAddress(l.address) as Address
    if (address === NATIVE_TRANSFER_EMITTER) {
      nativeTransfers.push({
        from: getAddress(`0x${l.topics[1]!.slice(26)}`) as Address,
        to: getAddress(`0x${l.topics[2]!.slice(26)}`) as Address,
        value: BigInt(l.data),
      })
    } else {
      logs.push({ address, topics: l.topics, data: l.data })
    }
  }
  const status = BigInt(sim.status) === 1n
  return { status, gasUsed: BigInt(sim.gasUsed), logs, nativeTransfers }
}
