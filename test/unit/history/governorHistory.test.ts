import { type Log, toBeHex, ZeroHash, zeroPadValue } from 'ethers'
import { describe, expect, it } from 'vitest'
import type { LogSource } from '../../../src/chain/logSource.js'
import {
  descriptionHash,
  hashProposal,
  timelockOperationId,
  timelockSalt,
} from '../../../src/governor/proposalIds.js'
import { governorHistory } from '../../../src/history/governor/governorHistory.js'
import { governorHistoryAbi, timelockHistoryAbi } from '../../../src/history/governor/historyAbi.js'
import type { GovernorHistoryReads } from '../../../src/history/governor/historyReads.js'
import { timelockBypass } from '../../../src/history/governor/timelockBypass.js'
import type { VoteTally } from '../../../src/history/governor/types.js'
import type { Address, Hex } from '../../../src/safe/types.js'

// Histories the real contracts cannot produce (a wrong id, a queue that schedules nothing), written as
// logs: what the checks exist for.
const GOV = '0x1111111111111111111111111111111111111111' as Address
const TL = '0x2222222222222222222222222222222222222222' as Address
const TARGET = '0x3333333333333333333333333333333333333333' as Address
const VOTER = '0x4444444444444444444444444444444444444444' as Address
const tx = (n: number) => zeroPadValue(toBeHex(n), 32) as Hex

let logIndex = 0
const logs: Log[] = []
function emit(address: Address, name: string, args: unknown[], block: number, txHash: Hex) {
  const iface = address === GOV ? governorHistoryAbi : timelockHistoryAbi
  const { topics, data } = iface.encodeEventLog(name, args)
  logs.push({
    address,
    topics,
    data,
    blockNumber: block,
    transactionHash: txHash,
    index: logIndex++,
  } as unknown as Log)
}
// Answers newest first, as a cached or parallel source may: the history must order them itself.
const source: LogSource = async (q) =>
  logs
    .filter((l) => l.address === q.address && l.blockNumber >= q.fromBlock && l.blockNumber <= q.toBlock)
    .reverse()

function proposal(description: string) {
  const fields = { targets: [TARGET], values: [0n], calldatas: ['0x1234' as Hex] }
  const descHash = descriptionHash(description)
  const salt = timelockSalt(GOV, descHash, 5)
  return {
    ...fields,
    description,
    id: hashProposal({ ...fields, descriptionHash: descHash }),
    opId: timelockOperationId({ ...fields, salt }),
  }
}
type P = ReturnType<typeof proposal>
const create = (p: P, id: bigint, block: number) =>
  emit(
    GOV,
    'ProposalCreated',
    [id, VOTER, p.targets, p.values, [''], p.calldatas, block + 1, block + 10, p.description],
    block,
    tx(block),
  )
const schedule = (p: P, opId: Hex, block: number, txHash = tx(block)) =>
  emit(TL, 'CallScheduled', [opId, 0, p.targets[0], 0, p.calldatas[0], ZeroHash, 60], block, txHash)

// A: logged id is not the hash; the votes disagree with the governor; queued without a schedule.
const a = proposal('# A')
create(a, a.id + 1n, 10)
emit(GOV, 'VoteCast', [VOTER, a.id + 1n, 1, 10n, 'yes'], 12, tx(12))
emit(GOV, 'ProposalQueued', [a.id + 1n, 1000n], 20, tx(20))
// B: queued with the v4 salt's operation; executed without CallExecuted.
const b = proposal('# B')
const bWrongOp = timelockOperationId({ ...b, salt: timelockSalt(GOV, descriptionHash(b.description), 4) })
create(b, b.id, 30)
schedule(b, bWrongOp, 40)
emit(GOV, 'ProposalQueued', [b.id, 1000n], 40, tx(40))
emit(GOV, 'ProposalExecuted', [b.id], 50, tx(50))
// C: queued, then canceled while its operation stays scheduled.
const c = proposal('# C')
create(c, c.id, 60)
schedule(c, c.opId, 61)
emit(GOV, 'ProposalQueued', [c.id, 1000n], 61, tx(61))
emit(GOV, 'ProposalCanceled', [c.id], 62, tx(62))
// D: its operation run by executeBatch straight on the timelock.
const d = proposal('# D')
create(d, d.id, 70)
schedule(d, d.opId, 71)
emit(GOV, 'ProposalQueued', [d.id, 1000n], 71, tx(71))
emit(TL, 'CallExecuted', [d.opId, 0, TARGET, 0, '0x1234'], 80, tx(80))
// The constructor's first TimelockChange (from address(0)) is the setup, not a switch: no finding.
emit(GOV, 'TimelockChange', ['0x0000000000000000000000000000000000000000', TL], 1, tx(1))
emit(GOV, 'TimelockChange', [TL, TARGET], 90, tx(90))

const reads = (tallies: Map<bigint, VoteTally>): GovernorHistoryReads => ({
  getProposalId: async () => undefined,
  proposalVotes: async (_g, id) => tallies.get(id) ?? { for: 0n, against: 0n, abstain: 0n },
  transaction: async () => ({ from: VOTER, to: TL }),
})
const governor = { address: GOV, timelock: TL, ozVersion: 5 as const, proposalNumbering: 'hash' as const }

describe('governorHistory findings', () => {
  it('reports each disagreement between the governor, its timelock and the recomputed ids', async () => {
    const history = await governorHistory({
      governor,
      logs: source,
      reads: reads(new Map([[a.id + 1n, { for: 11n, against: 0n, abstain: 0n }]])),
      fromBlock: 0,
      toBlock: 100,
    })
    const codes = history.proposals.map((p) => p.findings.map((f) => f.code))
    expect(codes).toEqual([
      ['PROPOSAL_ID_MISMATCH', 'QUEUED_WITHOUT_TIMELOCK_SCHEDULE', 'VOTES_DISAGREE'],
      ['TIMELOCK_ID_MISMATCH', 'EXECUTED_WITHOUT_TIMELOCK_EXECUTION'],
      ['CANCELED_WITHOUT_TIMELOCK_CANCEL'],
      ['EXECUTED_ON_TIMELOCK_DIRECTLY'],
    ])
    expect(history.proposals[0]!.recomputedProposalId).toBe(a.id)
    expect(history.proposals[1]!.findings[0]!.message).toContain(bWrongOp)
    expect(history.proposals[3]!.timeline.map((e) => e.kind)).toEqual([
      'created',
      'timelock-scheduled',
      'queued',
      'timelock-executed',
    ])
    expect(history.findings.map((f) => f.code)).toEqual(['TIMELOCK_CHANGED'])
    // B's wrong operation was scheduled by the governor's own queue: a mismatch, already reported, not a bypass.
    expect(await timelockBypass({ history, reads: reads(new Map()) })).toEqual([])
  })

  it("asks a sequential governor's getProposalId, and a revert is a mismatch", async () => {
    const history = await governorHistory({
      governor: { ...governor, proposalNumbering: 'sequential' },
      logs: source,
      reads: reads(new Map()),
      fromBlock: 30,
      toBlock: 35,
    })
    expect(history.proposals[0]!.findings.map((f) => f.code)).toEqual(['PROPOSAL_ID_MISMATCH'])
    expect(history.proposals[0]!.findings[0]!.message).toMatch(/getProposalId does not know/)
  })

  it('refuses an empty range', async () => {
    await expect(
      governorHistory({ governor, logs: source, reads: reads(new Map()), fromBlock: 5, toBlock: 4 }),
    ).rejects.toMatchObject({ code: 'HISTORY_BAD_RANGE' })
  })
})
