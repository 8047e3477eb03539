import { basename } from 'node:path'
import type { ActionFile } from '../actions/actionFile.js'
import type { ChainReads, SafeState } from '../chain/safeReads.js'
import { ChainHashMismatchError } from '../errors/chain.js'
import { MultiSendMissingError, NoCodeAtTargetError, RouteNotSupportedError } from '../errors/plan.js'
import { CANONICAL_DEPLOYMENT_VERSIONS, canonicalDeployments } from '../safe/deployments.js'
import { encodeMultiSend } from '../safe/multiSend.js'
import { safeTxFor } from '../safe/safeTxFor.js'
import { hashSafeTx } from '../safe/safeTxHash.js'
import type { Address, Call, SafeTx } from '../safe/types.js'
import { parseSafeVersion } from '../safe/version.js'
import { canonicalJson, sha256Hex } from '../utils/canonicalJson.js'
import { PLAN_FORMAT, PLAN_FORMAT_VERSION, type SafePlan } from './types.js'

export type BuildSafePlanOptions = {
  /** Plan for a later nonce (queued behind other transactions); defaults to the Safe's next nonce. */
  nonce?: bigint
}

/**
 * Action file → Safe plan: batch the calls (MultiSendCallOnly, never plain MultiSend, so nothing in a
 * batch can delegatecall), fill the Safe's nonce, hash with our own EIP-712 code, and check that hash
 * against the Safe's own `getTransactionHash` before anyone is shown it.
 */
export async function buildSafePlan(
  file: ActionFile,
  reads: ChainReads,
  options: BuildSafePlanOptions = {},
): Promise<SafePlan> {
  if (file.route !== 'safe') throw new RouteNotSupportedError(file.route)
  const [chainId, safe] = await Promise.all([reads.chainId(), reads.readSafe(file.safe.address)])
  await checkTargetsHaveCode(file, reads)

  const calls = file.actions.flatMap((a) => a.calls)
  const { batch, payload } = await batchCalls(calls, safe, reads)
  const safeTx: SafeTx = safeTxFor(payload, options.nonce ?? safe.nonce)
  const hashes = hashSafeTx({ chainId, safe: safe.address, version: safe.version, tx: safeTx })
  const onChain = await reads.safeTransactionHash(safe.address, safeTx)
  if (onChain.toLowerCase() !== hashes.safeTxHash.toLowerCase()) {
    throw new ChainHashMismatchError(hashes.safeTxHash, onChain)
  }

  return withId({
    format: PLAN_FORMAT,
    formatVersion: PLAN_FORMAT_VERSION,
    route: 'safe',
    chainId,
    description: file.description,
    source: {
      ...(file.sourceKind ? { kind: file.sourceKind } : {}),
      file: basename(file.file),
      sha256: sha256Hex(file.text),
      text: file.text,
    },
    safe: {
      ...(file.safe.name ? { name: file.safe.name } : {}),
      address: safe.address,
      version: safe.version,
      threshold: safe.threshold,
      owners: safe.owners,
    },
    actions: file.actions.map((a) => ({
      index: a.index,
      kind: a.kind,
      description: a.description,
      input: a.input,
      calls: a.calls,
    })),
    batch,
    safeTx,
    hashes,
    signatures: [],
  })
}

async function batchCalls(calls: Call[], safe: SafeState, reads: ChainReads) {
  if (calls.length === 1) return { batch: { kind: 'single' as const }, payload: calls[0]! }
  const { major, minor, patch } = parseSafeVersion(safe.version)
  const version = `${major}.${minor}.${patch}`
  // Safes older than 1.3.0 have no MultiSendCallOnly of their own; 1.3.0's works for them (it is delegatecalled).
  const deploymentVersion = (CANONICAL_DEPLOYMENT_VERSIONS as readonly string[]).includes(version)
    ? version
    : '1.3.0'
  const multiSend = canonicalDeployments(deploymentVersion).multiSendCallOnly.address
  if ((await reads.code(multiSend)) === '0x') throw new MultiSendMissingError(multiSend, deploymentVersion)
  return {
    batch: { kind: 'multisend-call-only' as const, multiSend },
    payload: { to: multiSend, value: 0n, data: encodeMultiSend(calls), operation: 1 as const },
  }
}

async function checkTargetsHaveCode(file: ActionFile, reads: ChainReads) {
  const targets = new Map<Address, string>()
  for (const action of file.actions) {
    for (const call of action.calls) {
      if (call.data !== '0x' && !targets.has(call.to))
        targets.set(call.to, `action ${action.index + 1} (${action.kind})`)
    }
  }
  const codes = await Promise.all([...targets.keys()].map((t) => reads.code(t)))
  ;[...targets.entries()].forEach(([target, action], i) => {
    if (codes[i] === '0x') throw new NoCodeAtTargetError(target, action)
  })
}

/** The content address: a hash of everything but the id and the signatures. */
export function planId(plan: Omit<SafePlan, 'id'>): SafePlan['id'] {
  const { signatures: _signatures, ...content } = plan
  return sha256Hex(canonicalJson(content))
}

export const withId = (plan: Omit<SafePlan, 'id'>): SafePlan => ({ ...plan, id: planId(plan) }) as SafePlan
