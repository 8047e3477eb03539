import { Contract, type JsonRpcProvider } from 'ethers'
import { tokenAbi } from '../contracts/tokenAbi.js'
import type { Address } from '../safe/types.js'
import type { Workspace } from '../workspace/loadWorkspace.js'

export type AllianceState = {
  treasuries: {
    name: string
    address: Address
    balances: { symbol: string; decimals: number; balance: bigint }[]
  }[]
  vaults: {
    name: string
    address: Address
    rewardRate: bigint
    periodFinish: bigint
    totalStaked: bigint
    rewardDecimals: number
    rewardSymbol: string
  }[]
  registries: {
    name: string
    address: Address
    members: { name: string; token: Address; treasury: Address; weightBps: number }[]
  }[]
}

const VAULT = [
  'function rewardRate() view returns (uint256)',
  'function periodFinish() view returns (uint256)',
  'function totalStaked() view returns (uint256)',
]
const REGISTRY = [
  'function getMembers() view returns (tuple(string name, address token, address treasury, uint16 weightBps)[])',
]

/** The alliance contracts' headline state, read for every treasury, vault and registry in the workspace. */
export async function readAllianceState(
  provider: JsonRpcProvider,
  workspace: Workspace,
): Promise<AllianceState> {
  const contracts = Object.entries(workspace.config.contracts)
  const tokens = Object.entries(workspace.config.tokens)
  const balanceOf = async (token: Address, holder: Address) =>
    (await new Contract(token, tokenAbi, provider).getFunction('balanceOf')(holder)) as bigint

  const treasuries = await Promise.all(
    contracts
      .filter(([, c]) => c.type === 'treasury')
      .map(async ([name, c]) => ({
        name,
        address: c.address,
        balances: [
          { symbol: 'ETH', decimals: 18, balance: await provider.getBalance(c.address) },
          ...(await Promise.all(
            tokens.map(async ([symbol, t]) => ({
              symbol,
              decimals: t.decimals,
              balance: await balanceOf(t.address, c.address),
            })),
          )),
        ],
      })),
  )
  const vaults = await Promise.all(
    contracts
      .filter(([, c]) => c.type === 'staking-vault')
      .map(async ([name, c]) => {
        const vault = new Contract(c.address, VAULT, provider)
        const reward = workspace.book.resolveToken(c.rewardToken ?? '')
        return {
          name,
          address: c.address,
          rewardRate: (await vault.getFunction('rewardRate')()) as bigint,
          periodFinish: (await vault.getFunction('periodFinish')()) as bigint,
          totalStaked: (await vault.getFunction('totalStaked')()) as bigint,
          rewardDecimals: reward.ok ? reward.value.decimals : 18,
          rewardSymbol: reward.ok ? reward.value.symbol : '?',
        }
      }),
  )
  const registries = await Promise.all(
    contracts
      .filter(([, c]) => c.type === 'registry')
      .map(async ([name, c]) => {
        const members = (await new Contract(c.address, REGISTRY, provider).getFunction('getMembers')()) as {
          name: string
          token: Address
          treasury: Address
          weightBps: bigint
        }[]
        return {
          name,
          address: c.address,
          members: members.map((m) => ({
            name: m.name,
            token: m.token,
            treasury: m.treasury,
            weightBps: Number(m.weightBps),
          })),
        }
      }),
  )
  return { treasuries, vaults, registries }
}
