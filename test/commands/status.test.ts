import { Contract, parseUnits, Wallet } from 'ethers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadActionFile } from '../../src/actions/actionFile.js'
import { artifactInterface } from '../../src/contracts/artifacts.js'
import { COUNCIL_OWNERS, GRANTS_MULTISIG } from '../../src/devnet/accounts.js'
import { DevnetSender } from '../../src/devnet/devnetSender.js'
import { executeSafePlan } from '../../src/execute/executeSafePlan.js'
import { buildSafePlan } from '../../src/plan/buildSafePlan.js'
import { signPlan } from '../../src/signers/signPlan.js'
import { envelope, runCli } from '../support/cli.js'
import { devnetSigner, startTestDevnet, type TestDevnet } from '../support/devnet.js'

const ALLY = (n: string) => parseUnits(n, 18)
const ALLOCATE = `version: 1
safe: council
description: Grants for the status test
actions:
  - kind: allocate-treasury
    token: ALLY
    to: grants-multisig
    amount: "12500.5"
    memo: status test
`

let devnet: TestDevnet
const cli = (args: string[]) => runCli(args, { cwd: devnet.dir })
const contract = (address: string, artifact: string) =>
  new Contract(address, artifactInterface(artifact), devnet.provider)
const status = async () => {
  const r = await cli(['status', '--json'])
  expect(r.code, r.stdout.slice(0, 2000) + r.stderr).toBe(0)
  return envelope(r).data
}

beforeAll(async () => {
  devnet = await startTestDevnet()
})
afterAll(async () => {
  await devnet?.stop()
})

/** What the contracts themselves answer, for the command's figures to be checked against. */
async function direct() {
  const c = devnet.layout.contracts
  const treasury = contract(c.treasury, 'AllianceTreasury')
  return {
    allyBalance: (await contract(c.ALLY, 'AllianceToken').getFunction('balanceOf')(c.treasury)) as bigint,
    allyRemaining: (await treasury.getFunction('remainingBudget')(c.ALLY)) as bigint,
    allyBudget: (await treasury.getFunction('epochBudget')(c.ALLY)) as bigint,
    epoch: (await treasury.getFunction('currentEpoch')()) as bigint,
    totalStaked: (await contract(c['ally-staking'], 'StakingVault').getFunction('totalStaked')()) as bigint,
    rewardRate: (await contract(c['ally-staking'], 'StakingVault').getFunction('rewardRate')()) as bigint,
    members: (await contract(c.registry, 'AllianceRegistry').getFunction('getMembers')()) as {
      name: string
      weightBps: bigint
    }[],
    council: await devnet.reads.readSafe(devnet.layout.council),
  }
}

describe('alliance status', () => {
  it('reads the fresh devnet as its contracts report it (--json)', async () => {
    const [data, chain] = await Promise.all([status(), direct()])
    const c = devnet.layout.contracts

    expect(data.safes).toEqual([
      {
        name: 'council',
        address: devnet.layout.council,
        version: chain.council.version,
        nonce: chain.council.nonce.toString(),
        owners: chain.council.owners,
        threshold: chain.council.threshold,
        singleton: chain.council.singleton,
      },
    ])
    expect(data.safes[0].owners).toEqual(COUNCIL_OWNERS.map((o) => o.address))
    expect(data.safes[0]).toMatchObject({ threshold: 2, nonce: '0', version: '1.4.1' })

    const [treasury] = data.treasuries
    expect(treasury.address).toBe(c.treasury)
    expect(treasury.balances.find((b: { symbol: string }) => b.symbol === 'ALLY').balance).toBe(
      chain.allyBalance.toString(),
    )
    const ally = treasury.budgets.find((b: { symbol: string }) => b.symbol === 'ALLY')
    expect(ally).toMatchObject({
      token: c.ALLY,
      epoch: chain.epoch.toString(),
      budget: chain.allyBudget.toString(),
      spent: '0',
      remaining: chain.allyRemaining.toString(),
    })
    expect(treasury.budgets.map((b: { symbol: string }) => b.symbol)).toEqual(['ETH', 'ALLY', 'aUSD', 'PLAY'])

    expect(data.vaults).toEqual([
      expect.objectContaining({
        name: 'ally-staking',
        totalStaked: chain.totalStaked.toString(),
        rewardRate: chain.rewardRate.toString(),
        stakingSymbol: 'ALLY',
        rewardSymbol: 'ALLY',
      }),
    ])
    expect(
      data.registries[0].members.map((m: { name: string; weightBps: number }) => [m.name, m.weightBps]),
    ).toEqual(chain.members.map((m) => [m.name, Number(m.weightBps)]))
    expect(data.governors).toEqual([{ name: 'governor', address: c.governor, proposals: [] }])
    expect(data.queued).toBeUndefined()
  })

  it('shows an allocation in the remaining budget and the nonce, and a new Governor proposal as pending', async () => {
    // The council allocates 12,500.5 ALLY: plan, two owners sign, a third account executes.
    let plan = await buildSafePlan(
      loadActionFile(devnet.write('allocate.yaml', ALLOCATE), devnet.workspace),
      devnet.reads,
    )
    for (const i of [0, 1])
      plan = await signPlan({
        plan,
        planFile: 'plan.json',
        signer: devnetSigner(i),
        workspace: devnet.workspace,
        reads: devnet.reads,
      })
    await executeSafePlan({
      plan,
      planFile: 'plan.json',
      executor: devnetSigner(2),
      provider: devnet.provider,
      reads: devnet.reads,
      workspace: devnet.workspace,
    })

    // alice proposes directly (she holds 900,000 delegated ALLY, over the 1,000 threshold).
    const c = devnet.layout.contracts
    const governor = artifactInterface('AllianceGovernor')
    const description = '# Status test proposal\n\nPay the grants multisig one ALLY.'
    const transfer = artifactInterface('AllianceToken').encodeFunctionData('transfer', [GRANTS_MULTISIG, 1n])
    const receipt = await new DevnetSender(devnet.provider).send(
      new Wallet(COUNCIL_OWNERS[0].key, devnet.provider),
      {
        to: c.governor,
        data: governor.encodeFunctionData('propose', [[c.ALLY], [0n], [transfer], description]),
      },
    )
    const proposalId = receipt.logs
      .map((log) => governor.parseLog(log))
      .find((e) => e?.name === 'ProposalCreated')!
      .args.getValue('proposalId') as bigint

    const [data, chain] = await Promise.all([status(), direct()])
    expect(chain.allyRemaining).toBe(ALLY('100000') - ALLY('12500.5'))
    const [treasury] = data.treasuries
    expect(treasury.balances.find((b: { symbol: string }) => b.symbol === 'ALLY').balance).toBe(
      chain.allyBalance.toString(),
    )
    expect(treasury.budgets.find((b: { symbol: string }) => b.symbol === 'ALLY')).toMatchObject({
      budget: ALLY('100000').toString(),
      spent: ALLY('12500.5').toString(),
      remaining: chain.allyRemaining.toString(),
    })
    expect(data.safes[0].nonce).toBe(chain.council.nonce.toString())
    expect(data.safes[0].nonce).toBe('1')

    const [proposals] = data.governors.map((g: { proposals: unknown[] }) => g.proposals)
    expect(proposals).toEqual([
      expect.objectContaining({
        proposalId: proposalId.toString(),
        proposer: COUNCIL_OWNERS[0].address,
        description,
        state: 'Pending',
      }),
    ])
  })

  // After the test above: the allocation and the proposal show in the human output too.
  it('prints the sections for a reader, without colour under NO_COLOR', async () => {
    const r = await cli(['status'])
    expect(r.code, r.stderr).toBe(0)
    // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escapes are what is looked for.
    expect(r.stdout).not.toMatch(/\u001b\[/)
    for (const heading of ['Safes', 'Treasury', 'Vaults', 'Members', 'Governor proposals'])
      expect(r.stdout).toMatch(new RegExp(`^${heading}$`, 'm'))
    expect(r.stdout).toContain('Safe 1.4.1, 2 of 3 owners, nonce 1')
    expect(r.stdout).toMatch(/ALLY\s+3,987,499\.5\s+87,499\.5 \/ 100,000/)
    expect(r.stdout).toMatch(/budget epoch 0 ends \d{4}-\d\d-\d\d \d\d:\d\d UTC \(in 29d \d+h\)/)
    expect(r.stdout).toMatch(/TVL\s+100,000 ALLY staked/)
    expect(r.stdout).toMatch(/reward rate\s+864 ALLY\/day \(0\.01 ALLY\/s\) until /)
    expect(r.stdout).toMatch(/Alliance Core\s+ALLY\s+treasury\s+40%/)
    expect(r.stdout).toContain('[Pending] Status test proposal')
  })
})
