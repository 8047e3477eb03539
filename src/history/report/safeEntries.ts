import type { DecodedCall } from '../../decode/decodeCall.js'
import { callText } from '../../report/calls.js'
import { named as nameAddress } from '../../report/named.js'
import type { AddressBook } from '../../workspace/addressBook.js'
import type { SafeConfigChange } from '../safe/configChanges.js'
import type { DecodeExecutionReturnType, HistoryAction } from '../safe/decodeExecution.js'
import type { SafeHistoryFinding } from '../safe/types.js'
import type { SafeExecutionRecord } from '../safe/verifyExecution.js'
import type {
  HistoryFindingCounts,
  HistoryReportAction,
  HistoryReportFinding,
  SafeHistoryConfigChangeEntry,
  SafeHistoryExecutionEntry,
} from './schema.js'

// Owners, signers and targets repeat in every entry, and checksumming is a keccak each time: names are
// kept per address book (a few hundred distinct addresses even in a long history).
const namesByBook = new WeakMap<AddressBook, Map<string, ReturnType<typeof nameAddress>>>()
export function named(address: string, book: AddressBook): ReturnType<typeof nameAddress> {
  let names = namesByBook.get(book)
  if (!names) {
    names = new Map()
    namesByBook.set(book, names)
  }
  let n = names.get(address)
  if (!n) {
    n = nameAddress(address, book)
    names.set(address, n)
  }
  return n
}

/** A Safe-core finding in the report's words (`severity` there, `level` in every report). */
export const safeFinding = (f: SafeHistoryFinding): HistoryReportFinding => ({
  code: f.code,
  level: f.severity,
  message: f.message,
})

/** One leaf call in words: the action kind's own description when it is one, else the decoded call. */
export function actionEntry(kind: string, call: DecodedCall, book: AddressBook, description?: string) {
  return {
    kind,
    text: description ?? callText(call, book),
    target: named(call.to, book),
    operation: call.operation === 1 ? 'delegatecall' : 'call',
    valueWei: call.value.toString(),
    ...(call.data.length >= 10 ? { selector: call.data.slice(0, 10) } : {}),
  } satisfies HistoryReportAction
}

const historyAction = (a: HistoryAction, book: AddressBook) =>
  'description' in a ? actionEntry(a.kind, a.call, book, a.description) : actionEntry('raw', a.call, book)

/**
 * The compact report entry of one audited execution: hashes side by side, signers named, the batch in
 * words, the findings of verification and decoding together. Keeps nothing of the record that a reader
 * does not see (no signature bytes, no calldata), so thousands of entries stay small.
 */
export function safeExecutionEntry(
  record: SafeExecutionRecord,
  decoded: DecodeExecutionReturnType | undefined,
  book: AddressBook,
): SafeHistoryExecutionEntry {
  const e = record.execution
  const findings = [...record.findings, ...(decoded?.findings ?? [])].map(safeFinding)
  return {
    blockNumber: e.blockNumber,
    transactionHash: e.transactionHash,
    logIndex: e.logIndex,
    ...(record.safeTx ? { nonce: record.safeTx.nonce.toString() } : {}),
    success: e.success,
    ...(record.via ? { via: record.via } : {}),
    ...(record.executor ? { executor: named(record.executor, book) } : {}),
    version: record.version,
    safeTxHash: {
      logged: e.safeTxHash,
      ...(record.hashes ? { recomputed: record.hashes.safeTxHash.toLowerCase() } : {}),
      ...(record.chainHash ? { chain: record.chainHash.toLowerCase() } : {}),
    },
    threshold: record.threshold,
    owners: record.owners.map((o) => named(o, book)),
    signers: record.signers.map((s) => ({
      kind: s.kind,
      signer: named(s.signer, book),
      owner: s.owner,
      valid: s.valid,
      ...(s.evidence ? { evidence: s.evidence } : {}),
      ...(s.reason ? { reason: s.reason } : {}),
    })),
    ...(decoded ? { batch: decoded.batch } : {}),
    actions: decoded ? decoded.actions.map((a) => historyAction(a, book)) : [],
    findings,
    verified: !findings.some((f) => f.level === 'error'),
  }
}

/** A configuration change in words, e.g. `owner added: ops-safe 0x…`. */
export function configChangeEntry(c: SafeConfigChange, book: AddressBook): SafeHistoryConfigChangeEntry {
  const at = { blockNumber: c.blockNumber, transactionHash: c.transactionHash, logIndex: c.logIndex }
  const who = (a: string) => {
    const label = book.label(a)
    return label === a ? a : `${label} (${a})`
  }
  switch (c.kind) {
    case 'setup':
      return {
        ...at,
        kind: c.kind,
        text: `set up with ${c.owners.length} owner(s) (${c.owners.map(who).join(', ')}), threshold ${c.threshold}`,
        owners: c.owners.map((o) => named(o, book)),
        threshold: c.threshold,
      }
    case 'owner-added':
    case 'owner-removed':
      return {
        ...at,
        kind: c.kind,
        text: `owner ${c.kind === 'owner-added' ? 'added' : 'removed'}: ${who(c.owner)}`,
        address: named(c.owner, book),
      }
    case 'threshold-changed':
      return { ...at, kind: c.kind, text: `threshold changed to ${c.threshold}`, threshold: c.threshold }
    case 'module-enabled':
    case 'module-disabled':
      return {
        ...at,
        kind: c.kind,
        text: `module ${c.kind === 'module-enabled' ? 'enabled' : 'disabled'}: ${who(c.module)}`,
        address: named(c.module, book),
      }
    default: {
      const what = {
        'guard-changed': 'guard',
        'module-guard-changed': 'module guard',
        'fallback-handler-changed': 'fallback handler',
      }[c.kind]
      return {
        ...at,
        kind: c.kind,
        text: `${what} set to ${who(c.address)}`,
        address: named(c.address, book),
      }
    }
  }
}

/** Counts findings by level and by code, adding to running totals (the report is summed as it streams). */
export function countFindings(
  findings: readonly HistoryReportFinding[],
  counts: HistoryFindingCounts,
  byCode: Record<string, number>,
): void {
  for (const f of findings) {
    counts[f.level]++
    byCode[f.code] = (byCode[f.code] ?? 0) + 1
  }
}
