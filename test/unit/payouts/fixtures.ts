import { COUNCIL_OWNERS, GRANTS_MULTISIG, PLAY_DAO_TREASURY } from '../../../src/devnet/accounts.js'
import { devnetLayout } from '../../../src/devnet/devnetLayout.js'
import type { PayoutLine, PayoutSchedule } from '../../../src/payouts/schedule.js'
import type { Address } from '../../../src/safe/types.js'
import type { TokenRef } from '../../../src/workspace/addressBook.js'
import { devnetWorkspace } from '../../support/workspace.js'

export const ws = devnetWorkspace()
export const layout = devnetLayout()
export const [ALICE, BOB, CAROL]: readonly [Address, Address, Address] = [
  COUNCIL_OWNERS[0].address,
  COUNCIL_OWNERS[1].address,
  COUNCIL_OWNERS[2].address,
]
export { GRANTS_MULTISIG, PLAY_DAO_TREASURY }

export function tokenOf(name: string): TokenRef {
  const t = ws.book.resolveToken(name)
  if (!t.ok) throw new Error(t.reason)
  return t.value
}
export const aUSD = tokenOf('aUSD')
export const ALLY = tokenOf('ALLY')
export const ETH = tokenOf('ETH')

export const line = (recipient: Address, token: TokenRef, amount: bigint, label?: string): PayoutLine => ({
  recipient,
  token,
  amount,
  ...(label !== undefined ? { label } : {}),
  origin: { file: '/w/contributors.yaml', line: 1 },
})

/** A schedule as loadPayoutSchedule would return it, without a file. */
export function schedule(overrides: Partial<PayoutSchedule> = {}): PayoutSchedule {
  return {
    file: '/w/contributors.yaml',
    id: 'contributors',
    description: '',
    safe: { name: 'council', address: layout.council },
    route: 'safe',
    periods: {},
    startBlock: 0,
    maxCallsPerTransaction: 50,
    limits: new Map(),
    lines: [],
    ...overrides,
  }
}

export const treasurySchedule = (overrides: Partial<PayoutSchedule> = {}) =>
  schedule({
    route: 'treasury',
    treasury: { name: 'treasury', address: layout.contracts.treasury },
    ...overrides,
  })
