import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { GRANTS_MULTISIG } from '../../src/devnet/accounts.js'
import { txBuilderChecksum } from '../../src/txbuilder/checksum.js'
import { envelope, runCli } from '../support/cli.js'
import { startTestDevnet, type TestDevnet } from '../support/devnet.js'

let devnet: TestDevnet
let actions: string
const path = (name: string) => join(devnet.dir, name)
const cli = (args: string[]) => runCli(args, { cwd: devnet.dir })
let exportedText: string

/** The exported batch after `edit`; `resign` recomputes the checksum so only the edit is wrong. */
// biome-ignore lint/suspicious/noExplicitAny: each edit reaches into the JSON as it likes.
function variant(name: string, edit: (batch: any) => void, resign = false): string {
  const batch = JSON.parse(exportedText)
  edit(batch)
  if (resign) batch.meta.checksum = txBuilderChecksum(batch)
  return devnet.write(name, JSON.stringify(batch, null, 2))
}

beforeAll(async () => {
  devnet = await startTestDevnet()
  actions = devnet.write(
    'pay.yaml',
    `version: 1
safe: council
description: Two contributor payments
actions:
  - kind: transfer
    token: aUSD
    to: grants-multisig
    amount: "100"
  - kind: transfer
    token: aUSD
    to: grants-multisig
    amount: "250.5"
`,
  )
})
afterAll(async () => {
  await devnet?.stop()
})

describe('alliance txbuilder export / import on the devnet', () => {
  let original: { hashes: { safeTxHash: string }; safeTx: { nonce: string } }

  it('exports a plan and imports it back to the same MultiSendCallOnly transaction and safeTxHash', async () => {
    const planned = await cli(['plan', actions, '--json'])
    expect(planned.code).toBe(0)
    original = envelope(planned).data.plan
    expect(envelope(planned).data.plan.batch.kind).toBe('multisend-call-only')

    const exported = await cli(['txbuilder', 'export', path('pay.plan.json'), '--json'])
    expect(exported.code).toBe(0)
    const e = envelope(exported).data
    expect(e).toMatchObject({
      file: path('pay.txbuilder.json'),
      transactions: 2,
      safeTxHash: original.hashes.safeTxHash,
    })
    exportedText = readFileSync(path('pay.txbuilder.json'), 'utf8')
    const batch = JSON.parse(exportedText)
    expect(batch).toMatchObject({
      version: '1.0',
      chainId: String(devnet.layout.chainId),
      meta: {
        name: 'Two contributor payments',
        createdFromSafeAddress: devnet.layout.council,
        checksum: e.checksum,
      },
    })
    expect(txBuilderChecksum(batch)).toBe(batch.meta.checksum)

    const imported = await cli([
      'txbuilder',
      'import',
      path('pay.txbuilder.json'),
      '--out',
      path('back.plan.json'),
      '--json',
    ])
    expect(imported.code).toBe(0)
    const i = envelope(imported)
    expect(i.warnings).toEqual([])
    expect(i.data).toMatchObject({
      planFile: path('back.plan.json'),
      checksumValid: true,
      checksum: { status: 'valid', expected: batch.meta.checksum },
      safe: { name: 'council', address: devnet.layout.council },
      problems: [],
    })
    expect(
      i.data.transactions.map((t: { signature: string; description: string }) => [
        t.signature,
        t.description,
      ]),
    ).toEqual([
      ['transfer(address,uint256)', 'Transfer 100 aUSD to grants-multisig'],
      ['transfer(address,uint256)', 'Transfer 250.5 aUSD to grants-multisig'],
    ])
    expect(i.data.plan.batch.kind).toBe('multisend-call-only')
    expect(i.data.plan.safeTx.nonce).toBe(original.safeTx.nonce)
    expect(i.data.plan.hashes.safeTxHash).toBe(original.hashes.safeTxHash)
    const written = JSON.parse(readFileSync(path('back.plan.json'), 'utf8'))
    expect(written.hashes.safeTxHash).toBe(original.hashes.safeTxHash)
    expect(written.source).toMatchObject({ file: 'pay.txbuilder.json', text: exportedText })
  })

  it('shows the decoded calls and the checksum verdict to a person', async () => {
    const human = await cli([
      'txbuilder',
      'import',
      path('pay.txbuilder.json'),
      '--out',
      path('human.plan.json'),
    ])
    expect(human.code).toBe(0)
    expect(human.stdout).toContain('Checksum valid')
    expect(human.stdout).toContain('1. Transfer 100 aUSD to grants-multisig')
    expect(human.stdout).toMatch(/aUSD\.transfer\(address,uint256\)/)
    expect(human.stdout).toContain(original.hashes.safeTxHash)
    expect(human.stdout).toContain(`Plan written to ${path('human.plan.json')}`)
  })

  it('refuses a file modified after it was generated, and writes nothing', async () => {
    const tampered = variant('tampered.json', (b) => {
      // 100 aUSD → 0x…ff base units: the calldata still decodes, only the checksum betrays it.
      b.transactions[0].data = b.transactions[0].data.replace(/.{2}$/, 'ff')
    })
    const out = path('tampered.plan.json')
    const r = await cli(['txbuilder', 'import', tampered, '--out', out, '--json'])
    expect(r.code).toBe(1)
    const env = envelope(r)
    expect(env.errors[0]!.code).toBe('TXBUILDER_BAD_CHECKSUM')
    expect(env.data).toMatchObject({ checksumValid: false, planFile: null, checksum: { status: 'invalid' } })
    expect(existsSync(out)).toBe(false)

    const human = await cli(['txbuilder', 'import', tampered, '--out', out])
    expect(human.code).toBe(1)
    expect(human.stdout).toContain('DOES NOT MATCH')
    expect(human.stderr).toContain('was modified after it was generated')
    expect(human.stderr).toContain('--allow-bad-checksum')
    expect(existsSync(out)).toBe(false)
  })

  it('imports a modified file with --allow-bad-checksum, loudly', async () => {
    const out = path('allowed.plan.json')
    const r = await cli([
      'txbuilder',
      'import',
      path('tampered.json'),
      '--out',
      out,
      '--allow-bad-checksum',
      '--json',
    ])
    expect(r.code).toBe(0)
    const env = envelope(r)
    expect(env.data.checksumValid).toBe(false)
    expect(env.warnings).toEqual([
      { code: 'TXBUILDER_BAD_CHECKSUM', message: expect.stringContaining('does not match') },
    ])
    expect(env.data.warnings[0]).toContain('does not match its content')
    expect(env.data.plan.hashes.safeTxHash).not.toBe(original.hashes.safeTxHash)
    expect(existsSync(out)).toBe(true)

    const human = await cli([
      'txbuilder',
      'import',
      path('tampered.json'),
      '--out',
      out,
      '--allow-bad-checksum',
    ])
    expect(human.code).toBe(0)
    expect(human.stderr).toMatch(/!!! .*does not match its content/)
  })

  it('reports a missing checksum as missing, not as valid', async () => {
    const file = variant('unsigned.json', (b) => delete b.meta.checksum)
    const r = await cli(['txbuilder', 'import', file, '--json'])
    expect(r.code).toBe(1)
    expect(envelope(r).errors[0]!.code).toBe('TXBUILDER_MISSING_CHECKSUM')
    expect(envelope(r).data).toMatchObject({
      checksumValid: false,
      checksum: { status: 'missing', found: null },
    })
    expect(existsSync(path('unsigned.plan.json'))).toBe(false)
  })

  it('refuses a batch for another chain or another Safe, with a clear message', async () => {
    const otherChain = variant(
      'mainnet.json',
      (b) => {
        b.chainId = '1'
      },
      true,
    )
    const chain = await cli(['txbuilder', 'import', otherChain, '--json'])
    expect(chain.code).toBe(1)
    expect(envelope(chain).data.checksumValid).toBe(true)
    expect(envelope(chain).errors[0]).toMatchObject({
      code: 'TXBUILDER_WRONG_CHAIN',
      message: expect.stringContaining(
        `the batch is for chain 1, the workspace is chain ${devnet.layout.chainId}`,
      ),
    })
    expect(existsSync(path('mainnet.plan.json'))).toBe(false)

    const otherSafe = variant(
      'grants.json',
      (b) => {
        b.meta.createdFromSafeAddress = GRANTS_MULTISIG
      },
      true,
    )
    const safe = await cli(['txbuilder', 'import', otherSafe])
    expect(safe.code).toBe(1)
    expect(safe.stderr).toContain(`made for Safe ${GRANTS_MULTISIG}, which is not a Safe in the workspace`)
    expect(existsSync(path('grants.plan.json'))).toBe(false)
  })

  it('refuses a file that is not a batch file', async () => {
    const file = devnet.write('numbers.json', exportedText.replace(/"value": "0"/, '"value": 0'))
    const r = await cli(['txbuilder', 'import', file, '--json'])
    expect(r.code).toBe(1)
    expect(envelope(r).errors[0]).toMatchObject({
      code: 'TXBUILDER_INVALID',
      details: [
        expect.stringMatching(/transactions\[0\]\.value: expected the value in wei as a decimal string/),
      ],
    })
    writeFileSync(file, '')
  })
})
