import { readFileSync } from 'node:fs'
import { Flags } from '@oclif/core'
import { getAddress, Interface, keccak256, ZeroAddress } from 'ethers'
import { AllianceProvider, connect } from '../chain/provider.js'
import {
  ChainIdMismatchError,
  InvalidHashFlagError,
  InvalidTypedDataError,
  MissingHashInputError,
  SafeUnreadableError,
  SafeVersionMismatchError,
} from '../errors/hash.js'
import { InputFileNotFoundError } from '../errors/input.js'
import { KNOWN_SAFE_VERSION_LIST } from '../errors/safe.js'
import { ok } from '../render/envelope.js'
import { identifyCodeHash, type KnownContract, TRUSTED_DELEGATECALL_NAMES } from '../safe/deployments.js'
import { encodeGetTransactionHash } from '../safe/execTransaction.js'
import type { TypedDataDocument } from '../safe/safeMessage.js'
import { SAFE_NAMED_SLOTS } from '../safe/storage.js'
import type { Address, Hex, Operation, SafeTx } from '../safe/types.js'
import { parseSafeVersion, safeVersionAtLeast } from '../safe/version.js'
import { parseAddress } from '../utils/address.js'
import { AllianceCommand } from './baseCommand.js'

/** A warning for the envelope's `warnings` (stable `code`) and for the red WARNING lines. */
export type Finding = { code: string; message: string }

/**
 * The `hash` commands: findings land in the JSON envelope's `warnings` (the data keeps its fixed shape)
 * and, for people, in red WARNING lines.
 */
export abstract class HashCommand extends AllianceCommand {
  protected readonly findings: Finding[] = []
  readonly #notes = new Set<Finding>()

  /** `note`: worth knowing (the input was normalised), not a danger; still in the envelope's warnings. */
  protected addWarning(code: string, message: string, level: 'warning' | 'note' = 'warning'): void {
    const finding = { code, message }
    this.findings.push(finding)
    if (level === 'note') this.#notes.add(finding)
  }

  protected sayWarnings(): void {
    for (const f of this.findings) {
      if (this.#notes.has(f)) this.say(`${this.t.yellow('Note')} ${f.message}`)
      else this.say(`${this.t.red.bold('WARNING')} ${this.t.red(f.message)}`)
    }
  }

  protected override toSuccessJson(result: unknown) {
    return ok(result, this.findings)
  }

  /**
   * `--rpc-url` typed on the command line is always used (to read and cross-check); the same value from
   * ALLIANCE_RPC_URL only when an input is missing, so an offline hash stays offline in a shell that has it set.
   */
  protected rpcUrlFor(value: string | undefined, inputMissing: boolean): string | undefined {
    const typed = this.argv.some((a) => a === '--rpc-url' || a.startsWith('--rpc-url='))
    return value !== undefined && (typed || inputMissing) ? value : undefined
  }
}

const versionSummary = `(${KNOWN_SAFE_VERSION_LIST})`

/** Flags both hash commands share: which Safe, on which chain, of which version, and an owner Safe. */
export const safeFlags = {
  safe: Flags.string({ summary: 'Address of the Safe.', required: true }),
  'chain-id': Flags.string({ summary: 'Chain id of the Safe (read from the node with --rpc-url).' }),
  'safe-version': Flags.string({
    summary: `Safe version ${versionSummary}; read from VERSION() with --rpc-url.`,
  }),
  'nested-safe': Flags.string({
    summary: 'An owner of the Safe that is itself a Safe: also compute what its owners sign.',
    helpGroup: 'NESTED SAFE',
  }),
  'nested-version': Flags.string({
    summary: "The owner Safe's version; read from VERSION() with --rpc-url.",
    dependsOn: ['nested-safe'],
    helpGroup: 'NESTED SAFE',
  }),
}

const MAX_UINT256 = (1n << 256n) - 1n

export function parseAddressFlag(flag: string, value: string): Address {
  const parsed = parseAddress(value)
  if (!parsed.ok) {
    const reason =
      parsed.problem === 'format'
        ? 'not a 20-byte 0x-prefixed hex address'
        : 'mixed-case address with a wrong checksum'
    throw new InvalidHashFlagError({ flag, value, reason })
  }
  return parsed.address
}

export function parseUintFlag(flag: string, value: string, options: { min?: bigint } = {}): bigint {
  const v = value.trim()
  if (v.startsWith('-')) throw new InvalidHashFlagError({ flag, value, reason: 'must not be negative' })
  if (!/^(\d+|0x[0-9a-fA-F]+)$/.test(v)) {
    throw new InvalidHashFlagError({ flag, value, reason: 'must be a whole number (decimal or 0x-hex)' })
  }
  const n = BigInt(v)
  if (n > MAX_UINT256) throw new InvalidHashFlagError({ flag, value, reason: 'does not fit in a uint256' })
  const min = options.min ?? 0n
  if (n < min) throw new InvalidHashFlagError({ flag, value, reason: `must be at least ${min}` })
  return n
}

export function parseHexFlag(flag: string, value: string): Hex {
  if (!/^0x([0-9a-fA-F]{2})*$/.test(value)) {
    throw new InvalidHashFlagError({
      flag,
      value,
      reason: 'must be 0x-prefixed hex with an even number of digits',
    })
  }
  return value.toLowerCase() as Hex
}

export function parseOperationFlag(flag: string, value: string): Operation {
  if (value !== '0' && value !== '1') {
    throw new InvalidHashFlagError({ flag, value, reason: 'must be 0 (call) or 1 (delegatecall)' })
  }
  return Number(value) as Operation
}

/** Checks the version now (its typed error lists the known ones) and keeps the string as given. */
export function parseVersionFlag(value: string): string {
  parseSafeVersion(value)
  return value
}

export type HashChain = { url: string; chainId: bigint; provider: AllianceProvider; close(): void }

/**
 * Connects to --rpc-url. The node's eth_chainId is read first (the provider wants the chain up front), then
 * checked against --chain-id when both are given.
 */
export async function openHashChain(url: string, givenChainId?: bigint): Promise<HashChain> {
  const probe = new AllianceProvider(url, givenChainId ?? 1n)
  let actual: bigint
  try {
    actual = BigInt(await probe.send('eth_chainId', []))
  } finally {
    probe.destroy()
  }
  if (givenChainId !== undefined && actual !== givenChainId) {
    throw new ChainIdMismatchError({ url, given: givenChainId, actual })
  }
  const provider = await connect(url, actual)
  return { url, chainId: actual, provider, close: () => provider.destroy() }
}

const SAFE_READS = new Interface([
  'function VERSION() view returns (string)',
  'function nonce() view returns (uint256)',
  'function getMessageHash(bytes message) view returns (bytes32)',
])
const SINGLETON_NAMES = new Set(['GnosisSafe', 'GnosisSafeL2', 'Safe', 'SafeL2'])

export type CodeIdentity = { address: Address; codeHash: Hex; known?: KnownContract }

/** What --rpc-url tells about a Safe. Reads that revert are left undefined, with the reason. */
export type SafeChainState = {
  address: Address
  deployed: boolean
  version?: string
  versionError?: string
  nonce?: bigint
  /** Slot 0: the singleton the proxy delegates every call to. */
  singleton: CodeIdentity
  fallbackHandler?: CodeIdentity
}

export async function readSafeState(provider: AllianceProvider, address: Address): Promise<SafeChainState> {
  const [code, versionRead, nonceRead, slot0, handlerSlot] = await Promise.all([
    provider.getCode(address),
    callView(provider, address, 'VERSION'),
    callView(provider, address, 'nonce'),
    provider.getStorage(address, 0),
    provider.getStorage(address, SAFE_NAMED_SLOTS.fallbackHandler),
  ])
  const singletonAddress = getAddress(`0x${slot0.slice(-40)}`) as Address
  const handlerAddress = getAddress(`0x${handlerSlot.slice(-40)}`) as Address
  const [singleton, fallbackHandler] = await Promise.all([
    identify(provider, singletonAddress),
    handlerAddress === ZeroAddress ? undefined : identify(provider, handlerAddress),
  ])
  const state: SafeChainState = { address, deployed: code !== '0x', singleton }
  if (fallbackHandler) state.fallbackHandler = fallbackHandler
  if (versionRead.ok) state.version = String(versionRead.value)
  else state.versionError = versionRead.error
  if (nonceRead.ok) state.nonce = nonceRead.value as bigint
  return state
}

/** The code at an address, recognised among the released Safe contracts when it is one. */
export async function identify(provider: AllianceProvider, address: Address): Promise<CodeIdentity> {
  const codeHash = keccak256(await provider.getCode(address)) as Hex
  const known = identifyCodeHash(codeHash)
  return known ? { address, codeHash, known } : { address, codeHash }
}

type ViewResult = { ok: true; value: unknown } | { ok: false; error: string }

async function callView(
  provider: AllianceProvider,
  to: Address,
  fn: 'VERSION' | 'nonce' | 'getMessageHash',
  args: unknown[] = [],
): Promise<ViewResult> {
  try {
    const out = await provider.call({ to, data: SAFE_READS.encodeFunctionData(fn, args) })
    return { ok: true, value: SAFE_READS.decodeFunctionResult(fn, out)[0] }
  } catch (err) {
    // Transport failures are the node's fault, not the Safe's: those propagate.
    const code = (err as { code?: string }).code
    if (code === 'CALL_EXCEPTION') return { ok: false, error: 'the call reverted' }
    if (code === 'BAD_DATA') return { ok: false, error: 'the answer does not decode' }
    // Anything else (the node unreachable, a malformed reply) is not the Safe's answer: it propagates.
    throw err
  }
}

/** The Safe's own `getTransactionHash`, or undefined when it does not answer. */
export async function safeTxHashOnChain(
  provider: AllianceProvider,
  safe: Address,
  tx: SafeTx,
): Promise<Hex | undefined> {
  try {
    const out = await provider.call({ to: safe, data: encodeGetTransactionHash(tx) })
    return /^0x[0-9a-fA-F]{64}$/.test(out) ? (out.toLowerCase() as Hex) : undefined
  } catch (err) {
    if ((err as { code?: string }).code === 'CHAIN_UNREACHABLE') throw err
    return undefined
  }
}

/** The Safe's own `getMessageHash(data)` (its fallback handler from 1.3.0), or undefined when it does not answer. */
export async function safeMessageHashOnChain(
  provider: AllianceProvider,
  safe: Address,
  data: Hex,
): Promise<Hex | undefined> {
  const r = await callView(provider, safe, 'getMessageHash', [data])
  return r.ok ? (String(r.value).toLowerCase() as Hex) : undefined
}

export type ResolveSafeParameters = {
  /** How messages name it: "the Safe", "the nested Safe". */
  role: string
  address: Address
  versionFlag: string
  version?: string
  /** Set when the command needs a nonce (transactions). */
  nonceFlag?: string
  nonce?: bigint
  /** What --rpc-url read; undefined offline. */
  state?: SafeChainState
}

export type ResolvedSafe = {
  address: Address
  version: string
  nonce?: bigint
  /** Where the version and nonce came from, for people. */
  versionNote: string
  nonceNote?: string
  /** Human lines about the code behind the Safe. */
  notes: string[]
  findings: Finding[]
  /** Version of the CompatibilityFallbackHandler when the chain was read and its code is a released one. */
  handlerVersion?: string
}

/**
 * Merges the flags with what the chain says. The chain fills what the flags leave out; where both speak
 * they must agree. What neither provides is an error; what the chain cannot vouch for is a finding.
 */
export function resolveSafe(p: ResolveSafeParameters): ResolvedSafe {
  const notes: string[] = []
  const findings: Finding[] = []
  const s = p.state
  if (!s?.deployed) {
    const why = s ? `when ${p.role} has no code on this chain` : 'without --rpc-url'
    if (s) {
      findings.push({
        code: 'SAFE_NOT_DEPLOYED',
        message: `${cap(p.role)} ${p.address} has no code on this chain: nothing was read, the hashes rest on the flags.`,
      })
    }
    if (p.version === undefined) throw new MissingHashInputError({ flag: p.versionFlag, reason: why })
    if (p.nonceFlag && p.nonce === undefined)
      throw new MissingHashInputError({ flag: p.nonceFlag, reason: why })
    const versionNote = s ? `--${p.versionFlag}` : ''
    return { address: p.address, version: p.version, versionNote, ...nonceOf(p.nonce), notes, findings }
  }

  const single = s.singleton
  if (single.known && SINGLETON_NAMES.has(single.known.contractName)) {
    notes.push(
      `singleton: ${single.known.contractName} ${single.known.version} (canonical code) at ${single.address}`,
    )
    if (s.version !== undefined && parseSafeVersion(s.version).raw !== single.known.version) {
      findings.push({
        code: 'SINGLETON_VERSION_MISMATCH',
        message: `${cap(p.role)} ${p.address} reports VERSION() ${s.version} but runs the ${single.known.version} singleton code.`,
      })
    }
  } else {
    const what = single.known
      ? `${single.known.contractName} ${single.known.version}, not a Safe singleton`
      : 'code that matches no released Safe singleton'
    notes.push(`singleton: UNKNOWN (${what}) at ${single.address}, code hash ${single.codeHash}`)
    findings.push({
      code: 'UNKNOWN_SINGLETON',
      message: `${cap(p.role)} ${p.address} delegates to ${single.address}, ${what} (code hash ${single.codeHash}). Such a Safe can report any version, nonce or hash and execute anything: do not sign for it until you know what that code is.`,
    })
  }

  let version: string
  let versionNote: string
  if (s.version !== undefined) {
    const onChain = parseSafeVersion(s.version)
    const base = `${onChain.major}.${onChain.minor}.${onChain.patch}`
    if (p.version !== undefined) {
      const given = parseSafeVersion(p.version)
      if (`${given.major}.${given.minor}.${given.patch}` !== base) {
        throw new SafeVersionMismatchError({
          flag: p.versionFlag,
          safe: p.address,
          given: p.version,
          onChain: s.version,
        })
      }
      version = p.version
    } else {
      // VERSION() reads the same on the L2 singleton; only its code tells them apart.
      const l2 =
        s.singleton.known?.contractName.endsWith('L2') === true && safeVersionAtLeast(onChain, '1.3.0')
      version = l2 ? `${base}+L2` : base
    }
    versionNote =
      p.version === undefined ? 'VERSION() on chain' : `--${p.versionFlag}, agrees with VERSION() on chain`
  } else {
    if (p.version === undefined) {
      throw new SafeUnreadableError({
        safe: p.address,
        what: 'VERSION()',
        reason: s.versionError ?? 'no answer',
        flag: p.versionFlag,
        details: notes,
      })
    }
    version = p.version
    findings.push({
      code: 'SAFE_VERSION_UNREADABLE',
      message: `VERSION() of ${p.role} ${p.address} did not answer (${s.versionError}); using --${p.versionFlag} ${p.version}.`,
    })
    versionNote = `--${p.versionFlag}; VERSION() did not answer`
  }

  let nonce = p.nonce
  let nonceNote: string | undefined
  if (p.nonceFlag) {
    if (nonce === undefined) {
      if (s.nonce === undefined) {
        throw new SafeUnreadableError({
          safe: p.address,
          what: 'nonce()',
          reason: 'the call reverted',
          flag: p.nonceFlag,
          details: notes,
        })
      }
      nonce = s.nonce
      nonceNote = "the Safe's current nonce"
    } else if (s.nonce !== undefined && nonce < s.nonce) {
      findings.push({
        code: 'NONCE_USED',
        message: `Nonce ${nonce} of ${p.role} ${p.address} is already used (current nonce ${s.nonce}): this transaction can never execute.`,
      })
    } else if (s.nonce !== undefined && nonce > s.nonce) {
      nonceNote = `queued: the Safe's current nonce is ${s.nonce}`
    }
  }

  const handler = s.fallbackHandler?.known
  const handlerVersion =
    handler?.contractName === 'CompatibilityFallbackHandler' ? handler.version : undefined
  return {
    address: p.address,
    version,
    versionNote,
    ...nonceOf(nonce),
    ...(nonceNote ? { nonceNote } : {}),
    notes,
    findings,
    ...(handlerVersion ? { handlerVersion } : {}),
  }
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)

const nonceOf = (nonce: bigint | undefined) => (nonce === undefined ? {} : { nonce })

/** The cross-chain replay finding for Safes whose domain has no chainId. */
export function replayFinding(role: string, address: Address, version: string): Finding | undefined {
  if (safeVersionAtLeast(version, '1.3.0')) return undefined
  return {
    code: 'CROSS_CHAIN_REPLAY',
    message: `${cap(role)} ${address} is version ${version}: its EIP-712 domain has no chainId, so a signature for this hash is valid on every chain where a Safe ${version} with this address and these owners exists.`,
  }
}

/**
 * What a transaction's own fields say: a DELEGATECALL runs the target's code as the Safe (trusted only for
 * MultiSendCallOnly, SignMessageLib and SafeMigration, recognised by code when the chain was read); a
 * gas price pays a refund out of the Safe to the refund receiver.
 */
export function safeTxFindings(
  tx: Omit<SafeTx, 'nonce'>,
  target?: CodeIdentity,
): { findings: Finding[]; notes: string[] } {
  const findings: Finding[] = []
  const notes: string[] = []
  if (tx.operation === 1) {
    const known = target?.known
    if (known && (TRUSTED_DELEGATECALL_NAMES as readonly string[]).includes(known.contractName)) {
      notes.push(`DELEGATECALL to ${known.contractName} ${known.version} (recognised by its code)`)
    } else {
      const what = target
        ? `${tx.to} (${known ? `${known.contractName} ${known.version}` : 'code that matches no trusted Safe library'})`
        : `${tx.to} (not checked: no --rpc-url)`
      findings.push({
        code: 'DELEGATECALL',
        message: `Operation 1 runs the code at ${what} as the Safe itself: it can change owners, modules and guard and move every asset. Sign only for MultiSendCallOnly, SignMessageLib or SafeMigration.`,
      })
    }
  }
  if (tx.gasPrice > 0n) {
    const token = BigInt(tx.gasToken) === 0n ? 'ETH' : `token ${tx.gasToken}`
    const to = BigInt(tx.refundReceiver) === 0n ? 'the executor (tx.origin)' : tx.refundReceiver
    findings.push({
      code: 'GAS_REFUND',
      message: `A gasPrice of ${tx.gasPrice} makes the Safe pay (gas used + baseGas ${tx.baseGas}) × ${tx.gasPrice} in ${token} to ${to}: a refund can hide a transfer.`,
    })
  }
  return { findings, notes }
}

export type MessageText = { text: string; source: string; changes: string[] }

/**
 * A message file as the dApp meant it: CRLF line ends become LF, a UTF-8 BOM and the trailing newline(s)
 * an editor adds are dropped (as safe-tx-hashes-util reads its message files); each change is reported.
 */
export function readMessageTextFile(file: string): MessageText {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    throw new InputFileNotFoundError(file, 'Message file')
  }
  const changes: string[] = []
  if (text.startsWith('\uFEFF')) {
    text = text.slice(1)
    changes.push('UTF-8 byte-order mark removed')
  }
  if (text.includes('\r\n')) {
    text = text.replace(/\r\n/g, '\n')
    changes.push('CRLF line endings turned into LF')
  }
  const trimmed = text.replace(/\n+$/, '')
  if (trimmed !== text) {
    changes.push('trailing newline removed')
    text = trimmed
  }
  return { text, source: file, changes }
}

export function readTypedDataFile(file: string): TypedDataDocument {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    throw new InputFileNotFoundError(file, 'Typed-data file')
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, '')) as TypedDataDocument
  } catch (cause) {
    throw new InvalidTypedDataError({
      source: file,
      reason: `not valid JSON (${(cause as Error).message})`,
      cause,
    })
  }
}

/**
 * Text safe to print: control characters and bidirectional overrides could redraw the terminal or reorder
 * what the reader sees, so they are shown as escapes; newlines and tabs stay.
 */
export function printable(text: string): string {
  return text.replace(
    // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
    /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`,
  )
}
