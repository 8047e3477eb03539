import type { SafeState } from '../chain/safeReads.js'
import { type DecodeContext, decodeCall } from '../decode/decodeCall.js'
import { QueuedTransactionMismatchError } from '../errors/queue.js'
import { withId } from '../plan/buildSafePlan.js'
import { callsOfSafeTx, queuedSourceText } from '../plan/queuedSource.js'
import { PLAN_FORMAT, PLAN_FORMAT_VERSION, type PlanSignature, type SafePlan } from '../plan/types.js'
import { checkPlanIntegrity } from '../plan/verifyPlan.js'
import { hashSafeTx } from '../safe/safeTxHash.js'
import { parseSafeSignatures } from '../safe/signatures.js'
import { sameAddress } from '../utils/address.js'
import { sha256Hex } from '../utils/canonicalJson.js'
import type { QueuedTransaction } from './types.js'

export type QueuedReview = {
  plan: SafePlan
  /** Confirmations the queue holds that alliance does not count, and why. */
  rejected: { owner: string; reason: string }[]
}

/**
 * A queued transaction made into a plan that `sign` and `execute` can verify like any other, after
 * recomputing everything the queue claims: the safeTxHash from the fields (with the Safe's version and
 * the chain id read from the chain, never from the queue), and each confirmation recovered to its owner.
 * A queue that carries the plan itself (a directory) must carry the same transaction. When the signer has
 * a local plan, that plan is the reference: the queued fields must match it exactly.
 */
export function planFromQueued(
  queued: QueuedTransaction,
  safe: SafeState,
  chainId: bigint,
  decode: DecodeContext,
  where: string,
  local?: SafePlan,
): QueuedReview {
  const hashes = hashSafeTx({ chainId, safe: safe.address, version: safe.version, tx: queued.safeTx })
  const problems: string[] = []
  if (!sameAddress(queued.safe, safe.address)) problems.push(`it is filed for Safe ${queued.safe}`)
  if (hashes.safeTxHash.toLowerCase() !== queued.safeTxHash.toLowerCase())
    problems.push(
      `its fields hash to ${hashes.safeTxHash}, not to the ${queued.safeTxHash} it is filed under`,
    )
  const reference = local ?? queued.plan
  if (reference) {
    for (const key of Object.keys(queued.safeTx) as (keyof typeof queued.safeTx)[]) {
      if (String(reference.safeTx[key]).toLowerCase() !== String(queued.safeTx[key]).toLowerCase())
        problems.push(
          `${key}: ${local ? 'your plan' : 'its plan'} has ${reference.safeTx[key]}, the queue ${queued.safeTx[key]}`,
        )
    }
  }
  if (problems.length) throw new QueuedTransactionMismatchError(queued.safeTxHash, where, problems)

  const { signatures, rejected } = countedConfirmations(queued, safe, hashes.safeTxHash)
  let plan: SafePlan
  if (reference) {
    plan = { ...reference, signatures: mergeSignatures(reference.signatures, signatures) }
  } else {
    const calls = callsOfSafeTx(queued.safeTx)
    if (!calls.ok)
      throw new QueuedTransactionMismatchError(queued.safeTxHash, where, [
        `alliance will not sign it: ${calls.reason}`,
      ])
    const text = queuedSourceText(queued.safeTx)
    plan = withId({
      format: PLAN_FORMAT,
      formatVersion: PLAN_FORMAT_VERSION,
      route: 'safe',
      chainId,
      description: queued.origin ?? `Queued transaction ${queued.safeTxHash}`,
      source: { kind: 'queue', file: `${queued.safeTxHash}.json`, sha256: sha256Hex(text), text },
      safe: { address: safe.address, version: safe.version, threshold: safe.threshold, owners: safe.owners },
      actions: calls.calls.map((call, index) => {
        const decoded = decodeCall(call, decode)
        return {
          index,
          kind: 'queued-call',
          description: decoded.signature ? `${decoded.functionName} on ${call.to}` : `call ${call.to}`,
          input: {},
          calls: [call],
        }
      }),
      batch: calls.multiSend
        ? { kind: 'multisend-call-only', multiSend: calls.multiSend }
        : { kind: 'single' },
      safeTx: queued.safeTx,
      hashes,
      signatures,
    })
  }
  const integrity = checkPlanIntegrity(plan)
  if (integrity.length) throw new QueuedTransactionMismatchError(queued.safeTxHash, where, integrity)
  return { plan, rejected }
}

/** Confirmations that recover to the owner they claim, who is a current owner; others are reported, not counted. */
function countedConfirmations(queued: QueuedTransaction, safe: SafeState, safeTxHash: string) {
  const signatures: PlanSignature[] = []
  const rejected: { owner: string; reason: string }[] = []
  for (const c of queued.confirmations) {
    try {
      const [item] = parseSafeSignatures(c.signature, safeTxHash as `0x${string}`, {
        count: 1,
        version: safe.version,
      })
      if (item?.kind === 'contract') {
        // An owner contract (another Safe): kept for the chain to judge at sign and execute time.
        if (!sameAddress(item.signer, c.owner))
          rejected.push({ owner: c.owner, reason: `the signature names ${item.signer}` })
        else if (!safe.owners.some((o) => sameAddress(o, item.signer)))
          rejected.push({ owner: c.owner, reason: 'not a current owner' })
        else signatures.push({ signer: item.signer, signature: item.signature, kind: 'contract' })
      } else if (!item || (item.kind !== 'eoa' && item.kind !== 'eth_sign')) {
        rejected.push({
          owner: c.owner,
          reason: `a ${item?.kind ?? 'missing'} signature (approvals on chain are found at execute)`,
        })
      } else if (!sameAddress(item.signer, c.owner)) {
        rejected.push({ owner: c.owner, reason: `the signature is ${item.signer}'s` })
      } else if (!safe.owners.some((o) => sameAddress(o, item.signer))) {
        rejected.push({ owner: c.owner, reason: 'not a current owner' })
      } else if (signatures.some((s) => sameAddress(s.signer, item.signer))) {
        rejected.push({ owner: c.owner, reason: 'a second confirmation by the same owner' })
      } else {
        signatures.push({ signer: item.signer, signature: item.data, kind: item.kind })
      }
    } catch (err) {
      rejected.push({ owner: c.owner, reason: (err as Error).message.split('\n')[0]! })
    }
  }
  return { signatures, rejected }
}

function mergeSignatures(a: PlanSignature[], b: PlanSignature[]): PlanSignature[] {
  const out = [...a]
  for (const s of b) if (!out.some((o) => sameAddress(o.signer, s.signer))) out.push(s)
  return out
}
