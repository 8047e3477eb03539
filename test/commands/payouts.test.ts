import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { Contract, Interface, zeroPadValue } from 'ethers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse as parseYaml } from 'yaml'
import { tokenAbi } from '../../src/contracts/tokenAbi.js'
import {
  COUNCIL_OWNERS,
  DEVNET_ACCOUNTS,
  GRANTS_MULTISIG,
  PLAY_DAO_TREASURY,
} from '../../src/devnet/accounts.js'
import { payoutRunSchema } from '../../src/render/payoutRunSchema.js'
import { type CliResult, envelope, runCli } from '../support/cli.js'
import { startTestDevnet, type TestDevnet } from '../support/devnet.js'

const [alice, bob, carol] = COUNCIL_OWNERS
const keys = { ALICE: alice.key, BOB: bob.key, CAROL: carol.key }
const toolsmith = DEVNET_ACCOUNTS[7]!.address

/** Three recipients, two per Safe transaction: every month is two transactions (a split to survive). */
const schedule = `version: 1
schedule: contributors
description: Monthly contributor payments
safe: council
token: aUSD
periods: { from: 2026-09, until: 2026-11 }
batch: { maxCalls: 2 }
limits:
  aUSD: { maxPerRecipient: "2000", maxTotal: "5000" }
recipients:
  - { to: grants-multisig, amount: "1000", label: Grants round }
  - { to: play-dao-treasury, amount: "500" }
  - { to: "${toolsmith}", amount: "250.5", label: Dev tooling }
`
const monthly = {
  [GRANTS_MULTISIG]: 1_000_000_000n,
  [PLAY_DAO_TREASURY]: 500_000_000n,
  [toolsmith]: 250_500_000n,
}

let devnet: TestDevnet
const cli = (args: string[], env: Record<string, string> = {}) =>
  runCli(args, { cwd: devnet.dir, env: { ...keys, ...env } })
const runWith = (env: Record<string, string>, period: string, ...args: string[]) =>
  cli(
    [
      'payouts',
      'run',
      'contributors.yaml',
      '--period',
      period,
      '--queue-dir',
      'queue',
      '--yes',
      '--json',
      ...args,
    ],
    env,
  )
const run = (period: string, ...args: string[]) => runWith({}, period, ...args)
/** Another schedule's November, proposed by Alice. */
const proposeAsAlice = (file: string, ...args: string[]) =>
  cli([
    'payouts',
    'run',
    file,
    '--period',
    '2026-11',
    '--queue-dir',
    'queue',
    '--propose',
    '--key-env',
    'ALICE',
    '--yes',
    '--json',
    ...args,
  ])
/** The run's `data`, checked against the published schema on every read (what scripts rely on). */
const data = (r: CliResult) => payoutRunSchema.parse(envelope(r).data)
const aUSD = () => new Contract(devnet.layout.contracts.aUSD, tokenAbi, devnet.provider)
const balances = async () =>
  Object.fromEntries(
    await Promise.all(
      Object.keys(monthly).map(
        async (a) => [a, (await aUSD().getFunction('balanceOf')(a)) as bigint] as const,
      ),
    ),
  )
const queued = () => (existsSync(join(devnet.dir, 'queue')) ? readdirSync(join(devnet.dir, 'queue')) : [])
const ledger = () =>
  JSON.parse(readFileSync(join(devnet.dir, '.alliance', 'payouts', 'contributors.ledger.json'), 'utf8')) as {
    entries: { period: string; safeTxHash: string; state: string; transactionHash?: string }[]
  }
/** Transfer events from the council to `to`, counted on chain (independently of alliance's own scan). */
const transfersTo = async (to: string) =>
  (
    await devnet.provider.getLogs({
      address: devnet.layout.contracts.aUSD,
      topics: [
        tokenAbi.getEvent('Transfer')!.topicHash,
        zeroPadValue(devnet.layout.council, 32),
        zeroPadValue(to, 32),
      ],
      fromBlock: 0,
    })
  ).length

async function signAll(hashes: string[], key: 'BOB' | 'ALICE') {
  for (const hash of hashes) {
    const signed = await cli([
      'sign',
      hash,
      '--queue-dir',
      'queue',
      '--key-env',
      key,
      '--yes',
      '--expect-hash',
      hash,
    ])
    expect(signed.code, signed.stdout + signed.stderr).toBe(0)
  }
}

/** Every payout of `period` paid, each recipient's balance up by exactly one month, the ledger agreeing. */
async function expectPaidOnce(result: CliResult, period: string, before: Record<string, bigint>) {
  expect(data(result).payouts.every((x: { state: string }) => x.state === 'paid')).toBe(true)
  const after = await balances()
  for (const [who, amount] of Object.entries(monthly)) expect(after[who]! - before[who]!).toBe(amount)
  expect(
    ledger()
      .entries.filter((e) => e.period === period)
      .map((e) => e.state),
  ).toEqual(['executed', 'executed'])
}

beforeAll(async () => {
  devnet = await startTestDevnet()
  devnet.write('contributors.yaml', schedule)
})
afterAll(async () => {
  await devnet?.stop()
})

describe('payouts run: a three-month schedule, every recipient paid exactly once a month', () => {
  it('September: proposed in two transactions, confirmed, executed; running again has nothing to do (exit 2)', async () => {
    const before = await balances()
    const plan = await cli([
      'payouts',
      'plan',
      'contributors.yaml',
      '--period',
      '2026-09',
      '--queue-dir',
      'queue',
      '--json',
    ])
    expect(plan.code, plan.stderr).toBe(0)
    expect(data(plan).transactions.planned.map((t: { payments: number }) => t.payments)).toEqual([2, 1])
    expect(queued()).toEqual([]) // planning posts nothing

    const proposed = await run('2026-09', '--propose', '--key-env', 'ALICE')
    expect(proposed.code, proposed.stdout + proposed.stderr).toBe(0)
    const hashes = data(proposed).transactions.proposed.map((t: { safeTxHash: string }) => t.safeTxHash)
    expect(hashes).toHaveLength(2)
    expect(data(proposed).payouts.map((x: { state: string }) => x.state)).toEqual([
      'proposed',
      'proposed',
      'proposed',
    ])
    // The same input gives the same plan: what `plan` showed is what was proposed.
    expect(hashes).toEqual(data(plan).transactions.planned.map((t: { safeTxHash: string }) => t.safeTxHash))

    const again = await run('2026-09', '--propose', '--key-env', 'ALICE')
    expect(again.code).toBe(2)
    expect(data(again)).toMatchObject({ outcome: 'nothing-to-do', changed: false })
    expect(queued()).toHaveLength(2)

    await signAll(hashes, 'BOB')
    const executed = await run('2026-09', '--execute', '--key-env', 'CAROL')
    expect(executed.code, executed.stdout + executed.stderr).toBe(0)
    expect(data(executed).outcome).toBe('executed')
    expect(data(executed).transactions.executed).toHaveLength(2)

    const rerun = await run('2026-09', '--execute', '--key-env', 'CAROL')
    expect(rerun.code).toBe(2)
    await expectPaidOnce(rerun, '2026-09', before)
  })

  it('October: killed before posting, after posting, after sending and after mining — each resumed, nobody paid twice', async () => {
    const before = await balances()
    const runFault = (point: string, ...args: string[]) =>
      runWith({ ALLIANCE_FAULT_AT: point }, '2026-10', ...args)

    const beforePost = await runFault('payouts-before-post', '--propose', '--key-env', 'ALICE')
    expect(beforePost.signal).toBe('SIGKILL')
    expect(queued()).toHaveLength(2) // September's only
    expect(ledger().entries.find((e) => e.period === '2026-10')?.state).toBe('proposing')

    // The lock the killed run left behind is taken over; the first transaction is posted, then the run dies.
    const afterPost = await runFault('payouts-after-post', '--propose', '--key-env', 'ALICE')
    expect(afterPost.signal).toBe('SIGKILL')
    expect(queued()).toHaveLength(3)

    const resumed = await run('2026-10', '--propose', '--key-env', 'ALICE')
    expect(resumed.code, resumed.stdout + resumed.stderr).toBe(0)
    const october = data(resumed)
    expect(october.transactions.proposed).toHaveLength(1) // only the transaction not posted before
    expect(october.payouts.map((x: { state: string }) => x.state)).toEqual([
      'proposed',
      'proposed',
      'proposed',
    ])
    expect(queued()).toHaveLength(4)
    const hashes = [...new Set(october.payouts.map((x) => x.safeTxHash!))]
    expect(hashes).toHaveLength(2)
    await signAll(hashes, 'BOB')

    const afterSend = await runFault('payouts-after-send', '--execute', '--key-env', 'CAROL')
    expect(afterSend.signal).toBe('SIGKILL')
    const afterMining = await runFault('payouts-after-execute', '--execute', '--key-env', 'CAROL')
    expect(afterMining.signal).toBe('SIGKILL')

    const done = await run('2026-10', '--execute', '--key-env', 'CAROL')
    expect(done.code, done.stdout + done.stderr).toBe(2)
    // The ledger caught up with the chain, including the execution it never recorded as done.
    await expectPaidOnce(done, '2026-10', before)
  })

  it('November: --execute proposes and waits for the council (exit 0), then executes once confirmed', async () => {
    const first = await run('2026-11', '--execute', '--key-env', 'CAROL')
    expect(first.code, first.stdout + first.stderr).toBe(0)
    expect(data(first).outcome).toBe('proposed')
    expect(data(first).transactions.waiting.map((w: { reason: string }) => w.reason)).toEqual([
      'needs 1 more confirmation (1 of 2)',
      'the Safe is at nonce 4: the transactions before it must execute first',
    ])
    const waiting = await run('2026-11', '--execute', '--key-env', 'CAROL')
    expect(waiting.code).toBe(2)
    expect(data(waiting).outcome).toBe('waiting')

    await signAll(
      data(first).transactions.proposed.map((t: { safeTxHash: string }) => t.safeTxHash),
      'BOB',
    )
    const executed = await run('2026-11', '--execute', '--key-env', 'CAROL')
    expect(executed.code).toBe(0)
    expect(data(executed).transactions.executed).toHaveLength(2)
  })

  it('after three months each recipient received exactly three payments, counted from the chain', async () => {
    for (const [who] of Object.entries(monthly)) expect(await transfersTo(who)).toBe(3)
  })

  it('refuses a period outside the schedule, and --execute without a queue for a 2-of-3 Safe', async () => {
    const december = await run('2026-12', '--propose', '--key-env', 'ALICE')
    expect(december.code).toBe(1)
    expect(envelope(december).errors[0]?.code).toBe('PAYOUT_BAD_PERIOD')
    devnet.write('solo.yaml', schedule.replace('schedule: contributors', 'schedule: solo'))
    const solo = await cli([
      'payouts',
      'run',
      'solo.yaml',
      '--period',
      '2026-11',
      '--execute',
      '--key-env',
      'CAROL',
      '--yes',
      '--json',
    ])
    expect(solo.code).toBe(1)
    expect(envelope(solo).errors[0]?.code).toBe('PAYOUT_NEEDS_QUEUE')
  })
})

describe('payouts through the treasury', () => {
  it('allocates with the period memo, and a re-run finds the allocations on chain', async () => {
    devnet.write(
      'grants.yaml',
      `version: 1
schedule: grants
safe: council
route: treasury
limits:
  ETH: { maxPerRecipient: "1", maxTotal: "2" }
  ALLY: { maxPerRecipient: "5000", maxTotal: "5000" }
recipients:
  - { to: grants-multisig, amount: "0.5", token: ETH }
  - { to: play-dao-treasury, amount: "4000", token: ALLY }
`,
    )
    const g = (...args: string[]) =>
      cli([
        'payouts',
        'run',
        'grants.yaml',
        '--period',
        '2026-11',
        '--queue-dir',
        'queue',
        '--yes',
        '--json',
        ...args,
      ])
    const proposed = await g('--propose', '--key-env', 'ALICE')
    expect(proposed.code, proposed.stdout + proposed.stderr).toBe(0)
    const executed = await g('--execute', '--key-env', 'CAROL')
    expect(executed.code, executed.stdout + executed.stderr).toBe(0)
    const treasury = new Interface([
      'event Allocated(address indexed token, address indexed to, uint256 amount, uint256 indexed epoch, string memo)',
    ])
    const logs = await devnet.provider.getLogs({
      address: devnet.layout.contracts.treasury,
      topics: [treasury.getEvent('Allocated')!.topicHash],
      fromBlock: 0,
    })
    const memos = logs.map((l) => treasury.parseLog(l)!.args.memo)
    expect(memos).toEqual(['payout:grants:2026-11', 'payout:grants:2026-11'])
    const again = await g('--execute', '--key-env', 'CAROL')
    expect(again.code).toBe(2)
    expect(data(again).payouts.map((x: { state: string }) => x.state)).toEqual(['paid', 'paid'])
  })
})

describe('bad input and faults: refused before anything is built', () => {
  it('a CSV with a duplicate, a bad address, a negative and an over-precise amount, and a total over the limit names each row', async () => {
    devnet.write(
      'payees.csv',
      [
        'to,amount,label',
        `grants-multisig,1000,first`,
        `0x12345,10,typo`,
        `play-dao-treasury,-5,negative`,
        `${toolsmith},1.1234567,too precise`,
        `grants-multisig,20,again`,
        `${DEVNET_ACCOUNTS[8]!.address},1500,big`,
        `${DEVNET_ACCOUNTS[3]!.address},1500,over`,
      ].join('\n'),
    )
    devnet.write(
      'csv.yaml',
      `version: 1\nschedule: csv\nsafe: council\ntoken: aUSD\nlimits:\n  aUSD: { maxPerRecipient: "2000", maxTotal: "3000" }\nrecipientsCsv: payees.csv\n`,
    )
    const r = await proposeAsAlice('csv.yaml')
    expect(r.code).toBe(1)
    const error = envelope(r).errors[0]!
    expect(error.code).toBe('INVALID_INPUT')
    const details = error.details!.join('\n')
    expect(details).toMatch(/payees\.csv:3:1 row 3 to: .*0x12345/)
    expect(details).toMatch(/payees\.csv:4:1 row 4 amount: "-5" is not a non-negative decimal amount/)
    expect(details).toMatch(
      /payees\.csv:5:1 row 5 amount: "1\.1234567" has 7 decimals but the token has only 6/,
    )
    expect(details).toMatch(/payees\.csv:6:1 row 6 to: grants-multisig is paid aUSD twice: also on line 2/)
    expect(details).toMatch(
      /payees\.csv:8:1 row 8 amount: this row brings the aUSD total to 4,000, over maxTotal 3,000/,
    )
    expect(error.details).toHaveLength(5)
    expect(existsSync(join(devnet.dir, '.alliance', 'payouts', 'csv.ledger.json'))).toBe(false)
  })

  it('splits a period on simulated gas, and refuses a period the Safe cannot fund', async () => {
    const gasSchedule = (batch: string) =>
      schedule.replace('schedule: contributors', 'schedule: gas').replace('{ maxCalls: 2 }', batch)
    devnet.write('gas.yaml', gasSchedule('{ maxCalls: 3 }'))
    const whole = await cli(['payouts', 'plan', 'gas.yaml', '--period', '2026-11', '--json'])
    const [one] = data(whole).transactions.planned as { payments: number; gasUsed: string }[]
    expect(one?.payments).toBe(3)
    // Just under what the three payments take together: the transaction must be split.
    const maxGas = Number(one!.gasUsed) - 1
    devnet.write('gas.yaml', gasSchedule(`{ maxCalls: 3, maxGas: ${maxGas} }`))
    const split = await cli(['payouts', 'plan', 'gas.yaml', '--period', '2026-11', '--json'])
    expect(split.code, split.stdout + split.stderr).toBe(0)
    const planned = data(split).transactions.planned as { payments: number; gasUsed: string }[]
    expect(planned.map((t) => t.payments)).toEqual([2, 1])
    for (const t of planned) expect(Number(t.gasUsed)).toBeLessThanOrEqual(maxGas)

    devnet.write(
      'big.yaml',
      `version: 1\nschedule: big\nsafe: council\ntoken: aUSD\nlimits:\n  aUSD: { maxPerRecipient: "200000", maxTotal: "200000" }\nrecipients:\n  - { to: grants-multisig, amount: "150000" }\n`,
    )
    const short = await cli(['payouts', 'plan', 'big.yaml', '--period', '2026-11', '--json'])
    expect(short.code).toBe(1)
    expect(envelope(short).errors[0]?.code).toBe('PAYOUT_FUNDS_SHORT')
    expect(envelope(short).errors[0]?.details?.[0]).toMatch(
      /150,000 aUSD due, the payer holds [\d,.]+ aUSD: short by/,
    )
  })

  it('an RPC that fails mid-run: a clear error, nothing posted, nothing recorded as proposed', async () => {
    const failing = await failingProxy(devnet.url, 'debug_traceCall')
    try {
      devnet.write('flaky.yaml', schedule.replace('schedule: contributors', 'schedule: flaky'))
      const before = queued().length
      const r = await proposeAsAlice('flaky.yaml', '--rpc-url', failing.url)
      expect(r.code).toBe(1)
      expect(envelope(r).errors[0]?.code).toMatch(/^CHAIN_/)
      expect(queued()).toHaveLength(before)
      expect(existsSync(join(devnet.dir, '.alliance', 'payouts', 'flaky.ledger.json'))).toBe(false)
    } finally {
      await failing.stop()
    }
  })
})

/** Forwards JSON-RPC to the devnet until `method` is first asked for; from then on every request gets a 503. */
async function failingProxy(target: string, method: string) {
  let broken = false
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', async () => {
      const body = Buffer.concat(chunks).toString()
      if (body.includes(`"${method}"`)) broken = true
      if (broken) {
        res.writeHead(503).end('unavailable')
        return
      }
      const answer = await fetch(target, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      })
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(await answer.text())
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

describe('the templates stewards start from', () => {
  const templates = join(import.meta.dirname, '..', '..', 'templates')

  it('the example schedule (CSV recipients) plans on the devnet', async () => {
    mkdirSync(join(devnet.dir, 'payouts'), { recursive: true })
    for (const name of readdirSync(join(templates, 'payouts')))
      copyFileSync(join(templates, 'payouts', name), join(devnet.dir, 'payouts', name))
    // The same schedule name as the one paid above, so a month not paid yet.
    const r = await cli(['payouts', 'plan', 'payouts/contributors.yaml', '--period', '2026-12', '--json'])
    expect(r.code, r.stdout + r.stderr).toBe(0)
    expect(data(r).payouts.map((x: { label?: string; state: string }) => [x.label, x.state])).toEqual([
      ['Grants round', 'due'],
      ['Play DAO ops', 'due'],
      ['Dev tooling', 'due'],
    ])
  })

  it('the CI workflow runs payouts commands with flags the CLI has, and treats only exit 1 as failure', () => {
    const workflow = readFileSync(join(templates, 'ci', 'payouts.yml'), 'utf8')
    const steps = (parseYaml(workflow) as { jobs: Record<string, { steps: { run?: string }[] }> }).jobs
      .propose!.steps
    const manifest = JSON.parse(readFileSync(join(templates, '..', 'oclif.manifest.json'), 'utf8')) as {
      commands: Record<string, { flags: Record<string, unknown> }>
    }
    const invocations = steps
      .flatMap((step) => (step.run ?? '').split('\n'))
      .filter((line) => line.includes('alliance payouts'))
    expect(invocations).toHaveLength(2)
    for (const line of invocations) {
      const [, command] = /alliance (payouts \w+)/.exec(line)!
      const flags = [...line.matchAll(/--([a-z-]+)/g)].map((m) => m[1]!)
      const known = manifest.commands[command!.replace(' ', ':')]!.flags
      for (const flag of flags) expect(known, `${command} --${flag}`).toHaveProperty(flag)
    }
    expect(workflow).toMatch(/case "\$code" in\n\s+0\)[^\n]*\n\s+2\)[^\n]*\n\s+\*\) cat run.json; exit 1/)
  })
})
