import { describe, expect, it } from 'vitest'
import { criticalStateCheck } from '../../../src/checks/criticalState.js'
import type { CheckContext, SimulationEvidence } from '../../../src/checks/types.js'
import { GRANTS_MULTISIG } from '../../../src/devnet/accounts.js'
import { devnetLayout } from '../../../src/devnet/devnetLayout.js'
import type { Address, Hex } from '../../../src/safe/types.js'
import type { ContractStorageDiff, StorageVariableChange } from '../../../src/simulate/stateDiff/types.js'
import { plainCheckContext } from '../../support/checkContext.js'
import { devnetWorkspace } from '../../support/workspace.js'

const ws = devnetWorkspace()
const layout = devnetLayout()
const SAFE = layout.council
const { treasury: TREASURY, timelock: TIMELOCK, registry: REGISTRY } = layout.contracts
const ZERO = '0x0000000000000000000000000000000000000000' as Address
/** A Safe the workspace does not name (another team's, say). */
const OTHER_SAFE = '0x3333333333333333333333333333333333333333' as Address
const word = (n: number) => `0x${n.toString(16).padStart(64, '0')}` as Hex

const change = (fields: Partial<StorageVariableChange> & { critical: boolean }): StorageVariableChange => ({
  slot: word(4),
  before: '1',
  after: '2',
  raw: { before: word(1), after: word(2) },
  ...fields,
})
const diff = (
  address: Address,
  changes: StorageVariableChange[],
  fields: Partial<ContractStorageDiff> = {},
) => ({ address, changes, codeChanged: false, ...fields }) satisfies ContractStorageDiff

const ctx = (simulation: SimulationEvidence, route?: 'safe' | 'governor'): CheckContext => {
  const executor = route === 'governor' ? TIMELOCK : SAFE
  const base = plainCheckContext(ws, { safe: executor })
  return { ...base, simulation, ...(route ? { route } : {}) }
}
const run = (stateDiff: ContractStorageDiff[] | undefined, route?: 'safe' | 'governor') =>
  criticalStateCheck.run(ctx({ balanceChanges: [], ...(stateDiff ? { stateDiff } : {}) }, route))

describe('critical-state', () => {
  it('a critical change to the Safe is danger, naming the variable and both values', async () => {
    const findings = await run([
      diff(
        SAFE,
        [
          change({
            slot: word(4),
            variable: 'threshold',
            type: 'uint256',
            before: '2',
            after: '1',
            critical: true,
          }),
        ],
        {
          layoutName: 'Safe 1.4.1',
        },
      ),
    ])
    expect(findings).toEqual([{ severity: 'danger', message: 'council: threshold 2 → 1' }])
  })

  it('any contract with a Safe layout counts as a Safe, named or not', async () => {
    const findings = await run([
      diff(
        OTHER_SAFE,
        [change({ variable: 'guard', before: ZERO, after: GRANTS_MULTISIG, critical: true })],
        {
          layoutName: 'Safe 1.3.0',
        },
      ),
    ])
    expect(findings).toEqual([
      { severity: 'danger', message: `${OTHER_SAFE}: guard ${ZERO} → ${GRANTS_MULTISIG}` },
    ])
  })

  it('a critical change in an alliance contract (a role) is a warning', async () => {
    const variable = '_roles[ALLOCATOR_ROLE].hasRole[grants-multisig]'
    const findings = await run([
      diff(TREASURY, [change({ variable, type: 'bool', before: 'false', after: 'true', critical: true })], {
        layoutName: 'AllianceTreasury',
      }),
    ])
    expect(findings).toEqual([{ severity: 'warning', message: `treasury: ${variable} false → true` }])
  })

  it('an unresolved critical slot is named by its slot', async () => {
    const slot = word(0xabc)
    const findings = await run([
      diff(REGISTRY, [change({ slot, before: word(0), after: word(1), critical: true })], {
        layoutName: 'AllianceRegistry',
      }),
    ])
    expect(findings).toEqual([
      { severity: 'warning', message: `registry: slot ${slot} ${word(0)} → ${word(1)}` },
    ])
  })

  it('changed code is danger, wherever it is', async () => {
    const findings = await run([diff(TREASURY, [], { codeChanged: true, layoutName: 'AllianceTreasury' })])
    expect(findings).toEqual([{ severity: 'danger', message: 'treasury: code replaced' }])
  })

  it('for a Governor proposal, the executor is the timelock: its critical changes are danger', async () => {
    const variable = '_roles[PROPOSER_ROLE].hasRole[0x90F79bf6EB2c4f870365E785982E1f101E93b906]'
    const timelockChange = diff(TIMELOCK, [
      change({ variable, before: 'false', after: 'true', critical: true }),
    ])
    expect(await run([timelockChange], 'governor')).toEqual([
      { severity: 'danger', message: `timelock: ${variable} false → true` },
    ])
    // The same change seen from a Safe transaction is in a contract the Safe does not control.
    expect(await run([timelockChange], 'safe')).toEqual([
      { severity: 'warning', message: `timelock: ${variable} false → true` },
    ])
  })

  it('non-critical changes (budgets spent, balances, nonces) are no finding', async () => {
    const findings = await run([
      diff(
        TREASURY,
        [
          change({
            variable: 'spentInEpoch[ALLY][0]',
            type: 'uint256',
            before: '0',
            after: '12500',
            critical: false,
          }),
        ],
        { layoutName: 'AllianceTreasury', balance: { before: 10n, after: 5n } },
      ),
      diff(SAFE, [change({ variable: 'nonce', before: '5', after: '6', critical: false })], {
        layoutName: 'Safe 1.4.1',
        nonce: { before: 1, after: 2 },
      }),
    ])
    expect(findings).toEqual([])
  })

  it('reports every critical change, in diff order, among non-critical ones', async () => {
    const findings = await run([
      diff(SAFE, [
        change({ variable: 'nonce', critical: false }),
        change({ variable: 'threshold', before: '2', after: '1', critical: true }),
        change({ variable: 'guard', before: ZERO, after: TREASURY, critical: true }),
      ]),
      diff(TREASURY, [change({ variable: 'epochBudget[ALLY]', critical: true })], { codeChanged: true }),
    ])
    expect(findings.map((f) => [f.severity, f.message])).toEqual([
      ['danger', 'council: threshold 2 → 1'],
      ['danger', `council: guard ${ZERO} → ${TREASURY}`],
      ['danger', 'treasury: code replaced'],
      ['warning', 'treasury: epochBudget[ALLY] 1 → 2'],
    ])
  })

  it('without a state diff, says once that critical state was not inspected', async () => {
    expect(await run(undefined)).toEqual([
      { severity: 'info', message: 'the node could not report a state diff: critical state not inspected' },
    ])
  })

  it('an empty state diff is no finding', async () => {
    expect(await run([])).toEqual([])
  })
})
