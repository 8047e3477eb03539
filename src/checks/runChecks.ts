import { ALL_CHECKS } from './index.js'
import type { CheckContext, Finding, RiskCheck, Severity } from './types.js'

export type CheckResult = {
  id: string
  name: string
  findings: Finding[]
  /** Why the check did not run (it needs a simulation and none ran). */
  skipped?: string
}
export type CheckReport = {
  results: CheckResult[]
  /** The most severe finding of all, or 'pass'. */
  verdict: Severity | 'pass'
  counts: Record<Severity, number>
}

const RANK: Record<Severity | 'pass', number> = { pass: 0, info: 1, warning: 2, danger: 3 }

/** Runs every check; a check that throws becomes a danger finding (a check that cannot run has not passed). */
export async function runChecks(
  ctx: CheckContext,
  checks: readonly RiskCheck[] = ALL_CHECKS,
): Promise<CheckReport> {
  // The checks are independent: they run together, so their chain reads share round trips.
  const results = await Promise.all(checks.map((check) => runOne(check, ctx)))
  const all = results.flatMap((r) => r.findings)
  const counts = { info: 0, warning: 0, danger: 0 }
  for (const f of all) counts[f.severity]++
  const verdict = all.reduce<Severity | 'pass'>(
    (worst, f) => (RANK[f.severity] > RANK[worst] ? f.severity : worst),
    'pass',
  )
  return { results, verdict, counts }
}

async function runOne(check: RiskCheck, ctx: CheckContext): Promise<CheckResult> {
  const base = { id: check.id, name: check.name, findings: [] }
  if (check.safeOnly && ctx.route === 'governor')
    return { ...base, skipped: 'applies to Safe transactions only' }
  if (check.needsSimulation && !ctx.simulation) {
    return { ...base, skipped: 'needs a simulation (alliance simulate)' }
  }
  try {
    return { ...base, findings: (await check.run(ctx)).map((f) => ({ ...f, check: check.id })) }
  } catch (err) {
    return {
      ...base,
      findings: [
        {
          check: check.id,
          severity: 'danger',
          message: `the check could not run: ${(err as Error).message.split('\n')[0]}`,
        },
      ],
    }
  }
}

export const FAIL_ON = ['warning', 'danger'] as const
export type FailOn = (typeof FAIL_ON)[number]

/** Whether a report fails the `--fail-on` policy. */
export const failsPolicy = (report: Pick<CheckReport, 'verdict'>, failOn: FailOn | undefined) =>
  failOn !== undefined && RANK[report.verdict] >= RANK[failOn]
