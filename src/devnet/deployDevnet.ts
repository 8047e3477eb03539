import {
  Contract,
  ContractFactory,
  concat,
  type ContractRunner,
  id,
  type JsonRpcProvider,
  NonceManager,
  parseUnits,
  Wallet,
  ZeroAddress,
  ZeroHash,
} from 'ethers'
import { loadArtifact } from '../contracts/artifacts.js'
import { AllianceError } from '../errors/base.js'
import type { Address } from '../safe/types.js'
import { COUNCIL_OWNERS, DEPLOYER, DEVNET_ACCOUNTS } from './accounts.js'
import { DEVNET_CONTRACTS, DEVNET_PARAMS, type DevnetContractKey, type DevnetLayout, devnetLayout } from './devnetLayout.js'
import { SAFE_141_NAMES, SINGLETON_FACTORY, proxyFactoryInterface, safeArtifact, safeSetupData } from './safeArtifacts.js'
import { getSingletonFactoryInfo } from '@safe-global/safe-singleton-factory'

/** Pays for infrastructure (Safe contracts, the council proxy); CREATE2 makes its nonce irrelevant. */
const INFRA = DEVNET_ACCOUNTS[8]

export class DevnetNotFreshError extends AllianceError {
  override name = 'DevnetNotFreshError'
  constructor(reason: string) {
    super(`Cannot deploy the devnet on this chain: ${reason}`, {
      code: 'DEVNET_NOT_FRESH',
      hint: 'Deploy on a fresh anvil (`alliance devnet start` starts one).',
    })
  }
}

/**
 * Deploys the Safe v1.4.1 contracts at their canonical addresses, the 2-of-3 council Safe, the
 * alliance contracts with their roles wired, and funds them — on a fresh anvil, deterministically.
 * Returns the layout, checked against what the chain now holds.
 */
export async function deployDevnet(provider: JsonRpcProvider): Promise<DevnetLayout> {
  const layout = devnetLayout()
  const infra = new NonceManager(new Wallet(INFRA.key, provider))
  await deploySafeContracts(provider, infra, layout)
  await deployCouncilSafe(provider, infra, layout)

  if ((await provider.getCode(layout.contracts['fee-splitter'])) !== '0x') return layout // already deployed
  const deployerNonce = await provider.getTransactionCount(DEPLOYER.address)
  if (deployerNonce !== 0) throw new DevnetNotFreshError(`the deployer account has already sent ${deployerNonce} tx`)
  const deployer = new NonceManager(new Wallet(DEPLOYER.key, provider))
  const c = await deployAllianceContracts(deployer, layout)
  await wireAndFund(provider, deployer, c, layout)
  return layout
}

async function deploySafeContracts(provider: JsonRpcProvider, infra: NonceManager, layout: DevnetLayout) {
  if ((await provider.getCode(SINGLETON_FACTORY)) === '0x') {
    const info = getSingletonFactoryInfo(DEVNET_PARAMS.chainId)
    if (!info) throw new DevnetNotFreshError('no presigned singleton-factory deployment for this chain id')
    await send(infra, { to: info.signerAddress, value: BigInt(info.gasPrice) * BigInt(info.gasLimit) })
    await provider.waitForTransaction(await provider.send('eth_sendRawTransaction', [info.transaction]))
  }
  for (const name of SAFE_141_NAMES) {
    if ((await provider.getCode(layout.safe[name])) !== '0x') continue
    await send(infra, {
      to: SINGLETON_FACTORY,
      data: concat([ZeroHash, safeArtifact(name).bytecode]),
      gasLimit: 8_000_000n,
    })
    if ((await provider.getCode(layout.safe[name])) === '0x') {
      throw new DevnetNotFreshError(`Safe ${name} did not land at its canonical address ${layout.safe[name]}`)
    }
  }
}

async function deployCouncilSafe(provider: JsonRpcProvider, infra: NonceManager, layout: DevnetLayout) {
  if ((await provider.getCode(layout.council)) !== '0x') return
  const data = proxyFactoryInterface().encodeFunctionData('createProxyWithNonce', [
    layout.safe.Safe,
    safeSetupData(layout.councilSetup),
    layout.councilSetup.saltNonce,
  ])
  await send(infra, { to: layout.safe.SafeProxyFactory, data })
  if ((await provider.getCode(layout.council)) === '0x') {
    throw new DevnetNotFreshError(`the council Safe did not land at ${layout.council}`)
  }
}

type Deployed = Record<DevnetContractKey, Contract>

async function deployAllianceContracts(deployer: NonceManager, layout: DevnetLayout): Promise<Deployed> {
  const p = DEVNET_PARAMS
  const at = layout.contracts
  const args: Record<DevnetContractKey, unknown[]> = {
    ALLY: [DEPLOYER.address, p.allySupply],
    aUSD: ['Alliance USD', 'aUSD', 6, DEPLOYER.address, p.ausdSupply],
    PLAY: ['Play DAO', 'PLAY', 18, DEPLOYER.address, p.playSupply],
    timelock: [p.timelockDelay, [], [ZeroAddress], DEPLOYER.address],
    governor: [at.ALLY, at.timelock, p.votingDelay, p.votingPeriod, p.proposalThreshold, p.quorumPercent],
    treasury: [DEPLOYER.address, p.epochDuration],
    registry: [DEPLOYER.address],
    'ally-staking': [DEPLOYER.address, at.ALLY, at.ALLY],
    'fee-splitter': [DEPLOYER.address, at.registry],
  }
  const deployed = {} as Deployed
  for (const { key, artifact: name } of DEVNET_CONTRACTS) {
    const artifact = loadArtifact(name)
    const factory = new ContractFactory(artifact.abi, artifact.bytecode, deployer)
    const contract = await factory.deploy(...args[key])
    await contract.waitForDeployment()
    const address = await contract.getAddress()
    if (address !== at[key]) throw new DevnetNotFreshError(`${key} landed at ${address}, expected ${at[key]}`)
    deployed[key] = contract as Contract
  }
  return deployed
}

async function wireAndFund(provider: JsonRpcProvider, deployer: NonceManager, c: Deployed, layout: DevnetLayout) {
  const p = DEVNET_PARAMS
  const council = layout.council
  const timelock = layout.contracts.timelock
  const admin = ZeroHash
  const call = async (contract: Contract, method: string, ...args: unknown[]) =>
    (await contract.getFunction(method)(...args)).wait()

  // Governance: the Governor proposes and cancels through the timelock; anyone may execute.
  await call(c.timelock, 'grantRole', id('PROPOSER_ROLE'), layout.contracts.governor)
  await call(c.timelock, 'grantRole', id('CANCELLER_ROLE'), layout.contracts.governor)

  // Treasury: budgets per epoch; the council allocates within them and is the guardian.
  await call(c.treasury, 'setEpochBudget', layout.contracts.ALLY, p.budgets.ALLY)
  await call(c.treasury, 'setEpochBudget', layout.contracts.aUSD, p.budgets.aUSD)
  await call(c.treasury, 'setEpochBudget', ZeroAddress, p.budgets.ETH)
  await call(c.treasury, 'grantRole', id('ALLOCATOR_ROLE'), council)
  await call(c.treasury, 'grantRole', id('GUARDIAN_ROLE'), council)

  // Registry: two founding members, then the council admits new ones.
  await call(c.registry, 'grantRole', id('REGISTRAR_ROLE'), DEPLOYER.address)
  await call(c.registry, 'admitMember', 'Alliance Core', layout.contracts.ALLY, layout.contracts.treasury, 4000)
  await call(c.registry, 'admitMember', 'Stable Guild', layout.contracts.aUSD, DEVNET_ACCOUNTS[7].address, 2000)
  await call(c.registry, 'renounceRole', id('REGISTRAR_ROLE'), DEPLOYER.address)
  await call(c.registry, 'grantRole', id('REGISTRAR_ROLE'), council)

  // Funding.
  await call(c.ALLY, 'transfer', layout.contracts.treasury, p.treasuryFunding.ALLY)
  await call(c.ALLY, 'transfer', layout.contracts['ally-staking'], p.vaultRewards)
  await call(c.aUSD, 'transfer', layout.contracts.treasury, p.treasuryFunding.aUSD)
  await call(c.aUSD, 'transfer', council, p.councilFunding.aUSD)
  await send(deployer, { to: layout.contracts.treasury, value: p.treasuryFunding.ETH })
  await send(deployer, { to: council, value: p.councilFunding.ETH })
  for (const owner of COUNCIL_OWNERS) await call(c.ALLY, 'transfer', owner.address, p.ownerAlly)

  // Vault: an initial reward period, set before the council takes the rate-setter role.
  await call(c['ally-staking'], 'grantRole', id('RATE_SETTER_ROLE'), DEPLOYER.address)
  await call(c['ally-staking'], 'setRewardRate', parseUnits('0.01', 18), p.epochDuration)
  await call(c['ally-staking'], 'renounceRole', id('RATE_SETTER_ROLE'), DEPLOYER.address)
  await call(c['ally-staking'], 'grantRole', id('RATE_SETTER_ROLE'), council)
  await call(c['ally-staking'], 'grantRole', id('GUARDIAN_ROLE'), council)

  // Owners delegate their ALLY to themselves (voting power) and the first one stakes some.
  for (const [i, owner] of COUNCIL_OWNERS.entries()) {
    const wallet = new Wallet(owner.key, provider)
    const token = c.ALLY.connect(wallet) as Contract
    await call(token, 'delegate', owner.address)
    if (i === 0) {
      const stake = parseUnits('100000', 18)
      await call(token, 'approve', layout.contracts['ally-staking'], stake)
      await call(c['ally-staking'].connect(wallet) as Contract, 'stake', stake)
    }
  }

  // Hand every admin role to the timelock, then the deployer steps away.
  for (const key of ['treasury', 'registry', 'ally-staking', 'fee-splitter', 'timelock'] as const) {
    await call(c[key], 'grantRole', admin, timelock)
    await call(c[key], 'renounceRole', admin, DEPLOYER.address)
  }
}

async function send(runner: ContractRunner, tx: { to: Address | string; value?: bigint; data?: string; gasLimit?: bigint }) {
  const response = await runner.sendTransaction!(tx)
  const receipt = await response.wait()
  if (receipt?.status !== 1) throw new DevnetNotFreshError(`transaction to ${tx.to} failed`)
  return receipt
}
