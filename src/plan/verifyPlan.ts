import { parseActionFile } from '../actions/actionFile.js'
import type { ChainReads, SafeState } from '../chain/safeReads.js'
import { isCanonicalMultiSendCallOnly } from '../safe/deployments.js'
import { encodeMultiSend } from '../safe/multiSend.js'
import { hashSafeTx } from '../safe/safeTxHash.js'
import { parseSafeSignatures } from '../safe/signatures.js'
import type { Call } from '../safe/types.js'
import { txBuilderToActionCalls } from '../txbuilder/importBatch.js'
import { canonicalJson, sha256Hex } from '../utils/canonicalJson.js'
import type { Workspace } from '../workspace/loadWorkspace.js'
import { planId } from './buildSafePlan.js'
import { callsOfSafeTx, safeTxFromQueuedSource } from './queuedSource.js'
import type { SafePlan } from './types.js'

/**
 * Recomputes a plan from its own parts and lists every disagreement: the id, the batch from the calls,
 * the hashes from the transaction fields, each signature's signer. Pure; empty means consistent.
 */
export function checkPlanIntegrity(plan: SafePlan): string[] {
  const problems: string[] = []
  const { id: _id, ...content } = plan
  if (planId(content) !== plan.id)
    problems.push(`plan id ${plan.id} does not match its content (${planId(content)})`)
  if (sha256Hex(plan.source.text) !== plan.source.sha256)
    problems.push('source.sha256 does not match source.text')

  const calls = plan.actions.flatMap((a) => a.calls)
  const tx = plan.safeTx
  if (plan.batch.kind === 'single') {
    const only = calls[0]
    if (calls.length !== 1 || !only) problems.push(`a single-call plan has ${calls.length} calls`)
    else if (!sameCall(only, tx)) problems.push("safeTx is not the plan's one call")
  } else {
    if (!isCanonicalMultiSendCallOnly(plan.batch.multiSend)) {
      problems.push(`batch target ${plan.batch.multiSend} is not a canonical MultiSendCallOnly`)
    }
    const expected: Call = { to: plan.batch.multiSend, value: 0n, data: encodeMultiSend(calls), operation: 1 }
    if (!sameCall(expected, tx))
      problems.push("safeTx is not the MultiSendCallOnly batch of the plan's calls")
  }

  const hashes = hashSafeTx({
    chainId: plan.chainId,
    safe: plan.safe.address,
    version: plan.safe.version,
    tx,
  })
  for (const key of ['domainHash', 'messageHash', 'safeTxHash'] as const) {
    if (hashes[key] !== plan.hashes[key])
      problems.push(`${key}: plan says ${plan.hashes[key]}, recomputed ${hashes[key]}`)
  }

  const seen = new Set<string>()
  for (const sig of plan.signatures) {
    // A contract owner's signature cannot be recovered offline: the chain judges it (verifyContractSignatures).
    if (sig.kind === 'contract') {
      if (!/^0x([0-9a-fA-F]{2})*$/.test(sig.signature))
        problems.push(`contract signature of ${sig.signer} is not hex`)
    } else {
      try {
        const [parsed] = parseSafeSignatures(sig.signature, hashes.safeTxHash, { version: plan.safe.version })
        if (!parsed || parsed.signer !== sig.signer) {
          problems.push(`signature claimed by ${sig.signer} was made by ${parsed?.signer ?? 'nobody'}`)
        }
      } catch (err) {
        problems.push(
          `signature claimed by ${sig.signer} does not parse: ${(err as Error).message.split('\n')[0]}`,
        )
      }
    }
    if (seen.has(sig.signer)) problems.push(`${sig.signer} signed twice`)
    seen.add(sig.signer)
    if (!plan.safe.owners.includes(sig.signer)) problems.push(`${sig.signer} is not an owner of the Safe`)
  }
  return problems
}

/**
 * Re-resolves the plan's embedded action file against the workspace and compares the calls: catches a
 * plan whose calls were edited to say something other than its YAML.
 */
export function checkPlanAgainstSource(plan: SafePlan, workspace: Workspace): string[] {
  if (plan.source.kind === 'txbuilder') return checkPlanAgainstTxBuilderSource(plan, workspace)
  if (plan.source.kind === 'queue') return checkPlanAgainstQueuedSource(plan)
  const file = parseActionFile(plan.source.file, plan.source.text, workspace)
  const problems: string[] = []
  if (file.safe.address !== plan.safe.address) {
    problems.push(`the action file names Safe ${file.safe.address}, the plan ${plan.safe.address}`)
  }
  const fromSource = canonicalJson(file.actions.map((a) => a.calls))
  const inPlan = canonicalJson(plan.actions.map((a) => a.calls))
  if (fromSource !== inPlan) problems.push('the calls differ from what the embedded action file encodes to')
  return problems
}

/**
 * The same for a plan imported from a Transaction Builder batch: the embedded file is decoded again.
 * Its checksum is not re-checked here: it was judged at import (perhaps overridden on purpose).
 */
function checkPlanAgainstTxBuilderSource(plan: SafePlan, workspace: Workspace): string[] {
  const imported = txBuilderToActionCalls({ file: plan.source.file, text: plan.source.text }, workspace)
  const problems = imported.problems.map((p) => p.message)
  if (imported.safe && imported.safe.address !== plan.safe.address) {
    problems.push(`the batch names Safe ${imported.safe.address}, the plan ${plan.safe.address}`)
  }
  const fromSource = canonicalJson(imported.calls.map((c) => (c.call ? [c.call] : [])))
  if (fromSource !== canonicalJson(plan.actions.map((a) => a.calls))) {
    problems.push('the calls differ from what the embedded Transaction Builder file encodes to')
  }
  return problems
}

/**
 * A plan made from a queued transaction: the embedded fields must be the plan's transaction, and its
 * calls what those fields decode to (the batch is re-decoded, not trusted).
 */
function checkPlanAgainstQueuedSource(plan: SafePlan): string[] {
  const fields = canonicalJson(safeTxFromQueuedSource(plan.source.text))
  if (fields !== canonicalJson(plan.safeTx))
    return ["the embedded queued transaction is not the plan's transaction"]
  const calls = callsOfSafeTx(plan.safeTx)
  if (!calls.ok) return [calls.reason]
  if (canonicalJson(calls.calls) !== canonicalJson(plan.actions.flatMap((a) => a.calls)))
    return ['the calls differ from what the queued transaction decodes to']
  return []
}

/**
 * Compares a plan with the chain now: same chain, same Safe version, owners and threshold, a nonce not
 * yet used, and the Safe's own hash of the transaction. No problems means the plan still fits the Safe;
 * the Safe's state is returned so callers need not read it again.
 */
export async function planChainProblems(
  plan: SafePlan,
  reads: ChainReads,
): Promise<{ problems: string[]; safe: SafeState }> {
  const [chainId, safe, onChainHash] = await Promise.all([
    reads.chainId(),
    reads.readSafe(plan.safe.address),
    reads.safeTransactionHash(plan.safe.address, plan.safeTx),
  ])
  const problems: string[] = []
  if (chainId !== plan.chainId) problems.push(`the plan is for chain ${plan.chainId}, the node is ${chainId}`)
  if (safe.version !== plan.safe.version) {
    problems.push(`the Safe is version ${safe.version}, the plan says ${plan.safe.version}`)
  }
  if (plan.safeTx.nonce < safe.nonce) {
    problems.push(`nonce ${plan.safeTx.nonce} is already used (the Safe is at ${safe.nonce})`)
  }
  if (onChainHash.toLowerCase() !== plan.hashes.safeTxHash.toLowerCase()) {
    problems.push(`the Safe computes ${onChainHash} for this transaction, the plan ${plan.hashes.safeTxHash}`)
  }
  const sameOwners =
    safe.owners.length === plan.safe.owners.length && safe.owners.every((o) => plan.safe.owners.includes(o))
  if (!sameOwners || safe.threshold !== plan.safe.threshold) {
    problems.push('the owners or the threshold changed since the plan was made')
  }
  return { problems, safe }
}

const sameCall = (a: Call, b: Call) =>
  a.to === b.to &&
  a.value === b.value &&
  a.data.toLowerCase() === b.data.toLowerCase() &&
  a.operation === b.operation
