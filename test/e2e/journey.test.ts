import { Contract, Wallet } from 'ethers'
import { hashTypedData } from 'viem'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { actionContext, loadActionFile } from '../../src/actions/actionFile.js'
import { DEMO_ACTIONS } from '../../src/demo/runDemo.js'
import { DEVNET_ACCOUNTS } from '../../src/devnet/accounts.js'
import { DevnetSender } from '../../src/devnet/devnetSender.js'
import { ExecutionRevertedError, ThresholdNotMetError } from '../../src/errors/execute.js'
import { PlanMismatchError } from '../../src/errors/plan.js'
import { NotAnOwnerError, StalePlanError } from '../../src/errors/signer.js'
import { executeSafePlan } from '../../src/execute/executeSafePlan.js'
import { buildSafePlan } from '../../src/plan/buildSafePlan.js'
import type { SafePlan } from '../../src/plan/types.js'
import { encodeGetTransactionHash } from '../../src/safe/execTransaction.js'
import type { Hex } from '../../src/safe/types.js'
import { signPlan } from '../../src/signers/signPlan.js'
import { simulateSafePlan } from '../../src/simulate/simulateSafePlan.js'
import { devnetSigner, startTestDevnet, type TestDevnet } from '../support/devnet.js'
import { SAFE_TX_TYPES } from '../support/safeTypedData.js'

const signer = devnetSigner

// The demo's batch: a treasury allocation, a new reward rate, a new member.
const BATCH = DEMO_ACTIONS

let devnet: TestDevnet
let snapshot: string

beforeAll(async () => {
  devnet = await startTestDevnet()
})
afterAll(async () => {
  await devnet?.stop()
})
beforeEach(async () => {
  if (snapshot) await devnet.revert(snapshot)
  snapshot = await devnet.snapshot()
})

const plan = async (yaml: string, name = 'actions.yaml') =>
  buildSafePlan(loadActionFile(devnet.write(name, yaml), devnet.workspace), devnet.reads)

const simulate = (p: SafePlan) =>
  simulateSafePlan({
    plan: p,
    provider: devnet.provider,
    reads: devnet.reads,
    book: devnet.workspace.book,
    abiFor: actionContext(devnet.workspace).abiFor,
  })

const signBy = (p: SafePlan, i: number) =>
  signPlan({
    plan: p,
    planFile: 'plan.json',
    signer: signer(i),
    workspace: devnet.workspace,
    reads: devnet.reads,
  })

const signTwice = async (p: SafePlan) => signBy(await signBy(p, 0), 1)

const execute = (p: SafePlan, executor = signer(2)) =>
  executeSafePlan({
    plan: p,
    planFile: 'plan.json',
    executor,
    provider: devnet.provider,
    reads: devnet.reads,
    workspace: devnet.workspace,
  })

const erc20 = (address: string) =>
  new Contract(address, ['function balanceOf(address) view returns (uint256)'], devnet.provider)

describe('a YAML batch travels the whole way on the devnet', () => {
  it('plans a MultiSendCallOnly batch whose hashes equal the Safe and an independent EIP-712 implementation', async () => {
    const p = await plan(BATCH)
    expect(p.batch).toEqual({
      kind: 'multisend-call-only',
      multiSend: '0x9641d764fc13c8B624c04430C7356C1C7C8102e2',
    })
    expect(p.safeTx.operation).toBe(1)
    expect(p.safe).toMatchObject({ name: 'council', version: '1.4.1', threshold: 2 })

    const onChain = await devnet.provider.call({
      to: p.safe.address,
      data: encodeGetTransactionHash(p.safeTx),
    })
    expect(p.hashes.safeTxHash).toBe(onChain)

    const viemHash = hashTypedData({
      domain: { chainId: 31337, verifyingContract: p.safe.address },
      types: SAFE_TX_TYPES,
      primaryType: 'SafeTx',
      message: { ...p.safeTx },
    })
    expect(p.hashes.safeTxHash).toBe(viemHash)
  })

  it('simulates the batch through the real execTransaction and reports events and balance changes', async () => {
    const sim = await simulate(await plan(BATCH))
    expect(sim.success).toBe(true)
    expect(sim.gasUsed).toBeGreaterThan(100_000n)
    expect(sim.signers.simulated).toHaveLength(2)
    expect(sim.events.map((e) => e.name)).toEqual([
      'Transfer',
      'Allocated',
      'RewardRateSet',
      'MemberAdmitted',
      'ExecutionSuccess',
    ])
    const grants = sim.balanceChanges.find((c) => c.holderLabel === 'grants-multisig')
    expect(grants).toMatchObject({ symbol: 'ALLY', delta: 12_500_500_000_000_000_000_000n })
    // Nothing was sent: the chain is unchanged.
    expect(await erc20(devnet.layout.contracts.ALLY).getFunction('balanceOf')(grants!.holder)).toBe(0n)
  })

  it('names the call that reverts and decodes its custom error', async () => {
    const overBudget = BATCH.replace('amount: "12500.5"', 'amount: "150000"') // the ALLY epoch budget is 100,000
    const sim = await simulate(await plan(overBudget))
    expect(sim.success).toBe(false)
    expect(sim.failure?.callIndex).toBe(0)
    expect(sim.failure?.actionIndex).toBe(0)
    expect(sim.failure?.reason).toMatch(/^BudgetExceeded\(/)

    const badMember = BATCH.replace('weight-bps: 1500', 'weight-bps: 9000') // 40% + 20% already admitted
    const sim2 = await simulate(await plan(badMember))
    expect(sim2.failure?.callIndex).toBe(2)
    expect(sim2.failure?.reason).toMatch(/^TotalWeightExceeded\(/)
  })

  it('is signed by two owners and executed, and the alliance state changes', async () => {
    const executed = await execute(await signTwice(await plan(BATCH)))
    expect(executed.signers).toHaveLength(2)
    const grants = devnet.workspace.book.resolveAddress('grants-multisig')
    if (!grants.ok) throw new Error('grants-multisig missing')
    expect(await erc20(devnet.layout.contracts.ALLY).getFunction('balanceOf')(grants.value)).toBe(
      12_500_500_000_000_000_000_000n,
    )
    const vault = new Contract(
      devnet.layout.contracts['ally-staking'],
      ['function rewardRate() view returns (uint256)'],
      devnet.provider,
    )
    expect(await vault.getFunction('rewardRate')()).toBe(50_000_000_000_000_000n)
    const registry = new Contract(
      devnet.layout.contracts.registry,
      ['function memberCount() view returns (uint256)'],
      devnet.provider,
    )
    expect(await registry.getFunction('memberCount')()).toBe(3n)
    expect((await devnet.reads.readSafe(devnet.layout.council)).nonce).toBe(1n)
  })

  it('executes a single-call plan (native transfer) without MultiSend', async () => {
    const p = await plan(
      `version: 1\nsafe: council\nactions:\n  - kind: transfer\n    token: ETH\n    to: grants-multisig\n    amount: "0.25"\n`,
    )
    expect(p.batch.kind).toBe('single')
    expect(p.safeTx.operation).toBe(0)
    const grants = p.safeTx.to
    const before = await devnet.provider.getBalance(grants)
    await execute(await signTwice(p))
    expect((await devnet.provider.getBalance(grants)) - before).toBe(250_000_000_000_000_000n)
  })

  it('refuses to execute below the threshold, twice, or after tampering', async () => {
    const p = await plan(BATCH)
    const once = await signBy(p, 0)
    // Executed by an account that is not an owner: one signature is one of two.
    await expect(execute(once, signer(5))).rejects.toBeInstanceOf(ThresholdNotMetError)

    const signed = await signTwice(p)
    const tampered: SafePlan = {
      ...signed,
      actions: signed.actions.map((a, i) => (i === 0 ? { ...a, calls: [{ ...a.calls[0]!, value: 1n }] } : a)),
    }
    await expect(execute(tampered)).rejects.toBeInstanceOf(PlanMismatchError)

    await execute(signed)
    await expect(execute(signed)).rejects.toBeInstanceOf(StalePlanError)
  })

  it('counts an owner who approved the hash on chain, and an owner who executes, as the Safe does', async () => {
    const p = await plan(BATCH)
    const once = await signBy(p, 0)
    // Bob approves the hash on chain; a non-owner executes with Alice's signature and Bob's approval.
    const safe = new Contract(p.safe.address, ['function approveHash(bytes32)'], devnet.provider)
    await new DevnetSender(devnet.provider).send(new Wallet(DEVNET_ACCOUNTS[1]!.key, devnet.provider), {
      to: p.safe.address,
      data: safe.interface.encodeFunctionData('approveHash', [p.hashes.safeTxHash]) as Hex,
    })
    const result = await execute(once, signer(5))
    expect(result.signers).toEqual(
      [signer(0).address, signer(1).address].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1)),
    )

    // Carol, an owner, executing the next plan with Alice's signature: her call is her approval.
    const next = await plan(
      'version: 1\nsafe: council\nactions:\n  - kind: transfer\n    token: aUSD\n    to: grants-multisig\n    amount: "10"\n',
      'pay.yaml',
    )
    const aliceOnly = await signBy(next, 0)
    const byCarol = await execute(aliceOnly, signer(2))
    expect(byCarol.signers).toContain(signer(2).address)
  })

  it('refuses a signature from a key that is not an owner', async () => {
    const p = await plan(BATCH)
    await expect(
      signPlan({
        plan: p,
        planFile: 'plan.json',
        signer: signer(5),
        workspace: devnet.workspace,
        reads: devnet.reads,
      }),
    ).rejects.toBeInstanceOf(NotAnOwnerError)
  })

  it('reports a transaction that would revert at execution with a clear error', async () => {
    // Valid signatures, but the batch fails on chain: the executor sees why before paying gas.
    const overBudget = BATCH.replace('amount: "12500.5"', 'amount: "150000"')
    const signed = await signTwice(await plan(overBudget))
    await expect(execute(signed)).rejects.toBeInstanceOf(ExecutionRevertedError)
  })
})
