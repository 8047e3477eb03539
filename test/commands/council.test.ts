import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Contract, concat, encryptKeystoreJson, parseUnits, Wallet } from 'ethers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tokenAbi } from '../../src/contracts/tokenAbi.js'
import { COUNCIL_OWNERS, DEVNET_ACCOUNTS, GRANTS_MULTISIG } from '../../src/devnet/accounts.js'
import { DevnetSender } from '../../src/devnet/devnetSender.js'
import { predictSafeAddress, proxyFactoryInterface, safeSetupData } from '../../src/devnet/safeArtifacts.js'
import { readPlanFile } from '../../src/plan/planFile.js'
import type { SafePlan } from '../../src/plan/types.js'
import { directoryQueue } from '../../src/queue/directoryQueue.js'
import { encodeSafeSignatures, signSafeTxHash } from '../../src/safe/signatures.js'
import type { Address, Hex } from '../../src/safe/types.js'
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
    call: (to, data) => devnet.provider.call({ to, data }) as Promise<`0x${string}`>,
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

  it('refuses an executed nonce at propose and at sign, and nothing is posted', async () => {
    const before = service.requests.filter((r) => r.method === 'POST').length
    // pay-100 was executed by the journey above: its plan's nonce is used.
    const again = await cli([
      'propose',
      'pay-100.plan.json',
      '--key-env',
      'BOB',
      '--tx-service-url',
      service.url,
      '--json',
    ])
    expect(again.code).toBe(1)
    expect(envelope(again).errors[0]!.code).toBe('STALE_PLAN')
    const executedHash = [...service.store.values()][0]!.safeTxHash
    const late = await cli([
      'sign',
      executedHash,
      '--key-env',
      'CAROL',
      '--yes',
      '--expect-hash',
      executedHash,
      '--tx-service-url',
      service.url,
      '--json',
    ])
    expect(late.code).toBe(1)
    expect(envelope(late).errors[0]!.code).toBe('STALE_PLAN')
    expect(service.requests.filter((r) => r.method === 'POST').length).toBe(before)
  })

  it('a request left unanswered times out and is retried', async () => {
    service.failNext(1, 'hang')
    const started = Date.now()
    const r = await cli(['queue', '--tx-service-url', service.url, '--queue-timeout', '1', '--json'])
    expect(r.code, r.stdout + r.stderr).toBe(0)
    expect(Date.now() - started).toBeGreaterThan(1000)
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
    // One request per attempt: three failures exhaust the retries.
    service.failNext(3, 503)
    const r = await cli(['queue', '--tx-service-url', service.url, '--queue-timeout', '2', '--json'])
    expect(r.code).toBe(1)
    expect(envelope(r).errors[0]).toMatchObject({ code: 'QUEUE_UNAVAILABLE' })
    expect(envelope(r).errors[0]!.message).toMatch(/HTTP 503 \(3 attempts\)/)
    // Two failures are absorbed by the retries.
    service.failNext(2, 503)
    const recovered = await cli(['queue', '--tx-service-url', service.url, '--json'])
    expect(recovered.code, recovered.stdout + recovered.stderr).toBe(0)
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

describe("an owner Safe's contract signature (EIP-1271)", () => {
  /** A 2-of-2 Safe 1.4.1 owned by the council Safe and Alice, holding 1 ETH. */
  async function deployParent(saltNonce: bigint): Promise<Address> {
    const L = devnet.layout
    const setup = {
      owners: [devnet.layout.council, alice.address as Address],
      threshold: 2,
      fallbackHandler: L.safe.CompatibilityFallbackHandler,
      saltNonce,
    }
    const parent = predictSafeAddress(L.safe.SafeProxyFactory, L.safe.Safe, setup)
    const sender = new DevnetSender(devnet.provider)
    const funder = new Wallet(DEVNET_ACCOUNTS[8]!.key, devnet.provider)
    await sender.send(funder, {
      to: L.safe.SafeProxyFactory,
      data: proxyFactoryInterface().encodeFunctionData('createProxyWithNonce', [
        L.safe.Safe,
        safeSetupData(setup),
        saltNonce,
      ]) as Hex,
    })
    await sender.send(funder, { to: parent, value: parseUnits('1', 18) })
    return parent
  }

  /** The council's contract signature for the parent's transaction: its owners sign the council's SafeMessage of the preimage. */
  async function councilSignature(plan: SafePlan, signers = [alice, bob]): Promise<Hex> {
    const handler = new Contract(
      devnet.layout.safe.CompatibilityFallbackHandler,
      ['function getMessageHashForSafe(address,bytes) view returns (bytes32)'],
      devnet.provider,
    )
    const preimage = concat(['0x1901', plan.hashes.domainHash, plan.hashes.messageHash])
    const digest = (await handler.getFunction('getMessageHashForSafe')(
      devnet.layout.council,
      preimage,
    )) as Hex
    const councilSigs = encodeSafeSignatures(
      signers.map((o) => ({
        kind: 'eoa' as const,
        signer: o.address as Address,
        data: signSafeTxHash(o.key as Hex, digest),
      })),
    )
    return encodeSafeSignatures([{ kind: 'contract', signer: devnet.layout.council, signature: councilSigs }])
  }
  const ethPayout = (parent: Address, amount: string) =>
    `version: 1\nsafe: "${parent}"\ndescription: Pay ${amount} ETH\nactions:\n  - kind: transfer\n    token: ETH\n    to: grants-multisig\n    amount: "${amount}"\n`

  it('is verified by the service and counted at execute: Alice plus the council Safe execute the parent', async () => {
    const parent = await deployParent(7001n)
    devnet.write('parent.yaml', ethPayout(parent, '0.1'))
    const proposed = await cli([
      'propose',
      'parent.yaml',
      '--key-env',
      'ALICE',
      '--tx-service-url',
      service.url,
      '--json',
    ])
    expect(proposed.code, proposed.stdout + proposed.stderr).toBe(0)
    const hash = envelope(proposed).data.safeTxHash as Hex
    const plan = readPlanFile(join(devnet.dir, 'parent.plan.json'))
    const posted = await fetch(`${service.url}/v1/multisig-transactions/${hash}/confirmations/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ signature: await councilSignature(plan) }),
    })
    expect(posted.status).toBe(201)
    const listed = envelope(
      await cli(['queue', '--safe', parent, '--tx-service-url', service.url, '--json']),
    ).data
    expect(listed.transactions[0]).toMatchObject({ safeTxHash: hash, confirmations: 2, ready: true })

    const before = await devnet.provider.getBalance(GRANTS_MULTISIG)
    const executed = await cli([
      'execute',
      hash,
      '--key-env',
      'OUTSIDER',
      '--tx-service-url',
      service.url,
      '--json',
    ])
    expect(executed.code, executed.stdout + executed.stderr).toBe(0)
    expect(envelope(executed).data.signers).toContain(devnet.layout.council)
    expect((await devnet.provider.getBalance(GRANTS_MULTISIG)) - before).toBe(parseUnits('0.1', 18))
  })

  it('a contract signature the owner Safe does not back is refused by the Safe and not counted', async () => {
    const parent = await deployParent(7002n)
    devnet.write('parent-bad.yaml', ethPayout(parent, '0.2'))
    const dir = join(devnet.dir, 'queue-1271')
    const hash = envelope(
      await cli(['propose', 'parent-bad.yaml', '--key-env', 'ALICE', '--queue-dir', dir, '--json']),
    ).data.safeTxHash as Hex
    // Only one council owner signed: the council's threshold (2) is not met, so its isValidSignature fails.
    const plan = readPlanFile(join(devnet.dir, 'parent-bad.plan.json'))
    await directoryQueue(dir).confirm({
      safeTxHash: hash,
      owner: devnet.layout.council,
      signature: await councilSignature(plan, [alice]),
    })
    const listed = envelope(await cli(['queue', '--safe', parent, '--queue-dir', dir, '--json'])).data
    expect(listed.transactions[0]).toMatchObject({ confirmations: 1, ready: false })
    expect(listed.transactions[0].rejected[0].reason).toMatch(/the Safe refuses its contract signature/)
    const r = await cli(['execute', hash, '--key-env', 'OUTSIDER', '--queue-dir', dir, '--json'])
    expect(r.code).toBe(1)
    const error = envelope(r).errors[0]!
    expect(error.code).toBe('THRESHOLD_NOT_MET')
    expect(error.details!.join('\n')).toMatch(/contract signature is refused by the Safe: GS0(24|20|13)/)
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
