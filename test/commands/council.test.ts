import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Contract, encryptKeystoreJson, parseUnits } from 'ethers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tokenAbi } from '../../src/contracts/tokenAbi.js'
import { COUNCIL_OWNERS, DEVNET_ACCOUNTS, GRANTS_MULTISIG } from '../../src/devnet/accounts.js'
import { signSafeTxHash } from '../../src/safe/signatures.js'
import { envelope, runCli } from '../support/cli.js'
import { startTestDevnet, type TestDevnet } from '../support/devnet.js'
import { startTxService, type TxService } from '../support/txService.js'

const [alice, bob, carol] = COUNCIL_OWNERS
const outsider = DEVNET_ACCOUNTS[4]!
const keys = { ALICE: alice.key, BOB: bob.key, CAROL: carol.key, OUTSIDER: outsider.key }

const payout = (amount: string) => `version: 1
safe: council
description: Pay grants-multisig ${amount} aUSD
actions:
  - kind: transfer
    token: aUSD
    to: grants-multisig
    amount: "${amount}"
`

let devnet: TestDevnet
let service: TxService
const cli = (args: string[]) => runCli(args, { cwd: devnet.dir, env: keys })
const aUSD = () => new Contract(devnet.layout.contracts.aUSD, tokenAbi, devnet.provider)
const grantsBalance = async () => (await aUSD().getFunction('balanceOf')(GRANTS_MULTISIG)) as bigint

beforeAll(async () => {
  devnet = await startTestDevnet()
  service = await startTxService({
    reads: devnet.reads,
    chainId: 31337n,
    storageAt: (a, s) => devnet.provider.getStorage(a, s) as Promise<`0x${string}`>,
  })
})
afterAll(async () => {
  await service?.stop()
  await devnet?.stop()
})

/** propose → queue → sign → queue → execute, through one queue; returns the safeTxHash. */
async function journey(queueArgs: string[], amount: string) {
  devnet.write(`pay-${amount}.yaml`, payout(amount))
  const before = await grantsBalance()
  const proposed = await cli(['propose', `pay-${amount}.yaml`, '--key-env', 'ALICE', ...queueArgs, '--json'])
  expect(proposed.code, proposed.stdout + proposed.stderr).toBe(0)
  const { safeTxHash } = envelope(proposed).data

  const listed = envelope(await cli(['queue', ...queueArgs, '--json'])).data
  const entry = listed.transactions.find((t: { safeTxHash: string }) => t.safeTxHash === safeTxHash)
  expect(entry).toMatchObject({ confirmations: 1, threshold: 2, ready: false, problems: [] })

  const signed = await cli([
    'sign',
    safeTxHash,
    '--key-env',
    'BOB',
    '--yes',
    '--expect-hash',
    safeTxHash,
    ...queueArgs,
    '--json',
  ])
  expect(signed.code, signed.stdout + signed.stderr).toBe(0)
  expect(envelope(signed).data).toMatchObject({ signatures: 2, threshold: 2 })

  const ready = envelope(await cli(['queue', ...queueArgs, '--json'])).data
  expect(ready.transactions.find((t: { safeTxHash: string }) => t.safeTxHash === safeTxHash)).toMatchObject({
    confirmations: 2,
    ready: true,
  })

  const executed = await cli(['execute', safeTxHash, '--key-env', 'CAROL', ...queueArgs, '--json'])
  expect(executed.code, executed.stdout + executed.stderr).toBe(0)
  expect((await grantsBalance()) - before).toBe(parseUnits(amount, 6))
  return safeTxHash as string
}

describe('the council workflow through the Transaction Service', () => {
  it('propose → two confirmations → execute, over HTTP with the real api-kit', async () => {
    await journey(['--tx-service-url', service.url], '100')
    const posts = service.requests.filter((r) => r.method === 'POST').map((r) => r.path)
    expect(posts.some((p) => /\/v2\/safes\/0x[0-9a-fA-F]{40}\/multisig-transactions\/$/.test(p))).toBe(true)
    expect(posts.some((p) => /\/v1\/multisig-transactions\/0x[0-9a-f]{64}\/confirmations\/$/.test(p))).toBe(
      true,
    )
  })

  it('refuses at sign a transaction the service changed, and posts nothing', async () => {
    devnet.write('tampered.yaml', payout('5'))
    const proposed = envelope(
      await cli([
        'propose',
        'tampered.yaml',
        '--key-env',
        'ALICE',
        '--tx-service-url',
        service.url,
        '--json',
      ]),
    ).data
    const hash = proposed.safeTxHash as string
    // The service now serves another recipient's payment under the same hash.
    service.tamper(hash, (tx) => {
      tx.data = (tx.data ?? '0x').replace(
        GRANTS_MULTISIG.slice(2).toLowerCase(),
        outsider.address.slice(2).toLowerCase(),
      ) as `0x${string}`
    })
    const confirmationsBefore = service.store.get(hash.toLowerCase())!.confirmations.length
    const r = await cli([
      'sign',
      hash,
      '--key-env',
      'BOB',
      '--yes',
      '--expect-hash',
      hash,
      '--tx-service-url',
      service.url,
      '--json',
    ])
    expect(r.code).toBe(1)
    expect(envelope(r).errors[0]).toMatchObject({ code: 'QUEUE_TX_MISMATCH' })
    expect(envelope(r).errors[0]!.details!.join('\n')).toMatch(/hash to 0x[0-9a-f]{64}, not to/)
    expect(service.store.get(hash.toLowerCase())!.confirmations.length).toBe(confirmationsBefore)
  })

  it('refuses a non-owner, a second confirmation, a proposal already queued, and a wrong --expect-hash', async () => {
    devnet.write('refusals.yaml', payout('7'))
    const proposed = await cli([
      'propose',
      'refusals.yaml',
      '--key-env',
      'ALICE',
      '--tx-service-url',
      service.url,
      '--json',
    ])
    const hash = envelope(proposed).data.safeTxHash as string
    const sign = (key: string, expect = hash) =>
      cli([
        'sign',
        hash,
        '--key-env',
        key,
        '--yes',
        '--expect-hash',
        expect,
        '--tx-service-url',
        service.url,
        '--json',
      ])
    expect(envelope(await sign('OUTSIDER')).errors[0]!.code).toBe('NOT_AN_OWNER')
    expect(envelope(await sign('ALICE')).errors[0]!.code).toBe('ALREADY_SIGNED')
    const wrong = `0x${'ab'.repeat(32)}`
    expect(envelope(await sign('BOB', wrong)).errors[0]!.code).toBe('SIGNING_NOT_CONFIRMED')
    const again = await cli([
      'propose',
      'refusals.plan.json',
      '--key-env',
      'BOB',
      '--tx-service-url',
      service.url,
      '--json',
    ])
    expect(envelope(again).errors[0]!.code).toBe('QUEUE_DUPLICATE')
    expect(service.store.get(hash.toLowerCase())!.confirmations.map((c) => c.owner)).toEqual([alice.address])

    // status shows it among the council's pending transactions, with the confirmations that verify.
    const status = envelope(await cli(['status', '--tx-service-url', service.url, '--json'])).data
    expect(status.queued.find((q: { safeTxHash: string }) => q.safeTxHash === hash)).toMatchObject({
      confirmations: 1,
      threshold: 2,
      problems: [],
    })
  })

  it('a service that does not answer gives a clear error after bounded retries', async () => {
    service.failNext(10, 503)
    const r = await cli(['queue', '--tx-service-url', service.url, '--queue-timeout', '2', '--json'])
    service.failNext(0, 503)
    expect(r.code).toBe(1)
    expect(envelope(r).errors[0]).toMatchObject({ code: 'QUEUE_UNAVAILABLE' })
    expect(envelope(r).errors[0]!.message).toMatch(/HTTP 503 \(3 attempts\)/)
  })
})

describe('the council workflow through a shared directory', () => {
  it('propose → two confirmations → execute, each confirmation its own file', async () => {
    const dir = join(devnet.dir, 'queue')
    const hash = await journey(['--queue-dir', dir], '200')
    const files = readdirSync(join(dir, hash.toLowerCase())).sort()
    expect(files).toEqual([`${alice.address}.sig.json`, `${bob.address}.sig.json`, 'plan.json'].sort())
    // Nothing half-written: no temporary files or staging folders are left behind.
    expect(readdirSync(dir).filter((f) => f.startsWith('.'))).toEqual([])
    expect(existsSync(join(dir, hash.toLowerCase(), 'plan.json'))).toBe(true)
  })
})

describe('other keys', () => {
  it('signs with a Foundry keystore account (password from a file) and with a pasted signature', async () => {
    const foundry = join(devnet.dir, 'foundry')
    mkdirSync(join(foundry, 'keystores'), { recursive: true })
    // As `cast wallet import bob` writes it (scrypt kept small for the test).
    writeFileSync(
      join(foundry, 'keystores', 'bob'),
      await encryptKeystoreJson({ address: bob.address, privateKey: bob.key }, 'correct horse', {
        scrypt: { N: 16 },
      }),
    )
    writeFileSync(join(devnet.dir, 'bob.pw'), 'correct horse\n')
    const dir = join(devnet.dir, 'queue-keys')
    devnet.write('keys.yaml', payout('4'))
    const hash = envelope(
      await cli(['propose', 'keys.yaml', '--key-env', 'ALICE', '--queue-dir', dir, '--json']),
    ).data.safeTxHash as string
    const viaKeystore = await runCli(
      [
        'sign',
        hash,
        '--account',
        'bob',
        '--password-file',
        'bob.pw',
        '--queue-dir',
        dir,
        '--yes',
        '--expect-hash',
        hash,
        '--json',
      ],
      { cwd: devnet.dir, env: { FOUNDRY_DIR: foundry } },
    )
    expect(viaKeystore.code, viaKeystore.stdout + viaKeystore.stderr).toBe(0)
    expect(envelope(viaKeystore).data).toMatchObject({ signer: bob.address, signatures: 2 })
    expect(viaKeystore.stdout).not.toContain(bob.key.slice(2))

    // Carol signed elsewhere (a wallet) and pastes it; a signature by a non-owner is refused.
    const carolSig = signSafeTxHash(carol.key as `0x${string}`, hash as `0x${string}`)
    const outsiderSig = signSafeTxHash(outsider.key as `0x${string}`, hash as `0x${string}`)
    const pasteArgs = (sig: string) => [
      'sign',
      hash,
      '--signature',
      sig,
      '--queue-dir',
      dir,
      '--yes',
      '--expect-hash',
      hash,
      '--json',
    ]
    const refused = await cli(pasteArgs(outsiderSig))
    expect(envelope(refused).errors[0]!.code).toBe('SIGNATURE_NOT_OWNER')
    const pasted = await cli(pasteArgs(carolSig))
    expect(pasted.code, pasted.stdout + pasted.stderr).toBe(0)
    expect(envelope(pasted).data).toMatchObject({ signer: carol.address, signatures: 3 })
  })
})

describe('interactive sign', () => {
  it('asks on a terminal and signs only after yes', async () => {
    devnet.write('interactive.yaml', payout('3'))
    const dir = join(devnet.dir, 'queue-tty')
    const proposed = envelope(
      await cli(['propose', 'interactive.yaml', '--key-env', 'ALICE', '--queue-dir', dir, '--json']),
    ).data
    const hash = proposed.safeTxHash as string
    const run = fileURLToPath(new URL('../../bin/run.js', import.meta.url))
    // `script` gives the command a pseudo-terminal, as a signer's shell would.
    const child = spawn(
      'script',
      [
        '-q',
        '-e',
        '-c',
        `${process.execPath} ${run} sign ${hash} --key-env BOB --queue-dir ${dir}`,
        '/dev/null',
      ],
      {
        cwd: devnet.dir,
        env: { ...process.env, ...keys, NO_COLOR: '1', NODE_ENV: undefined, ALLIANCE_WORKSPACE: undefined },
      },
    )
    let output = ''
    let answered = false
    const done = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? 1)))
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      if (!answered && output.includes(`Sign ${hash}?`)) {
        answered = true
        child.stdin.write('y\r')
      }
    })
    const code = await done
    expect(output).toContain('message hash')
    expect(answered).toBe(true)
    expect(code, output).toBe(0)
    expect(readdirSync(join(dir, hash.toLowerCase()))).toContain(`${bob.address}.sig.json`)
  }, 60_000)
})
