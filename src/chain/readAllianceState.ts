import { Contract, getAddress, type JsonRpcProvider, ZeroAddress } from 'ethers'
import { tokenAbi } from '../contracts/tokenAbi.js'
import { NotASafeError } from '../errors/chain.js'
import type { Address } from '../safe/types.js'
import type { AddressBook } from '../workspace/addressBook.js'
import type { Workspace } from '../workspace/loadWorkspace.js'
import { chainReads, type SafeState } from './safeReads.js'

/** One token's budget in a treasury's current epoch, as the treasury's own views report it. */
export type TreasuryBudget = {
  symbol: string
  decimals: number
  /** The token as the treasury keys it: the zero address for ETH. */
  token: Address
  epoch: bigint
  budget: bigint
  spent: bigint
  remaining: bigint
  /** Unix seconds at which the epoch ends and the budget starts afresh. */
  epochEnd: bigint
}

/** A Safe of the workspace, or why it could not be read (not deployed, not a Safe). */
export type AllianceSafe = { name: string } & (SafeState | { address: Address; unreadable: string })

export type AllianceState = {
  /** The block every contract read was made at (the Safes are read at the head, a moment later). */
  block: { number: number; timestamp: number }
  safes: AllianceSafe[]
  treasuries: {
    name: string
    address: Address
    balances: { symbol: string; decimals: number; balance: bigint }[]
    /** Per token with a budget view; empty when the treasury has no epoch budgets. */
    budgets: TreasuryBudget[]
  }[]
  vaults: {
    name: string
    address: Address
    rewardRate: bigint
    periodFinish: bigint
    /** The TVL, in staking token base units. */
    totalStaked: bigint
    rewardDecimals: number
    rewardSymbol: string
    rewardToken?: Address
    stakingToken?: Address
    stakingDecimals: number
    stakingSymbol: string
  }[]
  registries: {
    name: string
    address: Address
    members: { name: string; token: Address; treasury: Address; weightBps: number }[]
  }[]
}

const TREASURY = [
  'function currentEpoch() view returns (uint256)',
  'function startTime() view returns (uint64)',
  'function epochDuration() view returns (uint64)',
  'function epochBudget(address token) view returns (uint256)',
  'function spentInEpoch(address token, uint256 epoch) view returns (uint256)',
  'function remainingBudget(address token) view returns (uint256)',
]
const VAULT = [
  'function rewardRate() view returns (uint256)',
  'function periodFinish() view returns (uint256)',
  'function totalStaked() view returns (uint256)',
  'function stakingToken() view returns (address)',
  'function rewardToken() view returns (address)',
]
const REGISTRY = [
  'function getMembers() view returns (tuple(string name, address token, address treasury, uint16 weightBps)[])',
]

type ViewAbi = string[] | typeof tokenAbi
type View = <T>(address: Address, abi: ViewAbi, name: string, ...args: unknown[]) => Promise<T>

/** The alliance contracts' headline state, read for every Safe, treasury, vault and registry in the workspace. */
export async function readAllianceState(
  provider: JsonRpcProvider,
  workspace: Workspace,
): Promise<AllianceState> {
  const contracts = Object.entries(workspace.config.contracts)
  const tokens = Object.entries(workspace.config.tokens)
  const head = await provider.getBlock('latest')
  if (!head) throw new Error('the node returned no latest block')
  // One block for every contract read, so a budget and its epoch (or a rate and its period) agree.
  const blockTag = head.number
  const view: View = async <T>(address: Address, abi: ViewAbi, name: string, ...args: unknown[]) =>
    (await new Contract(address, abi, provider).getFunction(name)(...args, { blockTag })) as T

  const reads = chainReads(provider)
  const safes = await Promise.all(
    Object.entries(workspace.config.safes).map(async ([name, s]): Promise<AllianceSafe> => {
      try {
        return { name, ...(await reads.readSafe(s.address)) }
      } catch (err) {
        if (err instanceof NotASafeError) return { name, address: s.address, unreadable: err.shortMessage }
        throw err
      }
    }),
  )

  const treasuryTokens = [
    { symbol: 'ETH', decimals: 18, token: ZeroAddress as Address },
    ...tokens.map(([symbol, t]) => ({ symbol, decimals: t.decimals, token: t.address })),
  ]
  const treasuries = await Promise.all(
    contracts
      .filter(([, c]) => c.type === 'treasury')
      .map(async ([name, c]) => ({
        name,
        address: c.address,
        balances: await Promise.all(
          treasuryTokens.map(async ({ symbol, decimals, token }) => ({
            symbol,
            decimals,
            balance:
              token === ZeroAddress
                ? await provider.getBalance(c.address, blockTag)
                : await view<bigint>(token, tokenAbi, 'balanceOf', c.address),
          })),
        ),
        budgets: await readBudgets(view, c.address, treasuryTokens),
      })),
  )
  const vaults = await Promise.all(
    contracts
      .filter(([, c]) => c.type === 'staking-vault')
      .map(async ([name, c]) => {
        const vaultToken = async (fn: 'stakingToken' | 'rewardToken', configured?: string) => {
          const onChain = await optional(() => view<string>(c.address, VAULT, fn))
          if (onChain) return getAddress(onChain) as Address
          const named = workspace.book.resolveToken(configured ?? '')
          return named.ok && named.value.kind === 'token' ? named.value.address : undefined
        }
        const [rewardRate, periodFinish, totalStaked, stakingToken, rewardToken] = await Promise.all([
          view<bigint>(c.address, VAULT, 'rewardRate'),
          view<bigint>(c.address, VAULT, 'periodFinish'),
          view<bigint>(c.address, VAULT, 'totalStaked'),
          vaultToken('stakingToken', c.stakingToken),
          vaultToken('rewardToken', c.rewardToken),
        ])
        const [staking, reward] = await Promise.all([
          tokenMetadata(view, workspace.book, stakingToken),
          tokenMetadata(view, workspace.book, rewardToken),
        ])
        return {
          name,
          address: c.address,
          rewardRate,
          periodFinish,
          totalStaked,
          rewardDecimals: reward.decimals,
          rewardSymbol: reward.symbol,
          ...(rewardToken ? { rewardToken } : {}),
          ...(stakingToken ? { stakingToken } : {}),
          stakingDecimals: staking.decimals,
          stakingSymbol: staking.symbol,
        }
      }),
  )
  const registries = await Promise.all(
    contracts
      .filter(([, c]) => c.type === 'registry')
      .map(async ([name, c]) => {
        const members = await view<{ name: string; token: string; treasury: string; weightBps: bigint }[]>(
          c.address,
          REGISTRY,
          'getMembers',
        )
        return {
          name,
          address: c.address,
          members: members.map((m) => ({
            name: m.name,
            token: getAddress(m.token) as Address,
            treasury: getAddress(m.treasury) as Address,
            weightBps: Number(m.weightBps),
          })),
        }
      }),
  )
  return { block: { number: head.number, timestamp: head.timestamp }, safes, treasuries, vaults, registries }
}

/**
 * The current epoch's budget per token, from the treasury's own views: a treasury without epoch views
 * has no budgets, and a token whose budget views do not answer is left out.
 */
async function readBudgets(
  view: View,
  treasury: Address,
  tokens: { symbol: string; decimals: number; token: Address }[],
): Promise<TreasuryBudget[]> {
  const [epoch, start, duration] = await Promise.all([
    optional(() => view<bigint>(treasury, TREASURY, 'currentEpoch')),
    optional(() => view<bigint>(treasury, TREASURY, 'startTime')),
    optional(() => view<bigint>(treasury, TREASURY, 'epochDuration')),
  ])
  if (epoch === undefined || start === undefined || duration === undefined) return []
  const epochEnd = start + (epoch + 1n) * duration
  const budgets = await Promise.all(
    tokens.map(async ({ symbol, decimals, token }) => {
      const [budget, spent, remaining] = await Promise.all([
        optional(() => view<bigint>(treasury, TREASURY, 'epochBudget', token)),
        optional(() => view<bigint>(treasury, TREASURY, 'spentInEpoch', token, epoch)),
        optional(() => view<bigint>(treasury, TREASURY, 'remainingBudget', token)),
      ])
      if (budget === undefined || spent === undefined || remaining === undefined) return undefined
      return { symbol, decimals, token, epoch, budget, spent, remaining, epochEnd }
    }),
  )
  return budgets.filter((b) => b !== undefined)
}

/** Symbol and decimals by the workspace's name for the token, else as the token reports them. */
async function tokenMetadata(
  view: View,
  book: AddressBook,
  token: Address | undefined,
): Promise<{ symbol: string; decimals: number }> {
  if (!token) return { symbol: '?', decimals: 18 }
  const entry = book.byAddress(token)
  if (entry?.kind === 'token') return { symbol: entry.symbol, decimals: entry.decimals }
  const [symbol, decimals] = await Promise.all([
    optional(() => view<string>(token, tokenAbi, 'symbol')),
    optional(() => view<bigint>(token, tokenAbi, 'decimals')),
  ])
  return { symbol: symbol ?? '?', decimals: decimals === undefined ? 18 : Number(decimals) }
}

/** A view the contract may not have: a revert or an empty answer is `undefined`; anything else is thrown. */
async function optional<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read()
  } catch (err) {
    const code = (err as { code?: string }).code
    if (code === 'CALL_EXCEPTION' || code === 'BAD_DATA') return undefined
    throw err
  }
}
