import type { Interface } from 'ethers'
import type { z } from 'zod'
import type { Address, Call } from '../safe/types.js'
import type { AddressBook } from '../workspace/addressBook.js'
import type { WorkspaceConfig } from '../workspace/schema.js'

/** What an action kind may consult while resolving names: the workspace only, never the chain. */
export type ActionContext = {
  book: AddressBook
  config: WorkspaceConfig
  /** ABIs the workspace knows for an address (alliance contracts, `abi:` files), for `kind: call`. */
  abiFor(address: Address): Interface | undefined
}

/**
 * One kind of alliance action. `schema` turns the YAML object into resolved parameters (names to
 * addresses, human amounts to base units), reporting problems at the field that caused them;
 * `encode` turns parameters into calls; `describe` says in words what the calls do.
 */
export type ActionKind<P = unknown> = {
  kind: string
  summary: string
  schema(ctx: ActionContext): z.ZodType<P>
  encode(params: P): Call[]
  describe(params: P, book: AddressBook): string
}

export const defineActionKind = <P>(kind: ActionKind<P>): ActionKind<P> => kind
