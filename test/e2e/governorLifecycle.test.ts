import { Contract, type Interface, parseUnits, Wallet } from 'ethers'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { actionContext, loadActionFile } from '../../src/actions/actionFile.js'
import { artifactInterface } from '../../src/contracts/artifacts.js'
import { DEMO_ACTIONS } from '../../src/demo/runDemo.js'
import { DEVNET_ACCOUNTS } from '../../src/devnet/accounts.js'
import { DevnetSender } from '../../src/devnet/devnetSender.js'
import { ProposalStateError, ProposerBelowThresholdError } from '../../src/errors/governor.js'
import { executeSafePlan } from '../../src/execute/executeSafePlan.js'
import { executeProposal } from '../../src/execute/governor/execute.js'
import { proposeProposal } from '../../src/execute/governor/propose.js'
import { queueProposal } from '../../src/execute/governor/queue.js'
import { castVote } from '../../src/execute/governor/vote.js'
import { buildGovernorProposal } from '../../src/governor/buildProposal.js'
import { listProposals } from '../../src/governor/listProposals.js'
import { proposalOnChain } from '../../src/governor/proposalOnChain.js'
import { proposalStatus } from '../../src/governor/proposalStatus.js'
import { type GovernorInfo, readGovernor, readProposal } from '../../src/governor/readGovernor.js'
import type { GovernorProposal } from '../../src/governor/types.js'
import { buildSafePlan } from '../../src/plan/buildSafePlan.js'
import { proposeThroughSafe } from '../../src/plan/proposeThroughSafe.js'
import type { SafePlan } from '../../src/plan/types.js'
import type { Hex } from '../../src/safe/types.js'
import { signPlan } from '../../src/signers/signPlan.js'
import { simulateProposal } from '../../src/simulate/governor/simulateProposal.js'
import { devnetSigner, startTestDevnet, type TestDevnet } from '../support/devnet.js'
import { deploySequentialGovernor } from '../support/sequentialGovernor.js'

const [alice, bob, carol] = [devnetSigner(0), devnetSigner(1), devnetSigner(2)]
const ALLY = (n: string) => parseUnits(n, 18)

// The four alliance action kinds (the demo's three and a sweep), run by the timelock (the devnet gives it
// every role they need).
const FOUR_KINDS = `version: 1
safe: council
route: governor
description: |
  # Grants, the vault rate, a new member and a sweep

  All four alliance action kinds, through the Governor.
${DEMO_ACTIONS.slice(DEMO_ACTIONS.indexOf('actions:'))}  - kind: emergency-withdraw
    from: treasury
    token: aUSD
    to: council
`

let devnet: TestDevnet
let info: GovernorInfo
let snapshot: string

beforeAll(async () => {
  devnet = await startTestDevnet()
  info = await readGovernor(devnet.provider, devnet.layout.contracts.governor)
})
afterAll(async () => {
  await devnet?.stop()
})
beforeEach(async () => {
  if (snapshot) await devnet.revert(snapshot)
  snapshot = await devnet.snapshot()
})

const mine = (blocks: number | bigint) => devnet.provider.send('anvil_mine', [`0x${blocks.toString(16)}`])
const waitTime = async (seconds: number) => {
  await devnet.provider.send('evm_increaseTime', [seconds])
  await mine(1)
}
const proposalFrom = (yaml: string, name = 'proposal.yaml') =>
  buildGovernorProposal(
    loadActionFile(devnet.write(name, yaml), devnet.workspace),
    info.address,
    info.timelock,
    info.ozVersion,
  )
const governor = () => new Contract(info.address, artifactInterface('AllianceGovernor'), devnet.provider)
const timelock = () => new Contract(info.timelock!, artifactInterface('AllianceTimelock'), devnet.provider)
const erc20 = (address: string) =>
  new Contract(address, ['function balanceOf(address) view returns (uint256)'], devnet.provider)
const stateOf = async (id: bigint) => (await readProposal(devnet.provider, info.address, id)).state.name

/** Votes for with Alice and Bob, then mines past the deadline. */
async function passVote(id: bigint) {
  const readout = await readProposal(devnet.provider, info.address, id)
  await mine(readout.snapshot - BigInt(await devnet.provider.getBlockNumber()) + 1n)
  for (const voter of [alice, bob])
    await castVote({ provider: devnet.provider, signer: voter, info, id, support: 'for' })
  await mine(readout.deadline - BigInt(await devnet.provider.getBlockNumber()) + 1n)
}

describe('a proposal through propose → vote → queue → execute', () => {
  it('runs all four action kinds, with the ids matching the chain at every step', async () => {
    const proposal = proposalFrom(FOUR_KINDS)
    const c = devnet.layout.contracts
    const grants = devnet.workspace.book.byName('grants-multisig')!.address
    const grantsBefore = await erc20(c.ALLY).getFunction('balanceOf')(grants)
    const councilUsdBefore = await erc20(c.aUSD).getFunction('balanceOf')(devnet.layout.council)

    // The simulation's propose calldata is what proposeProposal checks it sends.
    const simulation = await simulateProposal({
      proposal,
      provider: devnet.provider,
      chainId: 31337n,
      book: devnet.workspace.book,
      abiFor: actionContext(devnet.workspace).abiFor,
    })
    expect(simulation.success).toBe(true)
    const proposed = await proposeProposal({
      provider: devnet.provider,
      signer: alice,
      info,
      proposal,
      simulatedCalldata: simulation.proposeCalldata!,
    })
    expect(proposed.identicalToSimulation).toBe(true)
    // propose: the id the governor logged is the one computed locally, and its own hashProposal agrees.
    expect(proposed.proposalId).toBe(proposal.proposalId)
    expect(
      await governor().getFunction('hashProposal')(
        proposal.targets,
        proposal.values,
        proposal.calldatas,
        proposal.descriptionHash,
      ),
    ).toBe(proposal.proposalId)
    const tx = await devnet.provider.getTransaction(proposed.transactionHash)
    expect(tx!.data).toBe(simulation.proposeCalldata)

    // The proposal rebuilt from its event is the one sent.
    const onChain = await proposalOnChain(devnet.provider, info, proposal.proposalId)
    expect(onChain.proposal.calldatas).toEqual(proposal.calldatas)
    expect(onChain.proposal.timelockOperationId).toBe(proposal.timelockOperationId)

    await passVote(proposal.proposalId)
    expect(await stateOf(proposal.proposalId)).toBe('Succeeded')

    // queue: the timelock scheduled the operation id computed locally, for the eta the governor holds.
    const queued = await queueProposal({
      provider: devnet.provider,
      signer: carol,
      info,
      proposal: onChain.proposal,
    })
    expect(queued.timelockOperationId).toBe(proposal.timelockOperationId)
    expect(await timelock().getFunction('isOperationPending')(proposal.timelockOperationId)).toBe(true)
    expect(await governor().getFunction('proposalEta')(proposal.proposalId)).toBe(queued.eta)
    expect(await timelock().getFunction('getTimestamp')(proposal.timelockOperationId)).toBe(queued.eta)

    const status = await proposalStatus(devnet.provider, info, onChain)
    expect(status.state).toBe('Queued')
    expect(status.timelock).toMatchObject({ operationId: proposal.timelockOperationId, state: 'waiting' })
    expect(status.quorumReached).toBe(true)

    await waitTime(3601)
    const executed = await executeProposal({
      provider: devnet.provider,
      signer: carol,
      info,
      proposal: onChain.proposal,
    })
    expect(executed.value).toBe(0n)
    expect(await stateOf(proposal.proposalId)).toBe('Executed')
    expect(await timelock().getFunction('isOperationDone')(proposal.timelockOperationId)).toBe(true)

    // Each action did what it says.
    expect((await erc20(c.ALLY).getFunction('balanceOf')(grants)) - grantsBefore).toBe(ALLY('12500.5'))
    const vault = new Contract(c['ally-staking'], artifactInterface('StakingVault'), devnet.provider)
    expect(await vault.getFunction('rewardRate')()).toBe(ALLY('0.05'))
    const registry = new Contract(c.registry, artifactInterface('AllianceRegistry'), devnet.provider)
    expect(
      await registry.getFunction('isMember')(devnet.workspace.book.byName('play-dao-treasury')!.address),
    ).toBe(true)
    expect((await erc20(c.aUSD).getFunction('balanceOf')(devnet.layout.council)) > councilUsdBefore).toBe(
      true,
    )

    // list: the proposal with its whole history.
    const [listed] = await listProposals(devnet.provider, info.address)
    expect(listed).toMatchObject({
      proposalId: proposal.proposalId,
      state: 'Executed',
      proposer: alice.address,
    })
    expect(listed!.queued?.eta).toBe(queued.eta)
    expect(listed!.executed?.transactionHash).toBe(executed.transactionHash)
  })

  it("changes the governor's own voting period (onlyGovernance through the timelock)", async () => {
    const yaml = `version: 1
safe: council
route: governor
description: "# Longer votes\\n\\nVoting period 50 → 100 blocks."
actions:
  - kind: call
    to: governor
    function: setVotingPeriod
    args: [100]
`
    const proposal = proposalFrom(yaml, 'voting-period.yaml')
    await proposeProposal({ provider: devnet.provider, signer: bob, info, proposal })
    await passVote(proposal.proposalId)
    await queueProposal({ provider: devnet.provider, signer: bob, info, proposal })
    await waitTime(3601)
    await executeProposal({ provider: devnet.provider, signer: bob, info, proposal })
    expect(await governor().getFunction('votingPeriod')()).toBe(100n)
    expect((await readGovernor(devnet.provider, info.address)).votingPeriod).toBe(100n)
  })
  it('sends as msg.value only what the timelock lacks for the calls that carry ETH', async () => {
    const yaml = `version: 1
safe: council
route: governor
description: "# Pay 0.25 ETH from the timelock"
actions:
  - kind: transfer
    token: ETH
    to: grants-multisig
    amount: "0.25"
`
    const proposal = proposalFrom(yaml, 'eth.yaml')
    const grants = devnet.workspace.book.byName('grants-multisig')!.address
    // The timelock holds 0.1 ETH: 0.15 ETH must come with the execute call.
    await devnet.provider.send('anvil_setBalance', [info.timelock, '0x16345785d8a0000'])
    await proposeProposal({ provider: devnet.provider, signer: alice, info, proposal })
    await passVote(proposal.proposalId)
    await queueProposal({ provider: devnet.provider, signer: alice, info, proposal })
    await waitTime(3601)
    const before = await devnet.provider.getBalance(grants)
    const executed = await executeProposal({ provider: devnet.provider, signer: carol, info, proposal })
    expect(executed.funding).toEqual({ callsTotal: ALLY('0.25'), executorBalance: ALLY('0.1') })
    expect(executed.value).toBe(ALLY('0.15'))
    expect((await devnet.provider.getBalance(grants)) - before).toBe(ALLY('0.25'))
    expect(await devnet.provider.getBalance(info.timelock!)).toBe(0n)
  })
})

describe('refusals, in words, before anything is sent', () => {
  it('refuses a proposer below the threshold', async () => {
    const proposal = proposalFrom(FOUR_KINDS)
    const nobody = devnetSigner(4)
    const block = await devnet.provider.getBlockNumber()
    const err = await proposeProposal({ provider: devnet.provider, signer: nobody, info, proposal }).catch(
      (e) => e,
    )
    expect(err).toBeInstanceOf(ProposerBelowThresholdError)
    expect(err.code).toBe('GOVERNOR_BELOW_THRESHOLD')
    expect(err.threshold).toBe(ALLY('1000'))
    expect(err.votes).toBe(0n)
    expect(await devnet.provider.getBlockNumber()).toBe(block)
  })

  it('refuses the same proposal twice, a queue twice, and an execute before the eta', async () => {
    const proposal = proposalFrom(FOUR_KINDS)
    await proposeProposal({ provider: devnet.provider, signer: alice, info, proposal })
    await expect(
      proposeProposal({ provider: devnet.provider, signer: bob, info, proposal }),
    ).rejects.toMatchObject({
      code: 'GOVERNOR_PROPOSAL_EXISTS',
    })
    // Queue before the vote is over; vote twice.
    await expect(
      queueProposal({ provider: devnet.provider, signer: bob, info, proposal }),
    ).rejects.toMatchObject({
      code: 'GOVERNOR_VOTING_NOT_OVER',
    })
    await passVote(proposal.proposalId)
    await expect(
      castVote({ provider: devnet.provider, signer: carol, info, id: proposal.proposalId, support: 'for' }),
    ).rejects.toMatchObject({ code: 'GOVERNOR_VOTING_CLOSED' })
    await expect(
      executeProposal({ provider: devnet.provider, signer: bob, info, proposal }),
    ).rejects.toMatchObject({
      code: 'GOVERNOR_NOT_QUEUED',
    })
    await queueProposal({ provider: devnet.provider, signer: bob, info, proposal })
    const block = await devnet.provider.getBlockNumber()
    const twice = await queueProposal({ provider: devnet.provider, signer: bob, info, proposal }).catch(
      (e) => e,
    )
    expect(twice).toBeInstanceOf(ProposalStateError)
    expect(twice.code).toBe('GOVERNOR_ALREADY_QUEUED')
    const early = await executeProposal({ provider: devnet.provider, signer: bob, info, proposal }).catch(
      (e) => e,
    )
    expect(early.code).toBe('GOVERNOR_BEFORE_ETA')
    expect(early.message).toMatch(/is (59m|1h)/)
    expect(await devnet.provider.getBlockNumber()).toBe(block)
    expect(await stateOf(proposal.proposalId)).toBe('Queued')
  })
})

describe('the council Safe as proposer', () => {
  const signTwice = async (plan: SafePlan) => {
    let signed = plan
    for (const s of [alice, bob])
      signed = await signPlan({
        plan: signed,
        planFile: 'plan.json',
        signer: s,
        workspace: devnet.workspace,
        reads: devnet.reads,
      })
    return signed
  }
  const execute = (plan: SafePlan) =>
    executeSafePlan({
      plan,
      planFile: 'plan.json',
      executor: carol,
      provider: devnet.provider,
      reads: devnet.reads,
      workspace: devnet.workspace,
    })

  it('proposes through a signed and executed Safe plan, once the Safe has votes', async () => {
    const c = devnet.layout.contracts
    const council = devnet.layout.council
    // The Safe gets ALLY from an owner and delegates it to itself with an ordinary council plan.
    await new DevnetSender(devnet.provider).send(new Wallet(DEVNET_ACCOUNTS[0]!.key, devnet.provider), {
      to: c.ALLY,
      data: artifactInterface('AllianceToken').encodeFunctionData('transfer', [council, ALLY('5000')]) as Hex,
    })
    const delegate = await buildSafePlan(
      loadActionFile(
        devnet.write(
          'delegate.yaml',
          `version: 1\nsafe: council\ndescription: Delegate the council's ALLY to itself\nactions:\n  - kind: call\n    to: ALLY\n    signature: delegate(address)\n    args: [council]\n`,
        ),
        devnet.workspace,
      ),
      devnet.reads,
    )
    await execute(await signTwice(delegate))
    await mine(1)

    const proposal = proposalFrom(FOUR_KINDS)
    const { plan, actionFileText } = await proposeThroughSafe({
      proposal,
      safe: 'council',
      file: 'propose.yaml',
      workspace: devnet.workspace,
      reads: devnet.reads,
    })
    expect(plan.safeTx.to).toBe(info.address)
    expect(actionFileText).toContain('function: propose')
    await execute(await signTwice(plan))

    const onChain = await proposalOnChain(devnet.provider, info, proposal.proposalId)
    expect(onChain.created.proposer).toBe(council)
    expect(await stateOf(proposal.proposalId)).toBe('Pending')
  })

  it('refuses to plan a proposal the Safe has no votes for', async () => {
    const proposal = proposalFrom(FOUR_KINDS)
    const { checkCanPropose } = await import('../../src/execute/governor/propose.js')
    await expect(
      checkCanPropose(devnet.provider, info, proposal, devnet.layout.council),
    ).rejects.toMatchObject({
      code: 'GOVERNOR_BELOW_THRESHOLD',
    })
  })
})

describe('a governor that numbers its proposals', () => {
  it('proposes, votes, queues and executes by the id the governor gave, and says the id is not the hash', async () => {
    const deployer = DEVNET_ACCOUNTS[3]!
    const seq = await deploySequentialGovernor(devnet.provider, deployer.key as Hex)
    await mine(1)
    const seqInfo = await readGovernor(devnet.provider, seq.governor)
    expect(seqInfo.proposalNumbering).toBe('sequential')
    expect(info.proposalNumbering).toBe('hash')

    const iface: Interface = artifactInterface('SequentialIdGovernor')
    const proposal: GovernorProposal = buildGovernorProposal(
      loadActionFile(
        devnet.write(
          'seq.yaml',
          `version: 1\nsafe: council\nroute: governor\ndescription: "# Shorter votes"\nactions:\n  - kind: call\n    to: "${seq.governor}"\n    signature: setVotingPeriod(uint32)\n    args: [10]\n`,
        ),
        devnet.workspace,
      ),
      seq.governor,
      seqInfo.timelock,
      seqInfo.ozVersion,
    )
    // The simulation reports the id the governor gives on the fork: the next number, not the hash.
    const simulated = await simulateProposal({
      proposal,
      provider: devnet.provider,
      chainId: 31337n,
      book: devnet.workspace.book,
      abiFor: actionContext(devnet.workspace).abiFor,
    })
    expect(simulated.success).toBe(true)
    expect(simulated.proposalId).toBe(1n)

    const signer = devnetSigner(3)
    const proposed = await proposeProposal({ provider: devnet.provider, signer, info: seqInfo, proposal })
    expect(proposed.proposalId).toBe(1n)
    expect(proposed.proposalId).not.toBe(proposal.proposalId)

    // Everything after propose goes by the governor's id; the fields are checked with its getProposalId.
    const onChain = await proposalOnChain(devnet.provider, seqInfo, 1n)
    expect(onChain.proposal.proposalId).toBe(1n)
    const readout = await readProposal(devnet.provider, seq.governor, 1n)
    await mine(readout.snapshot - BigInt(await devnet.provider.getBlockNumber()) + 1n)
    await castVote({ provider: devnet.provider, signer, info: seqInfo, id: 1n, support: 'for' })
    await mine(readout.deadline - BigInt(await devnet.provider.getBlockNumber()) + 1n)
    await queueProposal({ provider: devnet.provider, signer, info: seqInfo, proposal: onChain.proposal })
    await waitTime(61)
    await executeProposal({ provider: devnet.provider, signer, info: seqInfo, proposal: onChain.proposal })
    const g = new Contract(seq.governor, iface, devnet.provider)
    expect(await g.getFunction('votingPeriod')()).toBe(10n)
    expect(await g.getFunction('latestProposalId')()).toBe(1n)
  })
})
