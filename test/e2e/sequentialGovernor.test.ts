import { Contract, Wallet } from 'ethers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { artifactInterface } from '../../src/contracts/artifacts.js'
import { DEVNET_ACCOUNTS } from '../../src/devnet/accounts.js'
import { DevnetSender } from '../../src/devnet/devnetSender.js'
import { descriptionHash, hashProposal } from '../../src/governor/proposalIds.js'
import type { Hex } from '../../src/safe/types.js'
import { startTestDevnet, type TestDevnet } from '../support/devnet.js'
import {
  deploySequentialGovernor,
  SEQUENTIAL_GOVERNOR_PARAMS,
  type SequentialGovernor,
} from '../support/sequentialGovernor.js'

let devnet: TestDevnet
let stack: SequentialGovernor
const deployer = DEVNET_ACCOUNTS[3]
const iface = () => artifactInterface('SequentialIdGovernor')

beforeAll(async () => {
  devnet = await startTestDevnet()
  stack = await deploySequentialGovernor(devnet.provider, deployer.key)
})
afterAll(async () => {
  await devnet?.stop()
})

describe('a governor with sequential proposal ids', () => {
  it('numbers its first proposal 1, not the hash', async () => {
    // Votes are read at a past block: let the delegation settle.
    await devnet.provider.send('anvil_mine', ['0x1'])
    const calldata = iface().encodeFunctionData('setVotingPeriod', [
      SEQUENTIAL_GOVERNOR_PARAMS.votingPeriod * 2n,
    ]) as Hex
    const proposal = { targets: [stack.governor], values: [0n], calldatas: [calldata] }
    const description = '# Longer votes\n\nThe sequential governor changes its own voting period.'

    const receipt = await new DevnetSender(devnet.provider).send(new Wallet(deployer.key, devnet.provider), {
      to: stack.governor,
      data: iface().encodeFunctionData('propose', [
        proposal.targets,
        proposal.values,
        proposal.calldatas,
        description,
      ]),
    })
    const created = receipt.logs
      .map((log) => iface().parseLog(log))
      .find((parsed) => parsed?.name === 'ProposalCreated')
    expect(created?.args.proposalId).toBe(1n)
    expect(created?.args.proposer).toBe(deployer.address)

    const governor = new Contract(stack.governor, iface(), devnet.provider)
    expect(await governor.getFunction('latestProposalId')()).toBe(1n)
    // The hash is still what `hashProposal` returns; `getProposalId` maps it to the number.
    const dHash = descriptionHash(description)
    const args = [proposal.targets, proposal.values, proposal.calldatas, dHash] as const
    expect(await governor.getFunction('hashProposal')(...args)).toBe(
      hashProposal({ ...proposal, descriptionHash: dHash }),
    )
    expect(await governor.getFunction('getProposalId')(...args)).toBe(1n)
  })
})
