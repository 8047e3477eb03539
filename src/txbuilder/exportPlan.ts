import { TxBuilderDelegatecallError } from '../errors/txbuilder.js'
import type { Address, Call } from '../safe/types.js'
import { txBuilderChecksum } from './checksum.js'
import type { TxBuilderBatchFile } from './schema.js'

/**
 * The parts of a SafePlan an export reads. Structural, so this stage does not import plan/ (which may
 * then import the Transaction Builder parser to re-verify imported plans).
 */
export type ExportablePlan = { chainId: bigint; safe: { address: Address }; actions: { calls: Call[] }[] }

export type PlanToTxBuilderOptions = {
  /** Milliseconds since the epoch (the caller's clock, so the function stays pure). */
  createdAt: number
  /** The batch name shown in the Transaction Builder (not covered by the checksum). */
  name: string
  description?: string
  /** Who wrote the file; the Transaction Builder writes its own app version here and never reads it back. */
  txBuilderVersion?: string
}

/**
 * A plan's calls as a Transaction Builder batch: one entry per call (not the MultiSendCallOnly wrapper:
 * Safe{Wallet} batches them itself), custom-hex form, with the checksum the Transaction Builder checks on
 * load. Refuses a delegatecall, which the Transaction Builder cannot express.
 */
export function planToTxBuilder(plan: ExportablePlan, options: PlanToTxBuilderOptions): TxBuilderBatchFile {
  const calls = plan.actions.flatMap((a) => a.calls)
  calls.forEach((call, index) => {
    if (call.operation !== 0) throw new TxBuilderDelegatecallError(index, call.to)
  })
  // Key order and null fields as Safe{Wallet} writes them (`JSON.stringify` with undefined → null).
  const batch: TxBuilderBatchFile = {
    version: '1.0',
    chainId: plan.chainId.toString(),
    createdAt: options.createdAt,
    meta: {
      name: options.name,
      description: options.description ?? '',
      txBuilderVersion: options.txBuilderVersion ?? 'alliance',
      createdFromSafeAddress: plan.safe.address,
      createdFromOwnerAddress: '',
    },
    transactions: calls.map((call) => ({
      to: call.to,
      value: call.value.toString(),
      // A bare value transfer is written as the UI writes one: no data, no method.
      data: call.data === '0x' ? null : call.data,
      contractMethod: null,
      contractInputsValues: null,
    })),
  }
  const checksum = txBuilderChecksum(batch as unknown as Record<string, unknown>)
  return { ...batch, meta: { ...batch.meta, checksum } }
}

/** The file's bytes: pretty JSON (the checksum does not depend on whitespace or key order). */
export const serializeTxBuilderFile = (batch: TxBuilderBatchFile) => `${JSON.stringify(batch, null, 2)}\n`
