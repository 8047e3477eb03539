import { concat, id, type JsonRpcProvider, parseUnits, Wallet, ZeroAddress, ZeroHash } from 'ethers'
import { artifactInterface, loadArtifact } from '../../src/contracts/artifacts.js'
import { DevnetSender } from '../../src/devnet/devnetSender.js'
import type { Address, Hex } from '../../src/safe/types.js'

/** Settings of the sequential-id governor; delays and periods are blocks (AllianceToken's clock), the timelock's seconds. */
export const SEQUENTIAL_GOVERNOR_PARAMS = {
  supply: parseUnits('1000000', 18),
  votingDelay: 1n,
  votingPeriod: 20n,
  proposalThreshold: parseUnits('1000', 18),
  quorumPercent: 4n,
  timelockDelay: 60n,
} as const

export type SequentialGovernor = { token: Address; timelock: Address; governor: Address }

/**
 * Deploys a governance stack on a running devnet whose proposal ids count 1, 2, 3, … instead of being
 * `hashProposal`: a fresh AllianceToken (block-number clock), AllianceTimelock and SequentialIdGovernor
 * (AllianceGovernor plus OpenZeppelin's GovernorSequentialProposalId). Wired like the devnet's: the governor
 * proposes and cancels on the timelock, anyone executes, and the deployer leaves the timelock's admin role.
 * The deployer holds the whole supply, delegated to itself; votes count from the next block.
 */
export async function deploySequentialGovernor(
  provider: JsonRpcProvider,
  deployerKey: Hex,
): Promise<SequentialGovernor> {
  const p = SEQUENTIAL_GOVERNOR_PARAMS
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

  const token = await deploy('AllianceToken', [deployer.address, p.supply])
  const timelock = await deploy('AllianceTimelock', [p.timelockDelay, [], [ZeroAddress], deployer.address])
  const governor = await deploy('SequentialIdGovernor', [
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
  await call('AllianceToken', token, 'delegate', deployer.address)
  return { token, timelock, governor }
}
