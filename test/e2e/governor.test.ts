import { Contract, type Interface, parseUnits, Wallet } from 'ethers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadActionFile } from '../../src/actions/actionFile.js'
import { artifactInterface } from '../../src/contracts/artifacts.js'
import { COUNCIL_OWNERS, DEVNET_ACCOUNTS } from '../../src/devnet/accounts.js'
import { DevnetSender } from '../../src/devnet/devnetSender.js'
import { GovernorUnreadableError, ProposalNotFoundError } from '../../src/errors/governor.js'
import { buildGovernorProposal } from '../../src/governor/buildProposal.js'
import { governorOf } from '../../src/governor/governorOf.js'
import { descriptionHash, hashProposal } from '../../src/governor/proposalIds.js'
import {
  chainProposalIds,
  findProposalCreated,
  readGovernor,
  readProposal,
} from '../../src/governor/readGovernor.js'
import type { GovernorProposal } from '../../src/governor/types.js'
import type { Hex } from '../../src/safe/types.js'
import { startTestDevnet, type TestDevnet } from '../support/devnet.js'
import {
  deployTimestampGovernor,
  TIMESTAMP_GOVERNOR_PARAMS,
  type TimestampGovernor,
} from '../support/timestampGovernor.js'

const [alice, bob, carol] = COUNCIL_OWNERS
const ALLY = (n: string) => parseUnits(n, 18)

// The demo's three kinds, as a proposal: each needs a role the devnet gives the timelock.
const PROPOSAL_YAML = `version: 1
safe: council
route: governor
description: |
  # November grants, vault rate and a new member

  Run by the timelock instead of the council.
actions:
  - kind: allocate-treasury
    token: ALLY
    to: grants-multisig
    amount: "12500.5"
    memo: Grants round 7
  - kind: set-reward-rate
    vault: ally-staking
    rate: "0.05"
    duration: 30d
  - kind: admit-member
    name: PLAY DAO
    token: PLAY
    treasury: play-dao-treasury
    weight-bps: 1500
`

let devnet: TestDevnet
let sender: DevnetSender
const governorIface = () => artifactInterface('AllianceGovernor')

beforeAll(async () => {
  devnet = await startTestDevnet()
  sender = new DevnetSender(devnet.provider)
})
afterAll(async () => {
  await devnet?.stop()
})

const send = (key: Hex, to: string, iface: Interface, method: string, ...args: unknown[]) =>
  sender.send(new Wallet(key, devnet.provider), { to, data: iface.encodeFunctionData(method, args) })
const mine = (blocks: number) => devnet.provider.send('anvil_mine', [`0x${blocks.toString(16)}`])
const latest = async () => (await devnet.provider.getBlock('latest'))!
const read = (address: string, abi: string[]) => new Contract(address, abi, devnet.provider)

const buildProposal = () => {
  const file = loadActionFile(devnet.write('proposal.yaml', PROPOSAL_YAML), devnet.workspace)
  const { governor, timelock } = governorOf(devnet.workspace)
  return buildGovernorProposal(file, governor.address, timelock?.address)
}
const propose = (
  key: Hex,
  p: Pick<GovernorProposal, 'governor' | 'targets' | 'values' | 'calldatas' | 'description'>,
) => send(key, p.governor, governorIface(), 'propose', p.targets, p.values, p.calldatas, p.description)

describe('readGovernor', () => {
  it("reads the devnet governor's settings, timelock and version", async () => {
    const c = devnet.layout.contracts
    expect(await readGovernor(devnet.provider, c.governor)).toEqual({
      address: c.governor,
      name: 'AllianceGovernor',
      clockMode: 'mode=blocknumber&from=default',
      clock: 'blocknumber',
      votingDelay: 1n,
      votingPeriod: 50n,
      proposalThreshold: ALLY('1000'),
      token: c.ALLY,
      timelock: c.timelock,
      minDelay: 3600n,
      quorumNumerator: 4n,
      quorumDenominator: 100n,
      ozVersion: 5,
      proposalNumbering: 'hash',
    })
  })

  it('refuses an address that is not a governor, or has no code', async () => {
    await expect(readGovernor(devnet.provider, devnet.layout.contracts.treasury)).rejects.toThrow(
      GovernorUnreadableError,
    )
    await expect(readGovernor(devnet.provider, alice.address)).rejects.toThrow(/no contract is deployed/)
  })
})

describe('a proposal on the devnet governor', () => {
  let proposal: GovernorProposal
  let createdBlock: number

  beforeAll(() => {
    proposal = buildProposal()
  })

  it('computes the ids the governor and the timelock compute (hashProposal, hashOperationBatch)', async () => {
    const onChain = await chainProposalIds(devnet.provider, proposal)
    expect(onChain.proposalId).toBe(proposal.proposalId)
    expect(onChain.timelockOperationId).toBe(proposal.timelockOperationId)
    // A v4 salt is another operation: the comparison can tell them apart.
    const v4 = buildGovernorProposal(
      loadActionFile(devnet.write('proposal.yaml', PROPOSAL_YAML), devnet.workspace),
      proposal.governor,
      proposal.timelock,
      4,
    )
    expect((await chainProposalIds(devnet.provider, v4)).timelockOperationId).not.toBe(
      proposal.timelockOperationId,
    )
  })

  it('is proposed by alice under the id computed locally, and found in the logs', async () => {
    // Distinct voting weights, so a swapped for/against/abstain shows: alice 900k (100k staked), bob 800k, carol 1.2M.
    await send(
      bob.key,
      devnet.layout.contracts.ALLY,
      artifactInterface('AllianceToken'),
      'transfer',
      carol.address,
      ALLY('200000'),
    )

    const receipt = await propose(alice.key, proposal)
    createdBlock = receipt.blockNumber
    const created = receipt.logs
      .map((log) => governorIface().parseLog(log))
      .find((e) => e?.name === 'ProposalCreated')
    expect(created?.args.getValue('proposalId')).toBe(proposal.proposalId)

    const found = await findProposalCreated(devnet.provider, proposal.governor, proposal.proposalId)
    expect(found).toEqual({
      proposalId: proposal.proposalId,
      proposer: alice.address,
      targets: proposal.targets,
      values: proposal.values,
      signatures: ['', '', ''],
      calldatas: proposal.calldatas,
      voteStart: BigInt(createdBlock) + 1n,
      voteEnd: BigInt(createdBlock) + 51n,
      description: proposal.description,
      blockNumber: createdBlock,
      transactionHash: receipt.hash,
    })
    // The event alone is enough to recompute the id.
    expect(hashProposal({ ...found!, descriptionHash: descriptionHash(found!.description) })).toBe(
      proposal.proposalId,
    )
  })

  it('reads as Pending, without a quorum while its snapshot is ahead', async () => {
    const p = await readProposal(devnet.provider, proposal.governor, proposal.proposalId)
    expect(p.state).toEqual({ name: 'Pending', number: 0 })
    expect(p.snapshot).toBe(BigInt(createdBlock) + 1n)
    expect(p.deadline).toBe(BigInt(createdBlock) + 51n)
    expect(p.proposer).toBe(alice.address)
    expect(p.eta).toBe(0n)
    expect(p.votes).toEqual({ against: 0n, for: 0n, abstain: 0n })
    expect(p.quorum).toBeUndefined()
    expect(p.clock).toBe(BigInt(createdBlock))
    expect(p.blockNumber).toBe(createdBlock)
  })

  it('reads as Active with the votes by kind and the quorum at the snapshot', async () => {
    await mine(1)
    const vote = (key: Hex, support: number) =>
      send(key, proposal.governor, governorIface(), 'castVote', proposal.proposalId, support)
    await vote(alice.key, 0) // against
    await vote(carol.key, 1) // for
    await vote(bob.key, 2) // abstain
    const p = await readProposal(devnet.provider, proposal.governor, proposal.proposalId)
    expect(p.state).toEqual({ name: 'Active', number: 1 })
    expect(p.votes).toEqual({ against: ALLY('900000'), for: ALLY('1200000'), abstain: ALLY('800000') })
    // 4% of the 10M supply.
    expect(p.quorum).toBe(ALLY('400000'))
  })

  it('is not found from a later block, nor under another id', async () => {
    const gov = proposal.governor
    const head = await devnet.provider.getBlockNumber()
    expect(head).toBeGreaterThan(createdBlock + 1)
    expect(await findProposalCreated(devnet.provider, gov, proposal.proposalId, createdBlock)).toBeDefined()
    expect(
      await findProposalCreated(devnet.provider, gov, proposal.proposalId, createdBlock + 1),
    ).toBeUndefined()
    expect(await findProposalCreated(devnet.provider, gov, proposal.proposalId, head + 1000)).toBeUndefined()
    expect(await findProposalCreated(devnet.provider, gov, proposal.proposalId + 1n)).toBeUndefined()
    await expect(readProposal(devnet.provider, gov, proposal.proposalId + 1n)).rejects.toThrow(
      ProposalNotFoundError,
    )
  })

  it('is queued on the timelock under the locally computed operation id (the v5 salt)', async () => {
    await mine(51)
    expect((await readProposal(devnet.provider, proposal.governor, proposal.proposalId)).state.name).toBe(
      'Succeeded',
    )
    const { targets, values, calldatas } = proposal
    await send(
      alice.key,
      proposal.governor,
      governorIface(),
      'queue',
      targets,
      values,
      calldatas,
      proposal.descriptionHash,
    )

    const p = await readProposal(devnet.provider, proposal.governor, proposal.proposalId)
    expect(p.state).toEqual({ name: 'Queued', number: 5 })
    expect(p.eta).toBe(BigInt((await latest()).timestamp) + 3600n)
    const timelock = read(proposal.timelock!, [
      'function isOperationPending(bytes32) view returns (bool)',
      'function getTimestamp(bytes32) view returns (uint256)',
    ])
    expect(await timelock.getFunction('isOperationPending')(proposal.timelockOperationId)).toBe(true)
    expect(await timelock.getFunction('getTimestamp')(proposal.timelockOperationId)).toBe(p.eta)
  })

  it('executes through the timelock, which holds the roles every action needs', async () => {
    const c = devnet.layout.contracts
    const payee = devnet.workspace.book.byName('grants-multisig')!.address
    const token = read(c.ALLY, ['function balanceOf(address) view returns (uint256)'])
    const before: bigint = await token.getFunction('balanceOf')(payee)

    await devnet.provider.send('evm_increaseTime', [3600])
    await mine(1)
    const { targets, values, calldatas } = proposal
    await send(
      carol.key,
      proposal.governor,
      governorIface(),
      'execute',
      targets,
      values,
      calldatas,
      proposal.descriptionHash,
    )

    const p = await readProposal(devnet.provider, proposal.governor, proposal.proposalId)
    expect(p.state).toEqual({ name: 'Executed', number: 7 })
    expect(await token.getFunction('balanceOf')(payee)).toBe(before + ALLY('12500.5'))
    const vault = read(c['ally-staking'], ['function rewardRate() view returns (uint256)'])
    expect(await vault.getFunction('rewardRate')()).toBe(ALLY('0.05'))
    const registry = read(c.registry, ['function isMember(address) view returns (bool)'])
    expect(
      await registry.getFunction('isMember')(devnet.workspace.book.byName('play-dao-treasury')!.address),
    ).toBe(true)
  })
})

describe('a timestamp-clock governor', () => {
  let ts: TimestampGovernor
  const deployer = DEVNET_ACCOUNTS[3]

  beforeAll(async () => {
    ts = await deployTimestampGovernor(devnet.provider, deployer.key)
  })

  it('reports the timestamp clock and its settings in seconds', async () => {
    const p = TIMESTAMP_GOVERNOR_PARAMS
    expect(await readGovernor(devnet.provider, ts.governor)).toEqual({
      address: ts.governor,
      name: 'AllianceGovernor',
      clockMode: 'mode=timestamp',
      clock: 'timestamp',
      votingDelay: p.votingDelay,
      votingPeriod: p.votingPeriod,
      proposalThreshold: p.proposalThreshold,
      token: ts.token,
      timelock: ts.timelock,
      minDelay: p.timelockDelay,
      quorumNumerator: p.quorumPercent,
      quorumDenominator: 100n,
      ozVersion: 5,
      proposalNumbering: 'hash',
    })
  })

  it('counts a proposal in seconds: its snapshot is the proposal time plus the voting delay', async () => {
    // Past votes must be strictly before the proposal's timepoint, so let time pass after the delegation.
    await devnet.provider.send('evm_increaseTime', [10])
    await mine(1)
    const setVotingPeriod = governorIface().encodeFunctionData('setVotingPeriod', [1200]) as Hex
    const description = '# Longer votes\n\nThe timestamp governor changes its own voting period.'
    const receipt = await propose(deployer.key, {
      governor: ts.governor,
      targets: [ts.governor],
      values: [0n],
      calldatas: [setVotingPeriod],
      description,
    })
    const id = hashProposal({
      targets: [ts.governor],
      values: [0n],
      calldatas: [setVotingPeriod],
      descriptionHash: descriptionHash(description),
    })
    const proposedAt = BigInt((await devnet.provider.getBlock(receipt.blockNumber))!.timestamp)

    const found = await findProposalCreated(devnet.provider, ts.governor, id, receipt.blockNumber)
    expect(found?.voteStart).toBe(proposedAt + TIMESTAMP_GOVERNOR_PARAMS.votingDelay)
    expect(found?.voteEnd).toBe(
      proposedAt + TIMESTAMP_GOVERNOR_PARAMS.votingDelay + TIMESTAMP_GOVERNOR_PARAMS.votingPeriod,
    )
    expect(found?.proposer).toBe(deployer.address)

    const pending = await readProposal(devnet.provider, ts.governor, id)
    expect(pending.state.name).toBe('Pending')
    expect(pending.clock).toBe(proposedAt)
    expect(pending.snapshot).toBe(found?.voteStart)

    // One block, but past the delay in seconds (voting opens after the snapshot): a block-number clock would
    // still be Pending here.
    await devnet.provider.send('evm_increaseTime', [Number(TIMESTAMP_GOVERNOR_PARAMS.votingDelay) + 1])
    await mine(1)
    const active = await readProposal(devnet.provider, ts.governor, id)
    expect(active.state.name).toBe('Active')
    expect(active.quorum).toBe((TIMESTAMP_GOVERNOR_PARAMS.supply * 4n) / 100n)
  })

  it('is not mistaken for the devnet governor: same proposal, different timelock operation', async () => {
    const proposal = buildProposal()
    const elsewhere = buildGovernorProposal(
      loadActionFile(devnet.write('proposal.yaml', PROPOSAL_YAML), devnet.workspace),
      ts.governor,
      ts.timelock,
    )
    expect(elsewhere.proposalId).toBe(proposal.proposalId)
    const onChain = await chainProposalIds(devnet.provider, elsewhere)
    expect(onChain.proposalId).toBe(elsewhere.proposalId)
    expect(onChain.timelockOperationId).toBe(elsewhere.timelockOperationId)
    expect(onChain.timelockOperationId).not.toBe(proposal.timelockOperationId)
  })
})
