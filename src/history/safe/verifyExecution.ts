import { AbiCoder, concat, getAddress, Interface, id } from 'ethers'
import type { LogSource } from '../../chain/logSource.js'
import { encodeGetTransactionHash } from '../../safe/execTransaction.js'
import { type ParsedSignature, parseSafeSignatures, type SafeSignatureKind } from '../../safe/signatures.js'
import type { Address, Hex, SafeTx, SafeTxHashes } from '../../safe/types.js'
import { safeVersionAtLeast } from '../../safe/version.js'
import { sameAddress } from '../../utils/address.js'
import type { RecoverExecTransactionReturnType } from './recoverExecTransaction.js'
import { approvedHashAt, readSafeAt, type SafeHistoryChain, type SafeStateAt } from './safeStateAt.js'
import type { SafeExecution, SafeHistoryFinding } from './types.js'

export type VerifyExecutionParameters = {
  chain: SafeHistoryChain
  safe: Address
  execution: SafeExecution
  recovered: RecoverExecTransactionReturnType
  /**
   * With it, an approveHash earlier in the execution's own block (or transaction) also counts: the parent
   * block's state cannot show it. Without it only approvals before the block are seen.
   */
  logs?: LogSource
  /** The Safe at the parent block when the caller already has it (safeStateTimeline); read otherwise. */
  state?: SafeStateAt
}

export type SignerEvidence =
  | 'ecdsa'
  | 'eth_sign'
  | 'executor'
  | 'approved-before-block'
  | 'approved-in-block'
  | 'isValidSignature'

export type VerifiedSigner = {
  kind: SafeSignatureKind
  signer: Address
  /** An owner at the parent block. */
  owner: boolean
  /** The signature itself holds: recovered, approved, or accepted by the owner contract. */
  valid: boolean
  evidence?: SignerEvidence
  /** Why it does not hold, when it does not. */
  reason?: string
}

/** One execution audited from the chain alone. */
export type SafeExecutionRecord = {
  safe: Address
  execution: SafeExecution
  chainId: bigint
  /** `VERSION()` at the parent block: the hashing and signature rules the Safe applied. */
  version: string
  /** Owners and threshold at the parent block. */
  owners: Address[]
  threshold: number
  safeTx?: SafeTx
  signatures?: Hex
  executor?: Address
  via?: 'transaction' | 'trace'
  /** Recomputed with alliance's own EIP-712 code. */
  hashes?: SafeTxHashes
  /** The Safe's own `getTransactionHash` for the same fields at the parent block: a second opinion. */
  chainHash?: Hex
  signers: VerifiedSigner[]
  findings: SafeHistoryFinding[]
  /** True when no finding is an error. */
  verified: boolean
}

const APPROVE_HASH_TOPIC = id('ApproveHash(bytes32,address)')
const LEGACY_1271_MAGIC = '0x20c13b0b'
const EIP1271_MAGIC = '0x1626ba7e'
const eip1271 = new Interface([
  'function isValidSignature(bytes data, bytes signature) view returns (bytes4)',
  'function isValidSignature(bytes32 hash, bytes signature) view returns (bytes4)',
])

/**
 * Judges one execution against the chain as it was before it: the safeTxHash recomputed with the Safe's
 * version at that block and compared with the logged one and the Safe's own; every signature recovered
 * (ECDSA, eth_sign), looked up (approved hash) or put to the owner contract (EIP-1271) at the parent
 * block; each signer checked against the owners at that block, and their count against the threshold.
 * Everything found is returned as findings; nothing here throws for what the chain says.
 *
 * State is read at the parent block. An earlier execution of the same Safe in the same block may have
 * changed owners or threshold since; the record then carries a STATE_MAY_DIFFER note.
 */
export async function verifyExecution({
  chain,
  safe,
  execution,
  recovered,
  logs,
  state: known,
}: VerifyExecutionParameters): Promise<SafeExecutionRecord> {
  const parent = execution.blockNumber - 1
  const [state, network] = await Promise.all([known ?? readSafeAt(chain, safe, parent), chain.getNetwork()])
  const findings: SafeHistoryFinding[] = []
  const record: SafeExecutionRecord = {
    safe,
    execution,
    chainId: network.chainId,
    version: state.version,
    owners: state.owners,
    threshold: state.threshold,
    signers: [],
    findings,
    verified: false,
  }
  if (!execution.success) {
    findings.push({
      code: 'EXECUTION_FAILED',
      severity: 'warning',
      message:
        'the Safe emitted ExecutionFailure: its call reverted, the nonce was used, nothing else changed',
    })
  }
  if (execution.payment > 0n) {
    findings.push({
      code: 'GAS_REFUND',
      severity: 'info',
      message: `the Safe paid ${execution.payment} as a gas refund`,
    })
  }
  if (!recovered.ok) {
    findings.push({ code: 'NOT_RECOVERED', severity: 'error', message: recovered.reason })
    return done(record)
  }
  const { safeTx, signatures, executor, via } = recovered.value
  Object.assign(record, { safeTx, signatures, executor, via })
  if (safeTx.nonce !== state.nonce) {
    findings.push({
      code: 'STATE_MAY_DIFFER',
      severity: 'info',
      message: `nonce ${safeTx.nonce} follows other executions in the same block; owners and threshold are as of block ${parent}`,
    })
  }

  // Recovery hashed these fields with the same version and chain id to pick the frame.
  const hashes = recovered.value.hashes
  record.hashes = hashes
  if (hashes.safeTxHash.toLowerCase() !== execution.safeTxHash.toLowerCase()) {
    findings.push({
      code: 'HASH_MISMATCH',
      severity: 'error',
      message: `the fields hash to ${hashes.safeTxHash} (Safe ${state.version}, chain ${network.chainId}, nonce ${safeTx.nonce}), the Safe logged ${execution.safeTxHash}`,
    })
  }
  record.chainHash = (await chain.call({
    to: safe,
    data: encodeGetTransactionHash(safeTx),
    blockTag: parent,
  })) as Hex
  if (record.chainHash.toLowerCase() !== hashes.safeTxHash.toLowerCase()) {
    findings.push({
      code: 'CHAIN_HASH_MISMATCH',
      severity: 'error',
      message: `the Safe's getTransactionHash gives ${record.chainHash}, alliance computes ${hashes.safeTxHash}`,
    })
  }

  // The Safe checks exactly `threshold` static items against the hash it computed, so that is what we parse.
  let parsed: ParsedSignature[]
  try {
    parsed = parseSafeSignatures(signatures, hashes.safeTxHash, {
      count: state.threshold,
      version: state.version,
    })
  } catch (err) {
    findings.push({ code: 'BAD_SIGNATURE', severity: 'error', message: firstLine(err) })
    return done(record)
  }

  const context = { chain, safe, execution, hashes, executor, version: state.version, parent, logs }
  record.signers = await Promise.all(
    parsed.map(async (sig) => {
      const owner = state.owners.some((o) => sameAddress(o, sig.signer))
      const judged = await judgeSignature(sig, context)
      return { kind: sig.kind, signer: sig.signer, owner, ...judged }
    }),
  )
  for (const s of record.signers) {
    if (!s.valid)
      findings.push({
        code: 'BAD_SIGNATURE',
        severity: 'error',
        message: `${s.kind} signature of ${s.signer}: ${s.reason}`,
      })
    if (!s.owner)
      findings.push({
        code: 'SIGNER_NOT_OWNER',
        severity: 'error',
        message: `${s.signer} signed but was not an owner at block ${parent}`,
      })
  }
  const counted = new Set(record.signers.filter((s) => s.valid && s.owner).map((s) => s.signer.toLowerCase()))
  if (counted.size < state.threshold) {
    findings.push({
      code: 'BELOW_THRESHOLD',
      severity: 'error',
      message: `${counted.size} valid owner signature(s), the threshold at block ${parent} was ${state.threshold}`,
    })
  }
  return done(record)
}

type JudgeContext = {
  chain: SafeHistoryChain
  safe: Address
  execution: SafeExecution
  hashes: SafeTxHashes
  executor: Address
  version: string
  parent: number
  logs: LogSource | undefined
}

async function judgeSignature(
  sig: ParsedSignature,
  c: JudgeContext,
): Promise<{ valid: boolean; evidence?: SignerEvidence; reason?: string }> {
  switch (sig.kind) {
    // parseSafeSignatures recovered these from the hash itself, so they are the signer's by construction.
    case 'eoa':
      return { valid: true, evidence: 'ecdsa' }
    case 'eth_sign':
      return { valid: true, evidence: 'eth_sign' }
    case 'approved-hash': {
      if (sameAddress(sig.signer, c.executor)) return { valid: true, evidence: 'executor' }
      if (await approvedHashAt(c.chain, c.safe, sig.signer, c.hashes.safeTxHash, c.parent))
        return { valid: true, evidence: 'approved-before-block' }
      if (c.logs && (await approvedInBlock(sig.signer, c)))
        return { valid: true, evidence: 'approved-in-block' }
      return {
        valid: false,
        reason: `not the executor (${c.executor}) and no approveHash of ${c.hashes.safeTxHash} before the execution`,
      }
    }
    case 'contract':
      return contractSignature(sig, c)
  }
}

/** An ApproveHash log by `owner` for the hash, earlier in the execution's block (possibly its own transaction). */
async function approvedInBlock(owner: Address, c: JudgeContext): Promise<boolean> {
  const found = await c.logs!({
    address: c.safe,
    topics: [APPROVE_HASH_TOPIC],
    fromBlock: c.execution.blockNumber,
    toBlock: c.execution.blockNumber,
  })
  return found.some((log) => {
    if (log.index >= c.execution.logIndex) return false
    // 1.3.0 and 1.4.1 both index the hash and the owner; decode the data too in case a version does not.
    const [hash, who] =
      log.topics.length === 3
        ? [log.topics[1]!, getAddress(`0x${log.topics[2]!.slice(-40)}`)]
        : (AbiCoder.defaultAbiCoder().decode(['bytes32', 'address'], log.data) as unknown as [string, string])
    return hash.toLowerCase() === c.hashes.safeTxHash.toLowerCase() && sameAddress(who, owner)
  })
}

/**
 * Asks the owner contract, at the parent block, exactly what the Safe asked it: up to 1.4.1 the legacy
 * `isValidSignature(bytes preimage, bytes)` with the EIP-712 preimage, from 1.5.0 `isValidSignature(bytes32)`.
 * The call is made from the Safe, as at execution, since a Safe owner's fallback handler reads msg.sender.
 */
async function contractSignature(
  sig: Extract<ParsedSignature, { kind: 'contract' }>,
  c: JudgeContext,
): Promise<{ valid: boolean; evidence?: SignerEvidence; reason?: string }> {
  const modern = safeVersionAtLeast(c.version, '1.5.0')
  const preimage = concat(['0x1901', c.hashes.domainHash, c.hashes.messageHash])
  const data = modern
    ? eip1271.encodeFunctionData('isValidSignature(bytes32,bytes)', [c.hashes.safeTxHash, sig.signature])
    : eip1271.encodeFunctionData('isValidSignature(bytes,bytes)', [preimage, sig.signature])
  const magic = modern ? EIP1271_MAGIC : LEGACY_1271_MAGIC
  try {
    const out = await c.chain.call({ from: c.safe, to: sig.signer, data, blockTag: c.parent })
    if (out.slice(0, 10).toLowerCase() === magic) return { valid: true, evidence: 'isValidSignature' }
    return { valid: false, reason: `isValidSignature returned ${out.slice(0, 10)}, not ${magic}` }
  } catch (err) {
    return { valid: false, reason: `isValidSignature reverted: ${firstLine(err)}` }
  }
}

const done = (record: SafeExecutionRecord): SafeExecutionRecord => ({
  ...record,
  verified: !record.findings.some((f) => f.severity === 'error'),
})

const firstLine = (err: unknown) =>
  ((err as { shortMessage?: string }).shortMessage ?? (err as Error).message ?? String(err)).split('\n')[0]!
