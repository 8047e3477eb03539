/**
 * Benchmarks (`npm run bench`): wall-clock figures for the README, measured on this machine.
 * Not a test: nothing here passes or fails, it prints medians over several runs.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { actionContext, loadActionFile } from '../src/actions/actionFile.js'
import { connect } from '../src/chain/provider.js'
import { chainReads } from '../src/chain/safeReads.js'
import { DEMO_ACTIONS } from '../src/demo/runDemo.js'
import { renderDevnetWorkspace } from '../src/devnet/devnetWorkspace.js'
import { startDevnet } from '../src/devnet/startDevnet.js'
import { buildSafePlan } from '../src/plan/buildSafePlan.js'
import { simulateSafePlan } from '../src/simulate/simulateSafePlan.js'
import { clearSlotHashCache } from '../src/simulate/stateDiff/resolveSlots.js'
import { loadWorkspace } from '../src/workspace/loadWorkspace.js'
import { benchHistory } from './history.js'
import { benchResimulate } from './resimulate.js'
import { benchSimulation } from './simulation.js'
import { report, time } from './stats.js'

const RUNS = Number(process.env.BENCH_RUNS ?? 5)

// `npm run bench -- history` runs the history replay benchmark alone (it generates its own history);
// `npm run bench -- resimulate [count]` the re-simulation benchmark alone.
if (process.argv[2] === 'history') {
  await benchHistory()
  process.exit(0)
}
if (process.argv[2] === 'resimulate') {
  await benchResimulate(process.argv[3] ? Number(process.argv[3]) : undefined)
  process.exit(0)
}

console.log(
  `alliance benchmarks — ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}\n`,
)

// 1. devnet start to ready: anvil up, Safe + alliance contracts deployed and wired.
const ready: number[] = []
for (let i = 0; i < RUNS; i++) {
  const devnet = await startDevnet()
  ready.push(devnet.readyMs)
  await devnet.anvil.stop()
}
report('devnet start → ready', ready)

// 2. The demo batch (3 actions) from YAML to plan, and its simulation, against a running devnet.
const devnet = await startDevnet()
const dir = mkdtempSync(join(tmpdir(), 'alliance-bench-'))
writeFileSync(join(dir, 'alliance.yaml'), renderDevnetWorkspace(devnet.anvil.url))
writeFileSync(join(dir, 'batch.yaml'), DEMO_ACTIONS)
const workspace = loadWorkspace({ file: join(dir, 'alliance.yaml') })
const provider = await connect(devnet.anvil.url, 31337n)
const reads = chainReads(provider)
const planTimes: number[] = []
const simTimes: number[] = []
for (let i = 0; i < RUNS; i++) {
  let plan: Awaited<ReturnType<typeof buildSafePlan>> | undefined
  planTimes.push(
    await time(
      async () => (plan = await buildSafePlan(loadActionFile(join(dir, 'batch.yaml'), workspace), reads)),
    ),
  )
  clearSlotHashCache()
  simTimes.push(
    await time(() =>
      simulateSafePlan({
        plan: plan!,
        provider,
        reads,
        book: workspace.book,
        abiFor: actionContext(workspace).abiFor,
      }),
    ),
  )
}
report('plan (3 actions, YAML → hashes checked on chain)', planTimes)
report('simulate (trace + state diff, 3-call batch)', simTimes)

// 3. The simulation targets: a 50-action batch to a report, a 10-call proposal's lifecycle.
await benchSimulation({ dir, workspace, provider, runs: RUNS })

// 4. The CLI as a user runs it: process start to exit.
const run = fileURLToPath(new URL('../bin/run.js', import.meta.url))
// Asynchronously: a synchronous child would stop this process draining the devnet anvil's log pipe,
// and anvil blocks once that pipe is full.
const execFileAsync = promisify(execFile)
const cli = (args: string[]) =>
  time(async () => {
    try {
      await execFileAsync(process.execPath, [run, ...args], { cwd: dir })
    } catch (err) {
      const e = err as { stdout?: string; stderr?: string }
      throw new Error(`alliance ${args.join(' ')} failed:\n${e.stdout}\n${e.stderr}`)
    }
  })
const help: number[] = []
const validate: number[] = []
const plan: number[] = []
for (let i = 0; i < RUNS; i++) {
  help.push(await cli(['--help']))
  validate.push(await cli(['validate', 'batch.yaml']))
  plan.push(await cli(['plan', 'batch.yaml']))
}
report('CLI: alliance --help', help)
report('CLI: alliance validate (no chain)', validate)
report('CLI: alliance plan (devnet)', plan)
const simulateCli: number[] = []
for (let i = 0; i < RUNS; i++) simulateCli.push(await cli(['simulate', 'batch.yaml']))
report('CLI: alliance simulate (devnet, 3 actions)', simulateCli)

provider.destroy()
await devnet.anvil.stop()

// 5. History replay: 1,000 Safe executions and 50 proposals generated on a fresh devnet, then replayed.
await benchHistory()

// 6. Re-simulation: 200 executions re-executed at their blocks, consecutive and sparse.
console.log()
await benchResimulate()
