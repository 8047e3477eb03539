import type { JsonRpcProvider } from 'ethers'
import type { CallFrame } from '../callTrace.js'
import { type ExecutionCapture, logsFromTrace, nativeTransfersFromTrace } from '../capture.js'
import type { PrestateDiff } from '../stateDiff/types.js'
import type { SimulatedCall, StateOverrides } from './types.js'

/**
 * The fast engine: the node runs the call on a throwaway copy of its state with the overrides
 * applied, twice — once for the call tree with logs, once for the storage it changed. Nothing is
 * sent and no fork is started; the node must offer `debug_traceCall` with state overrides (anvil,
 * geth, reth, erigon do). Both requests go out together (the provider batches them).
 */
export async function traceCall(
  provider: JsonRpcProvider,
  call: SimulatedCall,
  overrides: StateOverrides,
  block: bigint,
): Promise<ExecutionCapture> {
  const tx = {
    from: call.from,
    to: call.to,
    data: call.data,
    ...(call.value ? { value: `0x${call.value.toString(16)}` } : {}),
  }
  const at = `0x${block.toString(16)}`
  const [trace, stateDiff] = await Promise.all([
    provider.send('debug_traceCall', [
      tx,
      at,
      { tracer: 'callTracer', tracerConfig: { withLog: true }, stateOverrides: overrides },
    ]) as Promise<CallFrame & { gasUsed: string }>,
    provider.send('debug_traceCall', [
      tx,
      at,
      { tracer: 'prestateTracer', tracerConfig: { diffMode: true }, stateOverrides: overrides },
    ]) as Promise<PrestateDiff>,
  ])
  return {
    status: trace.error === undefined,
    gasUsed: BigInt(trace.gasUsed),
    logs: logsFromTrace(trace),
    nativeTransfers: nativeTransfersFromTrace(trace),
    trace,
    stateDiff,
  }
}
