import { getAddress, keccak256 } from 'ethers'
import type { Address, Hex } from '../../safe/types.js'
import { sameAddress } from '../../utils/address.js'
import type { CandidateKeys } from './candidateKeys.js'
import { type ChunkReader, type DecodeContext, decodeValue, sliceSlot } from './decodeValue.js'
import { identifyLayout, type KnownLayout } from './layouts.js'
import { type ResolvedVariable, resolveSlots } from './resolveSlots.js'
import type { ContractStorageDiff, PrestateAccount, PrestateDiff, StorageVariableChange } from './types.js'

export type DecodeStateDiffOptions = {
  /** Name of an address (the address book's), or the checksummed address itself. */
  label(address: Address): string
  keys: CandidateKeys
  /** Runtime code the diff does not carry (it has code only for accounts in `pre`), and Safes' singletons. */
  codeOf?(address: Address): Hex | undefined
  /** A Safe's singleton, needed to name its version when slot 0 did not change (the diff has only changes). */
  singletonOf?(safe: Address): Address | undefined
  /**
   * The transaction's sender. Its nonce bump belongs to the transaction, not to what it did. Without it, an
   * account with no code whose nonce rose by one is taken as the sender: only sending does that to an EOA.
   */
  sender?: Address
  /** The block's fee recipient: a balance gain there is gas fees. */
  coinbase?: Address
}

const ZERO = `0x${'0'.repeat(64)}` as Hex

/**
 * Names the storage a transaction changed, one entry per account that changed (storage, balance, nonce or
 * code), with packed slots split per variable and each change marked critical per its layout. Slots that
 * cannot be placed stay as raw changes without `variable`. Contracts with a critical change come first,
 * then by label.
 *
 * Gas is not a change of the transaction's intent, so the sender's nonce bump is dropped, and so is the
 * balance an EOA sender loses (the executor of a Safe transaction sends no value; any value it did send
 * shows where it arrived). An account left with nothing is left out.
 */
export function decodeStateDiff(diff: PrestateDiff, opts: DecodeStateDiffOptions): ContractStorageDiff[] {
  const keys = withStoredAddresses(diff, opts.keys)
  const pre = byAddress(diff.pre)
  const post = byAddress(diff.post)
  const out: ContractStorageDiff[] = []
  for (const key of new Set([...pre.keys(), ...post.keys()])) {
    const entry = decodeAccount(key, pre.get(key), post.get(key), keys, opts)
    if (entry) out.push(entry)
  }
  const hasCritical = (d: ContractStorageDiff) => d.changes.some((c) => c.critical)
  return out.sort(
    (a, b) =>
      Number(hasCritical(b)) - Number(hasCritical(a)) ||
      opts.label(a.address).localeCompare(opts.label(b.address)) ||
      a.address.localeCompare(b.address),
  )
}

function decodeAccount(
  key: string,
  pre: PrestateAccount | undefined,
  post: PrestateAccount | undefined,
  keys: CandidateKeys,
  opts: DecodeStateDiffOptions,
): ContractStorageDiff | undefined {
  const address = getAddress(key) as Address
  // In `pre` and gone from `post`: self-destructed; everything it had is now zero.
  const deleted = pre !== undefined && post === undefined
  const storage = storageChanges(pre?.storage ?? {}, post?.storage ?? {})

  const codeBefore = nonEmpty(pre?.code)
  const codeAfter = deleted ? undefined : post?.code !== undefined ? nonEmpty(post.code) : codeBefore
  const code = codeBefore ?? codeAfter ?? nonEmpty(opts.codeOf?.(address))
  const balanceBefore = BigInt(pre?.balance ?? 0)
  const balanceAfter = post?.balance !== undefined ? BigInt(post.balance) : deleted ? 0n : balanceBefore
  const nonceBefore = pre?.nonce ?? 0
  const nonceAfter = post?.nonce ?? (deleted ? 0 : nonceBefore)

  const isSender = opts.sender
    ? sameAddress(opts.sender, address)
    : code === undefined && nonceAfter === nonceBefore + 1
  const senderNonce = isSender && nonceAfter === nonceBefore + 1
  const gasPaid = isSender && code === undefined && balanceAfter < balanceBefore
  const fees =
    opts.coinbase !== undefined && sameAddress(opts.coinbase, address) && balanceAfter > balanceBefore

  const layout = code ? identifyLayout(code, safeHints(address, storage, opts)) : undefined
  const changes = decodeChanges(storage, layout, keys, opts)
  const entry: ContractStorageDiff = {
    address,
    ...(layout ? { layoutName: layout.name } : {}),
    changes,
    ...(balanceAfter !== balanceBefore && !gasPaid && !fees
      ? { balance: { before: balanceBefore, after: balanceAfter } }
      : {}),
    ...(nonceAfter !== nonceBefore && !senderNonce
      ? { nonce: { before: nonceBefore, after: nonceAfter } }
      : {}),
    codeChanged: codeAfter !== codeBefore,
  }
  const changed = changes.length > 0 || entry.balance || entry.nonce || entry.codeChanged
  return changed ? entry : undefined
}

type SlotChange = { before: Hex; after: Hex }

/** Changed slots with both values; a slot missing from one side is zero there (the tracer omits zeros). */
function storageChanges(pre: Record<string, string>, post: Record<string, string>): Map<Hex, SlotChange> {
  const words = (record: Record<string, string>) =>
    new Map(Object.entries(record).map(([slot, value]) => [word(slot), word(value)]))
  const before = words(pre)
  const after = words(post)
  const out = new Map<Hex, SlotChange>()
  for (const slot of new Set([...before.keys(), ...after.keys()])) {
    const change = { before: before.get(slot) ?? ZERO, after: after.get(slot) ?? ZERO }
    if (change.before !== change.after) out.set(slot, change)
  }
  return out
}

function safeHints(address: Address, storage: Map<Hex, SlotChange>, opts: DecodeStateDiffOptions) {
  const slot0 = storage.get(ZERO)
  // The singleton before the transaction names the Safe; a Safe set up in this transaction has it only after.
  const stored = slot0 ? (slot0.before !== ZERO ? slot0.before : slot0.after) : undefined
  const singleton = stored ? (getAddress(`0x${stored.slice(-40)}`) as Address) : opts.singletonOf?.(address)
  if (!singleton) return {}
  const singletonCode = opts.codeOf?.(singleton)
  return { singleton, ...(singletonCode ? { singletonCode } : {}) }
}

function decodeChanges(
  storage: Map<Hex, SlotChange>,
  layout: KnownLayout | undefined,
  keys: CandidateKeys,
  opts: DecodeStateDiffOptions,
): StorageVariableChange[] {
  const ctx: DecodeContext = {
    label: opts.label,
    knownWords: keys.knownWords,
    ...(layout?.knownAddresses ? { knownAddresses: layout.knownAddresses } : {}),
  }
  const slots = [...storage.keys()]
  const resolved = layout
    ? resolveSlots({
        layout: layout.layout,
        slots,
        keys,
        ctx,
        lengthOf: (slot) => {
          const c = storage.get(slot)
          return c ? bigMax(BigInt(c.before), BigInt(c.after)) : undefined
        },
      })
    : new Map<Hex, ResolvedVariable[]>()
  // The data of a long bytes/string, as far as the diff has it; an unchanged chunk is not in the diff.
  const chunks =
    (side: keyof SlotChange, lengthSlot: Hex): ChunkReader =>
    (i) =>
      storage.get(word(`0x${(BigInt(keccak256(lengthSlot)) + BigInt(i)).toString(16)}`))?.[side]

  const changes: StorageVariableChange[] = []
  for (const [slot, { before, after }] of storage) {
    const raw = { before, after }
    let explained = false
    for (const v of resolved.get(slot) ?? []) {
      const critical = layout?.criticalVariables.includes(v.root) ?? false
      const base = { slot, variable: v.path, type: v.type.label, raw, critical }
      if (v.kind === 'chunk') {
        explained = true
        // Part of a string whose length slot changed too: that change shows the whole value.
        if (storage.has(v.lengthSlot!)) continue
        const from = v.chunk! * 32
        changes.push({ ...base, variable: `${v.path}[${from}:${from + 32}]`, before, after })
      } else if (v.kind === 'bytes') {
        explained = true
        changes.push({
          ...base,
          before: decodeValue(before, v.typeId, v.type, 0, ctx, chunks('before', slot)),
          after: decodeValue(after, v.typeId, v.type, 0, ctx, chunks('after', slot)),
        })
      } else {
        const size = Number(v.type.numberOfBytes)
        // Packed neighbours of the variable that changed share the slot but not the change.
        if (sliceSlot(before, v.offset, size) === sliceSlot(after, v.offset, size)) continue
        explained = true
        changes.push({
          ...base,
          before: decodeValue(before, v.typeId, v.type, v.offset, ctx),
          after: decodeValue(after, v.typeId, v.type, v.offset, ctx),
        })
      }
    }
    if (!explained)
      changes.push({ slot, before, after, raw, critical: layout?.unresolvedIsCritical ?? false })
  }
  return changes.sort(
    (a, b) =>
      Number(b.critical) - Number(a.critical) ||
      Number(b.variable !== undefined) - Number(a.variable !== undefined) ||
      (a.variable ?? '').localeCompare(b.variable ?? '', 'en', { numeric: true }) ||
      a.slot.localeCompare(b.slot),
  )
}

/**
 * Storage values that look like addresses become candidate keys too: linked lists (the Safe's owners and
 * modules) key each entry by the previous entry's value, which the calldata need not contain.
 */
function withStoredAddresses(diff: PrestateDiff, keys: CandidateKeys): CandidateKeys {
  const words = new Set(keys.words)
  const prominent = new Set(keys.prominent ?? [])
  for (const side of [diff.pre, diff.post]) {
    for (const account of Object.values(side)) {
      for (const value of Object.values(account.storage ?? {})) {
        const v = BigInt(value)
        if (v !== 0n && v >> 160n === 0n) {
          words.add(word(value))
          prominent.add(word(value))
        }
      }
    }
  }
  return { words, knownWords: keys.knownWords, prominent }
}

const byAddress = (side: PrestateDiff['pre']) =>
  new Map(Object.entries(side).map(([address, account]) => [address.toLowerCase(), account]))

function word(hex: string): Hex {
  return `0x${hex.slice(2).toLowerCase().padStart(64, '0')}` as Hex
}

const nonEmpty = (code: string | undefined): Hex | undefined =>
  code && code !== '0x' ? (code.toLowerCase() as Hex) : undefined

const bigMax = (a: bigint, b: bigint) => (a > b ? a : b)
