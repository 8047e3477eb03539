import type { ChalkInstance } from 'chalk'
import { type DecodeContext, type DecodedCall, decodeCall } from '../decode/decodeCall.js'
import { formatArgLines, formatEth } from '../decode/formatValue.js'
import type { SafePlan } from '../plan/types.js'
import type { AddressBook } from '../workspace/addressBook.js'
import { appendedLine } from './decodedView.js'

export type PlanView = {
  plan: SafePlan
  decoded: DecodedCall
  warnings: string[]
}

/** Decodes the plan's transaction from its bytes (not from the YAML), which is what a signer must read. */
export function viewPlan(plan: SafePlan, ctx: DecodeContext): PlanView {
  const decoded = decodeCall(plan.safeTx, { ...ctx, safe: plan.safe.address, safeVersion: plan.safe.version })
  const leaves = decoded.inner ?? [decoded]
  const warnings = leaves.filter((c) => c.warning).map((c) => `call to ${c.to}: ${c.warning}`)
  return { plan, decoded, warnings }
}

export function renderPlan(view: PlanView, book: AddressBook, t: ChalkInstance): string {
  const { plan, decoded } = view
  const safeName = plan.safe.name ? `${plan.safe.name} (${plan.safe.address})` : plan.safe.address
  const out: string[] = []
  out.push(t.bold(`Plan ${plan.id.slice(0, 18)}…  ${plan.description}`))
  out.push(
    `  Safe ${safeName}, v${plan.safe.version}, ${plan.safe.threshold} of ${plan.safe.owners.length} owners, chain ${plan.chainId}`,
  )
  out.push(`  Nonce ${plan.safeTx.nonce}, ${batchLine(plan)}`)
  out.push('')
  out.push(t.bold('Actions'))
  for (const a of plan.actions) out.push(`  ${a.index + 1}. ${a.description}`)
  out.push('')
  out.push(t.bold('Calls, decoded from the transaction bytes'))
  const leaves = decoded.inner ?? [decoded]
  for (const [i, c] of leaves.entries()) {
    const op = c.operation === 1 ? t.red.bold(' DELEGATECALL') : ''
    const value = c.value ? `, sends ${formatEth(c.value)}` : ''
    if (!c.functionName) {
      const what =
        c.data === '0x'
          ? 'plain transfer'
          : t.red(`unknown function, ${(c.data.length - 2) / 2} bytes: ${c.data.slice(0, 10)}…`)
      out.push(`  ${i + 1}. ${book.label(c.to)} ${what}${value}${op}`)
      continue
    }
    const how =
      c.source === 'selector' ? t.yellow(' (decoded by selector only: the target has no known ABI)') : ''
    out.push(`  ${i + 1}. ${book.label(c.to)}.${c.signature}${value}${op}${how}`)
    const lines = formatArgLines(c, book)
    const width = Math.max(0, ...lines.map((l) => l.name.length))
    for (const l of lines) out.push(`       ${l.name.padEnd(width)}  ${l.value}`)
    if (c.appended) out.push(`       ${t.yellow(appendedLine(c.appended))}`)
  }
  for (const w of view.warnings) out.push(t.yellow(`  ! ${w}`))
  out.push('')
  out.push(t.bold('Hashes (check these on your hardware wallet)'))
  out.push(`  Domain hash   ${plan.hashes.domainHash}`)
  out.push(`  Message hash  ${plan.hashes.messageHash}`)
  out.push(`  safeTxHash    ${t.bold(plan.hashes.safeTxHash)}`)
  out.push(
    `  Signatures    ${plan.signatures.length} of ${plan.safe.threshold}${plan.signatures.length ? `: ${plan.signatures.map((s) => book.label(s.signer)).join(', ')}` : ''}`,
  )
  return out.join('\n')
}

function batchLine(plan: SafePlan): string {
  const calls = plan.actions.reduce((n, a) => n + a.calls.length, 0)
  return plan.batch.kind === 'single'
    ? 'a single call (operation CALL)'
    : `${calls} calls batched through MultiSendCallOnly ${plan.batch.multiSend} (operation DELEGATECALL)`
}
