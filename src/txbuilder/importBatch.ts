import { basename } from 'node:path'
import { type ActionFile, actionContext, type ResolvedAction } from '../actions/actionFile.js'
import { type DecodeContext, type DecodedCall, decodeCall } from '../decode/decodeCall.js'
import { type TxBuilderProblemCode, TxBuilderRefusedError } from '../errors/txbuilder.js'
import type { Address, Call } from '../safe/types.js'
import { parseAddress } from '../utils/address.js'
import { formatAmount } from '../utils/units.js'
import type { AddressBook } from '../workspace/addressBook.js'
import type { Workspace } from '../workspace/loadWorkspace.js'
import { type ChecksumCheck, checkTxBuilderChecksum } from './checksum.js'
import { parseTxBuilderFile, type TxBuilderBatchFile } from './schema.js'
import {
  encodeContractMethod,
  type TransactionDataSource,
  txBuilderTransactionData,
} from './transactionData.js'

export type TxBuilderSource = { file: string; text: string }

export type TxBuilderProblem = { code: TxBuilderProblemCode; message: string }

export type ImportedTransaction = {
  index: number
  to: Address
  value: bigint
  /** What executes: undefined when the entry does not encode (see `problems`). */
  call?: Call
  /** Where the calldata came from: `data`, the `contractMethod` encoding, or neither ("0x"). */
  dataFrom?: TransactionDataSource
  decoded?: DecodedCall
  description: string
  /** The entry exactly as written in the file. */
  input: Record<string, unknown>
}

export type TxBuilderToActionCallsReturnType = {
  file: string
  batch: TxBuilderBatchFile
  /** The workspace Safe the batch was made for, when it is one. */
  safe?: { name?: string; address: Address }
  checksum: ChecksumCheck
  checksumValid: boolean
  calls: ImportedTransaction[]
  /** Reasons to refuse the file: another chain, a Safe not in the workspace, an entry that does not encode. */
  problems: TxBuilderProblem[]
  /** Worth a reviewer's attention, not a refusal. */
  warnings: string[]
}

/**
 * Reads a Transaction Builder batch against the workspace, without a chain: validates it, recomputes the
 * checksum, checks the chain id and the Safe, derives each entry's calldata as Safe{Wallet} would and
 * decodes it with the ABIs the workspace knows. Problems are returned, not thrown, so a caller can show
 * everything it found before refusing.
 */
export function txBuilderToActionCalls(
  source: TxBuilderSource,
  workspace: Workspace,
): TxBuilderToActionCallsReturnType {
  const { raw, batch } = parseTxBuilderFile(source.file, source.text)
  const checksum = checkTxBuilderChecksum(raw)
  const problems: TxBuilderProblem[] = []
  const warnings: string[] = []

  if (batch.version !== '1.0') warnings.push(`batch file version "${batch.version}" (expected "1.0")`)
  const chainId = BigInt(workspace.config.chain.chainId)
  if (BigInt(batch.chainId) !== chainId) {
    problems.push({
      code: 'TXBUILDER_WRONG_CHAIN',
      message: `the batch is for chain ${batch.chainId}, the workspace is chain ${chainId}`,
    })
  }
  const safe = workspaceSafe(batch, workspace, problems)

  const ctx: DecodeContext = {
    abiFor: actionContext(workspace).abiFor,
    isSafe: (a) => workspace.book.byAddress(a)?.kind === 'safe',
    ...(safe ? { safe: safe.address } : {}),
  }
  const rawTransactions = raw.transactions as Record<string, unknown>[]
  const calls = batch.transactions.map((tx, index): ImportedTransaction => {
    const input = rawTransactions[index] ?? {}
    const to = (parseAddress(tx.to) as { address: Address }).address
    const value = BigInt(tx.value)
    let derived: ReturnType<typeof txBuilderTransactionData>
    try {
      derived = txBuilderTransactionData(tx)
    } catch (err) {
      const message = `transaction ${index + 1} (to ${to}): ${(err as Error).message.split('\n')[0]}`
      problems.push({ code: 'TXBUILDER_BAD_TRANSACTION', message })
      return { index, to, value, description: `does not encode: ${message}`, input }
    }
    const call: Call = { to, value, data: derived.data, operation: 0 }
    warnings.push(...entryWarnings(index, tx, derived.from))
    const decoded = decodeCall(call, ctx)
    if (decoded.warning) warnings.push(`transaction ${index + 1} (to ${to}): ${decoded.warning}`)
    const description = describe(decoded, workspace.book)
    return { index, to, value, call, dataFrom: derived.from, decoded, description, input }
  })

  return {
    file: source.file,
    batch,
    ...(safe ? { safe } : {}),
    checksum,
    checksumValid: checksum.status === 'valid',
    calls,
    problems,
    warnings,
  }
}

/**
 * The imported batch as an action file, for `buildSafePlan`: one action per entry (kind `txbuilder`), the
 * file's own text as the source. Throws `TxBuilderRefusedError` when the import found problems.
 */
export function txBuilderActionFile(imported: TxBuilderToActionCallsReturnType, text: string): ActionFile {
  const { safe } = imported
  if (imported.problems.length || !safe) throw new TxBuilderRefusedError(imported.file, imported.problems)
  const { name, description } = imported.batch.meta
  return {
    file: imported.file,
    text,
    safe,
    // The name is what people call the batch in Safe{Wallet}; the description stays in the source.
    description: name || description || `Transaction Builder batch ${basename(imported.file)}`,
    route: 'safe',
    sourceKind: 'txbuilder',
    actions: imported.calls.map(
      (c): ResolvedAction => ({
        index: c.index,
        kind: 'txbuilder',
        description: c.description,
        calls: c.call ? [c.call] : [],
        input: c.input,
      }),
    ),
  }
}

function workspaceSafe(
  batch: TxBuilderBatchFile,
  workspace: Workspace,
  problems: TxBuilderProblem[],
): { name?: string; address: Address } | undefined {
  const named = batch.meta.createdFromSafeAddress
  const safes = workspace.book.entries().filter((e) => e.kind === 'safe')
  const known = safes.length ? safes.map((s) => `${s.name} ${s.address}`).join(', ') : 'none'
  if (!named) {
    problems.push({
      code: 'TXBUILDER_WRONG_SAFE',
      message: `the batch does not name its Safe (meta.createdFromSafeAddress); workspace Safes: ${known}`,
    })
    return undefined
  }
  const address = (parseAddress(named) as { address: Address }).address
  const entry = workspace.book.byAddress(address)
  if (entry?.kind !== 'safe') {
    problems.push({
      code: 'TXBUILDER_WRONG_SAFE',
      message: `the batch was made for Safe ${address}, which is not a Safe in the workspace (${known})`,
    })
    return undefined
  }
  return { name: entry.name, address }
}

function entryWarnings(
  index: number,
  tx: TxBuilderBatchFile['transactions'][number],
  from: TransactionDataSource,
) {
  const warnings: string[] = []
  const at = `transaction ${index + 1}`
  const method = tx.contractMethod
  // Safe{Wallet} sends `data` and only displays the method: a mismatch shows one call and sends another.
  if (from === 'data' && method?.name && tx.contractInputsValues) {
    let encoded: string | undefined
    try {
      encoded = encodeContractMethod(method, tx.contractInputsValues)
    } catch {
      encoded = undefined
    }
    if (encoded?.toLowerCase() !== tx.data?.toLowerCase()) {
      warnings.push(
        `${at}: "data" differs from its contractMethod ${method.name}(…); the data is what executes`,
      )
    }
  }
  if (from === 'contractMethod' && method && !method.payable && BigInt(tx.value) > 0n) {
    warnings.push(`${at}: sends value to ${method.name}, which the file declares non-payable`)
  }
  return warnings
}

/** One line a reviewer reads: from the decoded bytes, never from what the file claims the method is. */
function describe(c: DecodedCall, book: AddressBook): string {
  const target = book.label(c.to)
  const eth = c.value ? ` with ${formatAmount(c.value, 18)} ETH` : ''
  if (c.data === '0x')
    return c.value ? `Send ${formatAmount(c.value, 18)} ETH to ${target}` : `Empty call to ${target}`
  if (!c.functionName || !c.args) {
    return `Call ${target} with unknown function ${c.data.slice(0, 10)} (${(c.data.length - 2) / 2} bytes)${eth}`
  }
  const token = book.byAddress(c.to)
  const [first, second] = c.args
  if (token?.kind === 'token' && c.args.length === 2 && typeof second?.value === 'bigint') {
    const amount = `${formatAmount(second.value, token.decimals)} ${token.symbol}`
    const who = typeof first?.value === 'string' ? book.label(first.value) : String(first?.value)
    if (c.signature === 'transfer(address,uint256)') return `Transfer ${amount} to ${who}${eth}`
    if (c.signature === 'approve(address,uint256)') return `Approve ${who} to spend ${amount}${eth}`
  }
  return `Call ${target}.${c.functionName}(${c.args.map((a) => formatArg(a.value, book)).join(', ')})${eth}`
}

function formatArg(value: unknown, book: AddressBook): string {
  if (typeof value === 'string' && /^0x[0-9a-fA-F]{40}$/.test(value)) return book.label(value)
  if (Array.isArray(value)) return `[${value.map((v) => formatArg(v, book)).join(', ')}]`
  return typeof value === 'string' ? JSON.stringify(value) : String(value)
}
