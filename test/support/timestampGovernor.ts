import { concat, id, type JsonRpcProvider, parseUnits, Wallet, ZeroAddress, ZeroHash } from 'ethers'
import { artifactInterface, loadArtifact } from '../../src/contracts/artifacts.js'
import { DevnetSender } from '../../src/devnet/devnetSender.js'
import type { Address, Hex } from '../../src/safe/types.js'

/** Settings of the timestamp-clock governor; delays and periods are seconds because its token counts in seconds. */
export const TIMESTAMP_GOVERNOR_PARAMS = {
  supply: parseUnits('1000000', 18),
  votingDelay: 60n,
  votingPeriod: 600n,
  proposalThreshold: parseUnits('1000', 18),
  quorumPercent: 4n,
  timelockDelay: 300n,
} as const

export type TimestampGovernor = { token: Address; timelock: Address; governor: Address }

/**
 * Deploys a second governance stack on a running devnet whose token clock is `block.timestamp`:
 * TimestampVotesToken, AllianceTimelock and the same AllianceGovernor contract. Wired like the devnet's:
 * the governor proposes and cancels on the timelock, anyone executes, and the deployer leaves the timelock's
 * admin role. The timelock administers nothing else; the governor's own settings (`setVotingPeriod`, …) are
 * what a proposal can change. The deployer holds the whole supply, delegated to itself.
 */
export async function deployTimestampGovernor(
  provider: JsonRpcProvider,
  deployerKey: Hex,
): Promise<TimestampGovernor> {
  const p = TIMESTAMP_GOVERNOR_PARAMS
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

  const token = await deploy('TimestampVotesToken', [deployer.address, p.supply])
  const timelock = await deploy('AllianceTimelock', [p.timelockDelay, [], [ZeroAddress], deployer.address])
  const governor = await deploy('AllianceGovernor', [
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
  await call('TimestampVotesToken', token, 'delegate', deployer.address)
  return { token, timelock, governor }
}
