import type { ChainReads } from '../chain/safeReads.js'
import type { ProposalQueue, QueuedTransaction } from '../queue/types.js'
import { hashSafeTx } from '../safe/safeTxHash.js'
import type { Address, Hex, SafeTx } from '../safe/types.js'
import { sameAddress } from '../utils/address.js'
import type { SafeExecutionRecord, VerifiedSigner } from './safe/verifyExecution.js'

export type ServiceFindingCode =
  | 'SERVICE_ONLY_EXECUTED'
  | 'SERVICE_HASH_MISMATCH'
  | 'SERVICE_DATA_DIFFERS'
  | 'SERVICE_TX_HASH_DIFFERS'
  | 'SERVICE_NOT_EXECUTED'
  | 'SERVICE_MISSING'
  | 'CONFIRMATION_UNUSED'
  | 'SERVICE_PENDING_STALE'

/**
 * Where the queue (the Transaction Service) and the chain disagree about one transaction. `error`: the
 * service states something the chain contradicts; `warning`: the service is behind or holds something that
 * can never run; `info`: a fact an auditor should see (a confirmation the execution did not need).
 */
export type ServiceFinding = {
  code: ServiceFindingCode
  level: 'error' | 'warning' | 'info'
  message: string
  safeTxHash: Hex
  /** The nonce of the record the finding is about (the service's claim, or the chain's for SERVICE_MISSING). */
  nonce?: bigint
}

/** What the reconciliation needs of one chain execution; a `SafeExecutionRecord` is one. */
export type ReconcileExecution = Pick<SafeExecutionRecord, 'execution' | 'safeTx' | 'version'>

export type ReconcileServiceParameters = {
  safe: Address
  chainId: bigint
  /** The Safe's version now: hashes a service record that matches no execution. */
  version: string
  /** The Safe's nonce now: a record below it that did not run can never run. */
  nonce: bigint
  /** The chain's executions of the Safe, as verifyExecution recorded them. */
  executions: readonly ReconcileExecution[]
  /** Per safeTxHash (any case), the signers whose signatures the execution carried (`signersByHash`). */
  signers: Readonly<Record<string, readonly Address[]>>
  /** Everything the queue holds for the Safe (`ProposalQueue.history`). */
  queued: readonly QueuedTransaction[]
  /**
   * The nonces `executions` covers, `from` inclusive, `to` exclusive, when the chain was read over a block
   * range: a record outside it is not compared with the chain (its execution was not read). Default: all.
   */
  nonces?: { from: bigint; to: bigint }
}

const ORDER: ServiceFindingCode[] = [
  'SERVICE_HASH_MISMATCH',
  'SERVICE_ONLY_EXECUTED',
  'SERVICE_DATA_DIFFERS',
  'SERVICE_TX_HASH_DIFFERS',
  'SERVICE_NOT_EXECUTED',
  'SERVICE_MISSING',
  'SERVICE_PENDING_STALE',
  'CONFIRMATION_UNUSED',
]

/**
 * Compares what the queue says with what the chain did, from data alone. Each queued record is matched
 * to a chain execution by the hash it is filed under, else by its nonce; every record's hash is also
 * recomputed from its own fields, since the service's word for the hash proves nothing. Returns every
 * difference, ordered by nonce; an empty list means the two agree.
 */
export function reconcileService(p: ReconcileServiceParameters): ServiceFinding[] {
  const findings: ServiceFinding[] = []
  const byHash = new Map<string, ReconcileExecution>()
  const byNonce = new Map<bigint, ReconcileExecution>()
  for (const e of p.executions) {
    byHash.set(e.execution.safeTxHash.toLowerCase(), e)
    if (e.safeTx) byNonce.set(e.safeTx.nonce, e)
  }
  const signers = new Map(Object.entries(p.signers).map(([h, s]) => [h.toLowerCase(), s]))
  const inRange = (nonce: bigint) => !p.nonces || (nonce >= p.nonces.from && nonce < p.nonces.to)
  const known = new Set<string>()

  for (const q of p.queued) {
    if (!sameAddress(q.safe, p.safe)) continue
    const hash = q.safeTxHash.toLowerCase()
    known.add(hash)
    const nonce = q.safeTx.nonce
    const add = (code: ServiceFindingCode, level: ServiceFinding['level'], message: string) =>
      findings.push({ code, level, message, safeTxHash: q.safeTxHash, nonce })
    const chain = byHash.get(hash)
    const atNonce = byNonce.get(nonce)

    // Hashed with the version the Safe had when it ran this nonce, if it did; else with today's.
    const version = (chain ?? atNonce)?.version ?? p.version
    const recomputed = rehash(p, version, q.safeTx)
    if ('error' in recomputed)
      add(
        'SERVICE_HASH_MISMATCH',
        'error',
        `the service files it under ${q.safeTxHash}, its fields cannot be hashed: ${recomputed.error}`,
      )
    else if (recomputed.hash.toLowerCase() !== hash)
      add(
        'SERVICE_HASH_MISMATCH',
        'error',
        `the service files it under ${q.safeTxHash}, its own fields hash to ${recomputed.hash} (Safe ${version}, chain ${p.chainId})`,
      )

    if (chain) {
      if (chain.safeTx) {
        const differs = fieldDifferences(q.safeTx, chain.safeTx)
        if (differs.length)
          add(
            'SERVICE_DATA_DIFFERS',
            'error',
            `the service's fields differ from those executed in ${chain.execution.transactionHash}: ${differs.join('; ')}`,
          )
      }
      if (q.executed === true) {
        if (!q.transactionHash)
          add(
            'SERVICE_TX_HASH_DIFFERS',
            'warning',
            `the service marks it executed without a transaction hash; it ran in ${chain.execution.transactionHash}`,
          )
        else if (q.transactionHash.toLowerCase() !== chain.execution.transactionHash.toLowerCase())
          add(
            'SERVICE_TX_HASH_DIFFERS',
            'error',
            `the service says it ran in ${q.transactionHash}, the chain ran it in ${chain.execution.transactionHash}`,
          )
      } else if (q.executed === false) {
        add(
          'SERVICE_NOT_EXECUTED',
          'warning',
          `the chain executed it in ${chain.execution.transactionHash} (block ${chain.execution.blockNumber}); the service lists it as not executed`,
        )
      }
      const used = signers.get(hash) ?? []
      for (const c of q.confirmations) {
        if (!used.some((s) => sameAddress(s, c.owner)))
          add(
            'CONFIRMATION_UNUSED',
            'info',
            `the service holds ${c.owner}'s confirmation; the execution in ${chain.execution.transactionHash} used ${used.length ? used.join(', ') : 'no known signers'}`,
          )
      }
      continue
    }

    if (q.executed === true) {
      if (!inRange(nonce)) continue
      if (atNonce)
        add(
          'SERVICE_DATA_DIFFERS',
          'error',
          `the service marks it executed, but nonce ${nonce} ran ${atNonce.execution.safeTxHash} in ${atNonce.execution.transactionHash}`,
        )
      else
        add(
          'SERVICE_ONLY_EXECUTED',
          'error',
          `the service marks it executed${q.transactionHash ? ` in ${q.transactionHash}` : ''}; the chain has no execution of it${nonce < p.nonce ? '' : ` and the Safe's nonce is only ${p.nonce}`}`,
        )
    } else if (nonce < p.nonce) {
      add(
        'SERVICE_PENDING_STALE',
        'warning',
        `pending at nonce ${nonce}, but the Safe is at nonce ${p.nonce}${atNonce ? ` (nonce ${nonce} ran ${atNonce.execution.safeTxHash})` : ''}: it can never run`,
      )
    }
  }

  for (const e of p.executions) {
    if (known.has(e.execution.safeTxHash.toLowerCase())) continue
    findings.push({
      code: 'SERVICE_MISSING',
      level: 'warning',
      message: `executed in ${e.execution.transactionHash} (block ${e.execution.blockNumber}); the service has no record of it`,
      safeTxHash: e.execution.safeTxHash,
      ...(e.safeTx ? { nonce: e.safeTx.nonce } : {}),
    })
  }

  return findings.sort(
    (a, b) =>
      compareNonce(a.nonce, b.nonce) ||
      ORDER.indexOf(a.code) - ORDER.indexOf(b.code) ||
      a.safeTxHash.localeCompare(b.safeTxHash),
  )
}

/**
 * What reconciling needs of one verified execution: a `SafeExecutionRecord` is one, and so is the slim
 * copy `reconcileRecord` keeps (no signature bytes, no hashes), for a long history held until the end.
 */
export type ReconcileRecord = ReconcileExecution & { signers: readonly Pick<VerifiedSigner, 'signer'>[] }

/** The part of a verified record the reconciliation reads. */
export const reconcileRecord = (r: SafeExecutionRecord): ReconcileRecord => ({
  execution: r.execution,
  version: r.version,
  ...(r.safeTx ? { safeTx: r.safeTx } : {}),
  signers: r.signers.map((s) => ({ signer: s.signer })),
})

/** The signers each execution carried, keyed by its safeTxHash: the `signers` input from verified records. */
export function signersByHash(records: readonly ReconcileRecord[]): Record<string, Address[]> {
  return Object.fromEntries(
    records.map((r) => [r.execution.safeTxHash.toLowerCase(), r.signers.map((s) => s.signer)]),
  )
}

export type ReconcileServiceWithChainParameters = {
  /** A queue that can list its whole history (the service and directory queues can). */
  queue: Pick<Required<ProposalQueue>, 'history'>
  reads: Pick<ChainReads, 'chainId' | 'readSafe'>
  safe: Address
  /** The verified executions of the Safe (findExecutions → recoverExecTransaction → verifyExecution). */
  records: readonly ReconcileRecord[]
  nonces?: ReconcileServiceParameters['nonces']
}

/** The thin read: the Safe's nonce and version now and the queue's whole history, then `reconcileService`. */
export async function reconcileServiceWithChain({
  queue,
  reads,
  safe,
  records,
  nonces,
}: ReconcileServiceWithChainParameters): Promise<ServiceFinding[]> {
  const [chainId, state] = await Promise.all([reads.chainId(), reads.readSafe(safe)])
  const queued: QueuedTransaction[] = []
  for await (const t of queue.history(safe)) queued.push(t)
  return reconcileService({
    safe,
    chainId,
    version: state.version,
    nonce: state.nonce,
    executions: records,
    signers: signersByHash(records),
    queued,
    ...(nonces ? { nonces } : {}),
  })
}

/** The hash of the record's own fields, or why they cannot be hashed (a value out of range, a bad address). */
function rehash(
  p: ReconcileServiceParameters,
  version: string,
  tx: SafeTx,
): { hash: Hex } | { error: string } {
  try {
    return { hash: hashSafeTx({ chainId: p.chainId, safe: p.safe, version, tx }).safeTxHash }
  } catch (err) {
    return { error: (err as Error).message.split('\n')[0]! }
  }
}

const FIELDS: (keyof SafeTx)[] = [
  'to',
  'value',
  'data',
  'operation',
  'safeTxGas',
  'baseGas',
  'gasPrice',
  'gasToken',
  'refundReceiver',
  'nonce',
]

function fieldDifferences(service: SafeTx, chain: SafeTx): string[] {
  return FIELDS.filter((f) => !sameField(service[f], chain[f])).map(
    (f) => `${f} ${show(service[f])} (service) vs ${show(chain[f])} (chain)`,
  )
}

const sameField = (a: SafeTx[keyof SafeTx], b: SafeTx[keyof SafeTx]) =>
  typeof a === 'string' && typeof b === 'string' ? a.toLowerCase() === b.toLowerCase() : a === b

const show = (v: SafeTx[keyof SafeTx]) => {
  const s = String(v)
  return s.length > 42 ? `${s.slice(0, 20)}…(${(s.length - 2) / 2} bytes)` : s
}

const compareNonce = (a: bigint | undefined, b: bigint | undefined) =>
  a === b ? 0 : a === undefined ? 1 : b === undefined ? -1 : a < b ? -1 : 1
