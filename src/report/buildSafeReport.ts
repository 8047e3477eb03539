import type { CheckReport } from '../checks/runChecks.js'
import type { DecodeContext } from '../decode/decodeCall.js'
import type { SafePlan } from '../plan/types.js'
import type { SafeSimulation } from '../simulate/simulateSafePlan.js'
import type { AddressBook } from '../workspace/addressBook.js'
import { assembleReport } from './assembleReport.js'
import { reportCalls } from './calls.js'
import type { SimulationReport } from './schema.js'

export type BuildSafeReportParameters = {
  plan: SafePlan
  simulation: SafeSimulation
  checks: CheckReport
  book: AddressBook
  decode: DecodeContext
  now?: Date
}

/** A Safe plan's simulation and checks as the one report every renderer and `--json` share. */
export function buildSafeReport(p: BuildSafeReportParameters): SimulationReport {
  const { plan, simulation: sim, book } = p
  const decode = { ...p.decode, safe: plan.safe.address, safeVersion: plan.safe.version }
  const actionOfCall = plan.actions.flatMap((a) => a.calls.map(() => a.index))
  return assembleReport({
    subject: {
      kind: 'safe',
      safe: { address: plan.safe.address, label: plan.safe.name ?? book.label(plan.safe.address) },
      safeVersion: plan.safe.version,
      nonce: plan.safeTx.nonce.toString(),
      safeTxHash: plan.hashes.safeTxHash,
      planId: plan.id,
      description: plan.description,
      file: plan.source.file,
    },
    calls: reportCalls(plan.safeTx, actionOfCall, decode, book, sim.failure),
    actionOfCall,
    environment: sim.environment,
    success: sim.success,
    gasUsed: sim.gasUsed,
    ...(sim.failure ? { failure: sim.failure } : {}),
    events: sim.events,
    balanceChanges: sim.balanceChanges,
    ...(sim.stateDiff ? { stateDiff: sim.stateDiff } : {}),
    executor: plan.safe.address,
    ...(sim.capture.trace ? { trace: sim.capture.trace } : {}),
    checks: p.checks,
    notes: sim.notes,
    book,
    decode,
    ...(p.now ? { now: p.now } : {}),
  })
}
