import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { z } from 'zod'
import { AllianceError } from '../errors/base.js'
import { PayoutRunLockedError } from '../errors/payouts.js'
import type { Hex } from '../safe/types.js'
import { writeFileAtomic } from '../utils/atomicWrite.js'

/**
 * The steward's own record of what each run did: which Safe transaction carried which payouts, and how
 * far it got. It is never the authority — every run asks the chain and the queue — but it lets a person
 * see what happened, and a run reports where the ledger and the chain disagree.
 */
const entrySchema = z.object({
  period: z.string(),
  safeTxHash: z.string(),
  nonce: z.string(),
  state: z.enum(['proposing', 'proposed', 'executing', 'executed']),
  payouts: z.array(z.object({ recipient: z.string(), token: z.string(), amount: z.string() })),
  transactionHash: z.string().optional(),
  updatedAt: z.string(),
})
const ledgerSchema = z.object({
  format: z.literal('alliance-payout-ledger'),
  formatVersion: z.literal(1),
  schedule: z.string(),
  safe: z.string(),
  chainId: z.string(),
  entries: z.array(entrySchema),
})

export type LedgerEntry = z.infer<typeof entrySchema>
export type PayoutLedger = z.infer<typeof ledgerSchema>

export const defaultLedgerPath = (workspaceDir: string, scheduleId: string) =>
  join(workspaceDir, '.alliance', 'payouts', `${scheduleId}.ledger.json`)

export class LedgerUnreadableError extends AllianceError {
  override name = 'LedgerUnreadableError'
  constructor(path: string, reason: string) {
    super(`The payout ledger ${path} cannot be read: ${reason}`, {
      code: 'PAYOUT_LEDGER_UNREADABLE',
      hint: 'Move it aside and run again: the chain and the queue decide what is paid, the ledger only records it.',
    })
  }
}

export function readLedger(
  path: string,
  identity: Omit<PayoutLedger, 'format' | 'formatVersion' | 'entries'>,
): PayoutLedger {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch {
    return { format: 'alliance-payout-ledger', formatVersion: 1, ...identity, entries: [] }
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (err) {
    throw new LedgerUnreadableError(path, (err as Error).message)
  }
  const ledger = ledgerSchema.safeParse(parsed)
  if (!ledger.success) throw new LedgerUnreadableError(path, 'not a payout ledger of this version')
  for (const key of ['schedule', 'safe', 'chainId'] as const)
    if (ledger.data[key].toLowerCase() !== identity[key].toLowerCase())
      throw new LedgerUnreadableError(
        path,
        `it is the ledger of ${key} ${ledger.data[key]}, not ${identity[key]}`,
      )
  return ledger.data
}

/** Sets one transaction's entry (by safeTxHash) and writes the whole ledger through a rename. */
export function recordInLedger(
  path: string,
  ledger: PayoutLedger,
  entry: Omit<LedgerEntry, 'updatedAt'> & { safeTxHash: Hex },
  now: () => Date = () => new Date(),
): PayoutLedger {
  const updated: LedgerEntry = { ...entry, updatedAt: now().toISOString() }
  const entries = ledger.entries.filter((e) => e.safeTxHash.toLowerCase() !== entry.safeTxHash.toLowerCase())
  const next = { ...ledger, entries: [...entries, updated] }
  writeFileAtomic(path, `${JSON.stringify(next, null, 2)}\n`)
  return next
}

/**
 * One run per schedule at a time (two cron jobs overlapping would both see the same payouts due).
 * The lock file holds the owner's pid; a lock whose process is gone (killed mid-run) is taken over.
 */
export async function withRunLock<T>(ledgerPath: string, run: () => Promise<T>): Promise<T> {
  const lock = `${ledgerPath}.lock`
  mkdirSync(dirname(ledgerPath), { recursive: true })
  // The pid is written to a file of its own, then linked into place: the lock appears with its owner in
  // it (never empty for a moment), and the link fails if another run holds it.
  const mine = `${lock}.${process.pid}`
  writeFileSync(mine, String(process.pid))
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        linkSync(mine, lock)
        break
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw err
        const pid = Number.parseInt(readFileSync(lock, 'utf8'), 10)
        if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && processAlive(pid))
          throw new PayoutRunLockedError(lock, pid)
        rmSync(lock, { force: true })
      }
    }
  } finally {
    rmSync(mine, { force: true })
  }
  try {
    return await run()
  } finally {
    rmSync(lock, { force: true })
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}
