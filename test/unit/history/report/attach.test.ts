import { describe, expect, it } from 'vitest'
import { attachReconciliation, attachResimulations } from '../../../../src/history/report/attach.js'
import { type SafeHistoryReport, safeHistoryReportSchema } from '../../../../src/history/report/schema.js'

const A = '0x5aFE3855358E112B5647B952709E6165e1c1eEEe'
const tx = (n: number) => `0x${n.toString(16).padStart(64, '0')}`
const entry = (n: number) => ({
  blockNumber: n,
  transactionHash: tx(n),
  logIndex: 0,
  success: true,
  version: '1.4.1',
  safeTxHash: { logged: tx(100 + n) },
  threshold: 1,
  owners: [],
  signers: [],
  actions: [],
  findings: [{ code: 'UNDECODED_CALL', level: 'info' as const, message: 'raw' }],
  verified: true,
})
const fresh = (): SafeHistoryReport =>
  safeHistoryReportSchema.parse({
    reportVersion: 1,
    generatedBy: 'alliance test',
    generatedAt: '2025-01-01T00:00:00.000Z',
    kind: 'safe-history',
    subject: { safe: { address: A, label: 'council' }, chainId: '1', fromBlock: 0, toBlock: 10 },
    summary: {
      executions: 2,
      succeeded: 2,
      failed: 0,
      verified: 2,
      configChanges: 0,
      findings: { error: 0, warning: 0, info: 2 },
      byCode: { UNDECODED_CALL: 2 },
    },
    executions: [entry(1), entry(2)],
    configChanges: [],
  })

describe('attaching re-simulation and reconciliation to a replayed history', () => {
  it('puts each result on its execution and counts its findings in the summary', () => {
    const report = fresh()
    const attached = attachResimulations(report, [
      {
        at: { transactionHash: tx(2).toUpperCase().replace('0X', '0x'), logIndex: 0 },
        resimulation: {
          agreed: false,
          findings: [{ code: 'RESIMULATION_DIFFERS', level: 'error', message: 'a log differs' }],
        },
      },
      // No such execution: ignored, not attached elsewhere.
      { at: { transactionHash: tx(3), logIndex: 0 }, resimulation: { findings: [] } },
    ])
    expect(attached).toBe(1)
    expect(report.executions[0]!.resimulation).toBeUndefined()
    expect(report.executions[1]!.resimulation).toMatchObject({ agreed: false })
    expect(report.summary.findings).toEqual({ error: 1, warning: 0, info: 2 })
    expect(report.summary.byCode).toEqual({ UNDECODED_CALL: 2, RESIMULATION_DIFFERS: 1 })
    // Extra fields of the attached result are kept: the schema leaves them to their owner.
    expect(safeHistoryReportSchema.parse(report).executions[1]!.resimulation).toMatchObject({ agreed: false })
  })

  it('adds the reconciliation section and its findings', () => {
    const report = fresh()
    attachReconciliation(report, {
      findings: [{ code: 'SERVICE_HASH_MISMATCH', level: 'error', message: 'the service lies' }],
    })
    expect(report.summary.findings.error).toBe(1)
    expect(report.summary.byCode.SERVICE_HASH_MISMATCH).toBe(1)
  })
})
