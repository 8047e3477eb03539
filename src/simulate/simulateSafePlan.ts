import { getAddress, type Interface, type JsonRpcProvider } from 'ethers'
import { type ChainReads, chainReads, type SafeState } from '../chain/safeReads.js'
import { type DecodedLog, decodeLog } from '../decode/decodeLog.js'
import { StalePlanError } from '../errors/signer.js'
import { SimulationUnsupportedError } from '../errors/simulate.js'
import { type SafePlan, signatureItem } from '../plan/types.js'
import { encodeExecTransaction } from '../safe/execTransaction.js'
import { encodeSafeSignatures, type SafeSignatureItem } from '../safe/signatures.js'
import { approvedHashSlot, SAFE_NAMED_SLOTS, SAFE_SLOTS, word } from '../safe/storage.js'
import type { Address, Hex } from '../safe/types.js'
import type { AddressBook } from '../workspace/addressBook.js'
import { type BalanceChange, balanceChanges } from './balanceChanges.js'
import { type FailingCall, findFailingCall } from './callTrace.js'
import { type ExecutionCapture, isUnsupportedMethod } from './capture.js'
import { decodeCapturedStateDiff } from './decodeCapturedStateDiff.js'
import { simulateV1 } from './engines/simulateV1.js'
import { traceCall } from './engines/traceCall.js'
import type { SimulatedCall, StateOverrides } from './engines/types.js'
import { type ForkRequest, readEnvironment, type SimulationEnvironment } from './environment.js'
import { ForkSession } from './fork.js'
import type { ContractStorageDiff } from './stateDiff/types.js'

export type SafeSimulation = {
  environment: SimulationEnvironment
  success: boolean
  gasUsed: bigint
  capture: ExecutionCapture
  events: DecodedLog[]
  balanceChanges: BalanceChange[]
  /** The storage the execution changed, decoded where layouts are known; absent without a trace. */
  stateDiff?: ContractStorageDiff[]
  failure?: FailingCall
  /** Owners whose real signature was used, and owners stood in for by an approved-hash override. */
  signers: { real: Address[]; simulated: Address[] }
  /** The Safe as the simulation found it (owners, threshold, nonce, singleton). */
  safe: SafeState
  /** How the simulation was set up, in sentences for the report. */
  notes: string[]
}

export type SimulateSafePlanParameters = {
  plan: SafePlan
  /** The workspace chain. */
  provider: JsonRpcProvider
  reads: ChainReads
  book: AddressBook
  abiFor(address: Address): Interface | undefined
  /** fast (default): overrides on the node itself; fork: real transactions on a local anvil fork. */
  mode?: 'fast' | 'fork'
  fork?: ForkRequest
}

/**
 * Runs the plan's real `execTransaction` through the Safe's own code, without the missing
 * signatures: owners who have not signed are stood in for by `approvedHashes[owner][safeTxHash]`
 * storage, so the threshold check, nonce, guard and every inner call run for real. Nothing is sent
 * to the workspace chain: the node traces a call on a copy of its state (fast), or a throwaway anvil
 * fork executes the transaction (fork).
 */
export async function simulateSafePlan(p: SimulateSafePlanParameters): Promise<SafeSimulation> {
  if ((p.mode ?? 'fast') === 'fork' || p.fork) {
    const fork = await ForkSession.start({
      url: p.fork?.url ?? (p.provider as { url?: string }).url ?? '',
      chainId: p.plan.chainId,
      ...(p.fork?.block !== undefined ? { block: p.fork.block } : {}),
    })
    try {
      return await simulateOn(p, fork.provider, chainReads(fork.provider), fork)
    } finally {
      await fork.stop()
    }
  }
  return simulateOn(p, p.provider, p.reads)
}

async function simulateOn(
  p: SimulateSafePlanParameters,
  provider: JsonRpcProvider,
  reads: ChainReads,
  fork?: ForkSession,
): Promise<SafeSimulation> {
  const { plan } = p
  const [safe, guardWord, block] = await Promise.all([
    reads.readSafe(plan.safe.address),
    provider.getStorage(plan.safe.address, SAFE_NAMED_SLOTS.guard),
    readEnvironment(provider, fork),
  ])
  if (plan.safeTx.nonce < safe.nonce) {
    throw new StalePlanError(`nonce ${plan.safeTx.nonce} is already used (the Safe is at ${safe.nonce})`)
  }
  const setup = standInSigners(plan, safe)
  const guard = BigInt(guardWord) === 0n ? undefined : (getAddress(`0x${guardWord.slice(-40)}`) as Address)
  const call: SimulatedCall = {
    from: safe.owners[0]!,
    to: plan.safe.address,
    data: encodeExecTransaction(plan.safeTx, encodeSafeSignatures(setup.items)),
  }

  let capture: ExecutionCapture
  let environment = block
  if (fork) {
    for (const [slot, value] of Object.entries(setup.overrides[plan.safe.address]!.stateDiff)) {
      await fork.setStorage(plan.safe.address, slot as Hex, value)
    }
    capture = await fork.execute(call)
  } else {
    try {
      capture = await traceCall(provider, call, setup.overrides, block.blockNumber)
    } catch (err) {
      if (!isUnsupportedMethod(err)) throw err
      capture = await simulateV1(provider, call, setup.overrides, block.blockNumber).catch((e) => {
        if (isUnsupportedMethod(e)) {
          throw new SimulationUnsupportedError(block.rpc, 'debug_traceCall or eth_simulateV1')
        }
        throw e
      })
      environment = {
        ...block,
        mode: 'simulate-v1',
        description: `eth_simulateV1 with state overrides on ${block.rpc} (the node cannot trace: no call trace or state diff)`,
      }
    }
  }

  const logs = capture.logs
  const executed = logs.some((l) => {
    if (l.address !== plan.safe.address) return false
    const event = decodeLog(l, () => undefined)
    return event.name === 'ExecutionSuccess' && event.args?.[0]?.value === plan.hashes.safeTxHash
  })
  const success = capture.status && executed
  // A node that cannot trace (eth_simulateV1) leaves the failing call unnamed: asking it again would not help.
  const failure: FailingCall | undefined = success
    ? undefined
    : capture.trace
      ? findFailingCall(capture.trace, plan, p.abiFor)
      : { reason: 'the node cannot trace, so the failing call is unknown' }

  const notes = [
    setup.real.length ? `real signatures: ${setup.real.map((a) => p.book.label(a)).join(', ')}` : undefined,
    setup.simulated.length
      ? `stood in by approved-hash storage: ${setup.simulated.map((a) => p.book.label(a)).join(', ')} (threshold ${safe.threshold})`
      : undefined,
    setup.nonceOverridden
      ? `the Safe's nonce was moved from ${safe.nonce} to ${plan.safeTx.nonce}, as if the transactions queued before it had executed`
      : undefined,
    guard
      ? `the Safe has a transaction guard, ${p.book.label(guard)}; it was left in place and ran`
      : undefined,
  ].filter((n): n is string => n !== undefined)

  const stateDiff = decodeCapturedStateDiff(capture, p.book, {
    safes: new Map([[safe.address, safe.singleton]]),
  })
  return {
    environment,
    success,
    ...(stateDiff ? { stateDiff } : {}),
    gasUsed: capture.gasUsed,
    capture,
    events: logs.map((l) => decodeLog(l, p.abiFor)),
    balanceChanges: success ? balanceChanges(logs, capture.nativeTransfers, p.book) : [],
    ...(failure ? { failure } : {}),
    signers: { real: setup.real, simulated: setup.simulated },
    safe,
    notes,
  }
}

/**
 * The signatures the simulated call carries: the plan's real ones from current owners, then
 * approved-hash stand-ins for as many other owners as the threshold still needs, with the storage
 * that makes those approvals true.
 */
function standInSigners(plan: SafePlan, safe: SafeState) {
  const real = plan.signatures.filter((s) => safe.owners.includes(s.signer)).slice(0, safe.threshold)
  const simulated = [...safe.owners]
    .filter((o) => !real.some((s) => s.signer === o))
    .sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()))
    .slice(0, Math.max(0, safe.threshold - real.length))
  const items: SafeSignatureItem[] = [
    ...real.map(signatureItem),
    ...simulated.map((owner) => ({ kind: 'approved-hash' as const, signer: owner })),
  ]
  const stateDiff: Record<Hex, Hex> = {}
  for (const owner of simulated) stateDiff[approvedHashSlot(owner, plan.hashes.safeTxHash)] = word(1n)
  const nonceOverridden = plan.safeTx.nonce > safe.nonce
  // A plan queued behind others is simulated as if they had executed: the nonce slot is moved forward.
  if (nonceOverridden) stateDiff[word(SAFE_SLOTS.nonce)] = word(plan.safeTx.nonce)
  const overrides: StateOverrides = { [plan.safe.address]: { stateDiff } }
  return {
    real: real.map((s) => s.signer),
    simulated,
    items,
    overrides,
    nonceOverridden,
  }
}
