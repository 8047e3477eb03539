import { AbiCoder, Contract, getAddress, Interface, keccak256, toBeHex } from 'ethers'
import { ManufactureVotesError } from '../../errors/simulate.js'
import type { Address, Hex } from '../../safe/types.js'
import type { ForkSession } from '../fork.js'

const votesTokenAbi = new Interface([
  'function balanceOf(address) view returns (uint256)',
  'function delegate(address)',
  'function getPastVotes(address,uint256) view returns (uint256)',
  'function getVotes(address) view returns (uint256)',
  'function clock() view returns (uint48)',
  'event DelegateVotesChanged(address indexed delegate, uint256 previousVotes, uint256 newVotes)',
])

/** OZ 5 ERC20Upgradeable keeps its storage at this ERC-7201 root; `_balances` is its first member. */
const ERC20_NAMESPACE_ROOT = '0x52c63247e1f47db19d5ce0460030c497f067ca4cebf71ba98eeadabe20bace00'

const coder = AbiCoder.defaultAbiCoder()
const mappingSlot = (key: Address, base: bigint | Hex) =>
  keccak256(coder.encode(['address', 'uint256'], [key, base])) as Hex

/**
 * Finds where the token keeps `holder`'s balance by writing a marker into each candidate slot and
 * asking `balanceOf` (the FPS / forge `deal` technique, without its cheatcodes): `_balances` as a
 * mapping at one of the first slots, or in the OZ upgradeable namespace.
 */
export async function findBalanceSlot(fork: ForkSession, token: Address, holder: Address): Promise<Hex> {
  const erc20 = new Contract(token, votesTokenAbi, fork.provider)
  const marker = 0x5a5a_5a5an
  const candidates: Hex[] = [
    ...Array.from({ length: 32 }, (_, i) => mappingSlot(holder, BigInt(i))),
    mappingSlot(holder, ERC20_NAMESPACE_ROOT as Hex),
  ]
  for (const slot of candidates) {
    const previous = (await fork.provider.getStorage(token, slot)) as Hex
    await fork.setStorage(token, slot, toBeHex(marker, 32) as Hex)
    const balance = (await erc20.getFunction('balanceOf')(holder)) as bigint
    if (balance === marker) {
      await fork.setStorage(token, slot, previous)
      return slot
    }
    await fork.setStorage(token, slot, previous)
  }
  throw new ManufactureVotesError(token, 'no balance slot found among the usual layouts')
}

/**
 * Gives `voter` `amount` voting power from now on: writes the balance, then self-delegates with a
 * real transaction so the token's own checkpoint logic records it. The total supply is untouched,
 * so quorum stays what the real token says.
 */
export async function manufactureVotes(fork: ForkSession, token: Address, voter: Address, amount: bigint) {
  const slot = await findBalanceSlot(fork, token, voter)
  await fork.setStorage(token, slot, toBeHex(amount, 32) as Hex)
  const sent = await fork.send({
    from: voter,
    to: token,
    data: votesTokenAbi.encodeFunctionData('delegate', [voter]) as Hex,
  })
  if (!sent.status) throw new ManufactureVotesError(token, 'delegate() reverted')
}

/**
 * The delegates with voting power at `timepoint`, most first: every delegate the token ever
 * reported a change for (DelegateVotesChanged), read back with getPastVotes.
 */
export async function delegatesAt(
  fork: ForkSession,
  token: Address,
  timepoint: bigint,
): Promise<{ delegate: Address; votes: bigint }[]> {
  const event = votesTokenAbi.getEvent('DelegateVotesChanged')!
  const logs = await fork.provider.getLogs({ address: token, topics: [event.topicHash], fromBlock: 0 })
  const delegates = [...new Set(logs.map((l) => getAddress(`0x${l.topics[1]!.slice(26)}`) as Address))]
  const erc20 = new Contract(token, votesTokenAbi, fork.provider)
  // getPastVotes needs a timepoint strictly in the past. When the chain stands exactly at it, no
  // checkpoint can be later than it, so the current votes are the votes at the timepoint.
  const clock = (await erc20.getFunction('clock')()) as bigint
  const withVotes = await Promise.all(
    delegates.map(async (delegate) => ({
      delegate,
      votes: (clock > timepoint
        ? await erc20.getFunction('getPastVotes')(delegate, timepoint)
        : await erc20.getFunction('getVotes')(delegate)) as bigint,
    })),
  )
  return withVotes
    .filter((d) => d.votes > 0n)
    .sort((a, b) => (b.votes > a.votes ? 1 : b.votes < a.votes ? -1 : 0))
}
