import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { computeAddress, SigningKey } from 'ethers'
import { loadActionFile } from '../actions/actionFile.js'
import { providerLogSource } from '../chain/logSource.js'
import { connect } from '../chain/provider.js'
import { type AllianceState, readAllianceState } from '../chain/readAllianceState.js'
import { chainReads } from '../chain/safeReads.js'
import { chainCheckReads } from '../checks/checkContext.js'
import { checkPlan } from '../checks/checkPlan.js'
import type { CheckReport } from '../checks/runChecks.js'
import { workspaceDecodeContext } from '../decode/workspaceDecodeContext.js'
import { COUNCIL_OWNERS } from '../devnet/accounts.js'
import { renderDevnetWorkspace, templatesDir } from '../devnet/devnetWorkspace.js'
import { startDevnet } from '../devnet/startDevnet.js'
import { type ExecuteSafePlanReturnType, executeSafePlan } from '../execute/executeSafePlan.js'
import { defaultLedgerPath } from '../payouts/ledger.js'
import { type PayoutRunResult, runPayouts } from '../payouts/runPayouts.js'
import { loadPayoutSchedule } from '../payouts/schedule.js'
import { buildSafePlan } from '../plan/buildSafePlan.js'
import { readPlanFile, writePlanFile } from '../plan/planFile.js'
import type { SafePlan } from '../plan/types.js'
import { directoryQueue } from '../queue/directoryQueue.js'
import { reportSafePlan } from '../report/reportSafePlan.js'
import type { SimulationReport } from '../report/schema.js'
import { signSafeTxHash } from '../safe/signatures.js'
import type { Address } from '../safe/types.js'
import type { LocalSigner } from '../signers/privateKeyFromEnv.js'
import { signPlan } from '../signers/signPlan.js'
import { loadWorkspace, type Workspace } from '../workspace/loadWorkspace.js'

export const DEMO_ACTIONS = `version: 1
safe: council
description: November grants, vault rate and a new member
actions:
  - kind: allocate-treasury
    token: ALLY
    to: grants-multisig
    amount: "12500.5"
    memo: Grants round 7
  - kind: set-reward-rate
    vault: ally-staking
    rate: "0.05"
    duration: 30d
  - kind: admit-member
    name: PLAY DAO
    token: PLAY
    treasury: play-dao-treasury
    weight-bps: 1500
`

export type DemoStep =
  | { step: 'devnet'; url: string; readyMs: number; workspace: string }
  | { step: 'validate'; file: string; actions: string[] }
  | { step: 'plan'; plan: SafePlan; planFile: string; checks: CheckReport }
  | { step: 'simulate'; report: SimulationReport }
  | { step: 'sign'; signer: Address; signatures: number; threshold: number }
  | { step: 'execute'; result: ExecuteSafePlanReturnType }
  | { step: 'state'; before: AllianceState; after: AllianceState }
  | {
      step: 'payouts'
      schedule: string
      period: string
      proposed: PayoutRunResult['proposed']
      confirmedBy: Address
      executed: PayoutRunResult['executed']
      rerun: PayoutRunResult['outcome']
    }

export type DemoResult = { dir: string; steps: DemoStep[]; workspace: Workspace }

const devnetSigner = (i: number): LocalSigner => {
  const key = new SigningKey(COUNCIL_OWNERS[i]!.key)
  return { address: computeAddress(key) as Address, key, source: `devnet owner ${i}` }
}

/**
 * The whole journey on a fresh devnet: validate, plan, simulate, two owners sign, execute, and the
 * state that changed. `onStep` sees each step as it completes (the command prints them).
 */
export type RunDemoOptions = { keep?: boolean; onStep?: (s: DemoStep) => void }

export async function runDemo(options: RunDemoOptions = {}): Promise<DemoResult> {
  const steps: DemoStep[] = []
  const record = (s: DemoStep) => {
    steps.push(s)
    options.onStep?.(s)
  }
  const dir = mkdtempSync(join(tmpdir(), 'alliance-demo-'))
  const devnet = await startDevnet()
  const provider = await connect(devnet.anvil.url, BigInt(devnet.layout.chainId))
  try {
    const workspaceFile = join(dir, 'alliance.yaml')
    writeFileSync(workspaceFile, renderDevnetWorkspace(devnet.anvil.url))
    const workspace = loadWorkspace({ file: workspaceFile })
    record({ step: 'devnet', url: devnet.anvil.url, readyMs: devnet.readyMs, workspace: workspaceFile })

    const actionPath = join(dir, 'november.yaml')
    writeFileSync(actionPath, DEMO_ACTIONS)
    const actionFile = loadActionFile(actionPath, workspace)
    record({ step: 'validate', file: actionPath, actions: actionFile.actions.map((a) => a.description) })

    const reads = chainReads(provider)
    const before = await readAllianceState(provider, workspace)
    const planFile = join(dir, 'november.plan.json')
    const plan = await buildSafePlan(actionFile, reads)
    writePlanFile(planFile, plan)
    const checks = await checkPlan(plan, workspace, workspaceDecodeContext(workspace), {
      reads,
      checkReads: chainCheckReads(provider),
    })
    record({ step: 'plan', plan, planFile, checks })

    const { report } = await reportSafePlan({
      plan,
      workspace,
      decode: workspaceDecodeContext(workspace),
      chain: { provider, reads, checkReads: chainCheckReads(provider) },
    })
    record({ step: 'simulate', report })
    if (!report.execution.success)
      throw new Error(`demo simulation failed: ${report.execution.failure?.reason}`)

    for (const i of [0, 1]) {
      const signer = devnetSigner(i)
      const signed = await signPlan({ plan: readPlanFile(planFile), planFile, signer, workspace, reads })
      writePlanFile(planFile, signed)
      record({
        step: 'sign',
        signer: signer.address,
        signatures: signed.signatures.length,
        threshold: signed.safe.threshold,
      })
    }

    const result = await executeSafePlan({
      plan: readPlanFile(planFile),
      planFile,
      executor: devnetSigner(2),
      provider,
      reads,
      workspace,
    })
    record({ step: 'execute', result })
    record({ step: 'state', before, after: await readAllianceState(provider, workspace) })
    record(await demoPayouts(dir, workspace, provider))
    return { dir, steps, workspace }
  } finally {
    provider.destroy()
    await devnet.anvil.stop()
    if (!options.keep) rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * The example schedule (templates/payouts) for one month: owner 0 proposes to a queue directory, owner 1
 * confirms, owner 2 executes; run again, there is nothing to do.
 */
async function demoPayouts(
  dir: string,
  workspace: Workspace,
  provider: Awaited<ReturnType<typeof connect>>,
): Promise<Extract<DemoStep, { step: 'payouts' }>> {
  const payoutsDir = join(dir, 'payouts')
  mkdirSync(payoutsDir, { recursive: true })
  for (const name of readdirSync(join(templatesDir(), 'payouts')))
    copyFileSync(join(templatesDir(), 'payouts', name), join(payoutsDir, name))
  const schedule = loadPayoutSchedule(join(payoutsDir, 'contributors.yaml'), workspace)
  const queue = directoryQueue(join(dir, 'queue'))
  const period = '2026-11'
  const base = {
    schedule,
    period,
    workspace,
    provider,
    reads: chainReads(provider),
    decode: workspaceDecodeContext(workspace),
    logs: providerLogSource(provider),
    queue,
    ledgerPath: defaultLedgerPath(dir, schedule.id),
  }
  const proposed = await runPayouts({ ...base, mode: 'propose', signer: devnetSigner(0) })
  const confirmer = devnetSigner(1)
  for (const tx of proposed.proposed)
    await queue.confirm({
      safeTxHash: tx.safeTxHash,
      owner: confirmer.address,
      signature: signSafeTxHash(confirmer.key, tx.safeTxHash),
    })
  const executed = await runPayouts({ ...base, mode: 'execute', signer: devnetSigner(2) })
  const rerun = await runPayouts({ ...base, mode: 'execute', signer: devnetSigner(2) })
  return {
    step: 'payouts',
    schedule: schedule.id,
    period,
    proposed: proposed.proposed,
    confirmedBy: confirmer.address,
    executed: executed.executed,
    rerun: rerun.outcome,
  }
}
