import type { DecodedCall } from '../decode/decodeCall.js'
import type { Address, Hex, SafeTx } from '../safe/types.js'
import type { AddressBook } from '../workspace/addressBook.js'

export type Severity = 'info' | 'warning' | 'danger'

export type Finding = {
  check: string
  severity: Severity
  message: string
  /** 1-based position of the call in the flattened batch, when the finding is about one call. */
  call?: number
}

/** Chain reads a check may make. Absent offline: checks then say what they could not verify. */
export type CheckReads = {
  codeHash(address: Address): Promise<Hex | undefined>
  /** Balance of `holder` in `token` (the zero address is the native coin). */
  balanceOf(token: Address, holder: Address): Promise<bigint>
}

/** Everything a check looks at: the transaction as the Safe will execute it, decoded from its bytes. */
export type CheckContext = {
  safe: {
    address: Address
    version: string
    /** The Safe's next nonce on chain, when known. */
    nonce?: bigint
    /** Slot 0, when read from the chain. */
    singleton?: Address
  }
  safeTx: SafeTx
  /** The transaction decoded from its bytes; `calls` are its leaves (batches flattened), in order. */
  decoded: DecodedCall
  calls: DecodedCall[]
  book: AddressBook
  policy: { maxTransferShareBps: number }
  /** Nonces of other transactions queued for this Safe, to catch collisions. */
  queuedNonces?: bigint[]
  reads?: CheckReads
}

/** A finding as a check returns it; the runner adds which check it came from. */
export type CheckFinding = Omit<Finding, 'check'>

/** One risk check: a sentence that reads well in a report, and a function from the batch to findings. */
export type RiskCheck = {
  id: string
  name: string
  run(ctx: CheckContext): Promise<CheckFinding[]>
}
