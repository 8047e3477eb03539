import type { Address, Hex } from '../safe/types.js'

/** A log as a receipt carries it; only what the EVM produced counts, not where it landed. */
export type ReplayLog = { address: Address; topics: Hex[]; data: Hex }

/** One balance after the block, as the chain has it and as the fork made it (`token` undefined: native). */
export type ReplayBalance = {
  holder: Address
  token?: Address
  before: bigint
  chain: bigint
  fork: bigint
}

/** What one transaction did, on the chain or on the fork. */
export type ReplayOutcome = {
  /** The receipt's status: false when the transaction reverted. */
  status: boolean
  logs: ReplayLog[]
}

export type ResimulationFindingCode = 'RESIMULATION_DIFFERS' | 'RESIMULATION_FAILED'

/** Same shape as a Safe history finding, so a report can list both side by side. */
export type ResimulationFinding = {
  code: ResimulationFindingCode
  severity: 'error'
  message: string
}

export type CompareResimulationParameters = {
  chain: ReplayOutcome
  fork: ReplayOutcome
  balances?: readonly ReplayBalance[]
}

/**
 * Every difference between what a transaction did on the chain and what it did when re-executed on a
 * fork: the outcome, each log (missing, extra, changed topics or data, in order), each balance. Pure: the
 * caller fetched both sides. No difference means an empty list.
 *
 * Logs are aligned, not zipped: one missing log in the middle would otherwise show every later log as
 * changed. A longest common subsequence of identical logs anchors the alignment; between two anchors a
 * chain log and a fork log from the same contract with the same event signature (topic0) are the same log
 * changed, everything else is missing or extra.
 */
export function compareResimulation({
  chain,
  fork,
  balances = [],
}: CompareResimulationParameters): ResimulationFinding[] {
  const findings: ResimulationFinding[] = []
  const differs = (message: string) =>
    findings.push({ code: 'RESIMULATION_DIFFERS', severity: 'error', message })
  if (chain.status && !fork.status) {
    findings.push({
      code: 'RESIMULATION_FAILED',
      severity: 'error',
      message: 'the transaction succeeded on chain but reverted when re-executed at its block',
    })
  } else if (!chain.status && fork.status) {
    differs('the transaction reverted on chain but succeeded when re-executed at its block')
  }

  for (const step of alignLogs(chain.logs, fork.logs)) {
    if (step.kind === 'same') continue
    if (step.kind === 'missing') {
      differs(`log #${step.chainIndex} (${describeLog(step.log)}) was not emitted on the fork`)
    } else if (step.kind === 'extra') {
      differs(
        `the fork emitted an extra log at position ${step.forkIndex} (${describeLog(step.log)}) that the chain does not have`,
      )
    } else {
      const parts: string[] = []
      const { chain: c, fork: f } = step
      c.topics.forEach((t, i) => {
        if (f.topics[i]?.toLowerCase() !== t.toLowerCase())
          parts.push(`topic ${i} ${t} on chain, ${f.topics[i] ?? 'absent'} on the fork`)
      })
      for (let i = c.topics.length; i < f.topics.length; i++)
        parts.push(`topic ${i} absent on chain, ${f.topics[i]} on the fork`)
      if (c.data.toLowerCase() !== f.data.toLowerCase())
        parts.push(`data ${short(c.data)} on chain, ${short(f.data)} on the fork`)
      differs(`log #${step.chainIndex} (${describeLog(c)}) changed: ${parts.join('; ')}`)
    }
  }

  for (const b of balances) {
    if (b.chain === b.fork) continue
    const what = b.token ? `token ${b.token} balance` : 'native balance'
    differs(
      `${what} of ${b.holder} changed by ${signed(b.chain - b.before)} on chain, by ${signed(b.fork - b.before)} on the fork`,
    )
  }
  return findings
}

type AlignStep =
  | { kind: 'same'; chainIndex: number; forkIndex: number }
  | { kind: 'changed'; chainIndex: number; forkIndex: number; chain: ReplayLog; fork: ReplayLog }
  | { kind: 'missing'; chainIndex: number; log: ReplayLog }
  | { kind: 'extra'; forkIndex: number; log: ReplayLog }

/** Chain logs against fork logs in order: identical, changed, missing on the fork, or extra on the fork. */
export function alignLogs(chain: readonly ReplayLog[], fork: readonly ReplayLog[]): AlignStep[] {
  const key = (l: ReplayLog) => `${l.address}|${l.topics.join(',')}|${l.data}`.toLowerCase()
  const a = chain.map(key)
  const b = fork.map(key)
  // LCS table: receipts hold tens of logs, so the quadratic table is small.
  const lcs = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0))
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!)

  const steps: AlignStep[] = []
  let pendingChain: number[] = []
  let pendingFork: number[] = []
  const flush = () => {
    // Between anchors: pair logs of the same contract and event in order; the rest is missing or extra.
    const used = new Set<number>()
    for (const ci of pendingChain) {
      const c = chain[ci]!
      const fi = pendingFork.find(
        (f) =>
          !used.has(f) &&
          fork[f]!.address.toLowerCase() === c.address.toLowerCase() &&
          fork[f]!.topics[0]?.toLowerCase() === c.topics[0]?.toLowerCase(),
      )
      if (fi === undefined) steps.push({ kind: 'missing', chainIndex: ci, log: c })
      else {
        used.add(fi)
        steps.push({ kind: 'changed', chainIndex: ci, forkIndex: fi, chain: c, fork: fork[fi]! })
      }
    }
    for (const fi of pendingFork)
      if (!used.has(fi)) steps.push({ kind: 'extra', forkIndex: fi, log: fork[fi]! })
    pendingChain = []
    pendingFork = []
  }
  let i = 0
  let j = 0
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      flush()
      steps.push({ kind: 'same', chainIndex: i, forkIndex: j })
      i++
      j++
    } else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) pendingChain.push(i++)
    else pendingFork.push(j++)
  }
  while (i < a.length) pendingChain.push(i++)
  while (j < b.length) pendingFork.push(j++)
  flush()
  return steps
}

const describeLog = (l: ReplayLog) => `${l.address} topic0 ${l.topics[0] ?? 'none'}`
const short = (hex: Hex) => (hex.length > 74 ? `${hex.slice(0, 74)}… (${(hex.length - 2) / 2} bytes)` : hex)
const signed = (v: bigint) => (v > 0n ? `+${v}` : `${v}`)
