import { getAddress, id } from 'ethers'
import type { RawLog } from '../decode/decodeLog.js'
import type { Address } from '../safe/types.js'
import type { AddressBook } from '../workspace/addressBook.js'
import { NATIVE_TOKEN } from '../workspace/addressBook.js'
import type { NativeTransfer } from './capture.js'

export type BalanceChange = {
  holder: Address
  holderLabel: string
  token: Address
  symbol: string
  /** Undefined when the token is not in the workspace: the delta is then in base units. */
  decimals?: number
  delta: bigint
}

const TRANSFER_TOPIC = id('Transfer(address,address,uint256)')

/**
 * Net balance change per holder and token, from ERC-20 Transfer events and the native transfers the
 * simulation traced. ERC-721 transfers (three indexed topics) move no fungible balance and are skipped.
 */
export function balanceChanges(
  logs: RawLog[],
  nativeTransfers: NativeTransfer[],
  book: AddressBook,
): BalanceChange[] {
  const deltas = new Map<string, bigint>()
  const bump = (token: Address, holder: Address, amount: bigint) => {
    const key = `${token}:${holder}`
    deltas.set(key, (deltas.get(key) ?? 0n) + amount)
  }
  for (const t of nativeTransfers) {
    bump(NATIVE_TOKEN.address, t.from, -t.value)
    bump(NATIVE_TOKEN.address, t.to, t.value)
  }
  for (const log of logs) {
    if (log.topics[0] !== TRANSFER_TOPIC || log.topics.length !== 3) continue
    const token = log.address
    const from = getAddress(`0x${log.topics[1]!.slice(26)}`) as Address
    const to = getAddress(`0x${log.topics[2]!.slice(26)}`) as Address
    const amount = BigInt(log.data)
    bump(token, from, -amount)
    bump(token, to, amount)
  }
  const changes: BalanceChange[] = []
  for (const [key, delta] of deltas) {
    if (delta === 0n) continue
    const [token, holder] = key.split(':') as [Address, Address]
    const entry = token === NATIVE_TOKEN.address ? NATIVE_TOKEN : book.byAddress(token)
    const known = entry && (entry.kind === 'token' || entry.kind === 'native') ? entry : undefined
    changes.push({
      holder,
      holderLabel: book.label(holder),
      token,
      symbol: known?.symbol ?? token,
      ...(known ? { decimals: known.decimals } : {}),
      delta,
    })
  }
  return changes.sort(
    (a, b) => a.holderLabel.localeCompare(b.holderLabel) || a.symbol.localeCompare(b.symbol),
  )
}
