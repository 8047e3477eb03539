import { ZeroAddress } from 'ethers'
import { describe, expect, it } from 'vitest'
import {
  type ReconcileExecution,
  type ReconcileServiceParameters,
  reconcileService,
  reconcileServiceWithChain,
  signersByHash,
} from '../../../src/history/reconcileService.js'
import type { SafeExecutionRecord } from '../../../src/history/safe/verifyExecution.js'
import type { QueuedTransaction } from '../../../src/queue/types.js'
import { hashSafeTx } from '../../../src/safe/safeTxHash.js'
import type { Address, Hex, SafeTx } from '../../../src/safe/types.js'

const SAFE = '0x1111111111111111111111111111111111111111' as Address
const OTHER_SAFE = '0x2222222222222222222222222222222222222222' as Address
const TO = '0x3333333333333333333333333333333333333333' as Address
const A = '0xaAaAaAaaAaAaAaaAaAAAAAAAAaaaAaAaAaaAaaAa' as Address
const B = '0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB' as Address
const C = '0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC' as Address
const CHAIN_ID = 31337n
const VERSION = '1.4.1'

const txHashOf = (n: number) => `0x${n.toString(16).padStart(64, '0')}` as Hex

function tx(nonce: bigint, value = 1n): SafeTx {
  return {
    to: TO,
    value,
    data: '0x',
    operation: 0,
    safeTxGas: 0n,
    baseGas: 0n,
    gasPrice: 0n,
    gasToken: ZeroAddress as Address,
    refundReceiver: ZeroAddress as Address,
    nonce,
  }
}
const hashOf = (t: SafeTx, version = VERSION) =>
  hashSafeTx({ chainId: CHAIN_ID, safe: SAFE, version, tx: t }).safeTxHash

/** The chain ran `t` in transaction number `n` (block 100 + n). */
function executed(t: SafeTx, n: number, version = VERSION): ReconcileExecution {
  return {
    execution: {
      blockNumber: 100 + n,
      transactionHash: txHashOf(n),
      transactionIndex: 0,
      logIndex: 0,
      safeTxHash: hashOf(t, version).toLowerCase() as Hex,
      success: true,
      payment: 0n,
    },
    safeTx: t,
    version,
  }
}

/** The service's record of `t`; by default filed under its own hash and not executed. */
function record(
  t: SafeTx,
  o: {
    executed?: boolean
    transactionHash?: Hex
    confirmedBy?: Address[]
    safeTxHash?: Hex
    safe?: Address
    version?: string
  } = {},
): QueuedTransaction {
  return {
    safe: o.safe ?? SAFE,
    safeTx: t,
    safeTxHash: o.safeTxHash ?? hashOf(t, o.version),
    confirmations: (o.confirmedBy ?? [A, B]).map((owner) => ({ owner, signature: '0x' as Hex })),
    ...(o.executed === undefined ? {} : { executed: o.executed }),
    ...(o.transactionHash ? { transactionHash: o.transactionHash } : {}),
  }
}

/** Two executions (nonces 0 and 1, signed by A and B), the Safe now at nonce 2. */
const t0 = tx(0n)
const t1 = tx(1n, 2n)
const chain = [executed(t0, 1), executed(t1, 2)]
const signers = { [hashOf(t0)]: [A, B], [hashOf(t1)]: [A, B] }
const cleanService = [
  record(t0, { executed: true, transactionHash: txHashOf(1) }),
  record(t1, { executed: true, transactionHash: txHashOf(2) }),
]

function run(over: Partial<ReconcileServiceParameters>) {
  return reconcileService({
    safe: SAFE,
    chainId: CHAIN_ID,
    version: VERSION,
    nonce: 2n,
    executions: chain,
    signers,
    queued: cleanService,
    ...over,
  })
}
const codes = (findings: ReturnType<typeof run>) => findings.map((f) => [f.code, f.nonce])

describe('reconcileService', () => {
  it('finds nothing when the service agrees with the chain (a pending proposal at the next nonce included)', () => {
    const pending = record(tx(2n, 9n), { confirmedBy: [C] })
    expect(run({ queued: [...cleanService, pending] })).toEqual([])
  })

  it('SERVICE_ONLY_EXECUTED: the service says executed, the chain has no execution at that nonce', () => {
    const ghost = tx(5n, 7n)
    const found = run({
      queued: [...cleanService, record(ghost, { executed: true, transactionHash: txHashOf(9) })],
    })
    expect(found).toEqual([
      {
        code: 'SERVICE_ONLY_EXECUTED',
        level: 'error',
        message: `the service marks it executed in ${txHashOf(9)}; the chain has no execution of it and the Safe's nonce is only 2`,
        safeTxHash: hashOf(ghost),
        nonce: 5n,
      },
    ])
  })

  it('SERVICE_HASH_MISMATCH: the hash a record is filed under is not the hash of its own fields', () => {
    const pending = tx(2n, 9n)
    const filedUnder = hashOf(tx(2n, 10n))
    const found = run({ queued: [...cleanService, record(pending, { safeTxHash: filedUnder })] })
    expect(found).toEqual([
      {
        code: 'SERVICE_HASH_MISMATCH',
        level: 'error',
        message: `the service files it under ${filedUnder}, its own fields hash to ${hashOf(pending)} (Safe 1.4.1, chain 31337)`,
        safeTxHash: filedUnder,
        nonce: 2n,
      },
    ])
  })

  it('SERVICE_HASH_MISMATCH: fields that cannot be hashed are reported, not thrown', () => {
    const broken = { ...tx(2n), operation: 7 } as unknown as SafeTx
    const found = run({ queued: [...cleanService, record(broken, { safeTxHash: txHashOf(77) })] })
    expect(codes(found)).toEqual([['SERVICE_HASH_MISMATCH', 2n]])
    expect(found[0]!.message).toMatch(/its fields cannot be hashed: .*operation/)
  })

  it('hashes with the version the Safe had when it ran that nonce, not today’s', () => {
    const old = tx(0n)
    const found = run({
      executions: [executed(old, 1, '1.1.1'), chain[1]!],
      signers: { [hashOf(old, '1.1.1')]: [A, B], [hashOf(t1)]: [A, B] },
      queued: [
        record(old, { executed: true, transactionHash: txHashOf(1), version: '1.1.1' }),
        cleanService[1]!,
      ],
    })
    expect(hashOf(old, '1.1.1')).not.toBe(hashOf(old))
    expect(found).toEqual([])
  })

  it('SERVICE_DATA_DIFFERS (same hash): the service changed an executed record’s fields', () => {
    const tampered = { ...t1, value: 3n }
    const found = run({
      queued: [
        cleanService[0]!,
        record(tampered, { executed: true, transactionHash: txHashOf(2), safeTxHash: hashOf(t1) }),
      ],
    })
    expect(codes(found)).toEqual([
      ['SERVICE_HASH_MISMATCH', 1n],
      ['SERVICE_DATA_DIFFERS', 1n],
    ])
    expect(found[1]).toMatchObject({
      level: 'error',
      safeTxHash: hashOf(t1),
      message: `the service's fields differ from those executed in ${txHashOf(2)}: value 3 (service) vs 2 (chain)`,
    })
  })

  it('SERVICE_DATA_DIFFERS (same nonce): the service marks executed another transaction than the one that ran', () => {
    const rival = tx(1n, 50n)
    const found = run({
      queued: [...cleanService, record(rival, { executed: true, transactionHash: txHashOf(2) })],
    })
    expect(found).toEqual([
      {
        code: 'SERVICE_DATA_DIFFERS',
        level: 'error',
        message: `the service marks it executed, but nonce 1 ran ${hashOf(t1).toLowerCase()} in ${txHashOf(2)}`,
        safeTxHash: hashOf(rival),
        nonce: 1n,
      },
    ])
  })

  it('SERVICE_MISSING: an execution the service has no record of', () => {
    const found = run({ queued: [cleanService[0]!] })
    expect(found).toEqual([
      {
        code: 'SERVICE_MISSING',
        level: 'warning',
        message: `executed in ${txHashOf(2)} (block 102); the service has no record of it`,
        safeTxHash: hashOf(t1).toLowerCase(),
        nonce: 1n,
      },
    ])
  })

  it('SERVICE_TX_HASH_DIFFERS: the service names another Ethereum transaction, or none', () => {
    const found = run({
      queued: [record(t0, { executed: true, transactionHash: txHashOf(42) }), record(t1, { executed: true })],
    })
    expect(found).toEqual([
      {
        code: 'SERVICE_TX_HASH_DIFFERS',
        level: 'error',
        message: `the service says it ran in ${txHashOf(42)}, the chain ran it in ${txHashOf(1)}`,
        safeTxHash: hashOf(t0),
        nonce: 0n,
      },
      {
        code: 'SERVICE_TX_HASH_DIFFERS',
        level: 'warning',
        message: `the service marks it executed without a transaction hash; it ran in ${txHashOf(2)}`,
        safeTxHash: hashOf(t1),
        nonce: 1n,
      },
    ])
  })

  it('SERVICE_NOT_EXECUTED: the chain ran it, the service still lists it as pending', () => {
    const found = run({ queued: [cleanService[0]!, record(t1, { executed: false })] })
    expect(found).toEqual([
      {
        code: 'SERVICE_NOT_EXECUTED',
        level: 'warning',
        message: `the chain executed it in ${txHashOf(2)} (block 102); the service lists it as not executed`,
        safeTxHash: hashOf(t1),
        nonce: 1n,
      },
    ])
  })

  it('CONFIRMATION_UNUSED: a confirmation from an owner whose signature the execution did not carry', () => {
    const found = run({
      queued: [
        record(t0, { executed: true, transactionHash: txHashOf(1), confirmedBy: [A, B, C] }),
        cleanService[1]!,
      ],
    })
    expect(found).toEqual([
      {
        code: 'CONFIRMATION_UNUSED',
        level: 'info',
        message: `the service holds ${C}'s confirmation; the execution in ${txHashOf(1)} used ${A}, ${B}`,
        safeTxHash: hashOf(t0),
        nonce: 0n,
      },
    ])
  })

  it('CONFIRMATION_UNUSED matches signers in any case and any hash case', () => {
    const found = run({
      signers: {
        [hashOf(t0).toUpperCase().replace('0X', '0x')]: [A.toLowerCase() as Address, B],
        [hashOf(t1)]: [A, B],
      },
    })
    expect(found).toEqual([])
  })

  it('SERVICE_PENDING_STALE: not executed, below the Safe’s nonce; it can never run', () => {
    const replaced = tx(1n, 60n)
    const found = run({ queued: [...cleanService, record(replaced, { executed: false })] })
    expect(found).toEqual([
      {
        code: 'SERVICE_PENDING_STALE',
        level: 'warning',
        message: `pending at nonce 1, but the Safe is at nonce 2 (nonce 1 ran ${hashOf(t1).toLowerCase()}): it can never run`,
        safeTxHash: hashOf(replaced),
        nonce: 1n,
      },
    ])
  })

  it('a queue that cannot know executions (a directory) is judged only on what it states', () => {
    const found = run({
      queued: [record(t0), record(t1), record(tx(1n, 60n)), record(tx(3n, 4n))],
    })
    // Executed hashes are neither "not executed" nor stale; the replaced one at nonce 1 is stale.
    expect(codes(found)).toEqual([['SERVICE_PENDING_STALE', 1n]])
  })

  it('records outside the nonces the chain was read for are not compared with it', () => {
    const outside = record(tx(7n), { executed: true, transactionHash: txHashOf(7) })
    expect(codes(run({ queued: [...cleanService, outside], nonces: { from: 0n, to: 2n } }))).toEqual([])
    expect(codes(run({ queued: [...cleanService, outside] }))).toEqual([['SERVICE_ONLY_EXECUTED', 7n]])
  })

  it('ignores records of another Safe and orders findings by nonce, then by code', () => {
    const found = run({
      queued: [
        record(tx(1n, 60n), { executed: false }),
        record(tx(0n, 61n), { executed: false }),
        record(tx(4n), { executed: true, safe: OTHER_SAFE }),
      ],
    })
    expect(codes(found)).toEqual([
      ['SERVICE_MISSING', 0n],
      ['SERVICE_PENDING_STALE', 0n],
      ['SERVICE_MISSING', 1n],
      ['SERVICE_PENDING_STALE', 1n],
    ])
  })
})

describe('signersByHash', () => {
  it('keys each record’s signers by its lowercase safeTxHash', () => {
    const records = [
      {
        execution: { safeTxHash: '0xABCDEF' },
        signers: [
          { signer: A, kind: 'eoa', owner: true, valid: true },
          { signer: C, kind: 'contract', owner: true, valid: true },
        ],
      },
    ] as unknown as SafeExecutionRecord[]
    expect(signersByHash(records)).toEqual({ '0xabcdef': [A, C] })
  })
})

describe('reconcileServiceWithChain', () => {
  it('reads the Safe now and the whole queue history, then reconciles', async () => {
    const asked: string[] = []
    const findings = await reconcileServiceWithChain({
      safe: SAFE,
      reads: {
        chainId: async () => CHAIN_ID,
        readSafe: async () => ({ version: VERSION, nonce: 2n, owners: [A, B, C], threshold: 2 }) as never,
      },
      queue: {
        async *history(safe) {
          asked.push(safe)
          yield* [cleanService[0]!, record(tx(1n, 60n), { executed: false })]
        },
      },
      records: chain.map((e) => ({
        ...e,
        signers: [A, B].map((signer) => ({ signer, kind: 'eoa' as const, owner: true, valid: true })),
      })) as unknown as SafeExecutionRecord[],
    })
    expect(asked).toEqual([SAFE])
    expect(codes(findings)).toEqual([
      ['SERVICE_MISSING', 1n],
      ['SERVICE_PENDING_STALE', 1n],
    ])
  })
})
