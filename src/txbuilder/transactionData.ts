import { AbiCoder, FunctionFragment, Interface, type JsonFragment, type JsonFragmentType } from 'ethers'
import { TxBuilderEncodeError } from '../errors/txbuilder.js'
import type { Hex } from '../safe/types.js'
import type { TxBuilderContractInput, TxBuilderContractMethod, TxBuilderTransaction } from './schema.js'

export type TransactionDataSource = 'data' | 'contractMethod' | 'none'

export type TxBuilderTransactionData = { data: Hex; from: TransactionDataSource }

// The Transaction Builder never encodes these; such a transaction is a plain value transfer.
const NOT_ENCODED = ['receive', 'fallback']

/**
 * The calldata Safe{Wallet} sends for one batch entry (`convertToProposedTransactions` and
 * `encodeToHexData`): non-empty `data` as is; else the contract method encoded from its string inputs;
 * else "0x". Unlike the Safe UI, which swallows an encoding error and sends "0x" (a bare value
 * transfer), a value that does not encode throws `TxBuilderEncodeError`.
 */
export function txBuilderTransactionData(tx: TxBuilderTransaction): TxBuilderTransactionData {
  // Truthiness, as upstream: "" falls through to the method, "0x" is used as given.
  if (tx.data) return { data: tx.data as Hex, from: 'data' }
  const method = tx.contractMethod
  if (method?.name && !NOT_ENCODED.includes(method.name)) {
    return { data: encodeContractMethod(method, tx.contractInputsValues ?? {}), from: 'contractMethod' }
  }
  return { data: '0x', from: 'none' }
}

/** Selector + arguments for a method whose argument values are strings, parsed the Transaction Builder's way. */
export function encodeContractMethod(method: TxBuilderContractMethod, values: Record<string, string>): Hex {
  const abi: JsonFragment = {
    type: 'function',
    name: method.name,
    inputs: method.inputs.map(abiParam),
    outputs: [],
    stateMutability: method.payable ? 'payable' : 'nonpayable',
  }
  let fragment: FunctionFragment
  try {
    fragment = FunctionFragment.from(abi)
  } catch (err) {
    throw new TxBuilderEncodeError(
      `contractMethod ${method.name} is not a valid ABI function: ${reason(err)}`,
    )
  }
  const args = method.inputs.map((input, index) => {
    const key = input.name || String(index)
    const label = `${method.name} input "${key}" (${input.type})`
    try {
      return parseInputValue(input.type, values[key] || '')
    } catch (err) {
      throw new TxBuilderEncodeError(`${label}: ${reason(err)}`)
    }
  })
  try {
    return new Interface([fragment]).encodeFunctionData(fragment, args) as Hex
  } catch (err) {
    // Name the input that fails: the encoder's own message names only its type.
    const coder = AbiCoder.defaultAbiCoder()
    for (const [index, param] of fragment.inputs.entries()) {
      const key = method.inputs[index]?.name || String(index)
      try {
        coder.encode([param], [args[index]])
      } catch (inner) {
        const missing = values[key] === undefined ? ' (no value given)' : ''
        throw new TxBuilderEncodeError(
          `${method.name} input "${key}" (${param.type}) does not encode${missing}: ${reason(inner)}`,
        )
      }
    }
    throw new TxBuilderEncodeError(`${fragment.format('sighash')} does not encode: ${reason(err)}`)
  }
}

const abiParam = (input: TxBuilderContractInput): JsonFragmentType => ({
  name: input.name ?? '',
  type: input.type,
  ...(input.internalType ? { internalType: input.internalType } : {}),
  ...(input.components ? { components: input.components.map(abiParam) } : {}),
})

// The type tests of apps/tx-builder/src/components/forms/fields/fields.ts, unchanged.
const INT_TYPE =
  /^(u?int)(8|16|24|32|40|48|56|64|72|80|88|96|104|112|120|128|136|144|152|160|168|176|184|192|200|208|216|224|232|240|248|256)?$/
const ARRAY_TYPE = /[^\]](\[([1-9]+[0-9]*)?\])$/
const MATRIX_TYPE = /[^\]]((\[([1-9]+[0-9]*)?\]){2,2})$/
const MULTI_ARRAY_TYPE = /[^\]]((\[([1-9]+[0-9]*)?\]){3,})$/
const BASE_TYPE = /^([a-zA-Z0-9]*)(\[(?:[1-9][0-9]*)?\])*$/

const isAnyArray = (type: string) =>
  ARRAY_TYPE.test(type) || MATRIX_TYPE.test(type) || MULTI_ARRAY_TYPE.test(type)

/**
 * One input value, parsed as `parseInputValue` in apps/tx-builder/src/utils.ts does, so the bytes match
 * what Safe{Wallet} would send: bool words, BN.js-style integers, JSON for tuples and string arrays, a
 * bracket splitter for other arrays, and the raw string for everything else.
 */
export function parseInputValue(type: string, value: string): unknown {
  const trimmed = value.trim()
  if (type === 'bool') return parseBool(trimmed)
  if (INT_TYPE.test(type)) return parseInteger(trimmed)
  if (/^tuple/.test(type)) return JSON.parse(trimmed)
  if (type.startsWith('string') && isAnyArray(type)) return JSON.parse(trimmed)
  if (isAnyArray(type)) return parseArray(trimmed, type)
  return value
}

function parseBool(value: string): boolean {
  const word = value.trim().toLowerCase()
  if (word === 'true' || word === '1') return true
  if (word === 'false' || word === '0') return false
  throw new Error(`"${value}" is not a boolean (true/false/1/0)`)
}

/** BN.js semantics: `0x…` is hex, and so are digits containing a–f without a prefix ("1a" = 26; "10" = 10). */
function parseInteger(value: string): bigint {
  const trimmed = value.replace(/"/g, '').replace(/'/g, '').trim()
  if (trimmed === '') throw new Error('an integer cannot be empty')
  const negative = trimmed.startsWith('-')
  const abs = negative ? trimmed.slice(1) : trimmed
  const prefixed = abs.toLowerCase().startsWith('0x')
  const bareHex = !prefixed && /^[0-9a-f]+$/i.test(abs) && /[a-f]/i.test(abs)
  try {
    const magnitude = prefixed ? BigInt(abs) : bareHex ? BigInt(`0x${abs}`) : undefined
    if (magnitude !== undefined) return negative ? -magnitude : magnitude
    return BigInt(trimmed)
  } catch {
    throw new Error(`"${value}" is not an integer`)
  }
}

function parseArray(value: string, type: string): unknown[] {
  if (!(value.startsWith('[') && value.endsWith(']'))) throw new Error(`"${value}" is not an array [..]`)
  const base = type.match(BASE_TYPE)?.[1]
  if (!base) throw new Error(`unknown base type in ${type}`)
  return splitArray(value).map((item) =>
    item.startsWith('[') && item.endsWith(']')
      ? parseArray(item, type)
      : parseInputValue(base, item.replace(/"/g, '').replace(/'/g, '')),
  )
}

/** `parseStringToArray`: "[1, 2, [3,4]]" → ["1", "2", "[3,4]"], splitting on top-level commas only. */
function splitArray(value: string): string[] {
  const items: string[] = []
  let index = 0
  let depth = 0
  for (const char of value.trim().slice(1, -1)) {
    if (char === ',' && depth === 0) {
      index++
      continue
    }
    if (char === '[') depth++
    if (char === ']') depth--
    items[index] = `${items[index] ?? ''}${char}`.trim()
  }
  // "[1,,2]" leaves a hole, which upstream hands to the encoder (and fails); a trailing comma is ignored.
  for (let i = 0; i < items.length; i++) {
    if (items[i] === undefined) throw new Error(`item ${i} of ${value} is empty`)
  }
  return items
}

const reason = (err: unknown) =>
  err instanceof Error ? ((err as { shortMessage?: string }).shortMessage ?? err.message) : String(err)
