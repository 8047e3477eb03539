import { existsSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { Contract, id as keccakText, parseUnits, toBeHex, Wallet, ZeroHash } from 'ethers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { artifactInterface } from '../../src/contracts/artifacts.js'
import { COUNCIL_OWNERS, DEVNET_ACCOUNTS, GRANTS_MULTISIG } from '../../src/devnet/accounts.js'
import { DevnetSender } from '../../src/devnet/devnetSender.js'
import type { Hex } from '../../src/safe/types.js'
import { envelope, runCli } from '../support/cli.js'
import { startTestDevnet, type TestDevnet } from '../support/devnet.js'
import { rpcProxy } from '../support/rpcProxy.js'

const [alice, bob] = COUNCIL_OWNERS
// Holds no ALLY and has no delegated votes (checked below).
const nobody = DEVNET_ACCOUNTS[3]
const keys = { ALICE: alice.key, BOB: bob.key, NOBODY: nobody.key }
const ALLY = (n: string) => parseUnits(n, 18)

// Can pass once only: the journey's proposal admits PLAY DAO, so the other proposals leave it out.
const ADMIT_PLAY_DAO = `  - kind: admit-member
    name: PLAY DAO
    token: PLAY
    treasury: play-dao-treasury
    weight-bps: 1500
`
// The shape of test/e2e/governor.test.ts's PROPOSAL_YAML; the title varies so each proposal has its own id.
const proposalYaml = (title: string, allocate = '12500.5', admit = true) => `version: 1
safe: council
route: governor
description: |
  # ${title}

  Run by the timelock instead of the council.
actions:
  - kind: allocate-treasury
    token: ALLY
    to: grants-multisig
    amount: "${allocate}"
    memo: Grants round 7
  - kind: set-reward-rate
    vault: ally-staking
    rate: "0.05"
    duration: 30d
${admit ? ADMIT_PLAY_DAO : ''}`
const descriptionOf = (title: string) => `# ${title}\n\nRun by the timelock instead of the council.\n`

let devnet: TestDevnet
let governor: Contract
let timelock: Contract
let token: Contract
const cli = (args: string[]) => runCli(args, { cwd: devnet.dir, env: keys })
const blockNumber = () => devnet.provider.getBlockNumber()
const mine = (blocks: number) => devnet.provider.send('anvil_mine', [`0x${blocks.toString(16)}`])
const proposalCreatedCount = async () =>
  (await governor.queryFilter(governor.filters.ProposalCreated!(), 0, 'latest')).length

beforeAll(async () => {
  devnet = await startTestDevnet()
  const c = devnet.layout.contracts
  governor = new Contract(c.governor, artifactInterface('AllianceGovernor'), devnet.provider)
  timelock = new Contract(c.timelock, artifactInterface('AllianceTimelock'), devnet.provider)
  token = new Contract(c.ALLY, artifactInterface('AllianceToken'), devnet.provider)
  devnet.write('proposal.yaml', proposalYaml('November grants, vault rate and a new member'))
  devnet.write('human.yaml', proposalYaml('Proposed by a human reader', '10', false))
  devnet.write('unsimulated.yaml', proposalYaml('Proposed without a simulation', '10', false))
  devnet.write('nobody.yaml', proposalYaml('Proposed by an account without votes', '10', false))
  // 200,000 ALLY is over the treasury's 100,000 ALLY epoch budget: execute would revert (BudgetExceeded).
  devnet.write('overbudget.yaml', proposalYaml('Over the epoch budget', '200000', false))
})
afterAll(async () => {
  await devnet?.stop()
})

describe('governor propose → status → vote → queue → execute → list, with --json', () => {
  const description = descriptionOf('November grants, vault rate and a new member')
  let proposalId: string

  it('proposes after simulating; the ids are the ones the governor and the timelock compute', async () => {
    const r = await cli(['governor', 'propose', 'proposal.yaml', '--key-env', 'ALICE', '--json'])
    expect(r.code, r.stdout.slice(0, 2000) + r.stderr).toBe(0)
    const data = envelope(r).data
    expect(data.simulation).toMatchObject({ success: true, identicalToSent: true })
    expect(data.descriptionHash).toBe(keccakText(description))

    // Read the proposal back from its own event and hash it with the contracts themselves.
    const receipt = await devnet.provider.getTransactionReceipt(data.transaction.transactionHash)
    expect(receipt?.status).toBe(1)
    const created = receipt!.logs
      .map((l) => governor.interface.parseLog(l))
      .find((e) => e?.name === 'ProposalCreated')!
    expect(created.args.getValue('proposer')).toBe(alice.address)
    expect(created.args.getValue('description')).toBe(description)
    const targets = [...created.args.getValue('targets')]
    const values = [...created.args.getValue('values')]
    const calldatas = [...created.args.getValue('calldatas')]
    expect(targets).toHaveLength(3)
    const hashed = (await governor.getFunction('hashProposal')(
      targets,
      values,
      calldatas,
      keccakText(description),
    )) as bigint
    expect(data.proposalId).toBe(hashed.toString())
    expect(created.args.getValue('proposalId')).toBe(hashed)
    // OZ 5: the salt is the governor's address in the high 20 bytes, xor the description hash.
    const salt = toBeHex((BigInt(governor.target as string) << 96n) ^ BigInt(keccakText(description)), 32)
    const operationId = await timelock.getFunction('hashOperationBatch')(
      targets,
      values,
      calldatas,
      ZeroHash,
      salt,
    )
    expect(data.timelockOperationId).toBe(operationId)
    proposalId = data.proposalId
  })

  it('status: Pending', async () => {
    const r = await cli(['governor', 'status', proposalId, '--json'])
    expect(r.code, r.stderr).toBe(0)
    const data = envelope(r).data
    expect(data).toMatchObject({ proposalId, state: 'Pending', proposer: alice.address })
    expect(data.timelock.state).toBe('unset')
  })

  it('vote: counted with the weight Bob had at the snapshot; a second vote is refused and sends nothing', async () => {
    await mine(2)
    const r = await cli([
      'governor',
      'vote',
      proposalId,
      'for',
      '--key-env',
      'BOB',
      '--reason',
      'Grants are overdue',
      '--json',
    ])
    expect(r.code, r.stdout + r.stderr).toBe(0)
    const data = envelope(r).data
    const snapshot = (await governor.getFunction('proposalSnapshot')(proposalId)) as bigint
    const votes = (await token.getFunction('getPastVotes')(bob.address, snapshot)) as bigint
    expect(votes).toBe(ALLY('1000000'))
    expect(data).toMatchObject({
      proposalId,
      support: 'for',
      from: bob.address,
      weight: votes.toString(),
    })
    const receipt = await devnet.provider.getTransactionReceipt(data.transactionHash)
    const cast = receipt!.logs.map((l) => governor.interface.parseLog(l)).find((e) => e?.name === 'VoteCast')!
    expect(cast.args.getValue('reason')).toBe('Grants are overdue')
    expect(await governor.getFunction('hasVoted')(proposalId, bob.address)).toBe(true)

    const before = await blockNumber()
    const again = await cli(['governor', 'vote', proposalId, 'against', '--key-env', 'BOB', '--json'])
    expect(again.code).toBe(1)
    expect(envelope(again).errors[0]!.code).toBe('GOVERNOR_ALREADY_VOTED')
    expect(await blockNumber()).toBe(before)
    const [against, forVotes] = (await governor.getFunction('proposalVotes')(proposalId)) as bigint[]
    expect([against, forVotes]).toEqual([0n, votes])
  })

  it("queue: after the deadline, at the governor's eta; a second queue is refused", async () => {
    await mine(0x40)
    expect(await governor.getFunction('state')(proposalId)).toBe(4n) // Succeeded
    const r = await cli(['governor', 'queue', proposalId, '--key-env', 'ALICE', '--json'])
    expect(r.code, r.stdout + r.stderr).toBe(0)
    const data = envelope(r).data
    const eta = (await governor.getFunction('proposalEta')(proposalId)) as bigint
    expect(eta).toBeGreaterThan(0n)
    expect(data.eta).toBe(eta.toString())
    expect(await timelock.getFunction('getTimestamp')(data.timelockOperationId)).toBe(eta)

    const status = envelope(await cli(['governor', 'status', proposalId, '--json'])).data
    expect(status).toMatchObject({
      state: 'Queued',
      eta: { time: Number(eta) },
      timelock: { operationId: data.timelockOperationId, state: 'waiting' },
      votes: { for: ALLY('1000000').toString(), against: '0', abstain: '0' },
      quorumReached: true,
    })

    const before = await blockNumber()
    const again = await cli(['governor', 'queue', proposalId, '--key-env', 'ALICE', '--json'])
    expect(again.code).toBe(1)
    expect(envelope(again).errors[0]!.code).toBe('GOVERNOR_ALREADY_QUEUED')
    expect(await blockNumber()).toBe(before)
  })

  it('execute: refused before the eta, runs after it (the allocation reaches grants-multisig), refused twice', async () => {
    const before = await blockNumber()
    const early = await cli(['governor', 'execute', proposalId, '--key-env', 'ALICE', '--json'])
    expect(early.code).toBe(1)
    expect(envelope(early).errors[0]!.code).toBe('GOVERNOR_BEFORE_ETA')
    expect(await blockNumber()).toBe(before)
    expect(await governor.getFunction('state')(proposalId)).toBe(5n) // Queued

    await devnet.provider.send('evm_increaseTime', [3601])
    await devnet.provider.send('evm_mine', [])
    const balanceBefore = (await token.getFunction('balanceOf')(GRANTS_MULTISIG)) as bigint
    const r = await cli(['governor', 'execute', proposalId, '--key-env', 'ALICE', '--json'])
    expect(r.code, r.stdout + r.stderr).toBe(0)
    const data = envelope(r).data
    expect(data.proposalId).toBe(proposalId)
    expect((await devnet.provider.getTransactionReceipt(data.transactionHash))?.status).toBe(1)
    expect(await governor.getFunction('state')(proposalId)).toBe(7n) // Executed
    const balanceAfter = (await token.getFunction('balanceOf')(GRANTS_MULTISIG)) as bigint
    expect(balanceAfter - balanceBefore).toBe(ALLY('12500.5'))

    const afterExecute = await blockNumber()
    const twice = await cli(['governor', 'execute', proposalId, '--key-env', 'ALICE', '--json'])
    expect(twice.code).toBe(1)
    expect(envelope(twice).errors[0]!.code).toBe('GOVERNOR_ALREADY_EXECUTED')
    expect(await blockNumber()).toBe(afterExecute)
  })

  it('list: the proposal is Executed with its calls decoded; --state Active leaves it out', async () => {
    const [all, active, pastHead] = await Promise.all([
      cli(['governor', 'list', '--json']),
      cli(['governor', 'list', '--state', 'Active', '--json']),
      // A --to-block past the head reads up to the head (the node refuses the range as asked).
      cli(['governor', 'list', '--to-block', '100000000', '--json']),
    ])
    expect(all.code, all.stderr).toBe(0)
    const entry = envelope(all).data.proposals.find(
      (p: { proposalId: string }) => p.proposalId === proposalId,
    )
    expect(entry).toMatchObject({ state: 'Executed', proposer: alice.address, description })
    expect(entry.queued).toBeDefined()
    expect(entry.executed).toBeDefined()
    expect(entry.calls).toHaveLength(3)
    expect(entry.calls[0]).toMatch(/^treasury\.allocate\(.*grants-multisig/)
    expect(entry.calls[1]).toMatch(/^ally-staking\.setRewardRate\(/)
    expect(entry.calls[2]).toMatch(/^registry\.admitMember\(.*PLAY DAO/)

    expect(active.code, active.stderr).toBe(0)
    const ids = envelope(active).data.proposals.map((p: { proposalId: string }) => p.proposalId)
    expect(ids).not.toContain(proposalId)

    expect(pastHead.code, pastHead.stdout + pastHead.stderr).toBe(0)
    expect(envelope(pastHead).data.proposals).toEqual(envelope(all).data.proposals)
  })

  it('list and status work through a node that caps eth_getLogs at 64 blocks, and list reads its events from the cache the second time', async () => {
    const proxy = await rpcProxy(devnet.url, { maxLogRange: 64 })
    try {
      // The devnet is longer than 64 blocks: one eth_getLogs over it would be refused.
      expect(await blockNumber()).toBeGreaterThan(64)
      const through = (args: string[]) =>
        runCli([...args, '--rpc-url', proxy.url], { cwd: devnet.dir, env: keys })
      const direct = await cli(['governor', 'list', '--json'])
      expect(direct.code, direct.stderr).toBe(0)
      expect(envelope(direct).data.proposals.length).toBeGreaterThan(0)
      // The earlier commands filled the workspace's log cache: emptied, so this run asks the capped node.
      rmSync(join(devnet.dir, '.alliance', 'cache', 'logs'), { recursive: true, force: true })
      const capped = await through(['governor', 'list', '--json'])
      expect(capped.code, capped.stdout + capped.stderr).toBe(0)
      expect(envelope(capped).data.proposals).toEqual(envelope(direct).data.proposals)
      expect(proxy.take().eth_getLogs).toBeGreaterThan(1)

      const status = await through(['governor', 'status', proposalId, '--json'])
      expect(status.code, status.stdout + status.stderr).toBe(0)
      expect(envelope(status).data).toMatchObject({ proposalId, state: 'Executed' })

      proxy.take()
      const again = await through(['governor', 'list', '--json'])
      expect(envelope(again).data.proposals).toEqual(envelope(direct).data.proposals)
      // Every chunk is in the workspace's cache, held while its last block's hash still holds.
      expect(proxy.take().eth_getLogs).toBeUndefined()
    } finally {
      await proxy.close()
    }
  })
})

describe('human output', () => {
  it('propose prints the report and says the calldata sent is the one simulated; status shows votes and quorum', async () => {
    const r = await cli(['governor', 'propose', 'human.yaml', '--key-env', 'ALICE'])
    expect(r.code, r.stdout.slice(0, 3000) + r.stderr).toBe(0)
    expect(r.stdout).not.toContain('\u001b[') // NO_COLOR
    expect(r.stdout).toContain('Ids (computed locally)')
    expect(r.stdout).toContain("the governor's hashProposal and the timelock's hashOperationBatch agree")
    expect(r.stdout).toContain('SIMULATION PASSED')
    expect(r.stdout).toMatch(
      /the calldata sent is byte-identical to the one simulated \(keccak 0x[0-9a-f]{64}\)/,
    )
    const id = /proposal (\d+) created/.exec(r.stdout)?.[1]
    expect(id).toBeDefined()

    const status = await cli(['governor', 'status', id!])
    expect(status.code, status.stderr).toBe(0)
    expect(status.stdout).toContain('Proposed by a human reader')
    expect(status.stdout).toContain('Pending')
    expect(status.stdout).toMatch(/^\s*for\s+0\b/m)
    expect(status.stdout).toMatch(/^\s*against\s+0\b/m)
    expect(status.stdout).toMatch(/^\s*abstain\s+0\b/m)
    expect(status.stdout).toMatch(/^\s*quorum\s+/m)
  })
})

describe('refusals send nothing', () => {
  it('an account without votes is below the threshold', async () => {
    expect(await token.getFunction('getVotes')(nobody.address)).toBe(0n)
    const before = await blockNumber()
    const r = await cli(['governor', 'propose', 'nobody.yaml', '--key-env', 'NOBODY', '--json'])
    expect(r.code).toBe(1)
    const e = envelope(r).errors[0]!
    expect(e.code).toBe('GOVERNOR_BELOW_THRESHOLD')
    expect(e.message).toContain(nobody.address)
    expect(await blockNumber()).toBe(before)
  })

  it('bad input: no proposer, an unknown id, a malformed id, an id past uint256, --report without a simulation', async () => {
    const before = await blockNumber()
    const [noProposer, unknown, malformed, tooLarge, reportUnsimulated] = await Promise.all([
      cli(['governor', 'propose', 'proposal.yaml', '--json']),
      cli(['governor', 'status', '12345', '--json']),
      cli(['governor', 'status', '0xnot-an-id', '--json']),
      cli(['governor', 'vote', (2n ** 256n).toString(), 'for', '--key-env', 'BOB', '--json']),
      cli([
        'governor',
        'propose',
        'unsimulated.yaml',
        '--key-env',
        'ALICE',
        '--no-simulate',
        '--report',
        'unsimulated.html',
        '--json',
      ]),
    ])
    expect(noProposer.code).toBe(1)
    expect(envelope(noProposer).errors[0]!.code).toBe('INVALID_FLAG')
    expect(unknown.code).toBe(1)
    expect(envelope(unknown).errors[0]!.code).toBe('GOVERNOR_PROPOSAL_NOT_FOUND')
    expect(malformed.code).toBe(1)
    expect(envelope(malformed).errors[0]!.code).toBe('INVALID_FLAG')
    // Past uint256: refused as input, not sent to the node to fail there.
    expect(tooLarge.code).toBe(1)
    expect(envelope(tooLarge).errors[0]).toMatchObject({ code: 'INVALID_FLAG', message: /uint256/ })
    // A report needs the simulation that --no-simulate skips: refused rather than silently not written.
    expect(reportUnsimulated.code).toBe(1)
    expect(envelope(reportUnsimulated).errors[0]).toMatchObject({
      code: 'INVALID_FLAG',
      message: /^--report/,
    })
    expect(existsSync(join(devnet.dir, 'unsimulated.html'))).toBe(false)
    expect(await blockNumber()).toBe(before)
  })

  it('a proposal that would fail in simulation is not proposed', async () => {
    const before = await blockNumber()
    const proposals = await proposalCreatedCount()
    const r = await cli(['governor', 'propose', 'overbudget.yaml', '--key-env', 'ALICE', '--json'])
    expect(r.code).toBe(1)
    const e = envelope(r).errors[0]!
    expect(e.code).toBe('PROPOSAL_WOULD_FAIL')
    expect(e.message).toMatch(/BudgetExceeded/)
    expect(await blockNumber()).toBe(before)
    expect(await proposalCreatedCount()).toBe(proposals)
  })

  it('--no-simulate proposes without a simulation', async () => {
    const r = await cli([
      'governor',
      'propose',
      'unsimulated.yaml',
      '--key-env',
      'ALICE',
      '--no-simulate',
      '--json',
    ])
    expect(r.code, r.stdout + r.stderr).toBe(0)
    const data = envelope(r).data
    expect(data.simulation).toBeUndefined()
    expect(data.transaction.identicalToSimulation).toBeUndefined()
    const hashed = await governor.getFunction('hashProposal')(
      ...(await createdFields(data.transaction.transactionHash)),
      keccakText(descriptionOf('Proposed without a simulation')),
    )
    expect(data.proposalId).toBe(hashed.toString())
  })
})

async function createdFields(txHash: string) {
  const receipt = await devnet.provider.getTransactionReceipt(txHash)
  const created = receipt!.logs
    .map((l) => governor.interface.parseLog(l))
    .find((e) => e?.name === 'ProposalCreated')!
  return [
    [...created.args.getValue('targets')],
    [...created.args.getValue('values')],
    [...created.args.getValue('calldatas')],
  ] as const
}

describe('the council Safe as proposer', () => {
  it('propose --from-safe writes a plan that the owners sign and execute like any other', async () => {
    // The council needs votes: Alice gives it 5,000 ALLY and the council delegates them to itself.
    await new DevnetSender(devnet.provider).send(new Wallet(alice.key, devnet.provider), {
      to: token.target as string,
      data: token.interface.encodeFunctionData('transfer', [devnet.layout.council, ALLY('5000')]) as Hex,
    })
    devnet.write(
      'delegate.yaml',
      "version: 1\nsafe: council\ndescription: Delegate the council's ALLY to itself\nactions:\n  - kind: call\n    to: ALLY\n    signature: delegate(address)\n    args: [council]\n",
    )
    const runPlan = async (plan: string) => {
      for (const k of ['ALICE', 'BOB']) {
        const signed = await cli(['sign', plan, '--key-env', k, '--json'])
        expect(signed.code, signed.stdout + signed.stderr).toBe(0)
      }
      const executed = await cli(['execute', plan, '--key-env', 'NOBODY', '--json'])
      expect(executed.code, executed.stdout + executed.stderr).toBe(0)
    }
    expect((await cli(['plan', 'delegate.yaml', '--out', 'delegate.plan.json', '--json'])).code).toBe(0)
    await runPlan('delegate.plan.json')
    await mine(1)

    devnet.write('from-safe.yaml', proposalYaml('Proposed by the council Safe', '10', false))
    const r = await cli(['governor', 'propose', 'from-safe.yaml', '--from-safe', 'council', '--json'])
    expect(r.code, r.stdout.slice(0, 2000) + r.stderr).toBe(0)
    const data = envelope(r).data
    expect(data.simulation).toMatchObject({ success: true, identicalToSent: true })
    expect(data.plan.file).toBe('from-safe.propose.plan.json')
    expect(existsSync(join(devnet.dir, 'from-safe.propose.yaml'))).toBe(true)
    // Nothing is proposed until the council executes the plan.
    const before = await proposalCreatedCount()
    await runPlan(data.plan.file)
    expect(await proposalCreatedCount()).toBe(before + 1)

    const status = envelope(await cli(['governor', 'status', data.proposalId, '--json'])).data
    expect(status.proposer).toBe(devnet.layout.council)
    expect(status.state).toBe('Pending')
  })
})
