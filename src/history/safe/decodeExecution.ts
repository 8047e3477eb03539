import { isDeepStrictEqual } from 'node:util'
import type { Interface } from 'ethers'
import { registryAbi } from '../../actions/admitMember.js'
import { treasuryAbi } from '../../actions/allocateTreasury.js'
import { ACTION_KINDS } from '../../actions/index.js'
import { stakingVaultAbi } from '../../actions/setRewardRate.js'
import { tokenAbi } from '../../contracts/tokenAbi.js'
import { type DecodeContext, type DecodedCall, decodeCall, flattenCalls } from '../../decode/decodeCall.js'
import { CANONICAL_DEPLOYMENT_VERSIONS, canonicalDeployments } from '../../safe/deployments.js'
import type { Address, Call, SafeTx } from '../../safe/types.js'
import type { AddressBook, TokenRef } from '../../workspace/addressBook.js'
import { NATIVE_TOKEN } from '../../workspace/addressBook.js'
import type { WorkspaceConfig } from '../../workspace/schema.js'
import type { SafeHistoryFinding } from './types.js'

export type ExecutionBatchKind = 'single' | 'multisend-call-only' | 'multisend' | 'delegatecall'

/** A leaf call read back as an alliance action kind, or left as the decoded call. */
export type HistoryAction =
  | {
      kind: string
      /** The kind's parameters: re-encoding them with the kind's `encode` gives exactly this call. */
      params: unknown
      description: string
      call: DecodedCall
    }
  | { kind: 'raw'; call: DecodedCall }

export type DecodeExecutionParameters = {
  safeTx: Pick<SafeTx, 'to' | 'value' | 'data' | 'operation'>
  safe: Address
  /** The Safe's version at the execution (1.5.0 MultiSend reads a zero `to` as the Safe). */
  version: string
  decode: DecodeContext
  /** With the workspace, calls to its contracts and tokens read as action kinds; without, all stay raw. */
  workspace?: { book: AddressBook; config: WorkspaceConfig }
}

export type DecodeExecutionReturnType = {
  batch: ExecutionBatchKind
  /** The Safe transaction's call, with a canonical MultiSend batch opened into `inner`. */
  call: DecodedCall
  /** Every leaf call, in execution order, as an action kind where one matches. */
  actions: HistoryAction[]
  findings: SafeHistoryFinding[]
}

const canonical = (pick: 'multiSend' | 'multiSendCallOnly') =>
  new Set(CANONICAL_DEPLOYMENT_VERSIONS.map((v) => canonicalDeployments(v)[pick].address.toLowerCase()))
const MULTISEND = canonical('multiSend')
const MULTISEND_CALL_ONLY = canonical('multiSendCallOnly')

/**
 * What an executed Safe transaction did, in words. A delegatecall is opened as a batch only when its
 * target is a canonical MultiSend or MultiSendCallOnly: the same bytes delegatecalled to anything else run
 * that contract's code as the Safe, so they are kept whole and flagged instead of being shown as a
 * harmless-looking list of calls.
 */
export function decodeExecution({
  safeTx,
  safe,
  version,
  decode,
  workspace,
}: DecodeExecutionParameters): DecodeExecutionReturnType {
  const ctx: DecodeContext = { ...decode, safe, safeVersion: version }
  const outer: Call = { to: safeTx.to, value: safeTx.value, data: safeTx.data, operation: safeTx.operation }
  const findings: SafeHistoryFinding[] = []
  let batch: ExecutionBatchKind = 'single'
  let call: DecodedCall
  if (outer.operation === 1) {
    const target = outer.to.toLowerCase()
    batch = MULTISEND_CALL_ONLY.has(target)
      ? 'multisend-call-only'
      : MULTISEND.has(target)
        ? 'multisend'
        : 'delegatecall'
    if (batch === 'delegatecall') {
      // Decoded as a call so decodeCall does not open it; the operation is put back.
      call = { ...decodeCall({ ...outer, operation: 0 }, ctx), operation: 1 }
      findings.push({
        code: 'UNTRUSTED_DELEGATECALL',
        severity: 'warning',
        message: `the Safe delegatecalled ${outer.to}, not a canonical MultiSend: that code ran with the Safe's storage and funds`,
      })
    } else {
      call = decodeCall(outer, ctx)
    }
  } else {
    call = decodeCall(outer, ctx)
  }
  const leaves = flattenCalls(call)
  const actions = leaves.map(
    (leaf) => (workspace ? asAction(leaf, workspace) : undefined) ?? { kind: 'raw' as const, call: leaf },
  )
  for (const [i, action] of actions.entries()) {
    const leaf = action.call
    if (leaf.operation === 1 && batch !== 'delegatecall') {
      findings.push({
        code: 'UNTRUSTED_DELEGATECALL',
        severity: 'warning',
        message: `call #${i} of the batch delegatecalls ${leaf.to}`,
      })
    }
    // A call read back as an action kind is understood, even when no ABI is known for its target.
    if (action.kind === 'raw' && leaf.warning)
      findings.push({ code: 'UNDECODED_CALL', severity: 'info', message: `call #${i}: ${leaf.warning}` })
  }
  return { batch, call, actions, findings }
}

type Workspace = NonNullable<DecodeExecutionParameters['workspace']>

/**
 * The reverse of each kind's `encode`, matched by target role and selector. A match counts only when the
 * kind's own `encode` gives back the very same call, so this can never show a call as an action it is not.
 */
function asAction(call: DecodedCall, ws: Workspace): HistoryAction | undefined {
  const params = guessParams(call, ws)
  if (!params) return undefined
  const kind = ACTION_KINDS[params.kind]
  if (!kind) return undefined
  const encoded = kind.encode(params.params)
  const same =
    encoded.length === 1 &&
    isDeepStrictEqual(
      { ...encoded[0], to: encoded[0]!.to.toLowerCase(), data: encoded[0]!.data.toLowerCase() },
      {
        to: call.to.toLowerCase(),
        value: call.value,
        data: call.data.toLowerCase(),
        operation: call.operation,
      },
    )
  if (!same) return undefined
  return {
    kind: params.kind,
    params: params.params,
    description: kind.describe(params.params, ws.book),
    call,
  }
}

function guessParams(call: DecodedCall, ws: Workspace): { kind: string; params: unknown } | undefined {
  if (call.operation !== 0) return undefined
  if (call.data === '0x') {
    return call.value > 0n
      ? { kind: 'transfer', params: { token: NATIVE_TOKEN, to: call.to, amount: call.value } }
      : undefined
  }
  const target = ws.book.byAddress(call.to)
  const token = (address: unknown): TokenRef | undefined => {
    const e = typeof address === 'string' ? ws.book.byAddress(address) : undefined
    return e?.kind === 'token' ? e : undefined
  }
  if (target?.kind === 'token') {
    const args = parse(tokenAbi, call, 'transfer')
    return args ? { kind: 'transfer', params: { token: target, to: args[0], amount: args[1] } } : undefined
  }
  if (target?.kind !== 'contract') return undefined
  if (target.type === 'treasury') {
    const allocate = parse(treasuryAbi, call, 'allocate')
    const t = allocate && token(allocate[0])
    if (allocate && t)
      return {
        kind: 'allocate-treasury',
        params: {
          treasury: target.address,
          token: t,
          to: allocate[1],
          amount: allocate[2],
          memo: allocate[3],
        },
      }
  }
  if (target.type === 'treasury' || target.type === 'staking-vault') {
    const sweep = parse(treasuryAbi, call, 'emergencyWithdraw')
    const t = sweep && token(sweep[0])
    if (sweep && t)
      return { kind: 'emergency-withdraw', params: { from: target.address, token: t, to: sweep[1] } }
  }
  if (target.type === 'staking-vault') {
    const rate = parse(stakingVaultAbi, call, 'setRewardRate')
    const rewardName = ws.config.contracts[target.name]?.rewardToken
    const reward = rewardName ? ws.book.resolveToken(rewardName) : undefined
    if (rate && reward?.ok)
      return {
        kind: 'set-reward-rate',
        params: {
          vault: target.address,
          rewardSymbol: reward.value.symbol,
          rewardDecimals: reward.value.decimals,
          rate: rate[0],
          duration: rate[1],
        },
      }
  }
  if (target.type === 'registry') {
    const admit = parse(registryAbi, call, 'admitMember')
    if (admit)
      return {
        kind: 'admit-member',
        params: {
          registry: target.address,
          name: admit[0],
          token: admit[1],
          treasury: admit[2],
          weightBps: Number(admit[3]),
        },
      }
  }
  return undefined
}

function parse(iface: Interface, call: DecodedCall, name: string): unknown[] | undefined {
  const fn = iface.getFunction(name)
  if (!fn || !call.data.toLowerCase().startsWith(fn.selector)) return undefined
  try {
    return [...iface.decodeFunctionData(fn, call.data)]
  } catch {
    return undefined
  }
}
