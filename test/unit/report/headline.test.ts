import { describe, expect, it } from 'vitest'
import { criticalStateCheck } from '../../../src/checks/criticalState.js'
import type { Finding, Severity } from '../../../src/checks/types.js'
import { devnetLayout } from '../../../src/devnet/devnetLayout.js'
import { headline, verdictOf } from '../../../src/report/headline.js'
import type { SimulationReport } from '../../../src/report/schema.js'
import { reportStateDiff } from '../../../src/report/stateDiff.js'
import type { Address, Hex } from '../../../src/safe/types.js'
import type { ContractStorageDiff } from '../../../src/simulate/stateDiff/types.js'
import { plainCheckContext } from '../../support/checkContext.js'
import { devnetWorkspace } from '../../support/workspace.js'

type Input = Parameters<typeof headline>[0]
type Call = SimulationReport['calls'][number]
type Critical = SimulationReport['criticalChanges'][number]

const layout = devnetLayout()
const TREASURY = layout.contracts.treasury
const SAFE = layout.council
const _ZERO = '0x0000000000000000000000000000000000000000' as Address

const call = (index: number, text: string): Call => ({
  index,
  action: index,
  target: { address: TREASURY, label: 'treasury' },
  operation: 'call',
  valueWei: '0',
  text,
  args: [],
  reverted: false,
})
const CALLS = [
  call(1, 'aUSD.transfer(to: grants-multisig, amount: 250 aUSD)'),
  call(2, 'treasury.allocate(token: ALLY, to: grants-multisig, amount: 12,500.5 ALLY, memo: "round 8")'),
]
const critical = (
  label: string,
  what: string,
  before: string,
  after: string,
  severity: Severity,
): Critical => ({
  contract: { address: label === 'council' ? SAFE : TREASURY, label },
  what,
  before,
  after,
  severity,
})
const finding = (check: string, severity: Severity, message: string): Finding => ({
  check,
  severity,
  message,
})

const report = (fields: {
  failure?: NonNullable<SimulationReport['execution']['failure']>
  criticalChanges?: Critical[]
  findings?: Finding[]
  success?: boolean
}): Input => {
  const findings = fields.findings ?? []
  return {
    execution: {
      success: fields.success ?? !fields.failure,
      gasUsed: '100000',
      gasShare: 0.3,
      ...(fields.failure ? { failure: fields.failure } : {}),
    },
    criticalChanges: fields.criticalChanges ?? [],
    checks: {
      verdict: 'pass',
      counts: { info: 0, warning: 0, danger: 0 },
      // Findings spread over several checks, as runChecks reports them.
      results: [
        { id: 'first', name: 'first', findings: findings.filter((_, i) => i % 2 === 0) },
        { id: 'second', name: 'second', findings: findings.filter((_, i) => i % 2 === 1) },
      ],
    },
    calls: CALLS,
  }
}

describe('headline', () => {
  it('nothing to say: no lines', () => {
    expect(headline(report({}))).toEqual([])
  })

  it('a failure comes first, naming the call, its action, its text and the reason', () => {
    const lines = headline(
      report({
        failure: {
          call: 2,
          action: 1,
          target: { address: TREASURY, label: 'treasury' },
          reason: 'BudgetExceeded(ALLY, 0, 12500, 100)',
        },
        criticalChanges: [critical('council', 'threshold', '2', '1', 'danger')],
        findings: [finding('x', 'danger', 'something dangerous')],
      }),
    )
    expect(lines[0]).toEqual({
      severity: 'danger',
      text: `call 2 (action 1): ${CALLS[1]!.text} reverted: BudgetExceeded(ALLY, 0, 12500, 100)`,
    })
    expect(lines.map((l) => l.text)).toEqual([
      expect.stringMatching(/^call 2 /),
      'council: threshold 2 → 1',
      'something dangerous',
    ])
  })

  it('a failure without a call number names the target, or the step, or only the reason', () => {
    const target = { address: TREASURY, label: 'treasury' }
    expect(headline(report({ failure: { target, reason: 'GS013' } }))).toEqual([
      { severity: 'danger', text: 'treasury reverted: GS013' },
    ])
    expect(
      headline(report({ failure: { step: 'execute', target, reason: 'TimelockUnexpectedOperationState' } })),
    ).toEqual([
      { severity: 'danger', text: 'execute failed: treasury reverted: TimelockUnexpectedOperationState' },
    ])
    expect(headline(report({ failure: { reason: 'out of gas' } }))).toEqual([
      { severity: 'danger', text: 'reverted: out of gas' },
    ])
    // A call number without an action; a call the report does not list falls back to the target.
    expect(headline(report({ failure: { call: 1, reason: 'nope' } }))[0]!.text).toBe(
      `call 1: ${CALLS[0]!.text} reverted: nope`,
    )
    expect(headline(report({ failure: { call: 7, target, reason: 'nope' } }))[0]!.text).toBe(
      'call 7: treasury reverted: nope',
    )
  })

  it('critical changes follow the failure, each with its own severity, and are never cut', () => {
    const changes = Array.from({ length: 7 }, (_, i) =>
      critical('treasury', `_roles[R${i}].hasRole[grants-multisig]`, 'false', 'true', 'warning'),
    )
    const lines = headline(
      report({ criticalChanges: [critical('council', 'guard', '0x0', '0x1', 'danger'), ...changes] }),
    )
    expect(lines).toHaveLength(8)
    expect(lines[0]).toEqual({ severity: 'danger', text: 'council: guard 0x0 → 0x1' })
    expect(lines[7]).toEqual({
      severity: 'warning',
      text: 'treasury: _roles[R6].hasRole[grants-multisig] false → true',
    })
  })

  it('findings: danger before warning, info left out, in report order within a severity', () => {
    const lines = headline(
      report({
        findings: [
          finding('a', 'warning', 'w1'),
          finding('a', 'info', 'i1'),
          finding('b', 'danger', 'd1'),
          finding('b', 'warning', 'w2'),
          finding('c', 'danger', 'd2'),
        ],
      }),
    )
    // results[0] holds w1, d1, d2; results[1] holds i1, w2 (see `report`).
    expect(lines).toEqual([
      { severity: 'danger', text: 'd1' },
      { severity: 'danger', text: 'd2' },
      { severity: 'warning', text: 'w1' },
      { severity: 'warning', text: 'w2' },
    ])
  })

  it('caps findings at five, with a line saying how many more there are', () => {
    const findings = [
      ...Array.from({ length: 6 }, (_, i) => finding('w', 'warning', `w${i}`)),
      ...Array.from({ length: 2 }, (_, i) => finding('d', 'danger', `d${i}`)),
      ...Array.from({ length: 4 }, (_, i) => finding('i', 'info', `i${i}`)),
    ]
    const lines = headline(report({ findings }))
    expect(lines).toHaveLength(6)
    expect(lines.slice(0, 2).map((l) => l.severity)).toEqual(['danger', 'danger'])
    expect(lines.slice(2, 5).map((l) => l.severity)).toEqual(['warning', 'warning', 'warning'])
    // 8 warnings and dangers, 5 shown; the info findings do not count.
    expect(lines[5]).toEqual({ severity: 'info', text: '… and 3 more findings below' })

    const exactlyFive = headline(report({ findings: findings.slice(0, 5) }))
    expect(exactlyFive).toHaveLength(5)
    expect(exactlyFive.some((l) => l.text.startsWith('…'))).toBe(false)
  })

  it('the cap leaves failures and critical changes alone', () => {
    const lines = headline(
      report({
        failure: { reason: 'GS013' },
        criticalChanges: [critical('council', 'threshold', '2', '1', 'danger')],
        findings: Array.from({ length: 6 }, (_, i) => finding('w', 'warning', `w${i}`)),
      }),
    )
    expect(lines).toHaveLength(1 + 1 + 5 + 1)
    expect(lines.at(-1)!.text).toBe('… and 1 more findings below')
  })

  it('a critical-state finding repeating a listed critical change is not shown twice', () => {
    const lines = headline(
      report({
        criticalChanges: [critical('council', 'threshold', '2', '1', 'danger')],
        findings: [
          finding('critical-state', 'danger', 'council: threshold 2 → 1'),
          // Another check saying the same words is kept: only critical-state repeats the diff.
          finding('safe-config-change', 'danger', 'council: threshold 2 → 1'),
          finding('critical-state', 'warning', 'treasury: epochBudget[ALLY] 1 → 2'),
        ],
      }),
    )
    expect(lines).toEqual([
      { severity: 'danger', text: 'council: threshold 2 → 1' },
      { severity: 'danger', text: 'council: threshold 2 → 1' },
      { severity: 'warning', text: 'treasury: epochBudget[ALLY] 1 → 2' },
    ])
  })

  it('the critical-state check and the report’s critical changes agree for a resolved variable', async () => {
    const ws = devnetWorkspace()
    const word = (n: number) => `0x${n.toString(16).padStart(64, '0')}` as Hex
    const diffs: ContractStorageDiff[] = [
      {
        address: SAFE,
        layoutName: 'Safe 1.4.1',
        changes: [
          {
            slot: word(4),
            variable: 'threshold',
            type: 'uint256',
            before: '2',
            after: '1',
            raw: { before: word(2), after: word(1) },
            critical: true,
          },
        ],
        codeChanged: false,
      },
    ]
    const base = plainCheckContext(ws, { safe: SAFE, call: { to: SAFE } })
    const check = await criticalStateCheck.run({
      ...base,
      simulation: { balanceChanges: [], stateDiff: diffs },
    })
    const { criticalChanges } = reportStateDiff(diffs, ws.book, SAFE)
    const lines = headline(
      report({ criticalChanges, findings: check.map((f) => ({ ...f, check: 'critical-state' })) }),
    )
    expect(lines).toEqual([{ severity: 'danger', text: 'council: threshold 2 → 1' }])

    // Replaced code and a critical slot no layout explains: each still shows once.
    const treasury = ws.book.byName('treasury')!.address
    const more: ContractStorageDiff[] = [
      ...diffs,
      {
        address: treasury,
        layoutName: 'AllianceTreasury',
        changes: [
          {
            slot: word(9),
            before: word(0),
            after: word(1),
            raw: { before: word(0), after: word(1) },
            critical: true,
          },
        ],
        codeChanged: true,
      },
    ]
    const moreFindings = await criticalStateCheck.run({
      ...base,
      simulation: { balanceChanges: [], stateDiff: more },
    })
    const moreLines = headline(
      report({
        criticalChanges: reportStateDiff(more, ws.book, SAFE).criticalChanges,
        findings: moreFindings.map((f) => ({ ...f, check: 'critical-state' })),
      }),
    )
    expect(moreLines.map((l) => l.text)).toEqual([
      'council: threshold 2 → 1',
      'treasury: code the deployed code → replaced',
      `treasury: slot ${word(9)} ${word(0)} → ${word(1)}`,
    ])
  })
})

describe('verdictOf', () => {
  const checks = (verdict: SimulationReport['checks']['verdict']): SimulationReport['checks'] => ({
    verdict,
    counts: { info: 0, warning: 0, danger: 0 },
    results: [],
  })
  const execution = (success: boolean): SimulationReport['execution'] => ({
    success,
    gasUsed: '1',
    gasShare: 0,
    ...(success ? {} : { failure: { reason: 'GS013' } }),
  })

  it('is failed when the execution would not go through, whatever the checks say', () => {
    for (const v of ['pass', 'info', 'warning', 'danger'] as const) {
      expect(verdictOf({ execution: execution(false), checks: checks(v) })).toBe('failed')
    }
  })

  it('is the checks’ verdict when it would go through', () => {
    for (const v of ['pass', 'info', 'warning', 'danger'] as const) {
      expect(verdictOf({ execution: execution(true), checks: checks(v) })).toBe(v)
    }
  })
})
