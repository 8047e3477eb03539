import {
  type Abi,
  concat,
  encodeFunctionData,
  encodePacked,
  hashDomain,
  hashStruct,
  hashTypedData,
  parseAbi,
  size,
} from 'viem'
import { describe, expect, it } from 'vitest'
import { parseActionFile } from '../../../src/actions/actionFile.js'
import { loadArtifact } from '../../../src/contracts/artifacts.js'
import { COUNCIL_OWNERS, GRANTS_MULTISIG } from '../../../src/devnet/accounts.js'
import { devnetLayout } from '../../../src/devnet/devnetLayout.js'
import { ChainHashMismatchError } from '../../../src/errors/chain.js'
import {
  MultiSendMissingError,
  NoCodeAtTargetError,
  RouteNotSupportedError,
} from '../../../src/errors/plan.js'
import { buildSafePlan, planId } from '../../../src/plan/buildSafePlan.js'
import type { SafePlan } from '../../../src/plan/types.js'
import type { Call, Hex } from '../../../src/safe/types.js'
import { sha256Hex } from '../../../src/utils/canonicalJson.js'
import { SAFE_TX_TYPES } from '../../support/safeTypedData.js'
import { devnetWorkspace } from '../../support/workspace.js'
import { ONE_CALL, THREE_CALLS } from './fixtures.js'
import { CHAIN_ID, stubReads } from './stubReads.js'

const ws = devnetWorkspace()
const layout = devnetLayout()
// Safe 1.4.1's canonical MultiSendCallOnly, as published by Safe (not read from our deployments module).
const MULTISEND_CALL_ONLY_141 = '0x9641d764fc13c8B624c04430C7356C1C7C8102e2'
const ZERO = '0x0000000000000000000000000000000000000000'

/** The Safe 1.4.1 EIP-712 hashes, computed by viem from the type definitions. */
function viemHashes(plan: SafePlan) {
  const domain = { chainId: CHAIN_ID, verifyingContract: plan.safe.address }
  const message = { ...plan.safeTx }
  return {
    domainHash: hashDomain({
      domain,
      types: {
        EIP712Domain: [
          { name: 'chainId', type: 'uint256' },
          { name: 'verifyingContract', type: 'address' },
        ],
      },
    }),
    messageHash: hashStruct({ data: message, primaryType: 'SafeTx', types: SAFE_TX_TYPES }),
    safeTxHash: hashTypedData({ domain, types: SAFE_TX_TYPES, primaryType: 'SafeTx', message }),
  }
}

/** multiSend(bytes) calldata packed by viem. */
function viemMultiSend(calls: Call[]): Hex {
  const packed = concat(
    calls.map((c) =>
      encodePacked(
        ['uint8', 'address', 'uint256', 'uint256', 'bytes'],
        [c.operation, c.to, c.value, BigInt(size(c.data)), c.data],
      ),
    ),
  )
  return encodeFunctionData({
    abi: parseAbi(['function multiSend(bytes transactions) payable']),
    functionName: 'multiSend',
    args: [packed],
  })
}

const build = (text: string, reads = stubReads()) =>
  buildSafePlan(parseActionFile('/w/pay.yaml', text, ws), reads)

describe('buildSafePlan: one call', async () => {
  const plan = await build(ONE_CALL)

  it('makes the call itself the Safe transaction, as a CALL', () => {
    expect(plan.batch).toEqual({ kind: 'single' })
    expect(plan.safeTx).toEqual({
      to: layout.contracts.treasury,
      value: 0n,
      data: encodeFunctionData({
        abi: loadArtifact('AllianceTreasury').abi as Abi,
        functionName: 'allocate',
        args: [layout.contracts.ALLY, GRANTS_MULTISIG, 12_500_500_000_000_000_000_000n, 'Grants round 7'],
      }),
      operation: 0,
      safeTxGas: 0n,
      baseGas: 0n,
      gasPrice: 0n,
      gasToken: ZERO,
      refundReceiver: ZERO,
      nonce: 0n,
    })
  })

  it('hashes as viem does from the Safe 1.4.1 EIP-712 types', () => {
    expect(plan.hashes).toEqual(viemHashes(plan))
  })

  it('records the Safe, the source and a content id', () => {
    expect(plan).toMatchObject({
      format: 'alliance-plan',
      formatVersion: 1,
      route: 'safe',
      chainId: 31337n,
      description: 'Grants round 7 payout',
      safe: {
        name: 'council',
        address: layout.council,
        version: '1.4.1',
        threshold: 2,
        owners: COUNCIL_OWNERS.map((o) => o.address),
      },
      source: { file: 'pay.yaml', text: ONE_CALL, sha256: sha256Hex(ONE_CALL) },
      signatures: [],
    })
    const { id, ...content } = plan
    expect(id).toBe(planId(content))
    const { to, value, data, operation } = plan.safeTx
    expect(plan.actions.map((a) => a.calls)).toEqual([[{ to, value, data, operation }]])
  })

  it('uses the nonce it is given instead of the Safe nonce', async () => {
    const later = await buildSafePlan(parseActionFile('/w/pay.yaml', ONE_CALL, ws), stubReads(), {
      nonce: 5n,
    })
    expect(later.safeTx.nonce).toBe(5n)
    expect(later.hashes).toEqual(viemHashes(later))
    expect(later.hashes.safeTxHash).not.toBe(plan.hashes.safeTxHash)
    expect(later.id).not.toBe(plan.id)
  })

  it('starts from the Safe nonce the chain reports', async () => {
    const at7 = await build(ONE_CALL, stubReads({ safe: { nonce: 7n } }))
    expect(at7.safeTx.nonce).toBe(7n)
  })
})

describe('buildSafePlan: three calls', async () => {
  const plan = await build(THREE_CALLS)
  const calls = plan.actions.flatMap((a) => a.calls)

  it('batches through the canonical MultiSendCallOnly 1.4.1 as a DELEGATECALL', () => {
    expect(calls).toHaveLength(3)
    expect(plan.batch).toEqual({ kind: 'multisend-call-only', multiSend: MULTISEND_CALL_ONLY_141 })
    expect(plan.safeTx).toMatchObject({
      to: MULTISEND_CALL_ONLY_141,
      value: 0n,
      operation: 1,
      data: viemMultiSend(calls),
    })
    // The inner calls are plain CALLs; the ETH payment carries its value.
    expect(calls.map((c) => [c.operation, c.value])).toEqual([
      [0, 0n],
      [0, 250_000_000_000_000_000n],
      [0, 0n],
    ])
  })

  it('hashes as viem does from the Safe 1.4.1 EIP-712 types', () => {
    expect(plan.hashes).toEqual(viemHashes(plan))
  })
})

describe('buildSafePlan: refusals', () => {
  it('refuses when the Safe computes a different hash', async () => {
    const reads = stubReads({ safeTransactionHash: async () => `0x${'ab'.repeat(32)}` })
    await expect(build(ONE_CALL, reads)).rejects.toBeInstanceOf(ChainHashMismatchError)
  })

  it('refuses calldata to an address with no code', async () => {
    const reads = stubReads({ code: async () => '0x' })
    const err = await build(ONE_CALL, reads).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(NoCodeAtTargetError)
    expect((err as Error).message).toContain(layout.contracts.treasury)
    expect((err as Error).message).toContain('action 1 (allocate-treasury)')
  })

  it('does not ask for code at a plain ETH payee', async () => {
    const text =
      'version: 1\nsafe: council\nactions:\n  - kind: transfer\n    token: ETH\n    to: grants-multisig\n    amount: "1"\n'
    const plan = await build(text, stubReads({ code: async () => '0x' }))
    expect(plan.safeTx).toMatchObject({ to: GRANTS_MULTISIG, value: 10n ** 18n, data: '0x', operation: 0 })
  })

  it('refuses a batch when MultiSendCallOnly is not deployed', async () => {
    const reads = stubReads({ code: async (a) => (a === MULTISEND_CALL_ONLY_141 ? '0x' : '0x60') })
    await expect(build(THREE_CALLS, reads)).rejects.toBeInstanceOf(MultiSendMissingError)
  })

  it('refuses the governor route', async () => {
    const text = ONE_CALL.replace('safe: council', 'safe: council\nroute: governor')
    await expect(build(text)).rejects.toBeInstanceOf(RouteNotSupportedError)
  })
})
