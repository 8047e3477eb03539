import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEVNET_ACCOUNTS } from '../../src/devnet/accounts.js'
import { envelope, runCli } from '../support/cli.js'
import { startTestDevnet, type TestDevnet } from '../support/devnet.js'

// verify, sign and plan as a user runs them: the built CLI in the devnet's workspace directory.

let devnet: TestDevnet
const keys = { ALICE_KEY: DEVNET_ACCOUNTS[0].key, BOB_KEY: DEVNET_ACCOUNTS[1].key }
const cli = (args: string[], env: Record<string, string> = {}) =>
  runCli(args, { cwd: devnet.dir, env: { ...keys, ...env } })
const readPlan = (file: string) => JSON.parse(readFileSync(file, 'utf8'))
const lastLine = (text: string) => text.trimEnd().split('\n').at(-1) ?? ''

/** An action file planned with the CLI; returns the plan file's path. */
async function planned(name: string, yaml: string) {
  const r = await cli(['plan', devnet.write(`${name}.yaml`, yaml)])
  expect(r.code, r.stderr).toBe(0)
  return join(devnet.dir, `${name}.plan.json`)
}

/** A local port nothing listens on. */
const deadPort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })

const CLEAN = `version: 1
safe: council
description: A grant and a contributor payment
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
`
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
    args: ["${DEVNET_ACCOUNTS[7].address}", 2]
  - kind: transfer
    token: ETH
    to: play-dao-treasury
    amount: "0.1"
`
/** 20,000 of the council's 100,000 aUSD: over the workspace's 10% policy. */
const LARGE = (amount: string) => `version: 1
safe: council
actions:
  - kind: transfer
    token: aUSD
    to: grants-multisig
    amount: "${amount}"
`

beforeAll(async () => {
  devnet = await startTestDevnet()
})
afterAll(async () => {
  await devnet?.stop()
})

describe('alliance verify', () => {
  it('verifies a freshly planned file', async () => {
    const file = await planned('clean', CLEAN)
    const json = await cli(['verify', file, '--json'])
    expect(json.code).toBe(0)
    const e = envelope(json)
    expect(e.success).toBe(true)
    expect(e.data).toMatchObject({
      verified: true,
      mismatches: [],
      chainChecked: true,
      safeTxHash: readPlan(file).hashes.safeTxHash,
      checks: { verdict: 'pass' },
    })

    const human = await cli(['verify', file])
    expect(human.code).toBe(0)
    expect(lastLine(human.stdout)).toMatch(
      /^✔ VERIFIED: 0x[0-9a-f]{64} — 2 action\(s\), 0 of 2 owner signature/,
    )
    expect(human.stdout).not.toContain('offline')
  })

  it('refuses a plan whose call was edited, and lists what differs', async () => {
    const file = await planned('edited-call', CLEAN)
    const plan = readPlan(file)
    const data: string = plan.actions[1].calls[0].data
    plan.actions[1].calls[0].data = `${data.slice(0, -2)}${data.endsWith('00') ? '01' : '00'}`
    devnet.write('edited-call.plan.json', JSON.stringify(plan))

    const r = await cli(['verify', file, '--json'])
    expect(r.code).toBe(1)
    const e = envelope(r)
    expect(e.errors[0]!.code).toBe('NOT_VERIFIED')
    expect(e.data.verified).toBe(false)
    expect(e.data.mismatches).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^plan id .* does not match its content/),
        "safeTx is not the MultiSendCallOnly batch of the plan's calls",
        'the calls differ from what the embedded action file encodes to',
      ]),
    )

    const human = await cli(['verify', file])
    expect(human.code).toBe(1)
    expect(human.stdout).toContain('✘ the calls differ from what the embedded action file encodes to')
    expect(lastLine(human.stdout)).toMatch(/^✘ NOT VERIFIED: \d+ mismatch\(es\)/)
  })

  it('refuses a plan whose safeTxHash alone was edited', async () => {
    const file = await planned('edited-hash', CLEAN)
    const plan = readPlan(file)
    plan.hashes.safeTxHash = `0x${'ab'.repeat(32)}`
    devnet.write('edited-hash.plan.json', JSON.stringify(plan))

    const r = await cli(['verify', file, '--json'])
    expect(r.code).toBe(1)
    const e = envelope(r)
    expect(e.errors[0]!.code).toBe('NOT_VERIFIED')
    expect(e.data.mismatches).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^safeTxHash: plan says 0x(ab){32}, recomputed 0x/),
        expect.stringMatching(/^the Safe computes 0x[0-9a-f]{64} for this transaction, the plan 0x(ab){32}$/),
      ]),
    )
  })

  it('--offline verifies without a chain, and says so', async () => {
    const file = await planned('offline', CLEAN)
    const dead = { ALLIANCE_RPC_URL: `http://127.0.0.1:${await deadPort()}` }
    // Without --offline the dead endpoint is used, and fails.
    const online = await cli(['verify', file, '--json'], dead)
    expect(online.code).toBe(1)
    expect(envelope(online).errors[0]!.code).toBe('CHAIN_UNREACHABLE')

    const json = await cli(['verify', file, '--offline', '--json'], dead)
    expect(json.code).toBe(0)
    expect(envelope(json).data).toMatchObject({ verified: true, chainChecked: false })

    const human = await cli(['verify', file, '--offline'], dead)
    expect(human.code).toBe(0)
    expect(human.stdout).toContain(
      '! offline: the Safe on chain (owners, nonce, its own hash) was not compared',
    )
    expect(lastLine(human.stdout)).toMatch(/^✔ VERIFIED: .*\(offline\)/)
  })

  it('--fail-on danger fails a verified plan with a danger finding; without it, it passes', async () => {
    const file = await planned('hidden-owner', HIDDEN_OWNER)
    const plain = await cli(['verify', file, '--json'])
    expect(plain.code).toBe(0)
    const data = envelope(plain).data
    expect(data).toMatchObject({ verified: true, checks: { verdict: 'danger' } })
    expect(data.checks.results.find((r: { id: string }) => r.id === 'safe-config-change').findings).toEqual([
      expect.objectContaining({ severity: 'danger', call: 2 }),
    ])

    const strict = await cli(['verify', file, '--fail-on', 'danger', '--json'])
    expect(strict.code).toBe(1)
    const e = envelope(strict)
    expect(e.errors[0]!.code).toBe('CHECKS_FAILED')
    expect(e.data.verified).toBe(true)

    // The clean plan passes the same policy.
    const clean = await planned('clean-strict', CLEAN)
    expect((await cli(['verify', clean, '--fail-on', 'danger'])).code).toBe(0)
  })
})

describe('alliance sign', () => {
  it('refuses a plan that hides an owner change unless --accept-risk', async () => {
    const file = await planned('sign-owner', HIDDEN_OWNER)
    const refused = await cli(['sign', file, '--key-env', 'ALICE_KEY', '--json'])
    expect(refused.code).toBe(1)
    expect(envelope(refused).errors[0]!.code).toBe('DANGEROUS_PLAN')
    expect(readPlan(file).signatures).toEqual([])

    const human = await cli(['sign', file, '--key-env', 'ALICE_KEY'])
    expect(human.code).toBe(1)
    expect(human.stdout).toContain('call 2 of the batch adds an owner')
    expect(human.stderr).toContain('Refusing to sign')
    expect(readPlan(file).signatures).toEqual([])

    const accepted = await cli(['sign', file, '--key-env', 'ALICE_KEY', '--accept-risk', '--json'])
    expect(accepted.code).toBe(0)
    expect(envelope(accepted).data).toMatchObject({ signatures: 1, checks: { verdict: 'danger' } })
    expect(readPlan(file).signatures).toEqual([
      expect.objectContaining({ signer: DEVNET_ACCOUNTS[0].address }),
    ])
  })

  it('signs a clean plan without --accept-risk', async () => {
    const file = await planned('sign-clean', CLEAN)
    const r = await cli(['sign', file, '--key-env', 'BOB_KEY', '--json'])
    expect(r.code).toBe(0)
    expect(readPlan(file).signatures).toHaveLength(1)
  })
})

describe('alliance plan --fail-on', () => {
  it('fails on a transfer over the policy share, and still writes the plan', async () => {
    const yaml = devnet.write('large.yaml', LARGE('20000'))
    const planFile = join(devnet.dir, 'large.plan.json')
    const strict = await cli(['plan', yaml, '--fail-on', 'warning', '--json'])
    expect(strict.code).toBe(1)
    const e = envelope(strict)
    expect(e.errors[0]!.code).toBe('CHECKS_FAILED')
    expect(e.data.checks.results.find((r: { id: string }) => r.id === 'large-transfer').findings).toEqual([
      expect.objectContaining({
        severity: 'warning',
        call: 1,
        message: expect.stringContaining('20% of the'),
      }),
    ])
    expect(existsSync(planFile)).toBe(true)
    expect(readPlan(planFile).hashes.safeTxHash).toBe(e.data.plan.hashes.safeTxHash)

    const lenient = await cli(['plan', yaml])
    expect(lenient.code).toBe(0)
  })

  it('passes --fail-on warning for a transfer under the policy share', async () => {
    // Its own directory: plans beside it at the same nonce would (rightly) raise a queue warning.
    const out = join(mkdtempSync(join(tmpdir(), 'alliance-small-')), 'small.plan.json')
    const r = await cli([
      'plan',
      devnet.write('small.yaml', LARGE('5000')),
      '--out',
      out,
      '--fail-on',
      'warning',
    ])
    expect(r.code, r.stdout + r.stderr).toBe(0)
  })
})
