import { Interface } from 'ethers'
import { z } from 'zod'
import type { Address, Hex } from '../safe/types.js'
import { formatAmount, formatDuration, parseAmount } from '../utils/units.js'
import { contractRef, duration, fail, rawAmount, scaled } from './fields.js'
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
  schema: (c) => {
    const rewardToken = (vault: { name: string }) => {
      const name = c.config.contracts[vault.name]?.rewardToken
      const token = name ? c.book.resolveToken(name) : undefined
      return token?.ok ? token.value : undefined
    }
    return z
      .strictObject({
        kind: z.literal('set-reward-rate'),
        vault: contractRef(c, ['staking-vault']),
        rate: rawAmount,
        duration,
      })
      .superRefine(
        (a, ctx) => {
          // Runs even when another field failed, so every problem is reported in one pass.
          if (typeof a.vault !== 'object' || !a.vault || !('name' in a.vault)) return
          const token = rewardToken(a.vault)
          if (!token)
            return fail(ctx, `vault "${a.vault.name}" has no known rewardToken in the workspace`, ['vault'])
          // A zero rate is allowed: it is how a council stops emissions.
          const rate = parseAmount(a.rate, token.decimals, 'rate')
          if (!rate.ok) fail(ctx, rate.reason.replace('the token', 'the reward token'), ['rate'])
        },
        { when: () => true },
      )
      .transform((a) => {
        const token = rewardToken(a.vault)!
        return {
          vault: a.vault.address,
          rewardSymbol: token.symbol,
          rewardDecimals: token.decimals,
          rate: scaled(a.rate, token.decimals),
          duration: a.duration,
        }
      })
  },
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
