import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Wallet } from 'ethers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { artifactInterface } from '../../src/contracts/artifacts.js'
import { DEVNET_ACCOUNTS } from '../../src/devnet/accounts.js'
import { DevnetSender } from '../../src/devnet/devnetSender.js'
import { descriptionHash, hashProposal } from '../../src/governor/proposalIds.js'
import { simulationReportSchema } from '../../src/report/schema.js'
import type { Address, Hex } from '../../src/safe/types.js'
import { envelope, runCli } from '../support/cli.js'
import { startTestDevnet, type TestDevnet } from '../support/devnet.js'

let devnet: TestDevnet
const cli = (args: string[], env: Record<string, string> = {}) => runCli(args, { cwd: devnet.dir, env })

beforeAll(async () => {
  devnet = await startTestDevnet()
  devnet.write(
    'payout.yaml',
    `version: 1
safe: council
description: A payout and a rate
actions:
  - kind: allocate-treasury
    token: ALLY
    to: grants-multisig
    amount: "1500"
    memo: December
  - kind: set-reward-rate
    vault: ally-staking
    rate: "0.02"
    duration: 30d
`,
  )
  devnet.write(
    'big.yaml',
    `version: 1
safe: council
actions:
  - kind: transfer
    token: aUSD
    to: grants-multisig
    amount: "60000"
`,
  )
  devnet.write(
    'period.yaml',
    `version: 1
safe: council
route: governor
description: Voting period to 80 blocks
actions:
  - kind: call
    to: governor
    signature: setVotingPeriod(uint32)
    args: [80]
`,
  )
})
afterAll(async () => {
  await devnet?.stop()
})

describe('alliance simulate', () => {
  it('prints the verdict first, writes Markdown and HTML reports, and its --json data is the documented report', async () => {
    const md = join(devnet.dir, 'payout.md')
    const html = join(devnet.dir, 'payout.html')
    const human = await cli(['simulate', 'payout.yaml', '--report', md, '--report', html])
    expect(human.code, human.stderr).toBe(0)
    expect(human.stdout.split('\n')[0]).toMatch(/^✔ SIMULATION PASSED/)
    expect(human.stdout).not.toContain('\u001b[') // NO_COLOR
    expect(human.stdout).toContain('spentInEpoch[ALLY]')
    expect(readFileSync(md, 'utf8')).toMatch(/^# /)
    expect(readFileSync(md, 'utf8')).toContain('treasury.allocate')
    const page = readFileSync(html, 'utf8')
    expect(page).toMatch(/^<!doctype html>/i)
    // Self-contained: nothing is loaded from anywhere (the RPC URL may appear as text).
    expect(page).not.toMatch(/<link\b|<script[^>]*\bsrc=|<img\b|url\(|@import/i)

    const json = await cli(['simulate', 'payout.yaml', '--json'])
    const e = envelope(json)
    expect(e.success).toBe(true)
    const report = simulationReportSchema.parse(e.data)
    expect(report.subject.kind).toBe('safe')
    expect(report.balanceChanges.find((c) => c.holder.label === 'grants-multisig')?.formatted).toBe(
      '+1,500 ALLY',
    )
  })

  it('--fail-on warning exits 1 on a transfer over the policy share, and still reports', async () => {
    const r = await cli(['simulate', 'big.yaml', '--fail-on', 'warning', '--json'])
    expect(r.code).toBe(1)
    const e = envelope(r)
    expect(e.errors[0]!.code).toBe('CHECKS_FAILED')
    expect(e.data.execution.success).toBe(true)
    expect(e.data.checks.verdict).toBe('warning')
    expect((await cli(['simulate', 'big.yaml', '--fail-on', 'danger'])).code).toBe(0)
  })

  it('runs a proposal routed to the governor through its lifecycle on a fork', async () => {
    const r = await cli(['simulate', 'period.yaml', '--json'])
    expect(r.code, r.stdout.slice(0, 2000)).toBe(0)
    const report = simulationReportSchema.parse(envelope(r).data)
    expect(report.environment.mode).toBe('fork')
    expect(report.lifecycle!.steps.map((s) => s.stateAfter)).toEqual([
      'Pending',
      'Active',
      'Queued',
      'Executed',
    ])
    expect(report.criticalChanges.map((c) => `${c.what} ${c.before} → ${c.after}`)).toContain(
      '_votingPeriod 50 → 80',
    )
  })

  it('simulates an existing proposal by id, and refuses an id the governor does not know', async () => {
    const governor = devnet.layout.contracts.governor as Address
    const calldatas = [artifactInterface('AllianceGovernor').encodeFunctionData('setVotingDelay', [3]) as Hex]
    const description = 'Voting delay to 3 blocks'
    await new DevnetSender(devnet.provider).send(new Wallet(DEVNET_ACCOUNTS[1]!.key, devnet.provider), {
      to: governor,
      data: artifactInterface('AllianceGovernor').encodeFunctionData('propose', [
        [governor],
        [0n],
        calldatas,
        description,
      ]) as Hex,
    })
    const id = hashProposal({
      targets: [governor],
      values: [0n],
      calldatas,
      descriptionHash: descriptionHash(description),
    })
    const r = await cli(['simulate', '--proposal-id', id.toString(), '--json'])
    expect(r.code, r.stdout.slice(0, 2000)).toBe(0)
    const report = simulationReportSchema.parse(envelope(r).data)
    expect(report.subject).toMatchObject({ kind: 'governor', existing: true, proposalId: id.toString() })
    expect(report.subject.kind === 'governor' && report.subject.proposer.label).toBe('bob')

    const unknown = await cli(['simulate', '--proposal-id', '12345', '--json'])
    expect(unknown.code).toBe(1)
    expect(envelope(unknown).errors[0]!.code).toBe('GOVERNOR_PROPOSAL_NOT_FOUND')
  })

  it('sign simulates first: it shows the verdict and refuses a transaction that would revert', async () => {
    devnet.write(
      'overbudget.yaml',
      `version: 1
safe: council
actions:
  - kind: allocate-treasury
    token: aUSD
    to: grants-multisig
    amount: "60000"
    memo: over the 50,000 aUSD epoch budget
`,
    )
    expect((await cli(['plan', 'overbudget.yaml'])).code).toBe(0)
    const env = { ALICE_KEY: DEVNET_ACCOUNTS[0]!.key }
    const refused = await cli(['sign', 'overbudget.plan.json', '--key-env', 'ALICE_KEY'], env)
    expect(refused.code).toBe(1)
    expect(refused.stdout).toContain('✘ SIMULATION FAILED')
    expect(refused.stderr).toMatch(
      /Refusing to sign: the simulation says the transaction would fail \(BudgetExceeded/,
    )
    const plan = JSON.parse(readFileSync(join(devnet.dir, 'overbudget.plan.json'), 'utf8'))
    expect(plan.signatures).toEqual([])
    // An explicit decision signs it anyway.
    const accepted = await cli(
      ['sign', 'overbudget.plan.json', '--key-env', 'ALICE_KEY', '--accept-risk'],
      env,
    )
    expect(accepted.code, accepted.stderr).toBe(0)
  })

  it('refuses bad flags before running anything', async () => {
    const ext = await cli(['simulate', 'payout.yaml', '--report', 'out.pdf', '--json'])
    expect(ext.code).toBe(1)
    expect(envelope(ext).errors[0]).toMatchObject({ code: 'INVALID_FLAG' })
    expect(envelope(ext).errors[0]!.message).toMatch(/--report.*\.md, \.html or \.json/)
    expect(existsSync(join(devnet.dir, 'out.pdf'))).toBe(false)
    const block = await cli(['simulate', 'payout.yaml', '--fork-block', 'latest', '--json'])
    expect(envelope(block).errors[0]!.message).toMatch(/--fork-block/)
    const none = await cli(['simulate', '--json'])
    expect(none.code).toBe(1)
  })
})
