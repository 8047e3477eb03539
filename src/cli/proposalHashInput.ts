import { readFileSync } from 'node:fs'
import { keccak256, ZeroAddress } from 'ethers'
import type { AllianceProvider } from '../chain/provider.js'
import {
  GovernorHashMismatchError,
  InvalidHashFlagError,
  MissingHashInputError,
  OzVersionMismatchError,
  ProposalListLengthError,
} from '../errors/hash.js'
import { InputFileNotFoundError } from '../errors/input.js'
import {
  hashProposal,
  type OzGovernorVersion,
  timelockOperationId,
  timelockSalt,
} from '../governor/proposalIds.js'
import { chainProposalIds, type GovernorInfo, readGovernor } from '../governor/readGovernor.js'
import type { Address, Hex } from '../safe/types.js'
import { type Finding, parseAddressFlag, parseHexFlag, parseUintFlag } from './hashInput.js'

/**
 * Inputs of `alliance hash proposal`: the calls as three parallel comma-separated lists, the description
 * as exact bytes, and the reads that check the local ids against the governor and its timelock.
 */

export type ProposalCalls = { targets: Address[]; values: bigint[]; calldatas: Hex[] }

/**
 * `--targets A,B` and its siblings: entries split on commas and trimmed; an empty string is an empty list.
 * An entry at fault is named by its position, as the same value may appear twice.
 */
export function parseListFlag<T>(
  flag: string,
  value: string,
  parse: (flag: string, entry: string) => T,
): T[] {
  if (value.trim() === '') return []
  const entries = value.split(',').map((e) => e.trim())
  return entries.map((entry, i) => {
    const where = `entry ${i + 1} of ${entries.length}`
    if (entry === '') throw new InvalidHashFlagError({ flag, value, reason: `${where} is empty` })
    try {
      return parse(flag, entry)
    } catch (err) {
      if (!(err instanceof InvalidHashFlagError)) throw err
      // The same error, with the entry's position: a long list may hold the same value twice.
      const reason = err.shortMessage.replace(`--${flag}: `, '').replace(/\.$/, '')
      throw new InvalidHashFlagError({ flag, value: entry, reason: `${where}: ${reason}` })
    }
  })
}

/** The three lists of a proposal, each entry validated, of equal lengths; `values` omitted means all zeros. */
export function parseProposalCalls(flags: {
  targets: string
  values?: string | undefined
  calldatas: string
}): ProposalCalls {
  const targets = parseListFlag('targets', flags.targets, parseAddressFlag)
  if (targets.length === 0) {
    throw new InvalidHashFlagError({
      flag: 'targets',
      value: flags.targets,
      reason: 'lists no target, and a Governor rejects a proposal without calls',
    })
  }
  const values =
    flags.values === undefined
      ? targets.map(() => 0n)
      : parseListFlag('values', flags.values, (f, v) => parseUintFlag(f, v))
  const calldatas = parseListFlag('calldatas', flags.calldatas, parseHexFlag)
  for (const [flag, list] of [
    ['values', values],
    ['calldatas', calldatas],
  ] as const) {
    if (list.length !== targets.length) {
      throw new ProposalListLengthError({ flag, got: list.length, expected: targets.length })
    }
  }
  return { targets, values, calldatas }
}

export type ProposalDescription = {
  /** The bytes hashed, exactly as read. */
  bytes: Uint8Array
  /** For display only: the bytes decoded as UTF-8 (invalid sequences replaced). */
  text: string
  /** Where it came from, for people: the file name, `stdin` or `--description`. */
  source: string
  hash: Hex
  findings: Finding[]
}

/**
 * Exactly one of `--description` and `--description-file` (`-` = stdin). The file is hashed byte for byte:
 * the governor hashes the string `propose` received, so a trailing newline or a CRLF is part of the id.
 * What a reader may not expect there is noted, never changed.
 */
export function readProposalDescription(flags: {
  description?: string | undefined
  'description-file'?: string | undefined
}): ProposalDescription {
  const { description: text, 'description-file': file } = flags
  if ((text === undefined) === (file === undefined)) {
    throw new MissingHashInputError({
      flag: 'description-file or --description',
      reason: text === undefined ? 'to give the proposal description' : 'alone (got both)',
      hint: 'Give exactly one: --description-file FILE (hashed byte for byte; - reads stdin) or --description TEXT.',
    })
  }
  let bytes: Uint8Array
  let source: string
  if (file === undefined) {
    bytes = new TextEncoder().encode(text)
    source = '--description'
  } else {
    source = file === '-' ? 'stdin' : file
    try {
      bytes = readFileSync(file === '-' ? 0 : file)
    } catch {
      throw new InputFileNotFoundError(file, 'Description file')
    }
  }
  const findings: Finding[] = []
  let decoded: string
  try {
    decoded = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes)
  } catch {
    decoded = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes)
    findings.push({
      code: 'DESCRIPTION_NOT_UTF8',
      message: `The description from ${source} is not valid UTF-8: it was hashed as raw bytes, but a wallet, explorer or Tally will show (and may re-encode) it differently.`,
    })
  }
  const extras = [
    decoded.startsWith('\uFEFF') ? 'starts with a UTF-8 byte-order mark' : '',
    decoded.includes('\r\n') ? 'has CRLF line endings' : '',
    /\r?\n$/.test(decoded) ? 'ends with a newline' : '',
  ].filter(Boolean)
  if (extras.length) {
    findings.push({
      code: 'DESCRIPTION_BYTES',
      message: `The description from ${source} ${extras.join(', ')}; hashed as is, so it must be proposed with exactly these bytes.`,
    })
  }
  return { bytes, text: decoded, source, hash: keccak256(bytes) as Hex, findings }
}

export type ComputeProposalIdsParameters = ProposalCalls & {
  descriptionHash: Hex
  ozVersion: OzGovernorVersion
  governor?: Address | undefined
  /** False when the chain says the governor has no timelock: there is no operation to name. */
  hasTimelock: boolean
}
export type ProposalIds = {
  proposalId: bigint
  /** Undefined when unknown: a 5.x salt needs the governor, and a governor without timelock has none. */
  timelockSalt?: Hex
  timelockOperationId?: Hex
}

export function computeProposalIds(p: ComputeProposalIdsParameters): ProposalIds {
  const proposalId = hashProposal(p)
  if (!p.hasTimelock || (p.ozVersion === 5 && p.governor === undefined)) return { proposalId }
  // 4.x salts with the description hash alone, so any governor address gives the same salt.
  const salt = timelockSalt(p.governor ?? (ZeroAddress as Address), p.descriptionHash, p.ozVersion)
  return { proposalId, timelockSalt: salt, timelockOperationId: timelockOperationId({ ...p, salt }) }
}

/** What the governor says about itself, checked against `--oz-version` when that was given. */
export async function readProposalGovernor(
  provider: AllianceProvider,
  governor: Address,
  givenOzVersion: OzGovernorVersion | undefined,
): Promise<GovernorInfo> {
  const info = await readGovernor(provider, governor)
  if (givenOzVersion !== undefined && givenOzVersion !== info.ozVersion) {
    throw new OzVersionMismatchError({ governor, given: givenOzVersion, onChain: info.ozVersion })
  }
  return info
}

export type ProposalChainCheck = {
  /** True when the contract answered and agreed; false when it did not answer (a disagreement throws). */
  proposalId: boolean
  /** Undefined when there was no operation id to check. */
  timelockOperationId?: boolean
  findings: Finding[]
}

/**
 * Asks the governor's `hashProposal` and the timelock's `hashOperationBatch`; a different answer stops the
 * command. A governor with `latestProposalId()` (OZ GovernorSequentialProposalId) numbers its proposals, so
 * `hashProposal` agreeing says nothing about the id it will emit.
 */
export async function checkProposalOnChain(
  provider: AllianceProvider,
  p: ProposalCalls & { governor: GovernorInfo; descriptionHash: Hex; ids: ProposalIds },
): Promise<ProposalChainCheck> {
  const findings: Finding[] = []
  const governor = p.governor.address
  const timelock = p.ids.timelockOperationId ? p.governor.timelock : undefined
  let onChain: Awaited<ReturnType<typeof chainProposalIds>> | undefined
  try {
    onChain = await chainProposalIds(provider, {
      governor,
      ...(timelock ? { timelock } : {}),
      ...(p.ids.timelockSalt ? { timelockSalt: p.ids.timelockSalt } : {}),
      targets: p.targets,
      values: p.values,
      calldatas: p.calldatas,
      description: '',
      descriptionHash: p.descriptionHash,
      proposalId: p.ids.proposalId,
      actions: [],
    })
  } catch (err) {
    if (!isRevert(err)) throw err
    findings.push({
      code: 'NOT_CROSS_CHECKED',
      message: `The governor ${governor}${timelock ? ` or its timelock ${timelock}` : ''} did not answer hashProposal/hashOperationBatch: the ids were not checked on chain.`,
    })
  }
  if (onChain && onChain.proposalId !== p.ids.proposalId) {
    throw new GovernorHashMismatchError({
      what: 'proposalId',
      contract: governor,
      local: String(p.ids.proposalId),
      onChain: String(onChain.proposalId),
    })
  }
  const localOp = p.ids.timelockOperationId
  if (
    onChain &&
    timelock &&
    localOp &&
    onChain.timelockOperationId?.toLowerCase() !== localOp.toLowerCase()
  ) {
    throw new GovernorHashMismatchError({
      what: 'timelockOperationId',
      contract: timelock,
      local: localOp,
      onChain: String(onChain.timelockOperationId),
    })
  }

  if (p.governor.proposalNumbering === 'sequential') {
    findings.push({
      code: 'SEQUENTIAL_PROPOSAL_IDS',
      message: `The governor ${governor} numbers proposals sequentially (it has latestProposalId()): the id it emits in ProposalCreated will be a counter, not the proposalId hash above.`,
    })
  }
  const check: ProposalChainCheck = { proposalId: onChain !== undefined, findings }
  if (timelock && localOp) check.timelockOperationId = onChain !== undefined
  return check
}

const isRevert = (err: unknown) => {
  const code = (err as { code?: string }).code
  return code === 'CALL_EXCEPTION' || code === 'BAD_DATA'
}
