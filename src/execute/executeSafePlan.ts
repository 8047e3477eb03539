import { Contract, type JsonRpcProvider, Wallet } from 'ethers'
import type { ChainReads } from '../chain/safeReads.js'
import { waitForReceipt } from '../chain/waitForReceipt.js'
import { decodeLog } from '../decode/decodeLog.js'
import { ExecutionRevertedError, NonceNotNextError, ThresholdNotMetError } from '../errors/execute.js'
import { PlanMismatchError } from '../errors/plan.js'
import { type SafePlan, signatureItem } from '../plan/types.js'
import { checkPlanAgainstSource, checkPlanIntegrity } from '../plan/verifyPlan.js'
import { encodeExecTransaction } from '../safe/execTransaction.js'
import { encodeSafeSignatures } from '../safe/signatures.js'
import type { Address, Hex } from '../safe/types.js'
import type { LocalSigner } from '../signers/privateKeyFromEnv.js'
import { checkPlanAgainstChain } from '../signers/signPlan.js'
import type { Workspace } from '../workspace/loadWorkspace.js'
import { acceptedSignatures } from './contractSignatures.js'

export type ExecuteSafePlanParameters = {
  plan: SafePlan
  planFile: string
  executor: LocalSigner
  provider: JsonRpcProvider
  reads: ChainReads
  workspace?: Workspace
  /** How long to wait for the transaction to be mined before giving up with a clear error. */
  receiptTimeoutMs?: number
  /** Called once the transaction is sent, before its receipt (to record it: it may still be mined). */
  onSent?: (transactionHash: Hex) => void
}

export type ExecuteSafePlanReturnType = {
  transactionHash: Hex
  blockNumber: number
  gasUsed: bigint
  executor: Address
  signers: Address[]
  safeTxHash: Hex
  /** Contract signatures the Safe would not accept, left out (the threshold was met without them). */
  refusedSignatures?: { owner: Address; reason: string }[]
}

/**
 * The outer transaction the executor's wallet will send, shown before it is sent. `approvals` are owners
 * whose approval the Safe finds without a signature: an `approveHash` on chain, or the executor itself.
 */
export function executionCall(
  plan: SafePlan,
  approvals: readonly Address[] = [],
): { to: Address; data: Hex; signers: Address[] } {
  const signatures = encodeSafeSignatures([
    ...plan.signatures.map(signatureItem),
    ...approvals.map((owner) => ({ kind: 'approved-hash' as const, signer: owner })),
  ])
  return {
    to: plan.safe.address,
    data: encodeExecTransaction(plan.safeTx, signatures),
    signers: [...plan.signatures.map((s) => s.signer), ...approvals].sort((a, b) =>
      a.toLowerCase() < b.toLowerCase() ? -1 : 1,
    ),
  }
}

/**
 * Owners without a signature in the plan whose approval the Safe will still accept: those that called
 * `approveHash(safeTxHash)` (read from `approvedHashes`), and the executor when it is an owner (the Safe
 * counts `msg.sender`).
 */
export async function onChainApprovals(
  provider: JsonRpcProvider,
  plan: SafePlan,
  owners: readonly Address[],
  executor: Address,
): Promise<Address[]> {
  const safe = new Contract(
    plan.safe.address,
    ['function approvedHashes(address,bytes32) view returns (uint256)'],
    provider,
  )
  const unsigned = owners.filter(
    (o) => !plan.signatures.some((s) => s.signer.toLowerCase() === o.toLowerCase()),
  )
  const approved = await Promise.all(
    unsigned.map(async (o) =>
      o.toLowerCase() === executor.toLowerCase() ||
      ((await safe.getFunction('approvedHashes')(o, plan.hashes.safeTxHash)) as bigint) !== 0n
        ? o
        : undefined,
    ),
  )
  return approved.filter((o): o is Address => o !== undefined)
}

/**
 * Executes a signed plan: everything is recomputed and every signature recovered to a current owner
 * before anything is sent; the receipt must carry the Safe's ExecutionSuccess for this safeTxHash.
 */
export async function executeSafePlan(p: ExecuteSafePlanParameters): Promise<ExecuteSafePlanReturnType> {
  const problems = [
    ...checkPlanIntegrity(p.plan),
    ...(p.workspace ? checkPlanAgainstSource(p.plan, p.workspace) : []),
  ]
  if (problems.length) throw new PlanMismatchError(p.planFile, problems)
  const safe = await checkPlanAgainstChain(p.plan, p.reads)
  if (p.plan.safeTx.nonce !== safe.nonce) throw new NonceNotNextError(p.plan.safeTx.nonce, safe.nonce)
  // Contract owners' signatures are put to the Safe itself; one it would refuse is dropped and named.
  const { accepted, refused } = await acceptedSignatures(p.provider, p.plan, p.executor.address)
  const plan: SafePlan = { ...p.plan, signatures: accepted }
  const valid = plan.signatures.filter((s) => safe.owners.includes(s.signer))
  // Signatures first; on-chain approvals only make up what is missing, fewest first (cheapest to check).
  const missing = safe.threshold - valid.length
  const approvals =
    missing > 0
      ? (await onChainApprovals(p.provider, plan, safe.owners, p.executor.address)).slice(0, missing)
      : []
  if (valid.length + approvals.length < safe.threshold)
    throw new ThresholdNotMetError(
      valid.length + approvals.length,
      safe.threshold,
      refused.map((r) => `${r.owner}'s contract signature is refused by the Safe: ${r.reason}`),
    )

  const { to, data, signers } = executionCall(plan, approvals)
  const wallet = new Wallet(p.executor.key, p.provider)
  let gasLimit: bigint
  try {
    gasLimit = await wallet.estimateGas({ to, data })
  } catch (err) {
    throw new ExecutionRevertedError(revertReason(err))
  }
  // Headroom: the Safe checks gasleft() against safeTxGas, and estimates are made at another block.
  const response = await wallet.sendTransaction({ to, data, gasLimit: (gasLimit * 12n) / 10n })
  p.onSent?.(response.hash as Hex)
  const receipt = await waitForReceipt(p.provider, response.hash, {
    timeoutMs: p.receiptTimeoutMs ?? 120_000,
  })
  if (receipt?.status !== 1) throw new ExecutionRevertedError('the transaction reverted', response.hash)
  const outcome = receipt.logs
    .filter((log) => log.address === p.plan.safe.address)
    .map((log) =>
      decodeLog(
        { address: log.address as Address, topics: log.topics as Hex[], data: log.data as Hex },
        () => undefined,
      ),
    )
    .find((e) => e.args?.[0]?.value === p.plan.hashes.safeTxHash)
  if (outcome?.name !== 'ExecutionSuccess') {
    throw new ExecutionRevertedError(
      'the Safe emitted no ExecutionSuccess for this safeTxHash',
      response.hash,
    )
  }
  return {
    transactionHash: response.hash as Hex,
    blockNumber: receipt.blockNumber,
    gasUsed: receipt.gasUsed,
    executor: p.executor.address,
    signers,
    safeTxHash: p.plan.hashes.safeTxHash,
    ...(refused.length ? { refusedSignatures: refused } : {}),
  }
}

export function revertReason(err: unknown): string {
  const e = err as { reason?: string; shortMessage?: string; message?: string; data?: string }
  return e.reason ?? e.shortMessage ?? e.message?.split('\n')[0] ?? String(err)
}
