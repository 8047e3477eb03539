import { Contract, Interface, Wallet } from 'ethers'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { loadActionFile } from '../../src/actions/actionFile.js'
import { startAnvil } from '../../src/chain/anvil.js'
import { AllianceProvider } from '../../src/chain/provider.js'
import { rangedLogSource } from '../../src/chain/rangedLogSource.js'
import { chainReads } from '../../src/chain/safeReads.js'
import { waitForReceipt } from '../../src/chain/waitForReceipt.js'
import { chainCheckReads } from '../../src/checks/checkContext.js'
import { simulationSubject } from '../../src/cli/simulationInput.js'
import { artifactInterface, loadArtifact } from '../../src/contracts/artifacts.js'
import { workspaceDecodeContext } from '../../src/decode/workspaceDecodeContext.js'
import { DEMO_ACTIONS } from '../../src/demo/runDemo.js'
import { DEVNET_ACCOUNTS } from '../../src/devnet/accounts.js'
import { DevnetSender } from '../../src/devnet/devnetSender.js'
import { WrongChainError } from '../../src/errors/chain.js'
import { buildGovernorProposal } from '../../src/governor/buildProposal.js'
import { descriptionHash, hashProposal } from '../../src/governor/proposalIds.js'
import { buildSafePlan } from '../../src/plan/buildSafePlan.js'
import type { SafePlan } from '../../src/plan/types.js'
import { reportProposal } from '../../src/report/reportProposal.js'
import { reportSafePlan } from '../../src/report/reportSafePlan.js'
import { type SimulationReport, simulationReportSchema } from '../../src/report/schema.js'
import { SAFE_NAMED_SLOTS } from '../../src/safe/storage.js'
import type { Address, Hex } from '../../src/safe/types.js'
import { ForkSession } from '../../src/simulate/fork.js'
import { startTestDevnet, type TestDevnet } from '../support/devnet.js'
import { deployTimestampGovernor } from '../support/timestampGovernor.js'

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

const decode = () => workspaceDecodeContext(devnet.workspace)
const chain = (provider: AllianceProvider = devnet.provider) => ({
  provider,
  reads: chainReads(provider),
  checkReads: chainCheckReads(provider),
  logs: rangedLogSource(provider),
})
const plan = (yaml: string, name = 'actions.yaml') =>
  buildSafePlan(loadActionFile(devnet.write(name, yaml), devnet.workspace), devnet.reads)
const simulateSafe = async (
  p: SafePlan,
  options: { mode?: 'fast' | 'fork'; fork?: { url?: string; block?: bigint } } = {},
) => {
  const { report } = await reportSafePlan({
    plan: p,
    workspace: devnet.workspace,
    decode: decode(),
    chain: chain(),
    ...options,
  })
  // Every report a command prints or writes is this shape: hold the simulator to it.
  simulationReportSchema.parse(report)
  return report
}
const simulateProposalFile = async (yaml: string, governor?: { governor: Address; timelock: Address }) => {
  const file = loadActionFile(devnet.write('proposal.yaml', yaml), devnet.workspace)
  const g = governor ?? {
    governor: devnet.layout.contracts.governor as Address,
    timelock: devnet.layout.contracts.timelock as Address,
  }
  const proposal = buildGovernorProposal(file, g.governor, g.timelock)
  const { report, simulation } = await reportProposal({
    proposal,
    workspace: devnet.workspace,
    decode: decode(),
    chain: chain(),
  })
  simulationReportSchema.parse(report)
  return { report, simulation, proposal }
}
const firstLines = (report: SimulationReport, n = 3) =>
  report.headline
    .slice(0, n)
    .map((h) => h.text)
    .join('\n')

const COUNCIL = () => devnet.layout.council as Address

async function deployGuard(): Promise<Address> {
  const artifact = loadArtifact('RecordingGuard')
  const deployer = new Wallet(DEVNET_ACCOUNTS[9]!.key, devnet.provider)
  const receipt = await new DevnetSender(devnet.provider).send(deployer, { data: artifact.bytecode as Hex })
  return receipt.contractAddress as Address
}

describe('Safe batches, fast mode (debug_traceCall with overrides)', () => {
  it('reports a passing batch with balance changes, a decoded state diff, events and a trace marking the delegatecall', async () => {
    const report = await simulateSafe(await plan(DEMO_ACTIONS))
    expect(report.execution.success).toBe(true)
    expect(report.environment.mode).toBe('trace-call')
    expect(report.verdict).not.toBe('failed')
    expect(report.calls.map((c) => c.function)).toEqual(['allocate', 'setRewardRate', 'admitMember'])

    const grants = report.balanceChanges.find((c) => c.holder.label === 'grants-multisig')
    expect(grants).toMatchObject({ symbol: 'ALLY', delta: '12500500000000000000000' })
    const treasury = report.balanceChanges.find((c) => c.holder.label === 'treasury' && c.symbol === 'ALLY')
    expect(treasury?.delta).toBe('-12500500000000000000000')

    const byContract = new Map(report.stateDiff!.map((d) => [d.contract.label, d]))
    const spent = byContract
      .get('treasury')!
      .changes.find((c) => c.variable?.startsWith('spentInEpoch[ALLY]'))
    expect(spent, JSON.stringify(byContract.get('treasury'))).toBeDefined()
    expect(spent!.after.replace(/,/g, '')).toContain('12500500000000000000000')
    expect(byContract.get('ally-staking')!.changes.some((c) => c.variable === 'rewardRate')).toBe(true)
    expect(byContract.get('council')!.changes.map((c) => c.variable)).toContain('nonce')
    expect(report.criticalChanges).toEqual([])

    const delegatecalls = report.trace!.filter((f) => f.delegatecall && !f.proxyForward)
    expect(delegatecalls.map((f) => f.to.address)).toEqual(['0x9641d764fc13c8B624c04430C7356C1C7C8102e2'])
    expect(report.trace!.some((f) => f.proxyForward)).toBe(true)
    expect(report.events.map((e) => e.name)).toEqual([
      'Transfer',
      'Allocated',
      'RewardRateSet',
      'MemberAdmitted',
      'ExecutionSuccess',
    ])
    const traceCheck = report.checks.results.find((r) => r.id === 'trace-delegatecall')!
    expect(traceCheck.skipped).toBeUndefined()
    expect(traceCheck.findings).toEqual([])
  })

  it('names the inner call that reverts, with its decoded custom error, in the first line', async () => {
    const report = await simulateSafe(
      await plan(`version: 1
safe: council
actions:
  - kind: set-reward-rate
    vault: ally-staking
    rate: "0.02"
    duration: 30d
  - kind: allocate-treasury
    token: ALLY
    to: grants-multisig
    amount: "250000"
    memo: over the epoch budget
  - kind: transfer
    token: aUSD
    to: grants-multisig
    amount: "1"
`),
    )
    expect(report.execution.success).toBe(false)
    expect(report.verdict).toBe('failed')
    expect(report.execution.failure).toMatchObject({ call: 2, action: 2 })
    expect(report.execution.failure!.reason).toMatch(/^BudgetExceeded\(/)
    expect(report.headline[0]!.text).toMatch(/call 2 \(action 2\).*allocate.*reverted: BudgetExceeded/)
    expect(report.calls.map((c) => c.reverted)).toEqual([false, true, false])
    expect(report.balanceChanges).toEqual([])
  })

  it('puts a guard change hidden in a batch first, as a danger', async () => {
    const guard = await deployGuard()
    const report = await simulateSafe(
      await plan(`version: 1
safe: council
actions:
  - kind: transfer
    token: aUSD
    to: grants-multisig
    amount: "10"
  - kind: call
    to: council
    signature: setGuard(address)
    args: ["${guard}"]
  - kind: transfer
    token: aUSD
    to: grants-multisig
    amount: "10"
`),
    )
    expect(report.execution.success).toBe(true)
    expect(report.verdict).toBe('danger')
    expect(report.criticalChanges).toHaveLength(1)
    expect(report.criticalChanges[0]).toMatchObject({
      contract: { label: 'council' },
      what: 'guard',
      severity: 'danger',
    })
    expect(report.headline[0]!.severity).toBe('danger')
    expect(report.headline[0]!.text).toMatch(/council: guard .*→ .*/i)
    expect(report.headline[0]!.text.toLowerCase()).toContain(guard.toLowerCase())
    const critical = report.checks.results.find((r) => r.id === 'critical-state')!
    expect(critical.findings.map((f) => f.severity)).toEqual(['danger'])
  })

  it('leaves a guard already set in place, runs it, and says so', async () => {
    const guard = await deployGuard()
    // Set the guard for real, as the Safe itself (anvil lets the test act as the Safe).
    await devnet.provider.send('anvil_impersonateAccount', [COUNCIL()])
    await devnet.provider.send('anvil_setBalance', [COUNCIL(), '0xde0b6b3a7640000'])
    const hash = await devnet.provider.send('eth_sendTransaction', [
      {
        from: COUNCIL(),
        to: COUNCIL(),
        data: new Interface(['function setGuard(address)']).encodeFunctionData('setGuard', [guard]),
      },
    ])
    await waitForReceipt(devnet.provider, hash, { timeoutMs: 30_000 })
    await devnet.provider.send('anvil_stopImpersonatingAccount', [COUNCIL()])
    expect(BigInt(await devnet.provider.getStorage(COUNCIL(), SAFE_NAMED_SLOTS.guard))).toBe(BigInt(guard))

    const report = await simulateSafe(await plan(DEMO_ACTIONS))
    expect(report.execution.success).toBe(true)
    expect(report.notes.join('\n')).toMatch(/transaction guard.*left in place and ran/)
    const guardCalls = report.trace!.filter((f) => f.to.address === guard).map((f) => f.function)
    expect(guardCalls).toEqual(['checkTransaction', 'checkAfterExecution'])
  })

  it('without a tracing node, falls back to eth_simulateV1 and says what it could not see', async () => {
    class NoDebugProvider extends AllianceProvider {
      override async send(method: string, params: unknown[] | Record<string, unknown>) {
        if (method.startsWith('debug_'))
          throw Object.assign(new Error('Method not found'), { error: { code: -32601 } })
        return super.send(method, params)
      }
    }
    const provider = new NoDebugProvider(devnet.url, 31337n)
    try {
      const p = await plan(DEMO_ACTIONS)
      const { report } = await reportSafePlan({
        plan: p,
        workspace: devnet.workspace,
        decode: decode(),
        chain: chain(provider),
      })
      expect(report.environment.mode).toBe('simulate-v1')
      expect(report.execution.success).toBe(true)
      expect(report.trace).toBeUndefined()
      expect(report.stateDiff).toBeUndefined()
      expect(report.balanceChanges.find((c) => c.holder.label === 'grants-multisig')?.delta).toBe(
        '12500500000000000000000',
      )
      const critical = report.checks.results.find((r) => r.id === 'critical-state')!
      expect(critical.findings[0]?.message).toMatch(/could not report a state diff/)
    } finally {
      provider.destroy()
    }
  })
})

describe('Safe batches on an anvil fork', () => {
  it('executes the real transaction on a fork pinned to a block and agrees with fast mode', async () => {
    const p = await plan(DEMO_ACTIONS)
    const fast = await simulateSafe(p)
    const block = BigInt(await devnet.provider.getBlockNumber())
    const fork = await simulateSafe(p, { fork: { url: devnet.url, block } })
    expect(fork.environment.mode).toBe('fork')
    expect(fork.environment.forkBlock).toBe(block.toString())
    expect(fork.execution.success).toBe(true)
    expect(fork.balanceChanges).toEqual(fast.balanceChanges)
    expect(fork.events.map((e) => e.text)).toEqual(fast.events.map((e) => e.text))
    const vars = (r: SimulationReport) =>
      r.stateDiff!.flatMap((d) => d.changes.map((c) => `${d.contract.label}.${c.variable}=${c.after}`)).sort()
    expect(vars(fork)).toEqual(vars(fast))
    // The workspace chain was not touched.
    expect(BigInt(await devnet.provider.getBlockNumber())).toBe(block)
  })

  it('refuses to fork a chain other than the workspace’s, without leaking the URL’s key', async () => {
    const other = await startAnvil({ chainId: 10 })
    try {
      const p = await plan(DEMO_ACTIONS)
      const attempt = simulateSafe(p, { fork: { url: `${other.url}/?key=SECRETKEY` } })
      await expect(attempt).rejects.toBeInstanceOf(WrongChainError)
      await expect(attempt).rejects.toThrow(/is chain 10, but the workspace expects chain 31337/)
      await expect(attempt).rejects.not.toThrow(/SECRETKEY/)
      // A URL the node refuses (a wrong path) is a clear error that does not repeat the key either.
      const refused = simulateSafe(p, { fork: { url: `${other.url}/v2/SECRETKEY` } })
      await expect(refused).rejects.toThrow(/did not answer eth_chainId: server response 404/)
      await expect(refused).rejects.not.toThrow(/SECRETKEY/)
    } finally {
      await other.stop()
    }
  })

  it('names the failing call on a fork too', async () => {
    const p = await plan(`version: 1
safe: council
actions:
  - kind: transfer
    token: aUSD
    to: grants-multisig
    amount: "1"
  - kind: allocate-treasury
    token: ALLY
    to: grants-multisig
    amount: "250000"
    memo: too much
`)
    const report = await simulateSafe(p, { mode: 'fork' })
    expect(report.environment.mode).toBe('fork')
    expect(report.execution.failure).toMatchObject({ call: 2, action: 2 })
    expect(report.headline[0]!.text).toMatch(/call 2 \(action 2\).*BudgetExceeded/)
  })

  it("keeps the chain's balances of anvil's own dev accounts on the fork", async () => {
    // The devnet's accounts are anvil's dev accounts: a fork that refunded them (anvil's default) would
    // show 10,000 ETH where the chain has less, and every balance change of theirs would be wrong.
    const deployer = DEVNET_ACCOUNTS[0]!.address as Address
    const onChain = await devnet.provider.getBalance(deployer)
    expect(onChain).toBeLessThan(10_000n * 10n ** 18n)
    const fork = await ForkSession.start({ url: devnet.url, chainId: BigInt(devnet.layout.chainId) })
    try {
      expect(await fork.provider.getBalance(deployer)).toBe(onChain)
    } finally {
      await fork.stop()
    }
  })
})

const governorAbi = () => artifactInterface('AllianceGovernor')

describe('Governor proposals: the whole lifecycle on a fork', () => {
  it('runs a proposal with four action kinds through propose, vote, queue and execute', async () => {
    const { report, proposal } = await simulateProposalFile(`version: 1
safe: council
route: governor
description: "# Q4 alliance package\\n\\nGrants, rewards, a member and a sweep."
actions:
  - kind: allocate-treasury
    token: ALLY
    to: grants-multisig
    amount: "1000"
    memo: Governance grant
  - kind: set-reward-rate
    vault: ally-staking
    rate: "0.03"
    duration: 30d
  - kind: admit-member
    name: PLAY DAO
    token: PLAY
    treasury: play-dao-treasury
    weight-bps: 1000
  - kind: emergency-withdraw
    from: treasury
    token: aUSD
    to: council
`)
    expect(report.execution.success, JSON.stringify(report.execution)).toBe(true)
    expect(report.subject).toMatchObject({
      kind: 'governor',
      existing: false,
      clockMode: 'mode=blocknumber&from=default',
    })
    const onChainId = (await new Contract(proposal.governor, governorAbi(), devnet.provider).getFunction(
      'hashProposal',
    )(proposal.targets, proposal.values, proposal.calldatas, proposal.descriptionHash)) as bigint
    expect(report.subject.kind === 'governor' && report.subject.proposalId).toBe(onChainId.toString())
    expect(report.lifecycle!.steps.map((s) => [s.step, s.stateAfter])).toEqual([
      ['propose', 'Pending'],
      ['vote', 'Active'],
      ['queue', 'Queued'],
      ['execute', 'Executed'],
    ])
    expect(report.lifecycle!.votes.method).toBe('manufactured')
    // The timelock delay (3600 s) was waited out before execute.
    const [, , queue, execute] = report.lifecycle!.steps
    expect(BigInt(execute!.timestamp) - BigInt(queue!.timestamp)).toBeGreaterThanOrEqual(3600n)
    expect(report.calls.map((c) => c.function)).toEqual([
      'allocate',
      'setRewardRate',
      'admitMember',
      'emergencyWithdraw',
    ])
    expect(report.balanceChanges.find((c) => c.holder.label === 'grants-multisig')?.formatted).toBe(
      '+1,000 ALLY',
    )
    expect(report.events.some((e) => e.name === 'ProposalExecuted')).toBe(true)
    // The workspace chain was not touched: the proposal does not exist there.
    await expect(
      new Contract(proposal.governor, governorAbi(), devnet.provider).getFunction('proposalSnapshot')(
        proposal.proposalId,
      ),
    ).resolves.toBe(0n)
  })

  it('a proposal that changes the governor’s own voting period passes through onlyGovernance, and the change is flagged', async () => {
    const { report } = await simulateProposalFile(`version: 1
safe: council
route: governor
description: Lengthen voting to 100 blocks
actions:
  - kind: call
    to: governor
    signature: setVotingPeriod(uint32)
    args: [100]
`)
    expect(report.execution.success, JSON.stringify([report.execution, report.lifecycle])).toBe(true)
    const governorDiff = report.stateDiff!.find((d) => d.contract.label === 'governor')!
    const period = governorDiff.changes.find((c) => c.variable === '_votingPeriod')
    expect(period, JSON.stringify(governorDiff)).toMatchObject({ before: '50', after: '100', critical: true })
    expect(firstLines(report)).toMatch(/governor: _votingPeriod 50 → 100/)
    expect(report.events.some((e) => e.name === 'VotingPeriodSet')).toBe(true)
  })

  it('names the proposal call that fails at execute', async () => {
    const { report } = await simulateProposalFile(`version: 1
safe: council
route: governor
description: Too large an allocation
actions:
  - kind: set-reward-rate
    vault: ally-staking
    rate: "0.03"
    duration: 30d
  - kind: allocate-treasury
    token: ALLY
    to: grants-multisig
    amount: "250000"
    memo: over budget
`)
    expect(report.execution.success).toBe(false)
    expect(report.execution.failure).toMatchObject({ step: 'execute', call: 2, action: 2 })
    expect(report.headline[0]!.text).toMatch(/execute failed: call 2 \(action 2\).*BudgetExceeded/)
  })

  it('simulates a proposal already created on chain, from its current state', async () => {
    const alice = new Wallet(DEVNET_ACCOUNTS[0]!.key, devnet.provider)
    const governor = devnet.layout.contracts.governor as Address
    const targets = [governor]
    const values = [0n]
    const calldatas = [governorAbi().encodeFunctionData('setVotingDelay', [2]) as Hex]
    const description = 'Voting delay to 2 blocks'
    const sender = new DevnetSender(devnet.provider)
    await sender.send(alice, {
      to: governor,
      data: governorAbi().encodeFunctionData('propose', [targets, values, calldatas, description]) as Hex,
    })
    const id = hashProposal({
      targets,
      values,
      calldatas,
      descriptionHash: descriptionHash(description),
    })
    const subject = await simulationSubject({ proposalId: id.toString() }, devnet.workspace, {
      ...chain(),
      close() {},
    })
    if (subject.kind !== 'governor') throw new Error('expected a governor subject')
    expect(subject.existing?.proposer).toBe(alice.address)
    const { report } = await reportProposal({
      proposal: subject.proposal,
      workspace: devnet.workspace,
      decode: decode(),
      chain: chain(),
      existing: subject.existing!,
    })
    expect(report.execution.success, JSON.stringify(report.execution)).toBe(true)
    expect(report.subject).toMatchObject({ kind: 'governor', existing: true, proposalId: id.toString() })
    expect(report.lifecycle!.steps[0]).toMatchObject({ step: 'propose', skipped: true })
    expect(report.lifecycle!.votes.method).toBe('impersonated')
    expect(report.lifecycle!.votes.voters.length).toBeGreaterThan(0)
    expect(report.lifecycle!.steps.at(-1)).toMatchObject({ step: 'execute', stateAfter: 'Executed' })
  })

  it('an existing proposal that is Active gets real delegates’ votes; a Queued one only executes', async () => {
    const alice = new Wallet(DEVNET_ACCOUNTS[0]!.key, devnet.provider)
    const bob = new Wallet(DEVNET_ACCOUNTS[1]!.key, devnet.provider)
    const governor = devnet.layout.contracts.governor as Address
    const g = governorAbi()
    const sender = new DevnetSender(devnet.provider)
    const propose = async (delay: number) => {
      const calldatas = [g.encodeFunctionData('setVotingDelay', [delay]) as Hex]
      const description = `Voting delay to ${delay} blocks`
      await sender.send(alice, {
        to: governor,
        data: g.encodeFunctionData('propose', [[governor], [0n], calldatas, description]) as Hex,
      })
      const descHash = descriptionHash(description)
      const id = hashProposal({ targets: [governor], values: [0n], calldatas, descriptionHash: descHash })
      return { id, calldatas, descHash }
    }
    const simulateExisting = async (id: bigint) => {
      const subject = await simulationSubject({ proposalId: id.toString() }, devnet.workspace, {
        ...chain(),
        close() {},
      })
      if (subject.kind !== 'governor') throw new Error('expected a governor subject')
      const { report } = await reportProposal({
        proposal: subject.proposal,
        workspace: devnet.workspace,
        decode: decode(),
        chain: chain(),
        existing: subject.existing!,
      })
      return report
    }

    // Active: the snapshot is past, so only delegates who held votes then can vote.
    const active = await propose(4)
    await devnet.provider.send('anvil_mine', ['0x3'])
    const activeReport = await simulateExisting(active.id)
    expect(activeReport.execution.success, JSON.stringify(activeReport.execution)).toBe(true)
    expect(activeReport.lifecycle!.votes.method).toBe('impersonated')
    // The delegate with the most votes first, until the proposal passes: bob alone suffices here.
    expect(activeReport.lifecycle!.votes.voters.map((v) => v.label)).toEqual(['bob'])
    expect(activeReport.lifecycle!.steps.map((s) => [s.step, s.skipped])).toEqual([
      ['propose', true],
      ['vote', false],
      ['queue', false],
      ['execute', false],
    ])

    // Queued for real on the devnet: the simulation waits out the timelock and executes.
    const queued = await propose(5)
    await devnet.provider.send('anvil_mine', ['0x2'])
    await sender.send(bob, { to: governor, data: g.encodeFunctionData('castVote', [queued.id, 1]) as Hex })
    await devnet.provider.send('anvil_mine', ['0x40'])
    await sender.send(alice, {
      to: governor,
      data: g.encodeFunctionData('queue', [[governor], [0n], queued.calldatas, queued.descHash]) as Hex,
    })
    const queuedReport = await simulateExisting(queued.id)
    expect(queuedReport.execution.success, JSON.stringify(queuedReport.execution)).toBe(true)
    expect(queuedReport.lifecycle!.steps.map((s) => [s.step, s.skipped, s.stateAfter])).toEqual([
      ['propose', true, 'Queued'],
      ['vote', true, 'Queued'],
      ['queue', true, 'Queued'],
      ['execute', false, 'Executed'],
    ])
    const delay = queuedReport.stateDiff!.find((d) => d.contract.label === 'governor')!.changes
    expect(delay.find((c) => c.variable === '_votingDelay')).toMatchObject({ before: '1', after: '5' })
  })

  it('moves time by timestamps for a timestamp-clock governor', async () => {
    const stack = await deployTimestampGovernor(devnet.provider, DEVNET_ACCOUNTS[9]!.key as Hex)
    const { report } = await simulateProposalFile(
      `version: 1
safe: council
route: governor
description: Longer voting on the timestamp governor
actions:
  - kind: call
    to: "${stack.governor}"
    signature: setVotingPeriod(uint32)
    args: [1200]
`,
      { governor: stack.governor, timelock: stack.timelock },
    )
    expect(report.execution.success, JSON.stringify([report.execution, report.lifecycle])).toBe(true)
    expect(report.subject.kind === 'governor' && report.subject.clockMode).toBe('mode=timestamp')
    const steps = report.lifecycle!.steps
    // Voting delay 60 s and period 600 s are seconds here: the vote comes >60 s after the proposal,
    // the queue >600 s after the vote, with few blocks in between.
    expect(BigInt(steps[1]!.timestamp) - BigInt(steps[0]!.timestamp)).toBeGreaterThan(60n)
    expect(BigInt(steps[2]!.timestamp) - BigInt(steps[1]!.timestamp)).toBeGreaterThanOrEqual(600n)
    expect(BigInt(steps[3]!.block) - BigInt(steps[0]!.block)).toBeLessThan(10n)
  })
})
