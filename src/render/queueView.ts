import type { ChalkInstance } from 'chalk'
import type { SafeState } from '../chain/safeReads.js'
import type { QueueEntry } from '../queue/reviewQueue.js'
import type { AddressBook } from '../workspace/addressBook.js'

/** The queue by nonce: each transaction's state, what it does, who signed, and anything that does not hold. */
export function renderQueue(
  entries: QueueEntry[],
  safe: SafeState,
  book: AddressBook,
  t: ChalkInstance,
): string {
  const out = [
    t.bold(
      `${book.label(safe.address)}: nonce ${safe.nonce}, ${safe.threshold} of ${safe.owners.length} owners`,
    ),
  ]
  if (entries.length === 0) return [...out, t.dim('  nothing pending')].join('\n')
  for (const e of entries) {
    const state = e.problems.length
      ? t.red.bold('DOES NOT VERIFY')
      : e.ready
        ? t.green('ready to execute')
        : `${e.confirmations} of ${e.threshold}`
    const collision = e.nonceCollision ? t.yellow(' · nonce shared with another transaction') : ''
    out.push('', `${t.bold(`#${e.nonce}`)} ${e.safeTxHash}  ${state}${collision}`)
    if (e.origin) out.push(t.dim(`  ${e.origin}`))
    for (const call of e.calls) out.push(`  · ${call}`)
    if (e.signers.length) out.push(`  signed by ${e.signers.map((s) => book.label(s)).join(', ')}`)
    for (const p of e.problems) out.push(t.red(`  ✘ ${p}`))
    for (const r of e.rejected)
      out.push(t.yellow(`  ! ${book.label(r.owner)}'s confirmation not counted: ${r.reason}`))
  }
  return out.join('\n')
}
