import type { DecodedCall } from '../decode/decodeCall.js'
import type { Address, Hex, SafeTx } from '../safe/types.js'
import type { BalanceChange } from '../simulate/balanceChanges.js'
import type { CallFrame } from '../simulate/callTrace.js'
import type { ContractStorageDiff } from '../simulate/stateDiff/types.js'
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
  /**
   * safe: a Safe transaction. governor: a Governor proposal, whose calls the timelock makes; `safe`
   * then names the timelock (the account that executes the calls) and `safeTx` is a plain call.
   */
  route?: 'safe' | 'governor'
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
  /** What a simulation observed, when one ran: the checks that need it are skipped otherwise. */
  simulation?: SimulationEvidence
}

/** The parts of a simulation the checks judge: what actually ran, changed and moved. */
export type SimulationEvidence = {
  /** Absent when the node could not trace (eth_simulateV1). */
  trace?: CallFrame
  stateDiff?: ContractStorageDiff[]
  balanceChanges: BalanceChange[]
}

/** A finding as a check returns it; the runner adds which check it came from. */
export type CheckFinding = Omit<Finding, 'check'>

/** One risk check: a sentence that reads well in a report, and a function from the batch to findings. */
export type RiskCheck = {
  id: string
  name: string
  /** Judges a simulation's evidence: skipped (and said so) when no simulation ran. */
  needsSimulation?: boolean
  /** Judges something only a Safe transaction has (operation, refunds, nonce, the Safe's version). */
  safeOnly?: boolean
  run(ctx: CheckContext): Promise<CheckFinding[]>
}
