import { getAddress } from 'ethers'
import { stringify } from 'yaml'
import { actionContext } from '../actions/actionFile.js'
import { ACTION_KINDS } from '../actions/index.js'
import type { LogSource } from '../chain/logSource.js'
import type { DecodedCall } from '../decode/decodeCall.js'
import { workspaceDecodeContext } from '../decode/workspaceDecodeContext.js'
import type { Address, Hex, SafeTx } from '../safe/types.js'
import { formatAmount, formatDuration } from '../utils/units.js'
import type { Workspace } from '../workspace/loadWorkspace.js'
import { decodeExecution, type HistoryAction } from './safe/decodeExecution.js'
import { findExecutions } from './safe/findExecutions.js'
import { recoverExecTransaction } from './safe/recoverExecTransaction.js'
import { readSafeAt, type SafeHistoryChain } from './safe/safeStateAt.js'
import type { SafeExecution } from './safe/types.js'

export type ExportedExecution = {
  execution: SafeExecution
  nonce?: bigint
  /** `<block>-<nonce>.yaml`; undefined when the execution could not be recovered. */
  fileName?: string
  /** The action file, or undefined when not one of its calls could be expressed as an action. */
  yaml?: string
  exported: number
  /** Calls left out (each also named in a comment of the file), or why the whole execution was. */
  skipped: string[]
}

export type ExecutionActionsYamlParameters = {
  safe: Address
  execution: SafeExecution
  safeTx: SafeTx
  actions: readonly HistoryAction[]
  workspace: Workspace
}

/**
 * One historical execution back as an alliance action file, so it can be planned again. Every action is
 * checked before it is written: its YAML is parsed with the kind's own schema against the workspace and
 * encoded, and must give the historical call byte for byte. A call that no kind reproduces exactly (an
 * unknown selector, a delegatecall, bytes appended after the arguments, a value a schema refuses such as a
 * zero amount) is left out and named in a comment: an export never plans something else than what ran.
 */
export function executionActionsYaml({
  safe,
  execution,
  safeTx,
  actions,
  workspace,
}: ExecutionActionsYamlParameters): ExportedExecution {
  const ctx = actionContext(workspace)
  const book = workspace.book
  const ref = (address: string) => book.byAddress(getAddress(address))?.name ?? getAddress(address)
  const exported: Record<string, unknown>[] = []
  const skipped: string[] = []
  actions.forEach((action, i) => {
    const leaf = action.call
    const found = candidates(action, ref, book).find((yaml) => reproduces(yaml, leaf))
    if (found) exported.push(found)
    else
      skipped.push(
        `call #${i} not exported (${why(leaf)}): to ${leaf.to}, value ${leaf.value}, data ${leaf.data}`,
      )
  })

  function reproduces(yaml: Record<string, unknown>, leaf: DecodedCall): boolean {
    const kind = ACTION_KINDS[yaml.kind as string]
    if (!kind) return false
    const parsed = kind.schema(ctx).safeParse(yaml)
    if (!parsed.success) return false
    const calls = kind.encode(parsed.data)
    return (
      calls.length === 1 &&
      calls[0]!.to.toLowerCase() === leaf.to.toLowerCase() &&
      calls[0]!.value === leaf.value &&
      calls[0]!.data.toLowerCase() === leaf.data.toLowerCase() &&
      calls[0]!.operation === leaf.operation
    )
  }

  const nonce = safeTx.nonce
  const fileName = `${execution.blockNumber}-${nonce}.yaml`
  const base = { execution, nonce, fileName, exported: exported.length, skipped }
  if (!exported.length) return base
  const header = [
    `# Exported by alliance history export: Safe ${safe}, nonce ${nonce}, block ${execution.blockNumber}`,
    `# transaction ${execution.transactionHash}, safeTxHash ${execution.safeTxHash}`,
    ...(execution.success
      ? []
      : ['# This execution FAILED on chain (ExecutionFailure): its calls reverted.']),
    ...skipped.map((s) => `# ${s}`),
  ]
  const body = stringify(
    {
      version: 1,
      safe: book.byAddress(getAddress(safe))?.kind === 'safe' ? ref(safe) : getAddress(safe),
      description: `Re-run of nonce ${nonce} (block ${execution.blockNumber})`,
      actions: exported,
    },
    { lineWidth: 0 },
  )
  return { ...base, yaml: `${header.join('\n')}\n${body}` }
}

/** YAML the action may be written as, best first; `kind: call` is the fallback for any decoded function. */
function candidates(
  action: HistoryAction,
  ref: (a: string) => string,
  book: Workspace['book'],
): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = []
  const amount = (v: bigint, decimals: number) => formatAmount(v, decimals, { group: false })
  // biome-ignore lint/suspicious/noExplicitAny: each kind's params, as decodeExecution built them.
  const p = ('params' in action ? action.params : undefined) as any
  switch (action.kind) {
    case 'allocate-treasury':
      out.push({
        kind: action.kind,
        treasury: ref(p.treasury),
        token: p.token.name,
        to: ref(p.to),
        amount: amount(p.amount, p.token.decimals),
        memo: p.memo,
      })
      break
    case 'set-reward-rate':
      out.push({
        kind: action.kind,
        vault: ref(p.vault),
        rate: amount(p.rate, p.rewardDecimals),
        duration: formatDuration(p.duration),
      })
      break
    case 'admit-member':
      out.push({
        kind: action.kind,
        registry: ref(p.registry),
        name: p.name,
        token: ref(p.token),
        treasury: ref(p.treasury),
        'weight-bps': p.weightBps,
      })
      break
    case 'emergency-withdraw':
      out.push({ kind: action.kind, from: ref(p.from), token: p.token.name, to: ref(p.to) })
      break
    case 'transfer':
      out.push({
        kind: action.kind,
        token: p.token.name,
        to: ref(p.to),
        amount: amount(p.amount, p.token.decimals),
      })
      break
  }
  const leaf = action.call
  const text = leaf.appended?.text
  // A payout memo rides after an ERC-20 transfer's arguments; the transfer kind writes it back if it can.
  const token = book.byAddress(getAddress(leaf.to))
  if (leaf.functionName === 'transfer' && text && leaf.args?.length === 2 && token?.kind === 'token') {
    out.push({
      kind: 'transfer',
      token: token.name,
      to: ref(leaf.args[0]!.value as string),
      amount: amount(leaf.args[1]!.value as bigint, token.decimals),
      memo: text,
    })
  }
  if (leaf.signature && leaf.args && leaf.operation === 0) {
    out.push({
      kind: 'call',
      to: ref(leaf.to),
      signature: leaf.value > 0n ? `${leaf.signature} payable` : leaf.signature,
      args: leaf.args.map((a) => yamlValue(a.value, ref, a.type)),
      ...(leaf.value > 0n ? { value: amount(leaf.value, 18) } : {}),
    })
  }
  return out
}

/** Decoded argument values as YAML writes and the call kind reads them: integers as decimal strings. */
function yamlValue(value: unknown, ref: (a: string) => string, type: string): unknown {
  if (typeof value === 'bigint') return value.toString()
  if (Array.isArray(value)) return value.map((v) => yamlValue(v, ref, type.replace(/\[\d*\]$/, '')))
  if (type === 'address' && typeof value === 'string') return ref(value)
  return value
}

function why(leaf: DecodedCall): string {
  if (leaf.operation === 1) return 'a delegatecall; an action file only makes calls'
  if (!leaf.signature) return 'unknown function, and the call kind takes a signature, not raw data'
  if (leaf.appended) return `${leaf.appended.bytes} bytes after the arguments that no action kind writes`
  return 'no action kind re-encodes it to the same bytes'
}

export type ExportSafeHistoryParameters = {
  chain: SafeHistoryChain
  logs: LogSource
  safe: Address
  fromBlock: number
  toBlock: number
  /** Only the executions of this transaction. */
  transactionHash?: Hex
  workspace: Workspace
}

/** Every execution of the Safe in the range, found, recovered and decoded from the chain, as action files. */
export async function exportSafeHistory({
  chain,
  logs,
  safe,
  fromBlock,
  toBlock,
  transactionHash,
  workspace,
}: ExportSafeHistoryParameters): Promise<ExportedExecution[]> {
  const executions = await findExecutions({ logs, safe, fromBlock, toBlock })
  const wanted = transactionHash
    ? executions.filter((e) => e.transactionHash.toLowerCase() === transactionHash.toLowerCase())
    : executions
  const decode = workspaceDecodeContext(workspace)
  const out: ExportedExecution[] = []
  // One at a time, in chain order: files are written as they come and memory stays flat.
  for (const execution of wanted) {
    const recovered = await recoverExecTransaction({ chain, safe, execution, executions })
    if (!recovered.ok || !recovered.value.hashMatched) {
      out.push({
        execution,
        exported: 0,
        skipped: [
          recovered.ok ? 'the recovered fields do not hash to the logged safeTxHash' : recovered.reason,
        ],
      })
      continue
    }
    const { version } = await readSafeAt(chain, safe, execution.blockNumber - 1)
    const safeTx = recovered.value.safeTx
    const decoded = decodeExecution({ safeTx, safe, version, decode, workspace })
    out.push(executionActionsYaml({ safe, execution, safeTx, actions: decoded.actions, workspace }))
  }
  return out
}
