import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadActionFile } from '../../src/actions/actionFile.js'
import { executeProposal } from '../../src/execute/governor/execute.js'
import { proposeProposal } from '../../src/execute/governor/propose.js'
import { queueProposal } from '../../src/execute/governor/queue.js'
import { castVote } from '../../src/execute/governor/vote.js'
import { buildGovernorProposal } from '../../src/governor/buildProposal.js'
import { type GovernorInfo, readGovernor, readProposal } from '../../src/governor/readGovernor.js'
import type { GovernorProposal } from '../../src/governor/types.js'
import { historyReportSchema } from '../../src/history/report/schema.js'
import { renderInChromium } from '../support/chromium.js'
import { envelope, runCli } from '../support/cli.js'
import { startTestDevnet, type TestDevnet } from '../support/devnet.js'
import { rpcProxy } from '../support/rpcProxy.js'
import {
  alice,
  bob,
  type CouncilHistory,
  type CouncilHistoryStep,
  carol,
  generateCouncilHistory,
} from '../support/safeHistory.js'

let devnet: TestDevnet
let history: CouncilHistory
let info: GovernorInfo
let proposal: GovernorProposal
const scratch = mkdtempSync(join(tmpdir(), 'alliance-history-'))
const cli = (args: string[], env: Record<string, string> = {}) => runCli(args, { cwd: devnet.dir, env })

// A description an attacker controls: it must arrive in every report as text, never as markup.
const HOSTILE_TITLE = 'Rate <img src=x onerror="alert(1)"> & <script>alert(2)</script>'

beforeAll(async () => {
  devnet = await startTestDevnet()
  history = await generateCouncilHistory(devnet)

  // One Governor proposal through its whole lifecycle.
  info = await readGovernor(devnet.provider, devnet.layout.contracts.governor)
  const file = loadActionFile(
    devnet.write(
      'rate.yaml',
      `version: 1
safe: council
route: governor
description: ${JSON.stringify(`# ${HOSTILE_TITLE}\n\nA reward rate.`)}
actions:
  - kind: set-reward-rate
    vault: ally-staking
    rate: "0.05"
    duration: 30d
`,
    ),
    devnet.workspace,
  )
  proposal = buildGovernorProposal(file, info.address, info.timelock, info.ozVersion)
  const mine = (n: bigint) => devnet.provider.send('anvil_mine', [`0x${n.toString(16)}`])
  const head = async () => BigInt(await devnet.provider.getBlockNumber())
  await proposeProposal({ provider: devnet.provider, signer: alice, info, proposal })
  const onChain = () => readProposal(devnet.provider, info.address, proposal.proposalId)
  await mine((await onChain()).snapshot - (await head()) + 1n)
  for (const signer of [alice, bob])
    await castVote({ provider: devnet.provider, signer, info, id: proposal.proposalId, support: 'for' })
  await mine((await onChain()).deadline - (await head()) + 1n)
  await queueProposal({ provider: devnet.provider, signer: carol, info, proposal })
  await devnet.provider.send('evm_increaseTime', [3601])
  await mine(1n)
  await executeProposal({ provider: devnet.provider, signer: carol, info, proposal })
}, 180_000)

afterAll(async () => {
  await devnet?.stop()
  rmSync(scratch, { recursive: true, force: true })
})

/** The report without the time it was written: two runs of one history must agree on everything else. */
// biome-ignore lint/suspicious/noExplicitAny: the report is checked against its schema where it matters.
const timeless = (report: any) => ({ ...report, generatedAt: undefined })

describe('history replay --safe', () => {
  // biome-ignore lint/suspicious/noExplicitAny: read by the documented shape, validated by the schema.
  let data: any
  const entry = (step: CouncilHistoryStep) => {
    const e = data.report.executions.find(
      (x: { safeTxHash: { logged: string } }) =>
        x.safeTxHash.logged === history.sent[step].hash.toLowerCase(),
    )
    if (!e) throw new Error(`no entry for ${step}`)
    return e
  }

  beforeAll(async () => {
    const r = await cli(['history', 'replay', '--safe', 'council', '--json', '--no-cache'])
    expect(r.code, r.stdout.slice(0, 2000) + r.stderr).toBe(0)
    data = envelope(r).data
    historyReportSchema.parse(data.report)
  }, 60_000)

  it('finds every execution in chain order, each hash logged = recomputed = the Safe’s own', () => {
    const logged = data.report.executions.map((e: { safeTxHash: { logged: string } }) => e.safeTxHash.logged)
    expect(logged).toEqual(
      ['batch', 'approved', 'byCarol', 'swap', 'by1271', 'nested', 'failing'].map((s) =>
        history.sent[s as CouncilHistoryStep].hash.toLowerCase(),
      ),
    )
    for (const e of data.report.executions) {
      expect(e.safeTxHash.recomputed).toBe(e.safeTxHash.logged)
      expect(e.safeTxHash.chain).toBe(e.safeTxHash.logged)
    }
    expect(data.report.executions.map((e: { nonce: string }) => e.nonce)).toEqual([
      '0',
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
    ])
    expect(data.report.summary).toMatchObject({
      executions: 7,
      succeeded: 6,
      failed: 1,
      verified: 7,
      configChanges: 3,
      findings: { error: 0, warning: 1 },
      byCode: { EXECUTION_FAILED: 1 },
    })
    // --no-cache: everything verified now, nothing from disk.
    expect(data.stats.records).toMatchObject({ executions: 7, recordsVerified: 7, recordsFromCache: 0 })
    expect(data.stats.cacheDir).toBeUndefined()
  })

  it('names the batch as its alliance actions', () => {
    const e = entry('batch')
    expect(e).toMatchObject({
      batch: 'multisend-call-only',
      via: 'transaction',
      executor: { label: 'carol' },
    })
    expect(e.actions.map((a: { kind: string }) => a.kind)).toEqual([
      'allocate-treasury',
      'set-reward-rate',
      'admit-member',
    ])
    expect(e.actions[0].text).toMatch(/Allocate 12,?500\.5 ALLY/)
    expect(
      e.signers.map((s: { signer: { label: string }; kind: string }) => [s.signer.label, s.kind]),
    ).toEqual(
      expect.arrayContaining([
        ['alice', 'eoa'],
        ['bob', 'eoa'],
      ]),
    )
  })

  it("names the on-chain approval, Carol's eth_sign before she was removed, and the owner change", () => {
    expect(entry('approved').signers).toContainEqual(
      expect.objectContaining({
        kind: 'approved-hash',
        signer: expect.objectContaining({ label: 'bob' }),
        evidence: 'approved-before-block',
        valid: true,
        owner: true,
      }),
    )
    expect(entry('byCarol').signers).toContainEqual(
      expect.objectContaining({
        kind: 'eth_sign',
        signer: expect.objectContaining({ label: 'carol' }),
        owner: true,
      }),
    )
    const swap = entry('swap')
    expect(data.report.configChanges.map((c: { kind: string }) => c.kind)).toEqual([
      'setup',
      'owner-removed',
      'owner-added',
    ])
    expect(data.report.configChanges[1]).toMatchObject({
      transactionHash: swap.transactionHash,
      address: { label: 'carol' },
    })
    expect(data.report.configChanges[2]).toMatchObject({
      transactionHash: swap.transactionHash,
      address: { address: history.ownerSafe },
      text: `owner added: ${history.ownerSafe}`,
    })
    // After the swap the owner Safe, not Carol, is among the owners each later execution was judged against.
    expect(entry('by1271').owners.map((o: { address: string }) => o.address)).toContain(history.ownerSafe)
    expect(entry('byCarol').owners.map((o: { label: string }) => o.label)).toContain('carol')
  })

  it("names the owner Safe's EIP-1271 signature and the nested execution found in the trace", () => {
    expect(entry('by1271').signers).toContainEqual(
      expect.objectContaining({
        kind: 'contract',
        signer: expect.objectContaining({ address: history.ownerSafe }),
        evidence: 'isValidSignature',
        valid: true,
        owner: true,
      }),
    )
    const nested = entry('nested')
    expect(nested).toMatchObject({ via: 'trace', executor: { address: history.ownerSafe }, verified: true })
    expect(nested.signers).toContainEqual(
      expect.objectContaining({ kind: 'approved-hash', evidence: 'executor', valid: true }),
    )
  })

  it('names the failed execution as a warning; --fail-on warning exits 1 with the report still in the envelope', async () => {
    expect(entry('failing')).toMatchObject({
      success: false,
      verified: true,
      findings: [expect.objectContaining({ code: 'EXECUTION_FAILED', level: 'warning' })],
    })
    const r = await cli([
      'history',
      'replay',
      '--safe',
      'council',
      '--json',
      '--no-cache',
      '--fail-on',
      'warning',
    ])
    expect(r.code).toBe(1)
    const out = envelope(r)
    expect(out.success).toBe(false)
    expect(out.errors[0]?.code).toBe('HISTORY_FINDINGS')
    expect(timeless(out.data.report)).toEqual(timeless(data.report))
  })

  it('prints the history for a person, and writes Markdown', async () => {
    const md = join(scratch, 'council.md')
    const r = await cli(['history', 'replay', '--safe', 'council', '--no-cache', '--report', md])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/^⚠ SAFE HISTORY VERIFIED WITH 1 WARNING/)
    expect(r.stdout).toContain('MultiSendCallOnly batch of 3')
    expect(r.stdout).toContain('found in the call trace')
    expect(r.stdout).toContain('⚠ EXECUTION_FAILED')
    expect(r.stdout).toContain('owner removed: carol')
    // Not a terminal: no progress line on stderr.
    expect(r.stderr).toBe('')
    const text = readFileSync(md, 'utf8')
    expect(text).toMatch(/^# ⚠ SAFE HISTORY VERIFIED WITH 1 WARNING/)
    expect(text.match(/^### /gm)).toHaveLength(7)
  })

  it('writes an HTML report that a browser shows with every execution and the findings', {
    timeout: 150_000,
  }, async () => {
    const html = join(scratch, 'council.html')
    const r = await cli(['history', 'replay', '--safe', 'council', '--no-cache', '--report', html, '--json'])
    expect(r.code, r.stderr).toBe(0)
    const page = await renderInChromium(readFileSync(html, 'utf8'))
    // The embedded report is the one --json printed, and the page ran no script of its own.
    const embedded =
      /<script type="application\/json" id="alliance-history-report">([\s\S]*?)<\/script>/.exec(page.dom)
    expect(timeless(JSON.parse(embedded![1]!))).toEqual(timeless(envelope(r).data.report))
    expect(page.dom.match(/<article class="execution/g)).toHaveLength(7)
    const text = page.visibleText
    expect(text.startsWith('⚠ SAFE HISTORY VERIFIED WITH 1 WARNING')).toBe(true)
    expect(text).toContain('EXECUTION_FAILED')
    expect(text).toContain('EIP-1271 contract')
    expect(text).toContain('found in the call trace')
    expect(text).toContain('owner removed: carol')
    expect(text).toMatch(/allocate-treasury\s+Allocate 12,?500\.5 ALLY/)
  })
})

describe('an interrupted replay resumes', () => {
  it('killed after 3 verified executions, the rerun fetches only the other 4 and gives the same report', {
    timeout: 120_000,
  }, async () => {
    const proxy = await rpcProxy(devnet.url)
    try {
      const replay = (cacheDir: string, env: Record<string, string> = {}) =>
        cli(
          [
            'history',
            'replay',
            '--safe',
            'council',
            '--json',
            '--rpc-url',
            proxy.url,
            '--cache-dir',
            cacheDir,
          ],
          env,
        )
      // One line per verified execution, appended as each is done.
      const records = (cacheDir: string) => {
        const file = join(cacheDir, 'replay', '31337', devnet.layout.council.toLowerCase(), 'records.jsonl')
        return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : []
      }

      const clean = await replay(join(scratch, 'cache-clean'))
      expect(clean.code, clean.stderr).toBe(0)
      const cleanCounts = proxy.take()
      expect(cleanCounts.eth_getTransactionByHash).toBe(7)
      expect(cleanCounts.debug_traceTransaction).toBe(1) // the nested execution only

      const cacheDir = join(scratch, 'cache-resume')
      // SIGKILL right after the third record is written: nothing gets to clean up.
      const killed = await replay(cacheDir, { ALLIANCE_FAULT_AT: 'history-after-3' })
      expect(killed.code).not.toBe(0)
      expect(killed.stdout).toBe('')
      expect(records(cacheDir)).toHaveLength(3)
      const killedCounts = proxy.take()
      expect(killedCounts.eth_getLogs).toBe(cleanCounts.eth_getLogs)

      const resumed = await replay(cacheDir)
      expect(resumed.code, resumed.stderr).toBe(0)
      const resumedCounts = proxy.take()
      // The logs were all cached by the killed run; the three kept executions are not fetched again.
      expect(resumedCounts.eth_getLogs).toBeUndefined()
      expect(resumedCounts.eth_getTransactionByHash).toBe(4)
      const data = envelope(resumed).data
      expect(data.stats.records).toMatchObject({ recordsFromCache: 3, recordsVerified: 4 })
      expect(data.stats.logs).toMatchObject({ logRequests: 0 })
      expect(records(cacheDir)).toHaveLength(7)
      expect(timeless(data.report)).toEqual(timeless(envelope(clean).data.report))

      // And once everything is kept, a rerun asks the node for no logs, transactions, traces or state.
      const again = await replay(cacheDir)
      expect(again.code).toBe(0)
      const againCounts = proxy.take()
      for (const method of ['eth_getLogs', 'eth_getTransactionByHash', 'debug_traceTransaction', 'eth_call'])
        expect(againCounts[method], method).toBeUndefined()
      expect(timeless(envelope(again).data.report)).toEqual(timeless(envelope(clean).data.report))
    } finally {
      await proxy.close()
    }
  })
})

describe('history replay --governor', () => {
  // biome-ignore lint/suspicious/noExplicitAny: read by the documented shape, validated by the schema.
  let data: any
  beforeAll(async () => {
    const r = await cli(['history', 'replay', '--governor', 'governor', '--json'])
    expect(r.code, r.stdout.slice(0, 2000) + r.stderr).toBe(0)
    data = envelope(r).data
    historyReportSchema.parse(data.report)
  }, 60_000)

  it('shows the proposal executed, its ids recomputed, its votes and its timeline, and no bypass', () => {
    expect(data.report.proposals).toHaveLength(1)
    const p = data.report.proposals[0]
    expect(p).toMatchObject({
      proposalId: proposal.proposalId.toString(),
      recomputedProposalId: proposal.proposalId.toString(),
      timelockOperationId: proposal.timelockOperationId,
      status: 'executed',
      proposer: { label: 'alice' },
      title: HOSTILE_TITLE,
      votes: { count: 2 },
      findings: [],
    })
    expect(p.votes.onChain).toEqual(p.votes.tally)
    // Weights in the governor token's units, the workspace knowing ALLY's decimals.
    expect(p.timeline[1].text).toBe('alice voted for with 900,000 ALLY')
    expect(p.actions.map((a: { kind: string }) => a.kind)).toEqual(['set-reward-rate'])
    expect(p.timeline.map((e: { kind: string }) => e.kind)).toEqual([
      'created',
      'vote',
      'vote',
      // The governor's queue schedules on the timelock before it emits ProposalQueued; likewise execute.
      'timelock-scheduled',
      'queued',
      'timelock-executed',
      'executed',
    ])
    expect(data.report.bypass).toEqual([])
    expect(data.report.summary).toMatchObject({
      proposals: 1,
      executed: 1,
      findings: { error: 0, warning: 0 },
    })
  })

  it('renders a hostile description as text in the HTML report', { timeout: 150_000 }, async () => {
    const html = join(scratch, 'governor.html')
    const r = await cli(['history', 'replay', '--governor', 'governor', '--report', html])
    expect(r.code, r.stderr).toBe(0)
    const page = await renderInChromium(readFileSync(html, 'utf8'))
    expect(page.visibleText.startsWith('✔ GOVERNOR HISTORY VERIFIED'), page.visibleText.slice(0, 200)).toBe(
      true,
    )
    expect(page.visibleText).toContain(HOSTILE_TITLE)
    // No element came from the description: the only script is the inert JSON block, and there is no image.
    expect(page.dom).not.toMatch(/<img/i)
    expect(page.dom.match(/<script/g)).toHaveLength(1)
  })
})
