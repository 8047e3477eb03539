import { concat, Interface, type JsonRpcProvider } from 'ethers'
import type { PlanSignature, SafePlan } from '../plan/types.js'
import { signatureItem } from '../plan/types.js'
import { encodeSafeSignatures } from '../safe/signatures.js'
import type { Address, Hex } from '../safe/types.js'
import { safeVersionAtLeast } from '../safe/version.js'
import { decodeRevert } from '../simulate/callTrace.js'

const BEFORE_150 = new Interface([
  'function checkNSignatures(bytes32 dataHash, bytes data, bytes signatures, uint256 requiredSignatures) view',
])
const FROM_150 = new Interface([
  'function checkNSignatures(address executor, bytes32 dataHash, bytes signatures, uint256 requiredSignatures) view',
])

/**
 * Whether the Safe itself accepts one contract owner's (EIP-1271) signature for this transaction: the
 * Safe's own `checkNSignatures` is asked about that one signature, so the owner contract's
 * `isValidSignature` runs exactly as it will at execution (whatever the owner is: a Safe of any version,
 * or another contract). Returns the reason it is refused, or undefined when accepted.
 */
export async function contractSignatureRefusal(
  provider: JsonRpcProvider,
  plan: SafePlan,
  signature: PlanSignature,
  executor: Address,
): Promise<string | undefined> {
  if (!safeVersionAtLeast(plan.safe.version, '1.3.0'))
    return `Safe ${plan.safe.version} has no public checkNSignatures to ask`
  const bytes = encodeSafeSignatures([signatureItem(signature)])
  const hash = plan.hashes.safeTxHash
  const data = safeVersionAtLeast(plan.safe.version, '1.5.0')
    ? FROM_150.encodeFunctionData('checkNSignatures', [executor, hash, bytes, 1])
    : BEFORE_150.encodeFunctionData('checkNSignatures', [
        hash,
        // What the Safe hands a contract owner: the EIP-712 preimage of the safeTxHash.
        concat(['0x1901', plan.hashes.domainHash, plan.hashes.messageHash]),
        bytes,
        1,
      ])
  try {
    await provider.call({ from: executor, to: plan.safe.address, data })
    return undefined
  } catch (err) {
    const revert = (err as { data?: string }).data
    return (typeof revert === 'string' && decodeRevert(revert as Hex)) || 'the Safe refused it'
  }
}

/** The plan's signatures the Safe will accept: contract signatures are put to the chain, the others kept. */
export async function acceptedSignatures(
  provider: JsonRpcProvider,
  plan: SafePlan,
  executor: Address,
): Promise<{ accepted: PlanSignature[]; refused: { owner: Address; reason: string }[] }> {
  const verdicts = await Promise.all(
    plan.signatures.map(async (s) =>
      s.kind === 'contract' ? contractSignatureRefusal(provider, plan, s, executor) : undefined,
    ),
  )
  return {
    accepted: plan.signatures.filter((_, i) => verdicts[i] === undefined),
    refused: plan.signatures.flatMap((s, i) =>
      verdicts[i] ? [{ owner: s.signer, reason: verdicts[i] }] : [],
    ),
  }
}
