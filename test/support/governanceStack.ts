import { concat, id, type JsonRpcProvider, Wallet, ZeroAddress, ZeroHash } from 'ethers'
import { artifactInterface, loadArtifact } from '../../src/contracts/artifacts.js'
import { DevnetSender } from '../../src/devnet/devnetSender.js'
import type { Address, Hex } from '../../src/safe/types.js'

export type GovernanceStackParams = {
  supply: bigint
  votingDelay: bigint
  votingPeriod: bigint
  proposalThreshold: bigint
  quorumPercent: bigint
  timelockDelay: bigint
}
export type GovernanceStack = { token: Address; timelock: Address; governor: Address }

/**
 * Deploys a second governance stack on a running devnet: a votes token (`token` artifact, whole supply to
 * the deployer, delegated to itself), an AllianceTimelock, and a governor (`governor` artifact, taking
 * AllianceGovernor's constructor). Wired like the devnet's: the governor proposes and cancels on the
 * timelock, anyone executes, and the deployer leaves the timelock's admin role. The timelock administers
 * nothing else; the governor's own settings are what a proposal can change. Votes count from the next block.
 */
export async function deployGovernanceStack(
  provider: JsonRpcProvider,
  deployerKey: Hex,
  artifacts: { token: string; governor: string },
  p: GovernanceStackParams,
): Promise<GovernanceStack> {
  const deployer = new Wallet(deployerKey, provider)
  const sender = new DevnetSender(provider)
  const deploy = async (name: string, args: unknown[]) => {
    const artifact = loadArtifact(name)
    const data = concat([artifact.bytecode, artifactInterface(name).encodeDeploy(args)])
    const receipt = await sender.send(deployer, { data })
    if (!receipt.contractAddress) throw new Error(`${name} was not deployed`)
    return receipt.contractAddress as Address
  }
  const call = (name: string, to: Address, method: string, ...args: unknown[]) =>
    sender.send(deployer, { to, data: artifactInterface(name).encodeFunctionData(method, args) })

  const token = await deploy(artifacts.token, [deployer.address, p.supply])
  const timelock = await deploy('AllianceTimelock', [p.timelockDelay, [], [ZeroAddress], deployer.address])
  const governor = await deploy(artifacts.governor, [
    token,
    timelock,
    p.votingDelay,
    p.votingPeriod,
    p.proposalThreshold,
    p.quorumPercent,
  ])
  await call('AllianceTimelock', timelock, 'grantRole', id('PROPOSER_ROLE'), governor)
  await call('AllianceTimelock', timelock, 'grantRole', id('CANCELLER_ROLE'), governor)
  await call('AllianceTimelock', timelock, 'renounceRole', ZeroHash, deployer.address)
  await call(artifacts.token, token, 'delegate', deployer.address)
  return { token, timelock, governor }
}
