import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { loadActionFile } from '../../src/actions/actionFile.js'
import { chainCheckReads } from '../../src/checks/checkContext.js'
import { checkPlan } from '../../src/checks/checkPlan.js'
import { ALL_CHECKS } from '../../src/checks/index.js'
import type { CheckReport } from '../../src/checks/runChecks.js'
import { decodeContext } from '../../src/cli/context.js'
import { DEMO_ACTIONS } from '../../src/demo/runDemo.js'
import { DEVNET_ACCOUNTS } from '../../src/devnet/accounts.js'
import { buildSafePlan } from '../../src/plan/buildSafePlan.js'
import { startTestDevnet, type TestDevnet } from '../support/devnet.js'

let devnet: TestDevnet
let snapshot: string

beforeAll(async () => {
  devnet = await startTestDevnet()
  snapshot = await devnet.snapshot()
})
afterAll(async () => {
  await devnet?.stop()
})
afterEach(async () => {
  // evm_revert consumes the snapshot: take a fresh one for the next test.
  await devnet.revert(snapshot)
  snapshot = await devnet.snapshot()
})

/** Plans an action file against the devnet and runs every check with the chain, as `alliance plan` does. */
const check = async (yaml: string) => {
  const plan = await buildSafePlan(
    loadActionFile(devnet.write('actions.yaml', yaml), devnet.workspace),
    devnet.reads,
  )
  const report = await checkPlan(plan, devnet.workspace, decodeContext(devnet.workspace), {
    reads: devnet.reads,
    checkReads: chainCheckReads(devnet.provider),
  })
  return { plan, report }
}
const findings = (report: CheckReport, id?: string) =>
  report.results.filter((r) => id === undefined || r.id === id).flatMap((r) => r.findings)
const serious = (report: CheckReport) => findings(report).filter((f) => f.severity !== 'info')

const NEWCOMER = DEVNET_ACCOUNTS[7].address
const HIDDEN_OWNER = `version: 1
safe: council
description: Two payments and, between them, a new owner
actions:
  - kind: transfer
    token: aUSD
    to: grants-multisig
    amount: "100"
  - kind: call
    to: council
    signature: addOwnerWithThreshold(address,uint256)
    args: ["${NEWCOMER}", 2]
  - kind: transfer
    token: ETH
    to: play-dao-treasury
    amount: "0.1"
`

describe('risk checks on the devnet', () => {
  it('find nothing wrong with the demo batch', async () => {
    const { plan, report } = await check(DEMO_ACTIONS)
    expect(plan.batch.kind).toBe('multisend-call-only')
    expect(serious(report)).toEqual([])
    expect(['pass', 'info']).toContain(report.verdict)
    expect(report.counts).toMatchObject({ warning: 0, danger: 0 })
    expect(report.results).toHaveLength(ALL_CHECKS.length)
    // Without a simulation, the checks that judge one say they did not run.
    expect(report.results.filter((r) => r.skipped).map((r) => r.id)).toEqual([
      'trace-delegatecall',
      'critical-state',
      'balance-drop',
    ])
  })

  it('catch an owner change hidden as call 2 of a batch', async () => {
    const { plan, report } = await check(HIDDEN_OWNER)
    expect(plan.batch.kind).toBe('multisend-call-only')
    expect(report.verdict).toBe('danger')
    expect(findings(report, 'safe-config-change')).toEqual([
      {
        check: 'safe-config-change',
        severity: 'danger',
        call: 2,
        message: expect.stringContaining('call 2 of the batch adds an owner'),
      },
    ])
    // Nothing else in that batch is dangerous.
    expect(serious(report).filter((f) => f.check !== 'safe-config-change')).toEqual([])
  })

  it('catch a look-alike MultiSendCallOnly by its code hash', async () => {
    const { MultiSend, MultiSendCallOnly } = devnet.layout.safe
    const multiSendCode = await devnet.provider.getCode(MultiSend)
    await devnet.provider.send('anvil_setCode', [MultiSendCallOnly, multiSendCode])
    const { plan, report } = await check(DEMO_ACTIONS)
    expect(plan.safeTx).toMatchObject({ to: MultiSendCallOnly, operation: 1 })
    expect(findings(report, 'delegatecall')).toEqual([
      {
        check: 'delegatecall',
        severity: 'danger',
        message: expect.stringContaining(`delegatecall to ${MultiSendCallOnly} running MultiSend 1.4.1`),
      },
    ])
    expect(report.verdict).toBe('danger')
  })

  it('measure an allocation against the treasury’s real balance', async () => {
    // 150,000 aUSD is 15% of the treasury's 1,000,000 (and more than the council's 100,000).
    const { report } = await check(`version: 1
safe: council
actions:
  - kind: allocate-treasury
    token: aUSD
    to: grants-multisig
    amount: "150000"
    memo: too much
`)
    expect(findings(report, 'large-transfer')).toEqual([
      {
        check: 'large-transfer',
        severity: 'warning',
        call: 1,
        message: 'call 1 allocates 150,000 aUSD, 15% of the 1,000,000 aUSD treasury holds (policy: 10%)',
      },
    ])
  })
})
