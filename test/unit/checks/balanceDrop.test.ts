import { parseUnits } from 'viem'
import { describe, expect, it } from 'vitest'
import { balanceDropCheck } from '../../../src/checks/balanceDrop.js'
import type { CheckContext, CheckReads } from '../../../src/checks/types.js'
import { GRANTS_MULTISIG } from '../../../src/devnet/accounts.js'
import { devnetLayout } from '../../../src/devnet/devnetLayout.js'
import type { Address } from '../../../src/safe/types.js'
import type { BalanceChange } from '../../../src/simulate/balanceChanges.js'
import { plainCheckContext } from '../../support/checkContext.js'
import { devnetWorkspace } from '../../support/workspace.js'

const ws = devnetWorkspace()
const layout = devnetLayout()
const SAFE = layout.council
const { treasury: TREASURY, ALLY, aUSD } = layout.contracts
const ZERO = '0x0000000000000000000000000000000000000000' as Address
/** anvil account 3: an address the book does not name. */
const STRANGER = '0x90F79bf6EB2c4f870365E785982E1f101E93b906' as Address
/** A token the workspace does not list (no decimals known). */
const ODD_TOKEN = '0x4444444444444444444444444444444444444444' as Address

const ally = (n: string) => parseUnits(n, 18)
const usd = (n: string) => parseUnits(n, 6)

/** A balance change as `balanceChanges` builds it from the address book. */
const drop = (holder: Address, token: Address, delta: bigint): BalanceChange => {
  const entry = ws.book.byAddress(token)
  const known = token === ZERO ? { symbol: 'ETH', decimals: 18 } : entry?.kind === 'token' ? entry : undefined
  return {
    holder,
    holderLabel: ws.book.label(holder),
    token,
    symbol: known?.symbol ?? token,
    ...(known ? { decimals: known.decimals } : {}),
    delta,
  }
}

/** Balances before execution by `token:holder`; records which were asked for. */
function reads(balances: Record<string, bigint>): CheckReads & { asked: string[] } {
  const asked: string[] = []
  return {
    asked,
    codeHash: async () => undefined,
    async balanceOf(token, holder) {
      asked.push(`${token}:${holder}`)
      const b = balances[`${token}:${holder}`]
      if (b === undefined) throw new Error(`no balance stubbed for ${token}:${holder}`)
      return b
    },
  }
}

const ctx = (changes: BalanceChange[], r?: CheckReads): CheckContext => ({
  ...plainCheckContext(ws),
  simulation: { balanceChanges: changes },
  ...(r ? { reads: r } : {}),
})
const run = (changes: BalanceChange[], r?: CheckReads) => balanceDropCheck.run(ctx(changes, r))

describe('balance-drop', () => {
  it('the devnet policy is 10%', () => {
    expect(ws.config.policy.maxTransferShareBps).toBe(1000)
  })

  it('a Safe losing more than the policy share is a warning with the share', async () => {
    const r = reads({ [`${aUSD}:${SAFE}`]: usd('100000') })
    expect(await run([drop(SAFE, aUSD, -usd('20000'))], r)).toEqual([
      {
        severity: 'warning',
        message: 'council ends 20,000 aUSD lower, 20% of the 100,000 aUSD it held (policy: 10%)',
      },
    ])
    expect(r.asked).toEqual([`${aUSD}:${SAFE}`])
  })

  it('an alliance contract losing more than the share is a warning, with a fractional share', async () => {
    const r = reads({ [`${ALLY}:${TREASURY}`]: ally('4000000') })
    expect(await run([drop(TREASURY, ALLY, -ally('500000.5'))], r)).toEqual([
      {
        severity: 'warning',
        message: 'treasury ends 500,000.5 ALLY lower, 12.5001% of the 4,000,000 ALLY it held (policy: 10%)',
      },
    ])
  })

  it('native coin and tokens the workspace does not know are sized too', async () => {
    const r = reads({ [`${ZERO}:${SAFE}`]: parseUnits('5', 18), [`${ODD_TOKEN}:${TREASURY}`]: 1000n })
    const findings = await run([drop(SAFE, ZERO, -parseUnits('5', 18)), drop(TREASURY, ODD_TOKEN, -300n)], r)
    expect(findings).toEqual([
      { severity: 'warning', message: 'council ends 5 ETH lower, 100% of the 5 ETH it held (policy: 10%)' },
      {
        severity: 'warning',
        message: `treasury ends 300 base units of ${ODD_TOKEN} lower, 30% of the 1000 base units of ${ODD_TOKEN} it held (policy: 10%)`,
      },
    ])
  })

  it('a drop at or under the policy share is no finding', async () => {
    const r = reads({ [`${aUSD}:${SAFE}`]: usd('100000'), [`${ALLY}:${TREASURY}`]: ally('4000000') })
    // Exactly 10%, and just under it.
    expect(
      await run([drop(SAFE, aUSD, -usd('10000')), drop(TREASURY, ALLY, -(ally('400000') - 1n))], r),
    ).toEqual([])
    // One base unit over the share is reported.
    const over = await run([drop(SAFE, aUSD, -(usd('10000') + 1n))], r)
    expect(over).toEqual([
      { severity: 'warning', message: expect.stringContaining('council ends 10,000.000001 aUSD') },
    ])
  })

  it('gains are no finding and need no read', async () => {
    const r = reads({})
    expect(await run([drop(SAFE, aUSD, usd('1000000')), drop(TREASURY, ALLY, ally('1'))], r)).toEqual([])
    expect(r.asked).toEqual([])
  })

  it('ignores plain address-book addresses and unknown holders, however much they lose', async () => {
    expect(ws.book.byAddress(GRANTS_MULTISIG)?.kind).toBe('address')
    const r = reads({})
    const changes = [drop(GRANTS_MULTISIG, ALLY, -ally('1000000')), drop(STRANGER, aUSD, -usd('5'))]
    expect(await run(changes, r)).toEqual([])
    expect(r.asked).toEqual([])
  })

  it('offline, says which Safe or contract balance drops it could not size', async () => {
    const changes = [
      drop(SAFE, aUSD, -usd('1')),
      drop(GRANTS_MULTISIG, ALLY, -ally('1')),
      drop(TREASURY, ALLY, -ally('1')),
      drop(SAFE, ALLY, ally('1')),
    ]
    expect(await run(changes)).toEqual([
      { severity: 'info', message: 'council balance drop not sized (offline)' },
      { severity: 'info', message: 'treasury balance drop not sized (offline)' },
    ])
  })
})
