import { Contract, getAddress, type JsonRpcProvider, keccak256, ZeroAddress } from 'ethers'
import type { SafeState } from '../chain/safeReads.js'
import { tokenAbi } from '../contracts/tokenAbi.js'
import { type DecodeContext, decodeCall, flattenCalls } from '../decode/decodeCall.js'
import type { Address, Hex, SafeTx } from '../safe/types.js'
import type { Workspace } from '../workspace/loadWorkspace.js'
import type { CheckContext, CheckReads, SimulationEvidence } from './types.js'

export type CheckTarget = { safe: { address: Address; version: string }; safeTx: SafeTx }

/** The context the checks see: the transaction decoded from its bytes, plus what the chain says, if reachable. */
export function checkContext(
  target: CheckTarget,
  workspace: Workspace,
  decode: DecodeContext,
  chain?: { safe: SafeState; reads: CheckReads; queuedNonces?: bigint[] },
  simulation?: SimulationEvidence,
): CheckContext {
  const decoded = decodeCall(target.safeTx, {
    ...decode,
    safe: target.safe.address,
    safeVersion: target.safe.version,
  })
  return {
    safe: {
      ...target.safe,
      ...(chain ? { nonce: chain.safe.nonce, singleton: chain.safe.singleton } : {}),
    },
    safeTx: target.safeTx,
    decoded,
    calls: flattenCalls(decoded),
    book: workspace.book,
    policy: workspace.config.policy,
    ...(chain?.queuedNonces ? { queuedNonces: chain.queuedNonces } : {}),
    ...(chain ? { reads: chain.reads } : {}),
    ...(simulation ? { simulation } : {}),
  }
}

/** Check reads from a node, memoised for one report. */
export function chainCheckReads(provider: JsonRpcProvider): CheckReads {
  const codeHashes = new Map<string, Promise<Hex | undefined>>()
  return {
    codeHash(address) {
      let hit = codeHashes.get(address)
      if (!hit) {
        hit = provider.getCode(address).then((code) => (code === '0x' ? undefined : (keccak256(code) as Hex)))
        codeHashes.set(address, hit)
      }
      return hit
    },
    async balanceOf(token, holder) {
      if (token === ZeroAddress) return provider.getBalance(holder)
      return (await new Contract(getAddress(token), tokenAbi, provider).getFunction('balanceOf')(
        holder,
      )) as bigint
    },
  }
}
