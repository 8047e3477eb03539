import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEVNET_ACCOUNTS } from '../../src/devnet/accounts.js'
import { envelope, runCli } from '../support/cli.js'
import { startTestDevnet, type TestDevnet } from '../support/devnet.js'

let devnet: TestDevnet
let actions: string
const plan = () => join(devnet.dir, 'grants.plan.json')
const keys = {
  ALICE_KEY: DEVNET_ACCOUNTS[0].key,
  BOB_KEY: DEVNET_ACCOUNTS[1].key,
  CAROL_KEY: DEVNET_ACCOUNTS[2].key,
  MALLORY_KEY: DEVNET_ACCOUNTS[5].key,
}
const cli = (args: string[]) => runCli(args, { cwd: devnet.dir, env: keys })
const allOutput: string[] = []
const run = async (args: string[]) => {
  const r = await cli(args)
  allOutput.push(r.stdout, r.stderr)
  return r
}

beforeAll(async () => {
  devnet = await startTestDevnet()
  actions = devnet.write(
    'grants.yaml',
    `version: 1
safe: council
description: Grants and a contributor payment
actions:
  - kind: allocate-treasury
    token: aUSD
    to: grants-multisig
    amount: "2500.25"
    memo: Round 8
  - kind: transfer
    token: aUSD
    to: play-dao-treasury
    amount: "100"
`,
  )
})
afterAll(async () => {
  await devnet?.stop()
})

describe('the council journey through the CLI', () => {
  it('plans, simulates, collects two signatures and executes', async () => {
    const planned = await run(['plan', actions, '--json'])
    expect(planned.code).toBe(0)
    const p = envelope(planned).data
    expect(p.planFile).toBe(plan())
    expect(p.plan.batch.kind).toBe('multisend-call-only')
    expect(JSON.parse(readFileSync(plan(), 'utf8')).hashes.safeTxHash).toBe(p.plan.hashes.safeTxHash)

    const human = await run(['simulate', plan()])
    expect(human.code).toBe(0)
    expect(human.stdout.split('\n')[0]).toContain('✔ SIMULATION PASSED')
    expect(human.stdout).toMatch(/grants-multisig\s+aUSD\s+\+2,500\.25/)

    const simulated = await run(['simulate', plan(), '--json'])
    const report = envelope(simulated).data
    expect(report.execution.success).toBe(true)
    expect(report.subject.safeTxHash).toBe(p.plan.hashes.safeTxHash)

    const first = await run(['sign', plan(), '--key-env', 'ALICE_KEY', '--json'])
    expect(first.code).toBe(0)
    expect(envelope(first).data).toMatchObject({
      signer: DEVNET_ACCOUNTS[0].address,
      signatures: 1,
      threshold: 2,
    })

    // Sent by an account that is not an owner: one signature of two. (An owner sending it would count
    // as the second, as the Safe counts msg.sender.)
    const tooEarly = await run(['execute', plan(), '--key-env', 'MALLORY_KEY', '--json'])
    expect(tooEarly.code).toBe(1)
    expect(envelope(tooEarly).errors[0]!.code).toBe('THRESHOLD_NOT_MET')

    const again = await run(['sign', plan(), '--key-env', 'ALICE_KEY'])
    expect(again.code).toBe(1)
    expect(again.stderr).toContain('has already signed')

    const second = await run(['sign', plan(), '--key-env', 'BOB_KEY', '--json'])
    expect(envelope(second).data.signatures).toBe(2)

    const executed = await run(['execute', plan(), '--key-env', 'CAROL_KEY', '--json'])
    expect(executed.code).toBe(0)
    const result = envelope(executed).data
    expect(result.safeTxHash).toBe(p.plan.hashes.safeTxHash)
    const receipt = await devnet.provider.getTransactionReceipt(result.transactionHash)
    expect(receipt?.status).toBe(1)

    const twice = await run(['execute', plan(), '--key-env', 'CAROL_KEY', '--json'])
    expect(twice.code).toBe(1)
    expect(envelope(twice).errors[0]!.code).toBe('STALE_PLAN')
  })

  it('refuses a non-owner, a missing key variable, and an edited plan', async () => {
    const planned = await run(['plan', actions, '--out', join(devnet.dir, 'other.plan.json')])
    expect(planned.code).toBe(0)
    const other = join(devnet.dir, 'other.plan.json')

    const mallory = await run(['sign', other, '--key-env', 'MALLORY_KEY', '--json'])
    expect(envelope(mallory).errors[0]!.code).toBe('NOT_AN_OWNER')

    const missing = await run(['sign', other, '--key-env', 'NOBODY_KEY', '--json'])
    expect(envelope(missing).errors[0]!.code).toBe('KEY_ENV_MISSING')

    const bad = await runCli(['sign', other, '--key-env', 'BAD_KEY'], {
      cwd: devnet.dir,
      env: { BAD_KEY: '0xnot-a-key-1234' },
    })
    expect(bad.code).toBe(1)
    expect(bad.stderr).toContain('does not hold a valid private key')
    expect(bad.stderr + bad.stdout).not.toContain('not-a-key-1234')

    // Redirect the payment in the plan file without touching the hashes: sign must refuse.
    const json = JSON.parse(readFileSync(other, 'utf8'))
    const payee = devnet.workspace.book.resolveAddress('play-dao-treasury')
    if (!payee.ok) throw new Error('missing payee')
    const mallorysAddress = DEVNET_ACCOUNTS[5].address.slice(2).toLowerCase()
    json.actions[1].calls[0].data = json.actions[1].calls[0].data.replace(
      payee.value.slice(2).toLowerCase(),
      mallorysAddress,
    )
    devnet.write('other.plan.json', JSON.stringify(json))
    const edited = await run(['sign', other, '--key-env', 'ALICE_KEY', '--json'])
    expect(edited.code).toBe(1)
    const e = envelope(edited).errors[0]!
    expect(e.code).toBe('PLAN_MISMATCH')
    expect(JSON.parse(readFileSync(other, 'utf8')).signatures).toEqual([])
  })

  it('says which call would revert, and why, and exits 1', async () => {
    const failing = devnet.write(
      'failing.yaml',
      `version: 1
safe: council
actions:
  - kind: transfer
    token: aUSD
    to: grants-multisig
    amount: "1"
  - kind: allocate-treasury
    token: aUSD
    to: grants-multisig
    amount: "60000"
    memo: over the 50,000 aUSD epoch budget
`,
    )
    const r = await run(['simulate', failing])
    expect(r.code).toBe(1)
    // The verdict, then within the first lines which call fails and why.
    const lines = r.stdout.split('\n')
    expect(lines[0]).toContain('✘ SIMULATION FAILED')
    expect(lines.slice(0, 6).join('\n')).toMatch(
      /call 2 \(action 2\): treasury\.allocate\(token: aUSD, to: grants-multisig, amount: 60,000 aUSD.*reverted: BudgetExceeded\(/,
    )
    const json = await run(['simulate', failing, '--json'])
    const e = envelope(json)
    expect(e.success).toBe(false)
    expect(e.errors[0]!.code).toBe('SIMULATION_FAILED')
    expect(e.data.execution.failure).toMatchObject({ call: 2, action: 2 })
  })

  it('warns when another plan beside it is queued for the same nonce', async () => {
    const one = devnet.write(
      'one.yaml',
      'version: 1\nsafe: council\nactions:\n  - kind: transfer\n    token: aUSD\n    to: grants-multisig\n    amount: "1"\n',
    )
    const two = devnet.write(
      'two.yaml',
      'version: 1\nsafe: council\nactions:\n  - kind: transfer\n    token: aUSD\n    to: grants-multisig\n    amount: "2"\n',
    )
    const queue = join(devnet.dir, 'queue')
    const first = await run(['plan', one, '--out', join(queue, 'one.plan.json'), '--json'])
    const nonceFindings = (r: typeof first) =>
      envelope(r).data.checks.results.find((c: { id: string }) => c.id === 'nonce').findings as {
        message: string
      }[]
    expect(nonceFindings(first)).toEqual([])
    const second = await run(['plan', two, '--out', join(queue, 'two.plan.json'), '--json'])
    expect(nonceFindings(second).map((f) => f.message)).toEqual([
      expect.stringMatching(/1 other queued transaction\(s\) use nonce \d+/),
    ])
  })

  it('never prints a private key', () => {
    const everything = allOutput.join('\n').toLowerCase()
    for (const key of Object.values(keys)) {
      expect(everything).not.toContain(key.slice(2).toLowerCase())
    }
  })
})
