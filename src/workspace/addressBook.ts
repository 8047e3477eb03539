import type { Address } from '../safe/types.js'
import { parseAddress } from '../utils/address.js'
import type { ContractType, WorkspaceConfig } from './schema.js'

export type BookEntry =
  | { kind: 'safe'; name: string; address: Address }
  | { kind: 'token'; name: string; address: Address; decimals: number; symbol: string }
  | { kind: 'native'; name: string; address: Address; decimals: 18; symbol: string }
  | { kind: 'contract'; name: string; address: Address; type: ContractType }
  | { kind: 'address'; name: string; address: Address }

export type TokenRef = Extract<BookEntry, { kind: 'token' | 'native' }>
export type ResolveResult<T> = { ok: true; value: T } | { ok: false; reason: string }

/** The native coin. Its "address" is the zero address, which is how the treasury spells ETH too. */
export const NATIVE_TOKEN = {
  kind: 'native',
  name: 'ETH',
  address: '0x0000000000000000000000000000000000000000',
  decimals: 18,
  symbol: 'ETH',
} as const satisfies BookEntry

/**
 * Every name the workspace gives to an address, in one namespace: a name means one thing, and an
 * address maps back to the name a person recognises. Pure: built from alliance.yaml, no chain.
 */
export class AddressBook {
  readonly #byName = new Map<string, BookEntry>()
  readonly #byAddress = new Map<string, BookEntry>()

  constructor(entries: BookEntry[]) {
    for (const entry of [NATIVE_TOKEN as BookEntry, ...entries]) {
      this.#byName.set(entry.name.toLowerCase(), entry)
      // The first name given to an address is the one shown for it.
      if (entry.kind !== 'native' && !this.#byAddress.has(entry.address))
        this.#byAddress.set(entry.address, entry)
    }
  }

  static fromConfig(config: WorkspaceConfig): AddressBook {
    const entries: BookEntry[] = [
      ...Object.entries(config.safes).map(([name, s]) => ({
        kind: 'safe' as const,
        name,
        address: s.address,
      })),
      ...Object.entries(config.tokens).map(([name, t]) => ({
        kind: 'token' as const,
        name,
        address: t.address,
        decimals: t.decimals,
        symbol: t.symbol ?? name,
      })),
      ...Object.entries(config.contracts).map(([name, c]) => ({
        kind: 'contract' as const,
        name,
        address: c.address,
        type: c.type,
      })),
      ...Object.entries(config.addresses).map(([name, address]) => ({
        kind: 'address' as const,
        name,
        address,
      })),
    ]
    return new AddressBook(entries)
  }

  entries(): BookEntry[] {
    return [...this.#byName.values()]
  }

  byName(name: string): BookEntry | undefined {
    return this.#byName.get(name.toLowerCase())
  }

  byAddress(address: string): BookEntry | undefined {
    return this.#byAddress.get(address)
  }

  /** The name for an address if the book has one, else the address itself. */
  label(address: string): string {
    return this.byAddress(address)?.name ?? address
  }

  /** An address-book name or a literal address. */
  resolveAddress(ref: string): ResolveResult<Address> {
    if (ref.startsWith('0x')) {
      const parsed = parseAddress(ref)
      return parsed.ok ? { ok: true, value: parsed.address } : parsed
    }
    const entry = this.byName(ref)
    if (!entry) return { ok: false, reason: `unknown name "${ref}"${this.#suggest(ref)}` }
    if (entry.kind === 'native') return { ok: false, reason: `"${ref}" is the native coin, not an address` }
    return { ok: true, value: entry.address }
  }

  /** A token by name or address; an address must be in the book, because its decimals come from there. */
  resolveToken(ref: string): ResolveResult<TokenRef> {
    if (ref.startsWith('0x')) {
      const parsed = parseAddress(ref)
      if (!parsed.ok) return parsed
      const entry = this.byAddress(parsed.address)
      if (entry?.kind === 'token') return { ok: true, value: entry }
      return {
        ok: false,
        reason: `token ${parsed.address} is not in the workspace; add it under "tokens:" with its decimals`,
      }
    }
    const entry = this.byName(ref)
    if (entry?.kind === 'token' || entry?.kind === 'native') return { ok: true, value: entry }
    if (entry) return { ok: false, reason: `"${ref}" is a ${entry.kind}, not a token` }
    return { ok: false, reason: `unknown token "${ref}"${this.#suggest(ref, ['token', 'native'])}` }
  }

  /** A Safe by name or address (any address may be a Safe); `undefined` picks the workspace's only Safe. */
  resolveSafe(ref: string | undefined): ResolveResult<{ name?: string; address: Address }> {
    if (ref === undefined) {
      const safes = this.entries().filter((e) => e.kind === 'safe')
      if (safes.length === 1) return { ok: true, value: { name: safes[0]!.name, address: safes[0]!.address } }
      return {
        ok: false,
        reason: safes.length ? 'the workspace has several Safes; name one' : 'the workspace has no Safe',
      }
    }
    const address = this.resolveAddress(ref)
    if (!address.ok) return address
    const entry = this.byAddress(address.value)
    return {
      ok: true,
      value: { ...(entry?.kind === 'safe' ? { name: entry.name } : {}), address: address.value },
    }
  }

  /** A contract of one of the given types, by name or address; `undefined` ref picks the only one. */
  resolveContract(
    ref: string | undefined,
    types: readonly ContractType[],
  ): ResolveResult<Extract<BookEntry, { kind: 'contract' }>> {
    const candidates = this.entries().filter(
      (e): e is Extract<BookEntry, { kind: 'contract' }> => e.kind === 'contract' && types.includes(e.type),
    )
    const wanted = types.join(' or ')
    if (ref === undefined) {
      if (candidates.length === 1) return { ok: true, value: candidates[0]! }
      return candidates.length === 0
        ? { ok: false, reason: `the workspace has no ${wanted} contract` }
        : { ok: false, reason: `the workspace has several ${wanted} contracts; name one` }
    }
    const address = this.resolveAddress(ref)
    if (!address.ok) return address
    const found = candidates.find((c) => c.address === address.value)
    if (found) return { ok: true, value: found }
    const known = candidates.map((c) => c.name).join(', ') || 'none'
    return { ok: false, reason: `"${ref}" is not a ${wanted} in the workspace (known: ${known})` }
  }

  #suggest(ref: string, kinds?: BookEntry['kind'][]): string {
    const names = this.entries()
      .filter((e) => !kinds || kinds.includes(e.kind))
      .map((e) => e.name)
    const close = names.filter((n) => editDistance(n.toLowerCase(), ref.toLowerCase()) <= 2)
    if (close.length) return `; did you mean ${close.map((n) => `"${n}"`).join(' or ')}?`
    return names.length ? `; known: ${names.join(', ')}` : ''
  }
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1))
      prev = tmp
    }
  }
  return row[b.length]!
}
