import type { Address } from '../safe/types.js'
import { formatAmount } from '../utils/units.js'
import { NATIVE_TOKEN } from '../workspace/addressBook.js'
import type { CheckContext, CheckFinding, RiskCheck } from './types.js'

type Movement = { call: number; token: Address; from: Address; amount: bigint; what: string }

/**
 * What each call moves out of whom: the Safe's own value and ERC-20 transfers, and the treasury's
 * allocations and sweeps. Other calls move nothing this check can size.
 */
function movements({ calls, safe }: CheckContext): Movement[] {
  const out: Movement[] = []
  calls.forEach((c, i) => {
    const call = i + 1
    if (c.value > 0n)
      out.push({ call, token: NATIVE_TOKEN.address, from: safe.address, amount: c.value, what: 'sends' })
    const arg = (name: string) => c.args?.find((a) => a.name === name)?.value
    if (c.functionName === 'transfer' && typeof arg('amount') === 'bigint') {
      out.push({ call, token: c.to, from: safe.address, amount: arg('amount') as bigint, what: 'transfers' })
    }
    if (c.functionName === 'allocate' && typeof arg('amount') === 'bigint') {
      out.push({
        call,
        token: arg('token') as Address,
        from: c.to,
        amount: arg('amount') as bigint,
        what: 'allocates',
      })
    }
  })
  return out
}

/** A single payment that moves a large share of what its source holds deserves a second look. */
export const largeTransferCheck: RiskCheck = {
  id: 'large-transfer',
  name: 'No transfer or allocation moves more than the workspace’s share of its source’s balance',
  async run(ctx) {
    const moves = movements(ctx)
    if (!moves.length) return []
    if (!ctx.reads) {
      return [{ severity: 'info', message: 'transfer sizes not compared with balances (offline)' }]
    }
    const limitBps = BigInt(ctx.policy.maxTransferShareBps)
    const findings: CheckFinding[] = []
    // One round of reads for all movements (the provider batches them), not one round trip each.
    const reads = ctx.reads
    const balances = await Promise.all(moves.map((m) => reads.balanceOf(m.token, m.from)))
    for (const [i, m] of moves.entries()) {
      const balance = balances[i]!
      const token = m.token === NATIVE_TOKEN.address ? NATIVE_TOKEN : ctx.book.byAddress(m.token)
      const fmt = (v: bigint) =>
        token && 'decimals' in token
          ? `${formatAmount(v, token.decimals)} ${token.symbol}`
          : `${v} base units of ${m.token}`
      if (m.amount > balance) {
        findings.push({
          severity: 'danger',
          call: m.call,
          message: `call ${m.call} ${m.what} ${fmt(m.amount)} but ${ctx.book.label(m.from)} holds only ${fmt(balance)}`,
        })
      } else if (m.amount * 10_000n > balance * limitBps) {
        const share = balance === 0n ? 100 : Number((m.amount * 10_000n) / balance) / 100
        findings.push({
          severity: 'warning',
          call: m.call,
          message: `call ${m.call} ${m.what} ${fmt(m.amount)}, ${share}% of the ${fmt(balance)} ${ctx.book.label(m.from)} holds (policy: ${Number(limitBps) / 100}%)`,
        })
      }
    }
    return findings
  },
}
