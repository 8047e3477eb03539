import { describe, expect, it } from 'vitest'
import { parseActionFile } from '../../../src/actions/actionFile.js'
import { GRANTS_MULTISIG } from '../../../src/devnet/accounts.js'
import { devnetLayout } from '../../../src/devnet/devnetLayout.js'
import { TxBuilderDelegatecallError } from '../../../src/errors/txbuilder.js'
import { buildSafePlan } from '../../../src/plan/buildSafePlan.js'
import type { SafePlan } from '../../../src/plan/types.js'
import { checkTxBuilderChecksum, txBuilderChecksum } from '../../../src/txbuilder/checksum.js'
import { planToTxBuilder, serializeTxBuilderFile } from '../../../src/txbuilder/exportPlan.js'
import { parseTxBuilderFile } from '../../../src/txbuilder/schema.js'
import { devnetWorkspace } from '../../support/workspace.js'
import { THREE_CALLS } from '../plan/fixtures.js'
import { stubReads } from '../plan/stubReads.js'

const ws = devnetWorkspace()
const layout = devnetLayout()
const options = { createdAt: 1_760_000_000_000, name: 'Contributor payments' }
const plan = () => buildSafePlan(parseActionFile('/virtual/three.yaml', THREE_CALLS, ws), stubReads())

describe('planToTxBuilder', () => {
  it("writes the plan's calls (not the MultiSend wrapper) for its chain and Safe", async () => {
    const p = await plan()
    const batch = planToTxBuilder(p, options)
    expect(p.batch.kind).toBe('multisend-call-only')
    expect(batch).toMatchObject({
      version: '1.0',
      chainId: '31337',
      createdAt: options.createdAt,
      meta: {
        name: 'Contributor payments',
        createdFromSafeAddress: layout.council,
        createdFromOwnerAddress: '',
      },
    })
    const calls = p.actions.flatMap((a) => a.calls)
    expect(batch.transactions).toHaveLength(3)
    expect(batch.transactions).toEqual(
      calls.map((c) => ({
        to: c.to,
        value: c.value.toString(),
        data: c.data === '0x' ? null : c.data,
        contractMethod: null,
        contractInputsValues: null,
      })),
    )
    // The ETH transfer is written as the UI writes one: no data, no method.
    expect(batch.transactions[1]).toMatchObject({
      to: GRANTS_MULTISIG,
      value: '250000000000000000',
      data: null,
    })
  })

  it('carries the checksum the Transaction Builder recomputes from the written file', async () => {
    const batch = planToTxBuilder(await plan(), options)
    const text = serializeTxBuilderFile(batch)
    const { raw } = parseTxBuilderFile('batch.json', text)
    expect(batch.meta.checksum).toMatch(/^0x[0-9a-f]{64}$/)
    expect(txBuilderChecksum(raw)).toBe(batch.meta.checksum)
    expect(checkTxBuilderChecksum(raw).status).toBe('valid')
    // Every key Safe{Wallet} writes is present, so a re-serialisation by any tool hashes the same.
    expect(Object.keys((raw.transactions as Record<string, unknown>[])[0]!)).toEqual([
      'to',
      'value',
      'data',
      'contractMethod',
      'contractInputsValues',
    ])
  })

  it('does not depend on the name, and does on everything else', async () => {
    const p = await plan()
    const a = planToTxBuilder(p, options)
    expect(planToTxBuilder(p, { ...options, name: 'other' }).meta.checksum).toBe(a.meta.checksum)
    expect(planToTxBuilder(p, { ...options, createdAt: 1 }).meta.checksum).not.toBe(a.meta.checksum)
    expect(planToTxBuilder(p, { ...options, description: 'x' }).meta.checksum).not.toBe(a.meta.checksum)
  })

  it('refuses a plan with a delegatecall', async () => {
    const p = await plan()
    const tampered: SafePlan = {
      ...p,
      actions: p.actions.map((a, i) =>
        i === 2 ? { ...a, calls: a.calls.map((c) => ({ ...c, operation: 1 })) } : a,
      ),
    }
    expect(() => planToTxBuilder(tampered, options)).toThrow(TxBuilderDelegatecallError)
    expect(() => planToTxBuilder(tampered, options)).toThrow(/call 3 of the plan is a DELEGATECALL/)
  })
})
