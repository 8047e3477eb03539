import { type JsonRpcProvider, type TransactionReceipt, Wallet } from 'ethers'
import { waitForReceipt } from '../../chain/waitForReceipt.js'
import { artifactInterface } from '../../contracts/artifacts.js'
import { type GovernorStep, GovernorTxRevertedError } from '../../errors/governor.js'
import type { Address, Hex } from '../../safe/types.js'
import type { LocalSigner } from '../../signers/privateKeyFromEnv.js'
import { decodeRevert } from '../../simulate/callTrace.js'
import { revertReason } from '../executeSafePlan.js'

export type SentGovernorTx = {
  step: GovernorStep
  from: Address
  to: Address
  value: bigint
  transactionHash: Hex
  blockNumber: number
  gasUsed: bigint
}

export type SendGovernorTxParameters = {
  provider: JsonRpcProvider
  signer: LocalSigner
  step: GovernorStep
  to: Address
  data: Hex
  value?: bigint
  receiptTimeoutMs?: number
}

/**
 * One lifecycle transaction to the governor: estimated first, so a call the governor would refuse is
 * explained (its custom error decoded) and never sent; then sent with headroom and waited for.
 */
export async function sendGovernorTx(
  p: SendGovernorTxParameters,
): Promise<{ sent: SentGovernorTx; receipt: TransactionReceipt }> {
  const wallet = new Wallet(p.signer.key, p.provider)
  const value = p.value ?? 0n
  let gasLimit: bigint
  try {
    gasLimit = await wallet.estimateGas({ to: p.to, data: p.data, value })
  } catch (err) {
    throw new GovernorTxRevertedError({ step: p.step, reason: governorRevertReason(err) })
  }
  const response = await wallet.sendTransaction({
    to: p.to,
    data: p.data,
    value,
    gasLimit: (gasLimit * 12n) / 10n,
  })
  const receipt = await waitForReceipt(p.provider, response.hash, {
    timeoutMs: p.receiptTimeoutMs ?? 120_000,
  })
  if (receipt.status !== 1)
    throw new GovernorTxRevertedError({ step: p.step, reason: 'reverted on chain', txHash: response.hash })
  return {
    sent: {
      step: p.step,
      from: p.signer.address,
      to: p.to,
      value,
      transactionHash: response.hash as Hex,
      blockNumber: receipt.blockNumber,
      gasUsed: receipt.gasUsed,
    },
    receipt,
  }
}

/** The governor's (or its timelock's) custom error in words, else what the node said. */
export function governorRevertReason(err: unknown): string {
  const data = (err as { data?: unknown }).data
  if (typeof data === 'string' && data.length >= 10) {
    for (const name of ['AllianceGovernor', 'AllianceTimelock']) {
      const decoded = decodeRevert(data as Hex, artifactInterface(name))
      if (decoded && !decoded.startsWith('custom error')) return decoded
    }
    return decodeRevert(data as Hex) ?? revertReason(err)
  }
  return revertReason(err)
}
