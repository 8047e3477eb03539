import { ZeroAddress } from 'ethers'
import { describe, expect, it } from 'vitest'
import {
  execTransactionFrames,
  recoverExecTransaction,
} from '../../../../src/history/safe/recoverExecTransaction.js'
import type { SafeHistoryChain } from '../../../../src/history/safe/safeStateAt.js'
import { safeReadAbi } from '../../../../src/history/safe/safeStateAt.js'
import type { SafeExecution } from '../../../../src/history/safe/types.js'
import { encodeExecTransaction } from '../../../../src/safe/execTransaction.js'
import { hashSafeTx } from '../../../../src/safe/safeTxHash.js'
import type { Address, Hex, SafeTx } from '../../../../src/safe/types.js'
import type { CallFrame } from '../../../../src/simulate/callTrace.js'

const SAFE = '0x1111111111111111111111111111111111111111' as Address
const RELAYER = '0x2222222222222222222222222222222222222222' as Address
const EOA = '0x3333333333333333333333333333333333333333' as Address
const TX = `0x${'aa'.repeat(32)}` as Hex
const SIGS = `0x${'00'.repeat(65)}` as Hex

const tx = (value: bigint, nonce: bigint): SafeTx => ({
  to: EOA,
  value,
  data: '0x',
  operation: 0,
  safeTxGas: 0n,
  baseGas: 0n,
  gasPrice: 0n,
  gasToken: ZeroAddress as Address,
  refundReceiver: ZeroAddress as Address,
  nonce,
})
const hash = (t: SafeTx) => hashSafeTx({ chainId: 1n, safe: SAFE, version: '1.4.1', tx: t }).safeTxHash
const frame = (t: SafeTx, extra: Partial<CallFrame> = {}): CallFrame => ({
  type: 'CALL',
  from: RELAYER,
  to: SAFE,
  input: encodeExecTransaction(t, SIGS),
  ...extra,
})

/** A node that knows one Safe (nonce 7 at the parent block) and one relayed transaction. */
function fakeChain(trace: CallFrame, top: { to: string; from: string; data: string }): SafeHistoryChain {
  const answers: Record<string, unknown[]> = {
    VERSION: ['1.4.1'],
    nonce: [7n],
    getOwners: [[EOA]],
    getThreshold: [1n],
  }
  return {
    call: async (req: { data?: string | null }) => {
      const fn = safeReadAbi.parseTransaction({ data: req.data! })!
      return safeReadAbi.encodeFunctionResult(fn.name, answers[fn.name]!)
    },
    getNetwork: async () => ({ chainId: 1n }),
    getTransaction: async () => top,
    send: async (method: string) => {
      if (method !== 'debug_traceTransaction') throw new Error(method)
      return trace
    },
  } as unknown as SafeHistoryChain
}

const execution = (over: Partial<SafeExecution>): SafeExecution => ({
  blockNumber: 100,
  transactionHash: TX,
  transactionIndex: 1,
  logIndex: 10,
  safeTxHash: '0x',
  success: true,
  payment: 0n,
  ...over,
})

describe('execTransactionFrames', () => {
  it('keeps calls to the Safe in pre-order and skips reverted subtrees and other callees', () => {
    const a = tx(1n, 0n)
    const b = tx(2n, 0n)
    const root: CallFrame = {
      type: 'CALL',
      from: EOA,
      to: RELAYER,
      input: '0x',
      calls: [
        frame(a, { calls: [frame(b)] }),
        frame(tx(3n, 0n), { error: 'execution reverted' }),
        {
          type: 'CALL',
          from: RELAYER,
          to: RELAYER,
          input: '0x',
          error: 'reverted',
          calls: [frame(tx(4n, 0n))],
        },
        frame(tx(5n, 0n), { type: 'STATICCALL' }),
        frame(tx(6n, 0n), { to: EOA }),
      ],
    }
    expect(execTransactionFrames(root, SAFE).map((f) => f.input)).toEqual([frame(a).input, frame(b).input])
  })
})

describe('recoverExecTransaction', () => {
  // Block 100: another transaction executed the Safe first (nonce 7); this relayed transaction executes it
  // twice, with a reverted attempt between (it used no nonce): nonces 8 and 9.
  const first = tx(1n, 8n)
  const second = tx(2n, 9n)
  const trace: CallFrame = {
    type: 'CALL',
    from: EOA,
    to: RELAYER,
    input: '0x',
    calls: [frame(first), frame(tx(9n, 0n), { error: 'execution reverted' }), frame(second)],
  }
  const chain = fakeChain(trace, { to: RELAYER, from: EOA, data: '0x1234' })
  const executions = [
    execution({ transactionHash: `0x${'bb'.repeat(32)}` as Hex, logIndex: 2, safeTxHash: '0x01' as Hex }),
    execution({ logIndex: 5, safeTxHash: hash(first) }),
    execution({ logIndex: 10, safeTxHash: hash(second) }),
  ]

  it('numbers the frames from the parent nonce plus earlier executions in the block, and picks by hash', async () => {
    const r = await recoverExecTransaction({ chain, safe: SAFE, execution: executions[2]!, executions })
    expect(r).toEqual({
      ok: true,
      value: {
        safeTx: second,
        signatures: SIGS,
        executor: RELAYER,
        via: 'trace',
        frame: 1,
        hashMatched: true,
        hashes: expect.objectContaining({ safeTxHash: hash(second) }),
      },
    })
    const r0 = await recoverExecTransaction({ chain, safe: SAFE, execution: executions[1]!, executions })
    expect(r0.ok && r0.value.safeTx).toEqual(first)
  })

  it('says so when no frame gives the logged hash', async () => {
    const wrong = execution({ safeTxHash: `0x${'cc'.repeat(32)}` as Hex })
    const r = await recoverExecTransaction({ chain, safe: SAFE, execution: wrong, executions })
    expect(r).toEqual({ ok: false, reason: expect.stringMatching(/none of the 2 execTransaction calls/) })
  })

  it('decodes a direct call without asking for a trace, and hands back a lone non-matching candidate flagged', async () => {
    const direct = tx(3n, 7n)
    const top = { to: SAFE, from: EOA, data: encodeExecTransaction(direct, SIGS) }
    const traced: CallFrame = { type: 'CALL', from: EOA, to: SAFE, input: top.data }
    let traces = 0
    const base = fakeChain(traced, top)
    const counting = {
      ...base,
      send: async (...a: Parameters<SafeHistoryChain['send']>) => {
        traces++
        return base.send(...a)
      },
    }
    const ok = await recoverExecTransaction({
      chain: counting as SafeHistoryChain,
      safe: SAFE,
      execution: execution({ safeTxHash: hash(direct) }),
      executions: [],
    })
    expect(ok).toMatchObject({ ok: true, value: { via: 'transaction', executor: EOA, hashMatched: true } })
    expect(traces).toBe(0)
    const lone = await recoverExecTransaction({
      chain: counting as SafeHistoryChain,
      safe: SAFE,
      execution: execution({ safeTxHash: `0x${'cc'.repeat(32)}` as Hex }),
      executions: [],
    })
    expect(lone).toMatchObject({ ok: true, value: { safeTx: direct, hashMatched: false } })
  })
})
