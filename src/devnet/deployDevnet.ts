import { getSingletonFactoryInfo } from '@safe-global/safe-singleton-factory'
import {
  concat,
  Interface,
  id,
  type JsonRpcProvider,
  parseUnits,
  Wallet,
  ZeroAddress,
  ZeroHash,
} from 'ethers'
import { waitForReceipt } from '../chain/waitForReceipt.js'
import { artifactInterface, loadArtifact } from '../contracts/artifacts.js'
import { DevnetNotFreshError } from '../errors/devnet.js'
import type { Hex } from '../safe/types.js'
import { COUNCIL_OWNERS, DEPLOYER, DEVNET_ACCOUNTS } from './accounts.js'
import {
  DEVNET_CONTRACTS,
  DEVNET_PARAMS,
  type DevnetContractKey,
  type DevnetLayout,
  devnetLayout,
} from './devnetLayout.js'
import { DevnetSender } from './devnetSender.js'
import {
  proxyFactoryInterface,
  SAFE_141_NAMES,
  SINGLETON_FACTORY,
  safeArtifact,
  safeSetupData,
} from './safeArtifacts.js'

/** Pays for infrastructure (Safe contracts, the council proxy); CREATE2 makes its nonce irrelevant. */
const INFRA = DEVNET_ACCOUNTS[8]

/**
 * Deploys the Safe v1.4.1 contracts at their canonical addresses, the 2-of-3 council Safe, the
 * alliance contracts with their roles wired, and funds them — on a fresh anvil, deterministically.
 * The council Safe and the timelock both hold the operational roles (allocate, guard, set rates, admit),
 * so an action file can go either route; only the timelock is admin.
 * Idempotent on a chain where it already ran. Role grants come after every deployment, so they never
 * move an address (those follow the deployer's nonces, see devnetLayout).
 */
export async function deployDevnet(provider: JsonRpcProvider): Promise<DevnetLayout> {
  const layout = devnetLayout()
  const sender = new DevnetSender(provider)
  const infra = new Wallet(INFRA.key, provider)
  await deploySafeContracts(provider, sender, infra, layout)
  await deployCouncilSafe(provider, sender, infra, layout)

  if ((await provider.getCode(layout.contracts['fee-splitter'])) !== '0x') return layout
  const deployerNonce = await provider.getTransactionCount(DEPLOYER.address)
  if (deployerNonce !== 0)
    throw new DevnetNotFreshError(`the deployer account has already sent ${deployerNonce} tx`)
  const deployer = new Wallet(DEPLOYER.key, provider)
  await deployAllianceContracts(provider, sender, deployer, layout)
  await wireAndFund(provider, sender, deployer, layout)
  return layout
}

async function deploySafeContracts(
  provider: JsonRpcProvider,
  sender: DevnetSender,
  infra: Wallet,
  layout: DevnetLayout,
) {
  if ((await provider.getCode(SINGLETON_FACTORY)) === '0x') {
    const info = getSingletonFactoryInfo(DEVNET_PARAMS.chainId)
    if (!info) throw new DevnetNotFreshError('no presigned singleton-factory deployment for this chain id')
    await sender.send(infra, { to: info.signerAddress, value: BigInt(info.gasPrice) * BigInt(info.gasLimit) })
    await waitForReceipt(provider, await provider.send('eth_sendRawTransaction', [info.transaction]), {
      timeoutMs: 30_000,
    })
  }
  for (const name of SAFE_141_NAMES) {
    if ((await provider.getCode(layout.safe[name])) !== '0x') continue
    await sender.send(infra, { to: SINGLETON_FACTORY, data: concat([ZeroHash, safeArtifact(name).bytecode]) })
    if ((await provider.getCode(layout.safe[name])) === '0x') {
      throw new DevnetNotFreshError(`Safe ${name} did not land at its canonical address ${layout.safe[name]}`)
    }
  }
}

async function deployCouncilSafe(
  provider: JsonRpcProvider,
  sender: DevnetSender,
  infra: Wallet,
  layout: DevnetLayout,
) {
  if ((await provider.getCode(layout.council)) !== '0x') return
  const data = proxyFactoryInterface().encodeFunctionData('createProxyWithNonce', [
    layout.safe.Safe,
    safeSetupData(layout.councilSetup),
    layout.councilSetup.saltNonce,
  ])
  await sender.send(infra, { to: layout.safe.SafeProxyFactory, data })
  if ((await provider.getCode(layout.council)) === '0x') {
    throw new DevnetNotFreshError(`the council Safe did not land at ${layout.council}`)
  }
}

async function deployAllianceContracts(
  provider: JsonRpcProvider,
  sender: DevnetSender,
  deployer: Wallet,
  layout: DevnetLayout,
) {
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
  for (const { key, artifact: name } of DEVNET_CONTRACTS) {
    const artifact = loadArtifact(name)
    const iface = new Interface(artifact.abi)
    const data = concat([artifact.bytecode, iface.encodeDeploy(args[key])])
    await sender.send(deployer, { data })
    if ((await provider.getCode(at[key])) === '0x') {
      throw new DevnetNotFreshError(`${key} did not land at its expected address ${at[key]}`)
    }
  }
}

async function wireAndFund(
  provider: JsonRpcProvider,
  sender: DevnetSender,
  deployer: Wallet,
  layout: DevnetLayout,
) {
  const p = DEVNET_PARAMS
  const at = layout.contracts
  const council = layout.council
  const abi = (key: DevnetContractKey) =>
    artifactInterface(DEVNET_CONTRACTS.find((c) => c.key === key)!.artifact)
  const call = (wallet: Wallet, key: DevnetContractKey, method: string, ...args: unknown[]) =>
    sender.send(wallet, { to: at[key], data: abi(key).encodeFunctionData(method, args) as Hex })
  const by = (key: DevnetContractKey, method: string, ...args: unknown[]) =>
    call(deployer, key, method, ...args)

  // Governance: the Governor proposes and cancels through the timelock; anyone may execute.
  await by('timelock', 'grantRole', id('PROPOSER_ROLE'), at.governor)
  await by('timelock', 'grantRole', id('CANCELLER_ROLE'), at.governor)

  // Treasury: budgets per epoch; the council allocates within them and is the guardian.
  await by('treasury', 'setEpochBudget', at.ALLY, p.budgets.ALLY)
  await by('treasury', 'setEpochBudget', at.aUSD, p.budgets.aUSD)
  await by('treasury', 'setEpochBudget', ZeroAddress, p.budgets.ETH)
  await by('treasury', 'grantRole', id('ALLOCATOR_ROLE'), council)
  await by('treasury', 'grantRole', id('GUARDIAN_ROLE'), council)

  // Registry: two founding members, then the council admits new ones.
  await by('registry', 'grantRole', id('REGISTRAR_ROLE'), DEPLOYER.address)
  await by('registry', 'admitMember', 'Alliance Core', at.ALLY, at.treasury, 4000)
  await by('registry', 'admitMember', 'Stable Guild', at.aUSD, DEVNET_ACCOUNTS[7].address, 2000)
  await by('registry', 'renounceRole', id('REGISTRAR_ROLE'), DEPLOYER.address)
  await by('registry', 'grantRole', id('REGISTRAR_ROLE'), council)

  // Funding.
  await by('ALLY', 'transfer', at.treasury, p.treasuryFunding.ALLY)
  await by('ALLY', 'transfer', at['ally-staking'], p.vaultRewards)
  await by('aUSD', 'transfer', at.treasury, p.treasuryFunding.aUSD)
  await by('aUSD', 'transfer', council, p.councilFunding.aUSD)
  await sender.send(deployer, { to: at.treasury, value: p.treasuryFunding.ETH })
  await sender.send(deployer, { to: council, value: p.councilFunding.ETH })
  for (const owner of COUNCIL_OWNERS) await by('ALLY', 'transfer', owner.address, p.ownerAlly)

  // Vault: an initial reward period, set before the council takes the rate-setter role.
  await by('ally-staking', 'grantRole', id('RATE_SETTER_ROLE'), DEPLOYER.address)
  await by('ally-staking', 'setRewardRate', parseUnits('0.01', 18), p.epochDuration)
  await by('ally-staking', 'renounceRole', id('RATE_SETTER_ROLE'), DEPLOYER.address)
  await by('ally-staking', 'grantRole', id('RATE_SETTER_ROLE'), council)
  await by('ally-staking', 'grantRole', id('GUARDIAN_ROLE'), council)

  // Owners delegate their ALLY to themselves (voting power); the first one stakes some.
  for (const [i, owner] of COUNCIL_OWNERS.entries()) {
    const wallet = new Wallet(owner.key, provider)
    await call(wallet, 'ALLY', 'delegate', owner.address)
    if (i === 0) {
      const stake = parseUnits('100000', 18)
      await call(wallet, 'ALLY', 'approve', at['ally-staking'], stake)
      await call(wallet, 'ally-staking', 'stake', stake)
    }
  }

  // The timelock holds every operational role the council holds, so each action kind can also pass as a
  // Governor proposal (the timelock is the proposal's msg.sender). Granted while the deployer is still admin.
  await by('treasury', 'grantRole', id('ALLOCATOR_ROLE'), at.timelock)
  await by('treasury', 'grantRole', id('GUARDIAN_ROLE'), at.timelock)
  await by('ally-staking', 'grantRole', id('RATE_SETTER_ROLE'), at.timelock)
  await by('ally-staking', 'grantRole', id('GUARDIAN_ROLE'), at.timelock)
  await by('registry', 'grantRole', id('REGISTRAR_ROLE'), at.timelock)

  // Hand every admin role to the timelock, then the deployer steps away.
  for (const key of ['treasury', 'registry', 'ally-staking', 'fee-splitter', 'timelock'] as const) {
    if (key !== 'timelock') await by(key, 'grantRole', ZeroHash, at.timelock) // the timelock administers itself
    await by(key, 'renounceRole', ZeroHash, DEPLOYER.address)
  }
}
