import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseUnits, toBeHex, Wallet } from 'ethers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadActionFile } from '../../src/actions/actionFile.js'
import { tokenAbi } from '../../src/contracts/tokenAbi.js'
import {
  COUNCIL_OWNERS,
  DEVNET_ACCOUNTS,
  GRANTS_MULTISIG,
  PLAY_DAO_TREASURY,
} from '../../src/devnet/accounts.js'
import { DevnetSender } from '../../src/devnet/devnetSender.js'
import { historyReportSchema } from '../../src/history/report/schema.js'
import { buildSafePlan } from '../../src/plan/buildSafePlan.js'
import type { SafePlan } from '../../src/plan/types.js'
import { serviceQueue } from '../../src/queue/serviceQueue.js'
import type { ProposalQueue } from '../../src/queue/types.js'
import { encodeExecTransaction } from '../../src/safe/execTransaction.js'
import { encodeSafeSignatures, signSafeTxHash } from '../../src/safe/signatures.js'
import type { Address, Hex } from '../../src/safe/types.js'
import { envelope, runCli } from '../support/cli.js'
import { executeCouncilCalls } from '../support/councilExecutions.js'
import { startTestDevnet, type TestDevnet } from '../support/devnet.js'
import { balanceSlot } from '../support/tokenStorage.js'
import { startTxService, type TxService } from '../support/txService.js'

// `history replay --safe council` with --resimulate and a Transaction Service. The council works through
// the stand-in service (which indexes executions from the chain's logs) for two payouts, executes a third
// without ever posting it, then runs two executions in one block outside the service; the last describe
// tampers with a balance after one more execution.
const [alice, bob, carol] = COUNCIL_OWNERS
type Owner = (typeof COUNCIL_OWNERS)[number]
const executor = new Wallet(DEVNET_ACCOUNTS[4]!.key)

let devnet: TestDevnet
let service: TxService
let queue: ProposalQueue
let sender: DevnetSender
let safe: Address
let nonce0: bigint
let firstBlock: number
/** The last block of the service's part of the history. */
let serviceHead: number
let tampered: SafePlan
const ran = {} as Record<'paid' | 'tampered' | 'bypass', Hex>
let outside: Hex[]
const scratch = mkdtempSync(join(tmpdir(), 'alliance-history-extras-'))
const cli = (args: string[]) =>
  runCli(['history', 'replay', '--safe', 'council', ...args], { cwd: devnet.dir })

const payout = (amount: string) => `version: 1
safe: council
description: Pay grants-multisig ${amount} aUSD
actions:
  - kind: transfer
    token: aUSD
    to: grants-multisig
    amount: "${amount}"
`
const plan = (amount: string) =>
  buildSafePlan(
    loadActionFile(devnet.write(`pay-${amount}.yaml`, payout(amount)), devnet.workspace),
    devnet.reads,
  )
const sign = (owner: Owner, p: SafePlan) => signSafeTxHash(owner.key as Hex, p.hashes.safeTxHash)

async function execute(p: SafePlan, owners: Owner[]): Promise<Hex> {
  const items = owners.map((o) => ({ kind: 'eoa' as const, signer: o.address as Address, data: sign(o, p) }))
  const signatures = encodeSafeSignatures(items, { dataHash: p.hashes.safeTxHash })
  const receipt = await sender.send(executor.connect(devnet.provider), {
    to: safe,
    data: encodeExecTransaction(p.safeTx, signatures),
  })
  return receipt.hash as Hex
}

/** Proposed by Alice, confirmed by Bob, executed with both signatures. */
async function throughService(p: SafePlan): Promise<Hex> {
  await queue.propose({ plan: p, proposer: alice.address as Address, signature: sign(alice, p) })
  await queue.confirm({
    safeTxHash: p.hashes.safeTxHash,
    owner: bob.address as Address,
    signature: sign(bob, p),
  })
  return execute(p, [alice, bob])
}

const pay = (amount: string) => ({
  to: devnet.layout.contracts.aUSD,
  value: 0n,
  data: tokenAbi.encodeFunctionData('transfer', [GRANTS_MULTISIG, parseUnits(amount, 6)]) as Hex,
})

beforeAll(async () => {
  devnet = await startTestDevnet()
  service = await startTxService({ reads: devnet.reads, chainId: 31337n, node: devnet.provider })
  queue = await serviceQueue({ url: service.url, chainId: 31337n })
  sender = new DevnetSender(devnet.provider)
  safe = devnet.layout.council
  nonce0 = (await devnet.reads.readSafe(safe)).nonce
  firstBlock = (await devnet.provider.getBlockNumber()) + 1

  ran.paid = await throughService(await plan('100'))
  tampered = await plan('200')
  ran.tampered = await throughService(tampered)
  ran.bypass = await execute(await plan('300'), [alice, carol])
  serviceHead = await devnet.provider.getBlockNumber()
  // Two executions in one block, one paying ether: the fork replays the block whole.
  outside = await executeCouncilCalls(
    devnet,
    [pay('3'), { to: PLAY_DAO_TREASURY, value: parseUnits('0.2', 18), data: '0x' }],
    { perBlock: 2 },
  )
}, 120_000)

afterAll(async () => {
  await service?.stop()
  await devnet?.stop()
  rmSync(scratch, { recursive: true, force: true })
})

// biome-ignore lint/suspicious/noExplicitAny: read by the documented shape, validated by the schema.
type Data = any
const entryOf = (data: Data, transactionHash: Hex) => {
  const e = data.report.executions.find(
    (x: { transactionHash: string }) => x.transactionHash === transactionHash,
  )
  if (!e) throw new Error(`no entry for ${transactionHash}`)
  return e
}
const codes = (findings: { code: string }[]) => findings.map((f) => f.code)
/** How the queue names the service: its URL's path is left out (it may carry a key). */
const described = () => `Transaction Service at ${new URL(service.url).origin}/…`

describe('history replay --resimulate on an untampered history', () => {
  let data: Data

  beforeAll(async () => {
    const r = await cli(['--resimulate', '--json', '--no-cache', '--from-block', String(firstBlock)])
    expect(r.code, r.stdout.slice(0, 2000) + r.stderr).toBe(0)
    data = envelope(r).data
    historyReportSchema.parse(data.report)
  }, 60_000)

  it('re-executes every execution and every one agrees: no resimulation finding', () => {
    expect(data.report.executions).toHaveLength(5)
    for (const e of data.report.executions) {
      expect(e.resimulation, e.transactionHash).toMatchObject({
        agreed: true,
        forkBlock: e.blockNumber - 1,
        outcome: { chain: 'succeeded', fork: 'succeeded' },
        findings: [],
      })
      expect(e.resimulation.logs.fork).toBe(e.resimulation.logs.chain)
      // Every execution logs at least its ExecutionSuccess: an equality of two zeros would prove nothing.
      expect(e.resimulation.logs.chain).toBeGreaterThan(0)
    }
    expect(Object.keys(data.report.summary.byCode).filter((c) => c.startsWith('RESIMULATION'))).toEqual([])
    expect(data.stats.resimulation).toMatchObject({ executions: 5, agreed: 5 })
  })

  it('--reset-every-block starts every block from a fresh fork and agrees the same', async () => {
    const r = await cli([
      '--resimulate',
      '--reset-every-block',
      '--json',
      '--no-cache',
      '--from-block',
      String(firstBlock),
    ])
    expect(r.code, r.stderr).toBe(0)
    const reset = envelope(r).data
    const { steps } = reset.stats.resimulation
    // Every replayed block came to its parent by a start or a reset; none went on from another.
    expect(steps.continued + steps.bridged).toBe(0)
    expect(steps.started + steps.reset).toBeGreaterThan(1)
    // Without the flag a fork went on from a block it had replayed (two executions sit in adjacent blocks).
    const { steps: reused } = data.stats.resimulation
    expect(reused.continued + reused.bridged).toBeGreaterThan(0)
    const verdicts = (d: Data) =>
      d.report.executions.map((e: { resimulation: { agreed: boolean; balances: unknown } }) => [
        e.resimulation.agreed,
        e.resimulation.balances,
      ])
    expect(verdicts(reset)).toEqual(verdicts(data))
  }, 60_000)

  it('refuses --reset-every-block without --resimulate', async () => {
    const r = await cli(['--reset-every-block', '--json'])
    expect(r.code).not.toBe(0)
    expect(r.stdout + r.stderr).toContain('--resimulate')
  })

  it('lists the balances the execution moved, the ether payment’s recipient included', () => {
    const ether = entryOf(data, outside[1]!).resimulation.balances.find(
      (b: { holder: { address: string }; token?: unknown }) =>
        b.holder.address === PLAY_DAO_TREASURY && !b.token,
    )
    expect(ether).toBeDefined()
    expect(BigInt(ether.chain) - BigInt(ether.before)).toBe(parseUnits('0.2', 18))
    expect(ether.fork).toBe(ether.chain)
    const aUSD = entryOf(data, ran.paid).resimulation.balances.find(
      (b: { holder: { label: string }; token?: { label: string } }) =>
        b.holder.label === 'grants-multisig' && b.token?.label === 'aUSD',
    )
    expect(BigInt(aUSD.chain) - BigInt(aUSD.before)).toBe(parseUnits('100', 6))
  })

  it('has no reconciliation without a configured service, and says so in the human output', async () => {
    expect(data.report.reconciliation).toBeUndefined()
    const r = await cli(['--no-cache', '--from-block', String(firstBlock), '--to-block', String(serviceHead)])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain('No Transaction Service or queue directory configured')
    expect(r.stdout).not.toContain('Transaction Service reconciliation')
  }, 60_000)
})

describe('history replay reconciled with the Transaction Service', () => {
  let data: Data
  let code: number

  beforeAll(async () => {
    // The service lies about one record: another amount than the one executed.
    const original = tampered.safeTx.data
    service.tamper(tampered.hashes.safeTxHash, (t) => {
      t.data = `${original.slice(0, -64)}${999_999n.toString(16).padStart(64, '0')}` as Hex
    })
    const r = await cli([
      '--resimulate',
      '--tx-service-url',
      service.url,
      '--json',
      '--no-cache',
      '--from-block',
      String(firstBlock),
      '--to-block',
      String(serviceHead),
    ])
    code = r.code
    data = envelope(r).data
    historyReportSchema.parse(data.report)
  }, 60_000)

  it('reports the tampered record and the execution never posted, over the nonces of the range', () => {
    const section = data.report.reconciliation
    expect(section).toMatchObject({
      service: described(),
      nonces: { from: nonce0.toString(), to: (nonce0 + 3n).toString() },
      queued: 2,
      executions: 3,
    })
    expect(section.findings.map((f: { code: string; level: string }) => [f.code, f.level])).toEqual([
      ['SERVICE_HASH_MISMATCH', 'error'],
      ['SERVICE_DATA_DIFFERS', 'error'],
      ['SERVICE_MISSING', 'warning'],
    ])
    const h = tampered.hashes.safeTxHash
    expect(section.findings[0].message).toContain(`nonce ${nonce0 + 1n}, safeTxHash ${h}`)
    expect(section.findings[1].message).toContain(`executed in ${ran.tampered}: data `)
    expect(section.findings[2].message).toContain(`executed in ${ran.bypass}`)
  })

  it('counts the reconciliation’s findings in the summary and exits 1 on its errors', () => {
    expect(code).toBe(1)
    expect(data.report.summary.findings).toMatchObject({ error: 2, warning: 1 })
    expect(data.report.summary.byCode).toMatchObject({
      SERVICE_HASH_MISMATCH: 1,
      SERVICE_DATA_DIFFERS: 1,
      SERVICE_MISSING: 1,
    })
    // The executions themselves re-simulate identically: the service, not the chain, is wrong.
    expect(
      data.report.executions.every((e: { resimulation: { agreed: boolean } }) => e.resimulation.agreed),
    ).toBe(true)
  })

  it('draws the section in the terminal, Markdown and HTML', async () => {
    const md = join(scratch, 'service.md')
    const html = join(scratch, 'service.html')
    const r = await cli([
      '--tx-service-url',
      service.url,
      '--no-cache',
      '--from-block',
      String(firstBlock),
      '--to-block',
      String(serviceHead),
      '--report',
      md,
      '--report',
      html,
    ])
    expect(r.code).toBe(1)
    const summary = `${described()} · nonces ${nonce0}–${nonce0 + 2n} · 2 record(s) held, 3 execution(s) compared · 3 finding(s)`
    expect(r.stdout).toContain('Transaction Service reconciliation')
    expect(r.stdout).toContain(summary)
    expect(r.stdout).toContain('✘ SERVICE_HASH_MISMATCH nonce')
    expect(r.stdout).not.toContain('No Transaction Service')
    const markdown = readFileSync(md, 'utf8')
    expect(markdown).toContain('## Transaction Service reconciliation')
    expect(markdown).toContain('`SERVICE_DATA_DIFFERS`')
    expect(markdown).toContain('`SERVICE_MISSING`')
    const page = readFileSync(html, 'utf8')
    expect(page).toContain('<section id="reconciliation">')
    expect(page).toContain(`<p class="reconciled">${summary}</p>`)
    expect(page).toContain('<code>SERVICE_HASH_MISMATCH</code>')
  }, 60_000)

  it('fails before the replay when the service cannot be reached: nothing verified, no report', async () => {
    // A port that was just open and is now closed: the connection is refused.
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const port = (closed.address() as AddressInfo).port
    await new Promise<void>((resolve) => closed.close(() => resolve()))
    const cacheDir = join(scratch, 'unreachable-cache')
    const report = join(scratch, 'unreachable.html')
    const r = await cli([
      '--tx-service-url',
      `http://127.0.0.1:${port}/api`,
      '--cache-dir',
      cacheDir,
      '--report',
      report,
      '--json',
    ])
    expect(r.code).toBe(1)
    expect(envelope(r).errors[0]!.code).toBe('QUEUE_UNAVAILABLE')
    // The replay never started: no log was fetched, no execution verified, no report written.
    expect(existsSync(join(cacheDir, 'replay'))).toBe(false)
    expect(existsSync(join(cacheDir, 'logs'))).toBe(false)
    expect(existsSync(report)).toBe(false)
  }, 60_000)

  it('refuses --resimulate and a service with --governor', async () => {
    const r = await runCli(['history', 'replay', '--governor', 'governor', '--resimulate', '--json'], {
      cwd: devnet.dir,
    })
    expect(r.code).toBe(1)
    expect(envelope(r).errors[0]!.message).toContain('--resimulate')
    const withService = await runCli(
      ['history', 'replay', '--governor', 'governor', '--tx-service-url', service.url, '--json'],
      { cwd: devnet.dir },
    )
    expect(withService.code).toBe(1)
    expect(envelope(withService).errors[0]!.message).toContain('--tx-service-url')
  })
})

describe('history replay --resimulate when the chain’s state disagrees with an execution', () => {
  let data: Data
  let code: number
  let hash: Hex
  const md = () => join(scratch, 'tampered.md')
  const html = () => join(scratch, 'tampered.html')

  beforeAll(async () => {
    ;[hash] = (await executeCouncilCalls(devnet, [pay('7')])) as [Hex]
    // One more aUSD unit for the multisig written into the head block's state, outside any transaction.
    const token = devnet.layout.contracts.aUSD
    const slot = await balanceSlot(devnet.provider, token, GRANTS_MULTISIG)
    const balance = BigInt(await devnet.provider.getStorage(token, slot))
    await devnet.provider.send('anvil_setStorageAt', [token, slot, toBeHex(balance + 1n, 32)])
    const r = await cli(['--resimulate', '--json', '--no-cache', '--from-block', String(firstBlock)])
    code = r.code
    data = envelope(r).data
    historyReportSchema.parse(data.report)
  }, 60_000)

  it('reports RESIMULATION_DIFFERS on that execution, naming the balance', () => {
    expect(code).toBe(1)
    const e = entryOf(data, hash)
    expect(e.verified).toBe(true)
    expect(e.resimulation.agreed).toBe(false)
    expect(e.resimulation.findings).toEqual([
      {
        code: 'RESIMULATION_DIFFERS',
        level: 'error',
        message: `token ${devnet.layout.contracts.aUSD} balance of ${GRANTS_MULTISIG} changed by +7000001 on chain, by +7000000 on the fork`,
        transactionHash: hash,
      },
    ])
    expect(data.report.summary.byCode.RESIMULATION_DIFFERS).toBe(1)
    expect(data.report.summary.findings.error).toBe(1)
    const others = data.report.executions.filter(
      (x: { transactionHash: string }) => x.transactionHash !== hash,
    )
    expect(
      others.map((x: { resimulation: { findings: { code: string }[] } }) => codes(x.resimulation.findings)),
    ).toEqual(others.map(() => []))
    expect(data.stats.resimulation).toMatchObject({ executions: 6, agreed: 5 })
  })

  it('draws the result on each execution in the terminal, Markdown and HTML', async () => {
    const r = await cli([
      '--resimulate',
      '--no-cache',
      '--from-block',
      String(firstBlock),
      '--report',
      md(),
      '--report',
      html(),
    ])
    expect(r.code).toBe(1)
    expect(r.stdout).toContain('re-simulated: agrees: same outcome (succeeded)')
    expect(r.stdout).toContain('re-simulated: DIFFERS from the chain')
    expect(r.stdout).toContain(`✘ RESIMULATION_DIFFERS token ${devnet.layout.contracts.aUSD} balance`)
    const markdown = readFileSync(md(), 'utf8')
    expect(markdown).toContain('- re-simulated: agrees')
    expect(markdown).toContain('`RESIMULATION_DIFFERS`')
    const page = readFileSync(html(), 'utf8')
    expect(page).toContain('<tr class="resimulation"><th>re-simulated</th><td>DIFFERS from the chain')
    expect(page).toContain('<code>RESIMULATION_DIFFERS</code>')
  }, 60_000)
})
