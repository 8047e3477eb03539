import type { Interface } from 'ethers'
import { getAddress, type JsonRpcProvider } from 'ethers'
import type { ChainReads } from '../chain/safeReads.js'
import { type DecodedLog, decodeLog, type RawLog } from '../decode/decodeLog.js'
import { StalePlanError } from '../errors/signer.js'
import { SimulationUnsupportedError } from '../errors/simulate.js'
import type { SafePlan } from '../plan/types.js'
import { encodeExecTransaction } from '../safe/execTransaction.js'
import { encodeSafeSignatures, type SafeSignatureItem } from '../safe/signatures.js'
import type { Address, Hex } from '../safe/types.js'
import type { AddressBook } from '../workspace/addressBook.js'
import { type BalanceChange, balanceChanges, isNativeTransferLog } from './balanceChanges.js'
import { type CallFrame, type FailingCall, findFailingCall } from './callTrace.js'
import { approvedHashSlot, SAFE_SLOTS, word } from './safeStorage.js'

export type SimulationMode = 'eth_simulateV1'

export type SafeSimulation = {
  mode: SimulationMode
  success: boolean
  gasUsed: bigint
  blockGasLimit: bigint
  blockNumber: bigint
  events: DecodedLog[]
  balanceChanges: BalanceChange[]
  failure?: FailingCall
  /** Owners whose real signature was used, and owners stood in for by an approved-hash override. */
  signers: { real: Address[]; simulated: Address[] }
  nonceOverridden: boolean
}

export type SimulateSafePlanParameters = {
  plan: SafePlan
  provider: JsonRpcProvider
  reads: ChainReads
  book: AddressBook
  abiFor(address: Address): Interface | undefined
}

/**
 * Runs the plan's real `execTransaction` through the Safe's own code on the current chain state,
 * without the missing signatures: owners who have not signed are stood in for by overriding
 * `approvedHashes[owner][safeTxHash]`, so the threshold, nonce, guard and every inner call run for
 * real. Nothing is sent; the node computes the result on a throwaway copy of its state.
 */
export async function simulateSafePlan(p: SimulateSafePlanParameters): Promise<SafeSimulation> {
  const { plan, provider } = p
  const safe = await p.reads.readSafe(plan.safe.address)
  if (plan.safeTx.nonce < safe.nonce) {
    throw new StalePlanError(`nonce ${plan.safeTx.nonce} is already used (the Safe is at ${safe.nonce})`)
  }
  const real = plan.signatures.filter((s) => safe.owners.includes(s.signer)).slice(0, safe.threshold)
  const others = [...safe.owners]
    .filter((o) => !real.some((s) => s.signer === o))
    .sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()))
    .slice(0, Math.max(0, safe.threshold - real.length))
  const items: SafeSignatureItem[] = [
    ...real.map((s) => ({ kind: s.kind, signer: s.signer, data: s.signature })),
    ...others.map((owner) => ({ kind: 'approved-hash' as const, signer: owner })),
  ]
  const stateDiff: Record<string, Hex> = {}
  for (const owner of others) stateDiff[approvedHashSlot(owner, plan.hashes.safeTxHash)] = word(1n)
  const nonceOverridden = plan.safeTx.nonce > safe.nonce
  // A plan queued behind others is simulated as if they had executed: the nonce slot is moved forward.
  if (nonceOverridden) stateDiff[word(SAFE_SLOTS.nonce)] = word(plan.safeTx.nonce)
  const stateOverrides = { [plan.safe.address]: { stateDiff } }

  const data = encodeExecTransaction(plan.safeTx, encodeSafeSignatures(items))
  const from = safe.owners[0]!
  const block = await provider.getBlock('latest')
  const [result] = await sendOrUnsupported(provider, 'eth_simulateV1', [
    {
      blockStateCalls: [{ stateOverrides, calls: [{ from, to: plan.safe.address, data }] }],
      validation: false,
      traceTransfers: true,
    },
    'latest',
  ])
  const call = result.calls[0] as SimCallResult
  const logs: RawLog[] = (call.logs ?? []).map((l) => ({
    address: getAddress(l.address) as Address,
    topics: l.topics,
    data: l.data,
  }))
  const executed = logs.some((l) => {
    if (l.address !== plan.safe.address) return false
    const event = decodeLog(l, () => undefined)
    return event.name === 'ExecutionSuccess' && event.args?.[0]?.value === plan.hashes.safeTxHash
  })
  const success = BigInt(call.status) === 1n && executed
  let failure: FailingCall | undefined
  if (!success) {
    const trace: CallFrame = await sendOrUnsupported(provider, 'debug_traceCall', [
      { from, to: plan.safe.address, data },
      'latest',
      { tracer: 'callTracer', stateOverrides },
    ])
    failure = findFailingCall(trace, plan, p.abiFor)
  }
  return {
    mode: 'eth_simulateV1',
    success,
    gasUsed: BigInt(call.gasUsed),
    blockGasLimit: block?.gasLimit ?? 0n,
    blockNumber: BigInt(block?.number ?? 0),
    events: logs.filter((l) => !isNativeTransferLog(l)).map((l) => decodeLog(l, p.abiFor)),
    balanceChanges: success ? balanceChanges(logs, p.book) : [],
    ...(failure ? { failure } : {}),
    signers: { real: real.map((s) => s.signer), simulated: others },
    nonceOverridden,
  }
}

type SimCallResult = {
  status: string
  gasUsed: string
  returnData: Hex
  logs?: { address: string; topics: Hex[]; data: Hex }[]
  error?: { code: number; message: string; data?: Hex }
}

/** A node without the method answers "method not found" (-32601); say so instead of a raw RPC error. */
async function sendOrUnsupported(provider: JsonRpcProvider, method: string, params: unknown[]) {
  try {
    return await provider.send(method, params)
  } catch (err) {
    const e = err as { error?: { code?: number }; message?: string }
    if (e.error?.code === -32601 || /method not found|not supported|does not exist/i.test(e.message ?? '')) {
      throw new SimulationUnsupportedError((provider as { url?: string }).url ?? 'the RPC', method)
    }
    throw err
  }
}
