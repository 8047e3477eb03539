import { AllianceError } from './base.js'

/** The file is not JSON, or not a Transaction Builder batch file (wrong shape or types). */
export class InvalidTxBuilderFileError extends AllianceError {
  override name = 'InvalidTxBuilderFileError'
  constructor(file: string, problems: string[]) {
    super(`${file} is not a valid Safe Transaction Builder batch file`, {
      code: 'TXBUILDER_INVALID',
      details: problems,
      hint: 'Export the batch again from the Transaction Builder ("Download"); values must be strings.',
    })
  }
}

/** The file's meta.checksum is not what the Transaction Builder computes for its content. */
export class TxBuilderBadChecksumError extends AllianceError {
  override name = 'TxBuilderBadChecksumError'
  constructor(file: string, found: string, expected: string) {
    super(`${file} was modified after it was generated: its checksum does not match its content`, {
      code: 'TXBUILDER_BAD_CHECKSUM',
      details: [`meta.checksum  ${found}`, `recomputed     ${expected}`],
      hint: 'Get the file again from its author and compare. To import it anyway, check every decoded call first, then pass --allow-bad-checksum.',
    })
  }
}

/** The file carries no meta.checksum, so nothing says it is what the Transaction Builder wrote. */
export class TxBuilderMissingChecksumError extends AllianceError {
  override name = 'TxBuilderMissingChecksumError'
  constructor(file: string, expected: string) {
    super(`${file} has no checksum (meta.checksum), so edits to it cannot be detected`, {
      code: 'TXBUILDER_MISSING_CHECKSUM',
      details: [`recomputed  ${expected}`],
      hint: 'Files downloaded from the Transaction Builder carry one. To import it anyway, check every decoded call first, then pass --allow-bad-checksum.',
    })
  }
}

export type TxBuilderProblemCode =
  | 'TXBUILDER_WRONG_CHAIN'
  | 'TXBUILDER_WRONG_SAFE'
  | 'TXBUILDER_BAD_TRANSACTION'

/**
 * The batch is for another chain or Safe, or a transaction does not encode. The code is that of the
 * first problem; every problem is listed.
 */
export class TxBuilderRefusedError extends AllianceError {
  override name = 'TxBuilderRefusedError'
  readonly problems: { code: TxBuilderProblemCode; message: string }[]
  constructor(file: string, problems: { code: TxBuilderProblemCode; message: string }[]) {
    const [first, ...more] = problems
    const code = first?.code ?? 'TXBUILDER_BAD_TRANSACTION'
    super(`${file} cannot be imported into this workspace: ${first?.message ?? 'no transactions'}`, {
      code,
      details: more.map((p) => p.message),
      hint: HINTS[code],
    })
    this.problems = problems
  }
}

const HINTS: Record<TxBuilderProblemCode, string> = {
  TXBUILDER_WRONG_CHAIN:
    'The batch was built for another network; import it in a workspace for that chain (chain.chainId in alliance.yaml).',
  TXBUILDER_WRONG_SAFE:
    'Import the batch where its Safe (meta.createdFromSafeAddress) is listed under "safes:" in alliance.yaml.',
  TXBUILDER_BAD_TRANSACTION:
    'Fix the named transaction in the Transaction Builder and download the batch again; nothing was planned.',
}

/** One transaction's contractMethod / contractInputsValues do not encode (the Safe UI would send "0x"). */
export class TxBuilderEncodeError extends AllianceError {
  override name = 'TxBuilderEncodeError'
  constructor(reason: string) {
    super(reason, {
      code: 'TXBUILDER_BAD_TRANSACTION',
      hint: 'Check the value given for each contractMethod input; all values are strings.',
    })
  }
}

/** The Transaction Builder batches only CALLs (MultiSendCallOnly); a delegatecall has no representation. */
export class TxBuilderDelegatecallError extends AllianceError {
  override name = 'TxBuilderDelegatecallError'
  constructor(index: number, to: string) {
    super(
      `call ${index + 1} of the plan is a DELEGATECALL to ${to}, which a Transaction Builder file cannot express`,
      {
        code: 'TXBUILDER_DELEGATECALL',
        hint: 'Sign and execute this plan with alliance directly (`alliance sign`, `alliance execute`).',
      },
    )
  }
}
