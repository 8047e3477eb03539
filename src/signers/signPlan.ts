import type { ChainReads, SafeState } from '../chain/safeReads.js'
import { PlanMismatchError } from '../errors/plan.js'
import { AlreadySignedError, NotAnOwnerError, StalePlanError } from '../errors/signer.js'
import type { SafePlan } from '../plan/types.js'
import { checkPlanAgainstSource, checkPlanIntegrity, planChainProblems } from '../plan/verifyPlan.js'
import { signSafeTxHash } from '../safe/signatures.js'
import type { Workspace } from '../workspace/loadWorkspace.js'
import type { LocalSigner } from './privateKeyFromEnv.js'
import type { SafeTxSigner } from './types.js'

export type SignPlanParameters = {
  plan: SafePlan
  planFile: string
  /** A key (environment variable, keystore) or any SafeTxSigner (a Ledger). */
  signer: LocalSigner | SafeTxSigner
  /** When given, the embedded action file is re-encoded and must give the same calls. */
  workspace?: Workspace
  /** When given, the Safe's owners, nonce and own hash are checked against the chain. */
  reads?: ChainReads
}

/**
 * Adds one owner's EIP-712 signature to a plan — only after everything the signature commits to has
 * been recomputed here: the id, the batch, the hashes, the other signatures, the calls from the YAML,
 * and (with a chain) the Safe's owners, nonce and its own view of the hash.
 */
export async function signPlan({
  plan,
  planFile,
  signer,
  workspace,
  reads,
}: SignPlanParameters): Promise<SafePlan> {
  const problems = [
    ...checkPlanIntegrity(plan),
    ...(workspace ? checkPlanAgainstSource(plan, workspace) : []),
  ]
  if (problems.length) throw new PlanMismatchError(planFile, problems)
  if (reads) await checkPlanAgainstChain(plan, reads)

  if (!plan.safe.owners.includes(signer.address)) throw new NotAnOwnerError(signer.address, plan.safe.address)
  if (plan.signatures.some((s) => s.signer === signer.address)) throw new AlreadySignedError(signer.address)
  const signature =
    'signSafeTx' in signer
      ? await signer.signSafeTx(plan.hashes)
      : signSafeTxHash(signer.key, plan.hashes.safeTxHash)
  // v 31/32 marks an eth_sign signature (a pasted one may be); the Safe checks the two kinds differently.
  const kind = Number.parseInt(signature.slice(-2), 16) > 30 ? 'eth_sign' : 'eoa'
  return { ...plan, signatures: [...plan.signatures, { signer: signer.address, signature, kind }] }
}

/**
 * The Safe as it is now must still be the Safe the plan was made for; throws on the first difference,
 * else returns the Safe's state.
 */
export async function checkPlanAgainstChain(plan: SafePlan, reads: ChainReads): Promise<SafeState> {
  const { problems, safe } = await planChainProblems(plan, reads)
  if (problems[0]) throw new StalePlanError(problems[0])
  return safe
}
