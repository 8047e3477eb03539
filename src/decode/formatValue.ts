import { formatAmount } from '../utils/units.js'
import type { AddressBook, TokenRef } from '../workspace/addressBook.js'
import { NATIVE_TOKEN } from '../workspace/addressBook.js'
import type { DecodedArg, DecodedCall } from './decodeCall.js'

/** An argument as a signer should read it: addresses by name (with the address), long bytes shortened. */
export function formatArgValue(value: unknown, book: AddressBook, { withAddress = true } = {}): string {
  if (typeof value === 'string' && /^0x[0-9a-fA-F]{40}$/.test(value)) {
    const label = book.label(value)
    if (label === value) return value
    return withAddress ? `${label} (${value})` : label
  }
  if (typeof value === 'string' && value.startsWith('0x') && value.length > 74) {
    return `${value.slice(0, 34)}…(${(value.length - 2) / 2} bytes)`
  }
  if (Array.isArray(value))
    return `[${value.map((v) => formatArgValue(v, book, { withAddress })).join(', ')}]`
  if (typeof value === 'string') return JSON.stringify(value)
  return String(value)
}

/** One line: `name=value, …` with addresses by name only (events, compact views). */
export const formatArgs = (args: DecodedArg[] | undefined, book: AddressBook) =>
  (args ?? []).map((a) => `${a.name}=${formatArgValue(a.value, book, { withAddress: false })}`).join(', ')

const AMOUNT_NAMES = /^(amount|value|wad|budget|amountIn|amountOut)$/i

/**
 * The token an amount in this call (or event) is denominated in: the target (emitter) itself when it
 * is a token (transfer, Transfer), else the first address argument that is a token (allocate,
 * emergencyWithdraw, Allocated).
 */
function amountToken(call: Pick<DecodedCall, 'to' | 'args'>, book: AddressBook): TokenRef | undefined {
  const target = book.byAddress(call.to)
  if (target?.kind === 'token') return target
  for (const arg of call.args ?? []) {
    if (arg.type !== 'address' || typeof arg.value !== 'string') continue
    if (/^0x0{40}$/.test(arg.value)) return NATIVE_TOKEN
    const entry = book.byAddress(arg.value)
    if (entry?.kind === 'token') return entry
  }
  return undefined
}

/** Arguments one per line for a signer: raw value, and beside an amount, the same in token units. */
export function formatArgLines(call: DecodedCall, book: AddressBook): { name: string; value: string }[] {
  const token = amountToken(call, book)
  return (call.args ?? []).map((a) => {
    let value = formatArgValue(a.value, book)
    if (token && a.type.startsWith('uint') && AMOUNT_NAMES.test(a.name) && typeof a.value === 'bigint') {
      value += `  (${formatAmount(a.value, token.decimals)} ${token.symbol})`
    }
    return { name: a.name, value }
  })
}

export const formatEth = (wei: bigint) => `${formatAmount(wei, 18)} ETH`

/**
 * Arguments on one line as a reader wants them: addresses by name, and amounts in the units of the
 * token they are counted in (`amount: 12,500.5 ALLY`), for call and event summaries.
 */
export function formatArgsInUnits(
  call: Pick<DecodedCall, 'to' | 'args'>,
  book: AddressBook,
  separator = ': ',
): string {
  const token = amountToken(call, book)
  // On anything but a token, an argument named `value` is wei sent with a call (execTransaction,
  // a timelock's schedule), whatever token another argument names.
  const targetIsToken = book.byAddress(call.to)?.kind === 'token'
  return (call.args ?? [])
    .map((a) => {
      const unit = a.name === 'value' && !targetIsToken ? NATIVE_TOKEN : token
      const inUnits =
        unit && a.type.startsWith('uint') && AMOUNT_NAMES.test(a.name) && typeof a.value === 'bigint'
          ? `${formatAmount(a.value, unit.decimals)} ${unit.symbol}`
          : formatArgValue(a.value, book, { withAddress: false })
      return `${a.name}${separator}${inUnits}`
    })
    .join(', ')
}
