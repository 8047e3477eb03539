import { describe, expect, it } from 'vitest'
import { parseActionFile } from '../../../src/actions/actionFile.js'
import { GRANTS_MULTISIG } from '../../../src/devnet/accounts.js'
import { devnetLayout } from '../../../src/devnet/devnetLayout.js'
import { InvalidTxBuilderFileError, TxBuilderRefusedError } from '../../../src/errors/txbuilder.js'
import { buildSafePlan } from '../../../src/plan/buildSafePlan.js'
import { txBuilderChecksum } from '../../../src/txbuilder/checksum.js'
import { planToTxBuilder, serializeTxBuilderFile } from '../../../src/txbuilder/exportPlan.js'
import { txBuilderActionFile, txBuilderToActionCalls } from '../../../src/txbuilder/importBatch.js'
import type { TxBuilderBatchFile } from '../../../src/txbuilder/schema.js'
import { canonicalJson, sha256Hex } from '../../../src/utils/canonicalJson.js'
import { devnetWorkspace } from '../../support/workspace.js'
import { THREE_CALLS } from '../plan/fixtures.js'
import { stubReads } from '../plan/stubReads.js'

const ws = devnetWorkspace()
const layout = devnetLayout()
const aUSD = layout.contracts.aUSD
const original = () => buildSafePlan(parseActionFile('/virtual/three.yaml', THREE_CALLS, ws), stubReads())
const exported = async () =>
  planToTxBuilder(await original(), { createdAt: 1_760_000_000_000, name: 'Payments' })

/** A file as text, after `edit`; `resign` recomputes the checksum so only the edit differs. */
function fileText(
  batch: TxBuilderBatchFile,
  edit: (b: TxBuilderBatchFile) => void = () => {},
  resign = false,
) {
  const copy = structuredClone(batch)
  edit(copy)
  if (resign) copy.meta.checksum = txBuilderChecksum(copy as unknown as Record<string, unknown>)
  return serializeTxBuilderFile(copy)
}
const load = (text: string) => txBuilderToActionCalls({ file: '/virtual/batch.json', text }, ws)

describe('txBuilderToActionCalls', () => {
  it('reads an exported plan back: valid checksum, the same calls, decoded descriptions', async () => {
    const plan = await original()
    const imported = load(fileText(await exported()))
    expect(imported.checksumValid).toBe(true)
    expect(imported.problems).toEqual([])
    expect(imported.safe).toEqual({ name: 'council', address: layout.council })
    expect(imported.calls.map((c) => c.call)).toEqual(plan.actions.flatMap((a) => a.calls))
    expect(imported.calls.map((c) => c.description)).toEqual([
      'Transfer 2,500 aUSD to grants-multisig',
      'Send 0.25 ETH to grants-multisig',
      expect.stringMatching(
        /^Call treasury\.allocate\(ALLY, play-dao-treasury, 12500500000000000000000, ""\)$/,
      ),
    ])
    expect(imported.calls[0]!.input).toMatchObject({
      to: aUSD,
      value: '0',
      data: expect.stringMatching(/^0xa9059cbb/),
    })
  })

  it('plans the imported batch as one MultiSendCallOnly transaction with the original safeTxHash', async () => {
    const plan = await original()
    const text = fileText(await exported())
    const imported = load(text)
    const reimported = await buildSafePlan(txBuilderActionFile(imported, text), stubReads())
    expect(reimported.batch).toEqual(plan.batch)
    expect(reimported.safeTx).toEqual(plan.safeTx)
    expect(reimported.hashes.safeTxHash).toBe(plan.hashes.safeTxHash)
    expect(reimported.source.file).toBe('batch.json')
    expect(reimported.source.text).toBe(text)
    expect(reimported.actions.map((a) => a.kind)).toEqual(['txbuilder', 'txbuilder', 'txbuilder'])
    expect(reimported.description).toBe('Payments')
  })

  it("recomputes an imported plan's calls from the file embedded in it (the re-verification path)", async () => {
    const text = fileText(await exported())
    const plan = await buildSafePlan(txBuilderActionFile(load(text), text), stubReads())
    expect(sha256Hex(plan.source.text)).toBe(plan.source.sha256)
    const again = txBuilderToActionCalls({ file: plan.source.file, text: plan.source.text }, ws)
    expect(again.problems).toEqual([])
    expect(again.safe?.address).toBe(plan.safe.address)
    expect(canonicalJson(again.calls.map((c) => (c.call ? [c.call] : [])))).toBe(
      canonicalJson(plan.actions.map((a) => a.calls)),
    )
  })

  it('reports a tampered value, target or calldata as an invalid checksum', async () => {
    const batch = await exported()
    const edits: ((b: TxBuilderBatchFile) => void)[] = [
      (b) => {
        b.transactions[1]!.value = '250000000000000001'
      },
      (b) => {
        b.transactions[1]!.to = layout.council
      },
      (b) => {
        b.transactions[0]!.data = b.transactions[0]!.data!.replace(/..$/, 'ff')
      },
    ]
    for (const edit of edits) {
      const imported = load(fileText(batch, edit))
      expect(imported.checksumValid).toBe(false)
      expect(imported.checksum).toMatchObject({ status: 'invalid', found: batch.meta.checksum })
    }
  })

  it('reports a missing checksum as missing, and ignores key order, whitespace and the name', async () => {
    const batch = await exported()
    const missing = load(fileText(batch, (b) => delete b.meta.checksum))
    expect(missing.checksumValid).toBe(false)
    expect(missing.checksum.status).toBe('missing')

    const { transactions, meta, ...top } = structuredClone(batch)
    const reordered = JSON.stringify({
      transactions: transactions.map((t) => Object.fromEntries(Object.entries(t).reverse())),
      meta: { ...Object.fromEntries(Object.entries(meta).reverse()), name: 'Renamed' },
      ...Object.fromEntries(Object.entries(top).reverse()),
    })
    expect(load(reordered).checksumValid).toBe(true)
  })

  it('refuses another chain and a Safe the workspace does not have, even with a valid checksum', async () => {
    const batch = await exported()
    const wrongChain = load(
      fileText(
        batch,
        (b) => {
          b.chainId = '1'
        },
        true,
      ),
    )
    expect(wrongChain.checksumValid).toBe(true)
    expect(wrongChain.problems).toEqual([
      { code: 'TXBUILDER_WRONG_CHAIN', message: 'the batch is for chain 1, the workspace is chain 31337' },
    ])
    const text = fileText(
      batch,
      (b) => {
        b.meta.createdFromSafeAddress = GRANTS_MULTISIG
      },
      true,
    )
    const wrongSafe = load(text)
    expect(wrongSafe.problems).toEqual([
      {
        code: 'TXBUILDER_WRONG_SAFE',
        message: expect.stringContaining(
          `made for Safe ${GRANTS_MULTISIG}, which is not a Safe in the workspace`,
        ),
      },
    ])
    expect(() => txBuilderActionFile(wrongSafe, text)).toThrow(TxBuilderRefusedError)
    const anonymous = load(
      fileText(
        batch,
        (b) => {
          b.meta.createdFromSafeAddress = ''
        },
        true,
      ),
    )
    expect(anonymous.problems[0]!.message).toMatch(/does not name its Safe/)
  })

  it('derives data from contractMethod, refuses an entry that does not encode, and warns on a data/method mismatch', async () => {
    const batch = await exported()
    const method = {
      name: 'transfer',
      payable: false,
      inputs: [
        { internalType: 'address', name: 'to', type: 'address' },
        { internalType: 'uint256', name: 'amount', type: 'uint256' },
      ],
    }
    const abiForm = load(
      fileText(batch, (b) => {
        b.transactions[0] = {
          to: aUSD,
          value: '0',
          data: null,
          contractMethod: method,
          contractInputsValues: { to: GRANTS_MULTISIG, amount: '2500000000' },
        }
      }),
    )
    expect(abiForm.calls[0]!.call).toEqual(load(fileText(batch)).calls[0]!.call)
    expect(abiForm.calls[0]!.dataFrom).toBe('contractMethod')

    const broken = load(
      fileText(batch, (b) => {
        b.transactions[0] = {
          to: aUSD,
          value: '0',
          data: null,
          contractMethod: method,
          contractInputsValues: { amount: '1' },
        }
      }),
    )
    expect(broken.problems).toEqual([
      {
        code: 'TXBUILDER_BAD_TRANSACTION',
        message: expect.stringMatching(
          /^transaction 1 .*input "to" \(address\) does not encode \(no value given\)/,
        ),
      },
    ])

    const disguised = load(
      fileText(batch, (b) => {
        b.transactions[0]!.contractMethod = method
        b.transactions[0]!.contractInputsValues = { to: GRANTS_MULTISIG, amount: '1' }
      }),
    )
    expect(disguised.problems).toEqual([])
    expect(disguised.warnings).toEqual([
      expect.stringMatching(/^transaction 1: "data" differs from its contractMethod transfer/),
    ])
  })

  it('refuses files that are not batch files, naming the field', async () => {
    const batch = await exported()
    expect(() => load('{ nope')).toThrow(InvalidTxBuilderFileError)
    const numeric = fileText(batch, (b) => {
      ;(b.transactions[1] as { value: unknown }).value = 250000000000000000
    })
    expect(() => load(numeric)).toThrow(
      /transactions\[1\]\.value: expected the value in wei as a decimal string/,
    )
    const chainNumber = fileText(batch, (b) => {
      ;(b as { chainId: unknown }).chainId = 31337
    })
    expect(() => load(chainNumber)).toThrow(/chainId/)
    const badAddress = fileText(batch, (b) => {
      b.transactions[0]!.to = aUSD.toLowerCase().replace('0x', '0X')
    })
    expect(() => load(badAddress)).toThrow(InvalidTxBuilderFileError)
    const library = JSON.stringify({ data: { 'a-uuid': batch } })
    expect(() => load(library)).toThrow(/library export holding 1 batch/)
    try {
      load(numeric)
    } catch (err) {
      // Located in the file as a person would look for it.
      expect((err as InvalidTxBuilderFileError).details[0]).toMatch(/^\d+:\d+ transactions\[1\]\.value/)
    }
  })
})
