import { getAddress } from 'ethers'
import { isCanonicalMultiSendCallOnly } from '../safe/deployments.js'
import { decodeMultiSend } from '../safe/multiSend.js'
import type { Address, Call, Hex, SafeTx } from '../safe/types.js'
import { canonicalJson } from '../utils/canonicalJson.js'

/** A queued transaction's ten fields as the text a plan embeds (canonical JSON, bigints as strings). */
export const queuedSourceText = (tx: SafeTx) => canonicalJson(tx)

export function safeTxFromQueuedSource(text: string): SafeTx {
  const f = JSON.parse(text) as Record<string, string | number>
  return {
    to: getAddress(String(f.to)) as Address,
    value: BigInt(f.value!),
    data: String(f.data) as Hex,
    operation: Number(f.operation) as 0 | 1,
    safeTxGas: BigInt(f.safeTxGas!),
    baseGas: BigInt(f.baseGas!),
    gasPrice: BigInt(f.gasPrice!),
    gasToken: getAddress(String(f.gasToken)) as Address,
    refundReceiver: getAddress(String(f.refundReceiver)) as Address,
    nonce: BigInt(f.nonce!),
  }
}

/**
 * The calls a Safe transaction makes, as alliance will sign them: a plain call is itself; a
 * delegatecall is only accepted into a canonical MultiSendCallOnly, whose batch is decoded. Anything
 * else (a delegatecall elsewhere) is refused here: it could do anything with the Safe.
 */
export function callsOfSafeTx(
  tx: SafeTx,
): { ok: true; calls: Call[]; multiSend?: Address } | { ok: false; reason: string } {
  const self: Call = { to: tx.to, value: tx.value, data: tx.data, operation: tx.operation }
  if (tx.operation === 0) return { ok: true, calls: [self] }
  if (!isCanonicalMultiSendCallOnly(tx.to))
    return { ok: false, reason: `it delegatecalls ${tx.to}, which is not a canonical MultiSendCallOnly` }
  try {
    return { ok: true, calls: decodeMultiSend(tx.data), multiSend: tx.to }
  } catch (err) {
    return {
      ok: false,
      reason: `its MultiSendCallOnly batch does not decode: ${(err as Error).message.split('\n')[0]}`,
    }
  }
}
