import { dataSlice, getAddress } from 'ethers'
import { treasuryAbi } from '../actions/allocateTreasury.js'
import { transferMemo } from '../actions/transfer.js'
import { tokenAbi } from '../contracts/tokenAbi.js'
import type { Address, Call } from '../safe/types.js'
import { parsePayoutMemo } from './period.js'

/** A payment a call makes for a schedule, read back from its calldata (a memo'd transfer or allocation). */
export type PayoutCall = {
  period: string
  recipient: Address
  token: Address
  amount: bigint
  via: 'transfer' | 'allocation'
  /** The contract called: the token for a transfer, the treasury for an allocation. */
  target: Address
}

const TRANSFER = tokenAbi.getFunction('transfer')!.selector
const ALLOCATE = treasuryAbi.getFunction('allocate')!.selector

/** The calls among `calls` that pay for `scheduleId`, in order; every other call is ignored. */
export function payoutsOfCalls(scheduleId: string, calls: readonly Call[]): PayoutCall[] {
  const out: PayoutCall[] = []
  for (const call of calls) {
    if (call.operation !== 0 || call.data.length < 10) continue
    const selector = dataSlice(call.data, 0, 4)
    if (selector === TRANSFER) {
      const memo = parsePayoutMemo(transferMemo(call.data) ?? '')
      if (memo?.scheduleId !== scheduleId) continue
      let to: unknown
      let amount: unknown
      try {
        ;[to, amount] = tokenAbi.decodeFunctionData('transfer', call.data)
      } catch {
        continue // not a transfer an ERC-20 would accept (e.g. a recipient word that is not an address)
      }
      out.push({
        period: memo.period,
        recipient: getAddress(to as string) as Address,
        token: getAddress(call.to) as Address,
        amount: amount as bigint,
        via: 'transfer',
        target: getAddress(call.to) as Address,
      })
    } else if (selector === ALLOCATE) {
      let args: ReturnType<typeof treasuryAbi.decodeFunctionData>
      try {
        args = treasuryAbi.decodeFunctionData('allocate', call.data)
      } catch {
        continue
      }
      const memo = parsePayoutMemo(args[3] as string)
      if (memo?.scheduleId !== scheduleId) continue
      out.push({
        period: memo.period,
        recipient: getAddress(args[1] as string) as Address,
        token: getAddress(args[0] as string) as Address,
        amount: args[2] as bigint,
        via: 'allocation',
        target: getAddress(call.to) as Address,
      })
    }
  }
  return out
}
