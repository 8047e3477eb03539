/**
 * Simulation benchmarks for the README (issue: simulation a signer can read):
 * - a 50-action Safe batch from YAML to a rendered report, on a running devnet (target < 1.5 s);
 * - a 10-call Governor proposal through propose → vote → queue → execute on a fork (target < 3 s).
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { getAddress, id } from 'ethers'
import { loadActionFile } from '../src/actions/actionFile.js'
import type { AllianceProvider } from '../src/chain/provider.js'
import { chainReads } from '../src/chain/safeReads.js'
import { chainCheckReads } from '../src/checks/checkContext.js'
import { checkPlan } from '../src/checks/checkPlan.js'
import { checkProposal } from '../src/checks/checkProposal.js'
import { workspaceDecodeContext } from '../src/decode/workspaceDecodeContext.js'
import { buildGovernorProposal } from '../src/governor/buildProposal.js'
import { buildSafePlan } from '../src/plan/buildSafePlan.js'
import { renderReportHtml } from '../src/render/report/html.js'
import { renderReportTerminal } from '../src/render/report/terminal.js'
import { createTheme } from '../src/render/theme.js'
import { buildGovernorReport } from '../src/report/buildGovernorReport.js'
import { buildSafeReport } from '../src/report/buildSafeReport.js'
import { simulateProposal } from '../src/simulate/governor/simulateProposal.js'
import { simulateSafePlan } from '../src/simulate/simulateSafePlan.js'
import { clearSlotHashCache } from '../src/simulate/stateDiff/resolveSlots.js'
import type { Workspace } from '../src/workspace/loadWorkspace.js'
import { report, reportStages } from './stats.js'

/** 50 actions across every kind a council batches: allocations, payments, rates, members. */
export function fiftyActionBatch(): string {
  const lines = ['version: 1', 'safe: council', 'description: Bench batch of 50 actions', 'actions:']
  // Deterministic, so every run plans the same batch.
  const payee = (i: number) => getAddress(`0x${id(`bench payee ${i}`).slice(26)}`)
  for (let i = 0; i < 20; i++) {
    lines.push(
      '  - kind: allocate-treasury',
      '    token: ALLY',
      `    to: "${payee(i)}"`,
      `    amount: "${100 + i}"`,
      `    memo: bench ${i}`,
    )
  }
  for (let i = 0; i < 20; i++) {
    lines.push('  - kind: transfer', '    token: aUSD', `    to: "${payee(i)}"`, `    amount: "${10 + i}"`)
  }
  for (let i = 0; i < 5; i++) {
    lines.push(
      '  - kind: set-reward-rate',
      '    vault: ally-staking',
      `    rate: "0.0${i + 1}"`,
      '    duration: 30d',
    )
  }
  for (let i = 0; i < 5; i++) {
    lines.push(
      '  - kind: admit-member',
      `    name: Bench member ${i}`,
      '    token: PLAY',
      `    treasury: "${payee(i)}"`,
      '    weight-bps: 100',
    )
  }
  return `${lines.join('\n')}\n`
}

/** A 10-call proposal: eight allocations, a reward rate and the governor's own voting period. */
export function tenCallProposal(): string {
  const lines = [
    'version: 1',
    'safe: council',
    'route: governor',
    'description: "# Bench proposal\\n\\nTen calls."',
    'actions:',
  ]
  for (let i = 0; i < 8; i++) {
    lines.push(
      '  - kind: allocate-treasury',
      '    token: ALLY',
      '    to: grants-multisig',
      `    amount: "${1000 + i}"`,
      `    memo: bench ${i}`,
    )
  }
  lines.push('  - kind: set-reward-rate', '    vault: ally-staking', '    rate: "0.02"', '    duration: 30d')
  lines.push('  - kind: call', '    to: governor', '    signature: setVotingPeriod(uint32)', '    args: [60]')
  return `${lines.join('\n')}\n`
}

export async function benchSimulation(opts: {
  dir: string
  workspace: Workspace
  provider: AllianceProvider
  runs: number
}) {
  const { dir, workspace, provider, runs } = opts
  const reads = chainReads(provider)
  const checkReads = chainCheckReads(provider)
  const decode = workspaceDecodeContext(workspace)
  const t = createTheme({ color: false })

  // 1. 50-action Safe batch, YAML → rendered report.
  const batchFile = join(dir, 'batch50.yaml')
  writeFileSync(batchFile, fiftyActionBatch())
  const stages: Record<string, number[]> = {
    'validate (YAML → actions)': [],
    'plan (batch, hashes checked on chain)': [],
    'simulate (trace + state diff)': [],
    'checks (11, with the simulation)': [],
    'report (build + terminal + HTML)': [],
  }
  const totals: number[] = []
  let gas = 0n
  for (let i = 0; i < runs; i++) {
    // Each run pays what a fresh `alliance simulate` process pays: no slot hashes from the last run.
    clearSlotHashCache()
    const lap = stopwatch()
    const file = loadActionFile(batchFile, workspace)
    stages['validate (YAML → actions)']!.push(lap())
    const plan = await buildSafePlan(file, reads)
    stages['plan (batch, hashes checked on chain)']!.push(lap())
    const simulation = await simulateSafePlan({
      plan,
      provider,
      reads,
      book: workspace.book,
      abiFor: decode.abiFor,
    })
    if (!simulation.success) throw new Error(`bench batch failed: ${simulation.failure?.reason}`)
    gas = simulation.gasUsed
    stages['simulate (trace + state diff)']!.push(lap())
    const checks = await checkPlan(
      plan,
      workspace,
      decode,
      { reads, checkReads },
      {
        ...(simulation.capture.trace ? { trace: simulation.capture.trace } : {}),
        ...(simulation.stateDiff ? { stateDiff: simulation.stateDiff } : {}),
        balanceChanges: simulation.balanceChanges,
      },
    )
    stages['checks (11, with the simulation)']!.push(lap())
    const built = buildSafeReport({ plan, simulation, checks, book: workspace.book, decode })
    renderReportTerminal(built, t)
    renderReportHtml(built)
    stages['report (build + terminal + HTML)']!.push(lap())
    totals.push(lap.total())
  }
  report(`Safe batch, 50 actions: YAML → report (${gas} gas)`, totals, 1500)
  reportStages(stages)

  // 2. 10-call Governor proposal, whole lifecycle on a fork.
  const proposalFile = join(dir, 'proposal10.yaml')
  writeFileSync(proposalFile, tenCallProposal())
  const govTotals: number[] = []
  const govStages: Record<string, number[]> = {}
  for (let i = 0; i < runs; i++) {
    clearSlotHashCache()
    const lap = stopwatch()
    const file = loadActionFile(proposalFile, workspace)
    const governor = workspace.book.byName('governor')!.address
    const timelock = workspace.book.byName('timelock')!.address
    const proposal = buildGovernorProposal(file, governor, timelock)
    const simulation = await simulateProposal({
      proposal,
      provider,
      chainId: 31337n,
      book: workspace.book,
      abiFor: decode.abiFor,
    })
    if (!simulation.success) throw new Error(`bench proposal failed: ${simulation.failure?.reason}`)
    for (const [name, ms] of Object.entries(simulation.timings)) stage(govStages, name).push(ms)
    const before = performance.now()
    const checks = await checkProposal(proposal, workspace, decode, checkReads, {
      ...(simulation.capture?.trace ? { trace: simulation.capture.trace } : {}),
      ...(simulation.stateDiff ? { stateDiff: simulation.stateDiff } : {}),
      balanceChanges: simulation.balanceChanges,
    })
    const built = buildGovernorReport({ proposal, simulation, checks, book: workspace.book, decode })
    renderReportTerminal(built, t)
    stage(govStages, 'checks + report').push(performance.now() - before)
    govTotals.push(lap.total())
  }
  report('Governor proposal, 10 calls: propose → execute on a fork', govTotals, 3000)
  reportStages(govStages)
}

function stage(stages: Record<string, number[]>, name: string): number[] {
  stages[name] ??= []
  return stages[name]
}

function stopwatch() {
  const start = performance.now()
  let last = start
  const lap = () => {
    const now = performance.now()
    const ms = now - last
    last = now
    return ms
  }
  lap.total = () => performance.now() - start
  return lap
}
