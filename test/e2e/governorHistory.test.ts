import { Contract, getAddress, hexlify, id, randomBytes, Wallet, ZeroHash } from 'ethers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadActionFile } from '../../src/actions/actionFile.js'
import { providerLogSource } from '../../src/chain/logSource.js'
import { artifactInterface } from '../../src/contracts/artifacts.js'
import { workspaceDecodeContext } from '../../src/decode/workspaceDecodeContext.js'
import { DEVNET_ACCOUNTS } from '../../src/devnet/accounts.js'
import { DevnetSender } from '../../src/devnet/devnetSender.js'
import { executeProposal } from '../../src/execute/governor/execute.js'
import { proposeProposal } from '../../src/execute/governor/propose.js'
import { queueProposal } from '../../src/execute/governor/queue.js'
import { castVote } from '../../src/execute/governor/vote.js'
import { buildGovernorProposal } from '../../src/governor/buildProposal.js'
import { type GovernorInfo, readGovernor, readProposal } from '../../src/governor/readGovernor.js'
import type { GovernorProposal } from '../../src/governor/types.js'
import { governorHistory } from '../../src/history/governor/governorHistory.js'
import { governorHistoryReads } from '../../src/history/governor/historyReads.js'
import { timelockBypass } from '../../src/history/governor/timelockBypass.js'
import type { Hex } from '../../src/safe/types.js'
import { devnetSigner, startTestDevnet, type TestDevnet } from '../support/devnet.js'
import { deploySequentialGovernor } from '../support/sequentialGovernor.js'

const [alice, bob, carol] = [devnetSigner(0), devnetSigner(1), devnetSigner(2)]
// Dave holds no votes; the executed proposal makes him a timelock proposer, which is the bypass.
const dave = new Wallet(DEVNET_ACCOUNTS[4]!.key)
const PROPOSER_ROLE = id('PROPOSER_ROLE')

let devnet: TestDevnet
let info: GovernorInfo

beforeAll(async () => {
  devnet = await startTestDevnet()
  info = await readGovernor(devnet.provider, devnet.layout.contracts.governor)
})
afterAll(async () => {
  await devnet?.stop()
})

const mine = (blocks: number | bigint) => devnet.provider.send('anvil_mine', [`0x${blocks.toString(16)}`])
const waitTime = async (seconds: number) => {
  await devnet.provider.send('evm_increaseTime', [seconds])
  await mine(1)
}
const head = () => devnet.provider.getBlockNumber()
const proposalFrom = (name: string, yaml: string, g: GovernorInfo = info) =>
  buildGovernorProposal(
    loadActionFile(devnet.write(name, yaml), devnet.workspace),
    g.address,
    g.timelock,
    g.ozVersion,
  )
const governorAt = (address: string) =>
  new Contract(address, artifactInterface('AllianceGovernor'), devnet.provider)
const timelockAt = (address: string) =>
  new Contract(address, artifactInterface('AllianceTimelock'), devnet.provider)
const toSnapshot = async (g: GovernorInfo, pid: bigint) =>
  mine((await readProposal(devnet.provider, g.address, pid)).snapshot - BigInt(await head()) + 1n)
const pastDeadline = async (g: GovernorInfo, pid: bigint) =>
  mine((await readProposal(devnet.provider, g.address, pid)).deadline - BigInt(await head()) + 1n)
/** A raw transaction from an account, for what the library has no step for (cancel, direct schedule). */
const send = (
  key: string,
  to: string,
  iface: ReturnType<typeof artifactInterface>,
  fn: string,
  args: unknown[],
) =>
  new DevnetSender(devnet.provider).send(new Wallet(key, devnet.provider), {
    to,
    data: iface.encodeFunctionData(fn, args) as Hex,
  })
/** What the governor contract itself computes for a proposal: the independent side of the id check. */
const chainIds = async (p: GovernorProposal) => ({
  proposalId: (await governorAt(p.governor).getFunction('hashProposal')(
    p.targets,
    p.values,
    p.calldatas,
    p.descriptionHash,
  )) as bigint,
  operationId: (await timelockAt(p.timelock!).getFunction('hashOperationBatch')(
    p.targets,
    p.values,
    p.calldatas,
    ZeroHash,
    p.timelockSalt,
  )) as Hex,
})

describe('governorHistory and timelockBypass on the devnet governor', () => {
  it('reports executed, defeated, canceled and active proposals, and the operation that bypassed the vote', async () => {
    const fromBlock = (await head()) + 1
    const timelock = info.timelock!
    const governorIface = artifactInterface('AllianceGovernor')
    const timelockIface = artifactInterface('AllianceTimelock')

    // 1. Executed: a reward rate (an alliance action kind) and PROPOSER_ROLE for Dave (a raw call).
    const executed = proposalFrom(
      'executed.yaml',
      `version: 1
safe: council
route: governor
description: "# Rate, and a second proposer"
actions:
  - kind: set-reward-rate
    vault: ally-staking
    rate: "0.05"
    duration: 30d
  - kind: call
    to: timelock
    signature: grantRole(bytes32,address)
    args: ["${PROPOSER_ROLE}", "${dave.address}"]
`,
    )
    const proposed1 = await proposeProposal({
      provider: devnet.provider,
      signer: alice,
      info,
      proposal: executed,
    })
    await toSnapshot(info, executed.proposalId)
    const vote1a = await castVote({
      provider: devnet.provider,
      signer: alice,
      info,
      id: executed.proposalId,
      support: 'for',
      reason: 'rates are due',
    })
    const vote1b = await castVote({
      provider: devnet.provider,
      signer: bob,
      info,
      id: executed.proposalId,
      support: 'for',
    })
    await pastDeadline(info, executed.proposalId)
    const queued1 = await queueProposal({
      provider: devnet.provider,
      signer: carol,
      info,
      proposal: executed,
    })
    await waitTime(3601)
    const executed1 = await executeProposal({
      provider: devnet.provider,
      signer: carol,
      info,
      proposal: executed,
    })

    // 2. Defeated: only votes against.
    const defeated = proposalFrom(
      'defeated.yaml',
      'version: 1\nsafe: council\nroute: governor\ndescription: "# Longer votes"\nactions:\n  - kind: call\n    to: governor\n    function: setVotingPeriod\n    args: [100]\n',
    )
    await proposeProposal({ provider: devnet.provider, signer: bob, info, proposal: defeated })
    await toSnapshot(info, defeated.proposalId)
    await castVote({
      provider: devnet.provider,
      signer: alice,
      info,
      id: defeated.proposalId,
      support: 'against',
    })
    await pastDeadline(info, defeated.proposalId)

    // 3. Canceled by its proposer while pending.
    const canceled = proposalFrom(
      'canceled.yaml',
      'version: 1\nsafe: council\nroute: governor\ndescription: "# Shorter votes"\nactions:\n  - kind: call\n    to: governor\n    function: setVotingPeriod\n    args: [20]\n',
    )
    await proposeProposal({ provider: devnet.provider, signer: carol, info, proposal: canceled })
    const cancelReceipt = await send(DEVNET_ACCOUNTS[2]!.key, info.address, governorIface, 'cancel', [
      canceled.targets,
      canceled.values,
      canceled.calldatas,
      canceled.descriptionHash,
    ])

    // 4. Active, with a vote of each kind.
    const active = proposalFrom(
      'active.yaml',
      'version: 1\nsafe: council\nroute: governor\ndescription: "# Quorum 5%"\nactions:\n  - kind: call\n    to: governor\n    function: updateQuorumNumerator\n    args: [5]\n',
    )
    await proposeProposal({ provider: devnet.provider, signer: alice, info, proposal: active })
    await toSnapshot(info, active.proposalId)
    await castVote({ provider: devnet.provider, signer: alice, info, id: active.proposalId, support: 'for' })
    await castVote({
      provider: devnet.provider,
      signer: bob,
      info,
      id: active.proposalId,
      support: 'against',
    })
    await castVote({
      provider: devnet.provider,
      signer: carol,
      info,
      id: active.proposalId,
      support: 'abstain',
    })

    // 5. Dave, now a proposer, schedules and executes his own operation straight on the timelock (anyone
    // may execute), and schedules the active proposal's operation ahead of its vote.
    const staking = devnet.layout.contracts['ally-staking']
    const daveCall = artifactInterface('StakingVault').encodeFunctionData('pause', []) as Hex
    const daveSalt = hexlify(randomBytes(32)) as Hex
    const daveOp = (await timelockAt(timelock).getFunction('hashOperationBatch')(
      [staking],
      [0n],
      [daveCall],
      ZeroHash,
      daveSalt,
    )) as Hex
    const daveSchedule = await send(dave.privateKey, timelock, timelockIface, 'scheduleBatch', [
      [staking],
      [0n],
      [daveCall],
      ZeroHash,
      daveSalt,
      3600n,
    ])
    await waitTime(3601)
    const daveExecute = await send(dave.privateKey, timelock, timelockIface, 'executeBatch', [
      [staking],
      [0n],
      [daveCall],
      ZeroHash,
      daveSalt,
    ])
    const preSchedule = await send(dave.privateKey, timelock, timelockIface, 'scheduleBatch', [
      active.targets,
      active.values,
      active.calldatas,
      ZeroHash,
      active.timelockSalt,
      3600n,
    ])
    const toBlock = await head()
    // Still voting at the end of the range: the governor's tally is read mid-vote.
    expect((await readProposal(devnet.provider, info.address, active.proposalId)).state.name).toBe('Active')

    const reads = governorHistoryReads(devnet.provider)
    const history = await governorHistory({
      governor: info,
      logs: providerLogSource(devnet.provider),
      reads,
      fromBlock,
      toBlock,
      decode: workspaceDecodeContext(devnet.workspace),
    })
    expect(history.proposals.map((p) => p.proposalId)).toEqual([
      executed.proposalId,
      defeated.proposalId,
      canceled.proposalId,
      active.proposalId,
    ])
    const [h1, h2, h3, h4] = history.proposals

    // Ids: recomputed from the logged fields, equal to the governor's hashProposal and the timelock's
    // hashOperationBatch, and the salt equal to the one the timelock logged (CallSalt).
    for (const [h, p] of [
      [h1!, executed],
      [h2!, defeated],
      [h3!, canceled],
      [h4!, active],
    ] as const) {
      const chain = await chainIds(p)
      expect(h.recomputedProposalId).toBe(chain.proposalId)
      expect(h.proposalId).toBe(chain.proposalId)
      expect(h.timelockOperationId).toBe(chain.operationId)
      expect(h.created?.description).toBe(p.description)
    }
    expect(h1!.operation?.salt).toBe(h1!.timelockSalt)

    // The executed one: every step, in chain order, at the transactions the lifecycle sent.
    expect(h1!.timeline.map((e) => e.kind)).toEqual([
      'created',
      'vote',
      'vote',
      // governor.queue schedules on the timelock before it emits ProposalQueued; execute likewise.
      'timelock-scheduled',
      'queued',
      'timelock-executed',
      'executed',
    ])
    expect(h1!.created).toMatchObject({
      proposer: alice.address,
      transactionHash: proposed1.transactionHash,
      targets: executed.targets,
      calldatas: executed.calldatas,
    })
    expect(h1!.votes).toMatchObject([
      { voter: alice.address, supportName: 'for', weight: vote1a.weight, reason: 'rates are due' },
      { voter: bob.address, supportName: 'for', weight: vote1b.weight, reason: '' },
    ])
    expect(h1!.tally).toEqual({ for: vote1a.weight + vote1b.weight, against: 0n, abstain: 0n })
    expect(h1!.onChainTally).toEqual(h1!.tally)
    expect(h1!.queued).toMatchObject({ eta: queued1.eta, transactionHash: queued1.transactionHash })
    expect(h1!.executed?.transactionHash).toBe(executed1.transactionHash)
    expect(h1!.operation?.scheduled?.transactionHash).toBe(queued1.transactionHash)
    expect(h1!.operation?.executed?.transactionHash).toBe(executed1.transactionHash)
    expect(h1!.actions.map((a) => [a.kind, a.call.functionName])).toEqual([
      ['set-reward-rate', 'setRewardRate'],
      ['call', 'grantRole'],
    ])
    expect(h1!.findings).toEqual([])

    // Defeated: one vote against, never queued; canceled: created then canceled, no votes.
    expect(h2!.timeline.map((e) => e.kind)).toEqual(['created', 'vote'])
    expect(h2!.tally).toEqual({ for: 0n, against: h2!.votes[0]!.weight, abstain: 0n })
    expect(h2!.onChainTally).toEqual(h2!.tally)
    expect(h2!.findings).toEqual([])
    expect(h3!.timeline.map((e) => e.kind)).toEqual(['created', 'canceled'])
    expect(h3!.canceled?.transactionHash).toBe(cancelReceipt.hash)
    expect(h3!.findings).toEqual([])

    // Active: three votes summed per side agree with proposalVotes; Dave's pre-schedule shows on its timeline.
    expect(h4!.votes.map((v) => [v.voter, v.supportName])).toEqual([
      [alice.address, 'for'],
      [bob.address, 'against'],
      [carol.address, 'abstain'],
    ])
    expect(h4!.onChainTally).toEqual(h4!.tally)
    expect(h4!.tally.abstain > 0n && h4!.tally.for > 0n && h4!.tally.against > 0n).toBe(true)
    expect(h4!.timeline.map((e) => e.kind)).toEqual(['created', 'vote', 'vote', 'vote', 'timelock-scheduled'])
    expect(h4!.findings).toEqual([])

    const bypass = await timelockBypass({ history, reads })
    expect(bypass.map((f) => [f.code, f.operationId, f.transactionHash])).toEqual([
      ['TIMELOCK_PROPOSER_GRANTED', undefined, executed1.transactionHash],
      ['TIMELOCK_OPERATION_WITHOUT_PROPOSAL', daveOp, daveSchedule.hash],
      ['TIMELOCK_SCHEDULED_OUTSIDE_GOVERNOR', active.timelockOperationId, preSchedule.hash],
    ])
    const [grant, direct, outside] = bypass
    expect(grant!.message).toContain(dave.address)
    expect(direct!.sender).toEqual({ from: dave.address, to: getAddress(timelock) })
    expect(direct!.calls).toEqual([{ index: 0, target: getAddress(staking), value: 0n, data: daveCall }])
    expect(history.operations.find((o) => o.id === daveOp)?.executed?.transactionHash).toBe(daveExecute.hash)
    expect(direct!.message).toMatch(/scheduled and executed directly by/)
    expect(outside!.proposalId).toBe(active.proposalId)
    expect(outside!.sender?.from).toBe(dave.address)

    // A range starting after the first proposal's creation: its later events are kept, flagged unchecked,
    // and its queue's operation is attributed to the governor, not called a bypass.
    const late = await governorHistory({
      governor: info,
      logs: providerLogSource(devnet.provider),
      reads,
      fromBlock: h1!.created!.blockNumber + 1,
      toBlock,
    })
    const lateH1 = late.proposals.find((p) => p.proposalId === executed.proposalId)!
    expect(lateH1.created).toBeUndefined()
    expect(lateH1.findings.map((f) => f.code)).toEqual(['PROPOSAL_CREATED_BEFORE_RANGE'])
    const lateBypass = await timelockBypass({ history: late, reads })
    expect(lateBypass.map((f) => f.code)).toEqual([
      'TIMELOCK_OPERATION_UNVERIFIED',
      'TIMELOCK_PROPOSER_GRANTED',
      'TIMELOCK_OPERATION_WITHOUT_PROPOSAL',
      'TIMELOCK_SCHEDULED_OUTSIDE_GOVERNOR',
    ])
    expect(lateBypass[0]!.operationId).toBe(executed.timelockOperationId)
  })
})

describe('governorHistory on a sequential-id governor', () => {
  it("checks ids with the governor's getProposalId, not the hash", async () => {
    const seq = await deploySequentialGovernor(devnet.provider, DEVNET_ACCOUNTS[3]!.key as Hex)
    await mine(1)
    const seqInfo = await readGovernor(devnet.provider, seq.governor)
    expect(seqInfo.proposalNumbering).toBe('sequential')
    const fromBlock = (await head()) + 1
    const signer = devnetSigner(3)
    const proposal = proposalFrom(
      'seq.yaml',
      `version: 1\nsafe: council\nroute: governor\ndescription: "# Shorter votes"\nactions:\n  - kind: call\n    to: "${seq.governor}"\n    signature: setVotingPeriod(uint32)\n    args: [10]\n`,
      seqInfo,
    )
    const proposed = await proposeProposal({ provider: devnet.provider, signer, info: seqInfo, proposal })
    expect(proposed.proposalId).toBe(1n)
    await toSnapshot(seqInfo, 1n)
    await castVote({ provider: devnet.provider, signer, info: seqInfo, id: 1n, support: 'for' })
    await pastDeadline(seqInfo, 1n)
    const onChain = { ...proposal, proposalId: 1n }
    await queueProposal({ provider: devnet.provider, signer, info: seqInfo, proposal: onChain })
    await waitTime(61)
    await executeProposal({ provider: devnet.provider, signer, info: seqInfo, proposal: onChain })

    const reads = governorHistoryReads(devnet.provider)
    const history = await governorHistory({
      governor: seqInfo,
      logs: providerLogSource(devnet.provider),
      reads,
      fromBlock,
      toBlock: await head(),
    })
    const [h] = history.proposals
    expect(history.proposals).toHaveLength(1)
    expect(h!.proposalId).toBe(1n)
    // The hash of the fields is not the id here; the governor's own lookup is, and the history used it.
    expect(proposal.proposalId).not.toBe(1n)
    expect(h!.recomputedProposalId).toBe(1n)
    expect(h!.timelockOperationId).toBe((await chainIds(proposal)).operationId)
    expect(h!.timeline.map((e) => e.kind)).toEqual([
      'created',
      'vote',
      'timelock-scheduled',
      'queued',
      'timelock-executed',
      'executed',
    ])
    expect(h!.findings).toEqual([])
    expect(await timelockBypass({ history, reads })).toEqual([])
  })
})
