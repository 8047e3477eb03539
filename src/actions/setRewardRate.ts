import { Interface } from 'ethers'
import { z } from 'zod'
import type { Address, Hex } from '../safe/types.js'
import { formatAmount, formatDuration } from '../utils/units.js'
import { contractRef, duration, fail, rawAmount } from './fields.js'
import { defineActionKind } from './types.js'

export const stakingVaultAbi = new Interface([
  'function setRewardRate(uint256 rate, uint256 duration)',
  'function emergencyWithdraw(address token, address to)',
  'function pause()',
])

export type SetRewardRateParameters = {
  vault: Address
  rewardSymbol: string
  rewardDecimals: number
  /** Reward token base units per second. */
  rate: bigint
  duration: bigint
}

export const setRewardRate = defineActionKind<SetRewardRateParameters>({
  kind: 'set-reward-rate',
  summary: "Set a staking vault's reward rate and reward period",
  schema: (c) =>
    z
      .strictObject({
        kind: z.literal('set-reward-rate'),
        vault: contractRef(c, ['staking-vault']),
        rate: rawAmount,
        duration,
      })
      .transform((a, ctx) => {
        const rewardToken = c.config.contracts[a.vault.name]?.rewardToken
        const token = rewardToken ? c.book.resolveToken(rewardToken) : undefined
        if (!token?.ok)
          return fail(ctx, `vault "${a.vault.name}" has no known rewardToken in the workspace`, ['vault'])
        const rate = scaleRate(ctx, a.rate, token.value.decimals)
        return {
          vault: a.vault.address,
          rewardSymbol: token.value.symbol,
          rewardDecimals: token.value.decimals,
          rate,
          duration: a.duration,
        }
      }),
  encode: (p) => [
    {
      to: p.vault,
      value: 0n,
      data: stakingVaultAbi.encodeFunctionData('setRewardRate', [p.rate, p.duration]) as Hex,
      operation: 0,
    },
  ],
  describe: (p, book) =>
    `Set ${book.label(p.vault)} reward rate to ${formatAmount(p.rate, p.rewardDecimals)} ${p.rewardSymbol}/s for ${formatDuration(p.duration)} (${formatAmount(p.rate * p.duration, p.rewardDecimals)} ${p.rewardSymbol} in total)`,
})

// A zero rate is allowed: it is how a council stops emissions.
function scaleRate(ctx: z.RefinementCtx, raw: string | number, decimals: number) {
  const digits = typeof raw === 'number' ? String(raw) : raw
  const match = /^(\d+(?:_\d+)*)(?:\.(\d+))?$/.exec(digits.trim())
  if (!match) return fail(ctx, `"${raw}" is not a non-negative decimal rate`, ['rate'])
  const fraction = match[2] ?? ''
  if (fraction.length > decimals) {
    return fail(ctx, `"${raw}" has ${fraction.length} decimals but the reward token has only ${decimals}`, [
      'rate',
    ])
  }
  if (typeof raw === 'number' && !Number.isSafeInteger(raw)) {
    return fail(ctx, `write the rate as a quoted string (e.g. "${raw}") so no precision is lost`, ['rate'])
  }
  return BigInt(match[1]!.replaceAll('_', '') + fraction.padEnd(decimals, '0'))
}
