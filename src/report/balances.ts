import type { BalanceChange } from '../simulate/balanceChanges.js'
import { formatAmount } from '../utils/units.js'
import type { SimulationReport } from './schema.js'

export function reportBalanceChanges(changes: BalanceChange[]): SimulationReport['balanceChanges'] {
  return changes.map((c) => {
    const amount =
      c.decimals === undefined ? `${c.delta} base units` : `${formatAmount(c.delta, c.decimals)} ${c.symbol}`
    return {
      holder: { address: c.holder, label: c.holderLabel },
      token: { address: c.token, label: c.symbol },
      symbol: c.symbol,
      ...(c.decimals !== undefined ? { decimals: c.decimals } : {}),
      delta: c.delta.toString(),
      formatted: c.delta > 0n ? `+${amount}` : amount,
    }
  })
}
