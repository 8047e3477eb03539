import { Interface, type InterfaceAbi, id, ZeroHash } from 'ethers'
import { ALLIANCE_CONTRACTS, loadArtifact } from '../../contracts/artifacts.js'
import type { Hex } from '../../safe/types.js'
import type { CallFrame } from '../callTrace.js'

/**
 * Words that may be mapping keys. A mapping slot is keccak256(key ‖ slot) and cannot be inverted, so the
 * resolver tries these: whatever the transaction handled is likely what it wrote under.
 */
export type CandidateKeys = {
  /** 32-byte words, lowercase, as a key is hashed (addresses and uints left-padded). */
  words: ReadonlySet<Hex>
  /** Words with a name (role ids → `ALLOCATOR_ROLE`), for printing bytes32 keys and values. */
  knownWords: ReadonlyMap<Hex, string>
  /**
   * The words most likely to be keys, tried first: indexed event arguments (contracts index what
   * they key storage by), the given addresses, named words, 0 and 1. A subset of `words`.
   */
  prominent?: ReadonlySet<Hex>
}

export type CollectCandidateKeysParameters = {
  /** callTracer output, ideally with `withLog: true` (event topics carry ids and epochs). */
  trace?: CallFrame
  /** Extra addresses, typically every address in the address book. */
  addresses?: readonly string[]
  /** ABIs whose `*_ROLE()` getters name role ids; the alliance contracts' ABIs when omitted. */
  abis?: readonly InterfaceAbi[]
  /** Any further 32-byte words. */
  words?: readonly Hex[]
}

/**
 * Every 32-byte word the transaction touched: each frame's calldata after the selector and, for calls that
 * are not ABI-encoded, from its first byte; its return data; every log topic and data word; every frame's
 * `from`/`to`. Plus the given addresses, role ids and the words 0 (DEFAULT_ADMIN_ROLE, address(0), the
 * first index) and 1 (the Safe's linked-list sentinel, `true`).
 */
export function collectCandidateKeys(params: CollectCandidateKeysParameters = {}): CandidateKeys {
  const words = new Set<Hex>([ZeroHash as Hex, toWord('0x01')])
  const prominent = new Set<Hex>(words)
  const knownWords = new Map<Hex, string>([[ZeroHash as Hex, 'DEFAULT_ADMIN_ROLE']])
  const walk = (frame: CallFrame) => {
    addAddress(words, frame.from)
    if (frame.to) addAddress(words, frame.to)
    addWords(words, frame.input, 4)
    addWords(words, frame.input, 0)
    if (frame.output) addWords(words, frame.output, 0)
    for (const log of frame.logs ?? []) {
      addAddress(words, log.address)
      for (const topic of log.topics.slice(1)) addWords(prominent, topic, 0)
      for (const topic of log.topics) addWords(words, topic, 0)
      addWords(words, log.data, 0)
    }
    for (const child of frame.calls ?? []) walk(child)
  }
  if (params.trace) walk(params.trace)
  for (const address of params.addresses ?? []) {
    addAddress(words, address)
    addAddress(prominent, address)
  }
  for (const word of params.words ?? []) words.add(toWord(word))
  const roles = params.abis ? roleIds(params.abis) : allianceRoles()
  for (const [role, name] of roles) {
    words.add(role)
    prominent.add(role)
    knownWords.set(role, name)
  }
  return { words, knownWords, prominent }
}

let allianceRoleIds: Map<Hex, string> | undefined
function allianceRoles(): Map<Hex, string> {
  allianceRoleIds ??= roleIds(ALLIANCE_CONTRACTS.map((name) => loadArtifact(name).abi))
  return allianceRoleIds
}

/** OpenZeppelin's convention: `bytes32 public constant X_ROLE = keccak256("X_ROLE")`, but the admin role is 0. */
function roleIds(abis: readonly InterfaceAbi[]): Map<Hex, string> {
  const roles = new Map<Hex, string>()
  for (const abi of abis) {
    new Interface(abi).forEachFunction((fn) => {
      if (!fn.name.endsWith('_ROLE') || fn.inputs.length > 0 || fn.name === 'DEFAULT_ADMIN_ROLE') return
      roles.set(id(fn.name).toLowerCase() as Hex, fn.name)
    })
  }
  return roles
}

function toWord(hex: string): Hex {
  return `0x${hex.slice(2).toLowerCase().padStart(64, '0')}` as Hex
}

function addAddress(words: Set<Hex>, address: string) {
  words.add(toWord(address))
}

/** The complete 32-byte words of `data` from byte `start` on (a partial last word is not a key). */
function addWords(words: Set<Hex>, data: string, start: number) {
  const hex = data.slice(2).toLowerCase()
  for (let i = start * 2; i + 64 <= hex.length; i += 64) words.add(`0x${hex.slice(i, i + 64)}` as Hex)
}
