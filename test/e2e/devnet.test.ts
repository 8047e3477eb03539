import { Contract, id, keccak256, ZeroHash } from 'ethers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { COUNCIL_OWNERS, DEPLOYER } from '../../src/devnet/accounts.js'
import { canonicalDeployments } from '../../src/safe/deployments.js'
import { startTestDevnet, type TestDevnet } from '../support/devnet.js'

let devnet: TestDevnet
beforeAll(async () => {
  devnet = await startTestDevnet()
})
afterAll(async () => {
  await devnet?.stop()
})

const hasRole = (address: string, role: string, who: string) =>
  new Contract(
    address,
    ['function hasRole(bytes32,address) view returns (bool)'],
    devnet.provider,
  ).getFunction('hasRole')(role, who)

describe('the embedded devnet', () => {
  it('has the Safe 1.4.1 contracts at their canonical addresses, with the published code', async () => {
    const d = canonicalDeployments('1.4.1')
    for (const c of [
      d.singleton,
      d.singletonL2,
      d.proxyFactory,
      d.multiSend,
      d.multiSendCallOnly,
      d.fallbackHandler,
      d.signMessageLib,
      d.createCall,
      d.simulateTxAccessor,
    ]) {
      const code = await devnet.provider.getCode(c.address)
      expect(keccak256(code), c.contractName).toBe(c.codeHash)
    }
  })

  it('has a 2-of-3 council Safe owned by anvil accounts 0-2, on the L1 singleton', async () => {
    const safe = await devnet.reads.readSafe(devnet.layout.council)
    expect(safe.version).toBe('1.4.1')
    expect(safe.threshold).toBe(2)
    expect([...safe.owners].sort()).toEqual(COUNCIL_OWNERS.map((o) => o.address).sort())
    expect(safe.singleton).toBe(canonicalDeployments('1.4.1').singleton.address)
  })

  it('puts every contract at the address the workspace names', async () => {
    for (const [name, entry] of Object.entries(devnet.workspace.config.contracts)) {
      expect(await devnet.provider.getCode(entry.address), name).not.toBe('0x')
    }
    expect(devnet.workspace.config.safes.council?.address).toBe(devnet.layout.council)
  })

  it('wires the roles: timelock admin, council and timelock operators, deployer gone', async () => {
    const c = devnet.layout.contracts
    const council = devnet.layout.council
    // Both routes (Safe and Governor) must be able to run every action kind.
    const operational = [
      [c.treasury, 'ALLOCATOR_ROLE'],
      [c.treasury, 'GUARDIAN_ROLE'],
      [c['ally-staking'], 'RATE_SETTER_ROLE'],
      [c['ally-staking'], 'GUARDIAN_ROLE'],
      [c.registry, 'REGISTRAR_ROLE'],
    ] as const
    for (const [contract, role] of operational) {
      expect(await hasRole(contract, id(role), council), `council ${role}`).toBe(true)
      expect(await hasRole(contract, id(role), c.timelock), `timelock ${role}`).toBe(true)
      expect(await hasRole(contract, id(role), DEPLOYER.address), `deployer ${role}`).toBe(false)
    }
    expect(await hasRole(c.timelock, id('PROPOSER_ROLE'), c.governor)).toBe(true)
    for (const key of ['treasury', 'registry', 'ally-staking', 'fee-splitter', 'timelock'] as const) {
      expect(await hasRole(c[key], ZeroHash, c.timelock), `${key} admin`).toBe(true)
      expect(await hasRole(c[key], ZeroHash, DEPLOYER.address), `${key} deployer`).toBe(false)
      expect(await hasRole(c[key], ZeroHash, council), `${key} council admin`).toBe(false)
    }
    const treasury = new Contract(
      c.treasury,
      ['function remainingBudget(address) view returns (uint256)'],
      devnet.provider,
    )
    expect(await treasury.getFunction('remainingBudget')(c.ALLY)).toBe(100_000n * 10n ** 18n)
  })

  it("gives the owners delegated voting power in the Governor's token", async () => {
    const token = new Contract(
      devnet.layout.contracts.ALLY,
      [
        'function getVotes(address) view returns (uint256)',
        'function balanceOf(address) view returns (uint256)',
      ],
      devnet.provider,
    )
    for (const owner of COUNCIL_OWNERS) {
      // Self-delegated: every ALLY an owner holds votes (owner 0 staked 100k of its 1M, which then do not).
      const balance: bigint = await token.getFunction('balanceOf')(owner.address)
      expect(balance).toBeGreaterThan(0n)
      expect(await token.getFunction('getVotes')(owner.address)).toBe(balance)
    }
    const governor = new Contract(
      devnet.layout.contracts.governor,
      ['function token() view returns (address)', 'function timelock() view returns (address)'],
      devnet.provider,
    )
    expect(await governor.getFunction('token')()).toBe(devnet.layout.contracts.ALLY)
    expect(await governor.getFunction('timelock')()).toBe(devnet.layout.contracts.timelock)
  })
})
