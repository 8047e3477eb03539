import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { actionContext } from '../../src/actions/actionFile.js'
import { tokenAbi } from '../../src/contracts/tokenAbi.js'
import { GRANTS_MULTISIG } from '../../src/devnet/accounts.js'
import { devnetLayout } from '../../src/devnet/devnetLayout.js'
import { renderDevnetWorkspace } from '../../src/devnet/devnetWorkspace.js'
import { encodeMultiSend } from '../../src/safe/multiSend.js'
import type { Hex } from '../../src/safe/types.js'
import { envelope, runCli } from '../support/cli.js'
import { devnetWorkspace } from '../support/workspace.js'

// decode is local: the devnet workspace, but its RPC URL points nowhere, so any chain access would fail.

let dir: string
const cli = (args: string[]) => runCli(['decode', ...args], { cwd: dir })
const layout = devnetLayout()
const { ALLY, treasury } = layout.contracts
const STRANGER = '0x90F79bf6EB2c4f870365E785982E1f101E93b906'
const transfer = tokenAbi.encodeFunctionData('transfer', [
  GRANTS_MULTISIG,
  1_234_500_000_000_000_000_000n,
]) as Hex
const allocate = actionContext(devnetWorkspace())
  .abiFor(treasury)!
  .encodeFunctionData('allocate', [ALLY, GRANTS_MULTISIG, 12_500_500_000_000_000_000_000n, 'Round 7']) as Hex

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'alliance-decode-'))
  writeFileSync(join(dir, 'alliance.yaml'), renderDevnetWorkspace('http://127.0.0.1:1'))
})
afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

describe('alliance decode', () => {
  it('decodes an ERC-20 transfer to ALLY with the token ABI, the amount in ALLY', async () => {
    const human = await cli(['--to', 'ALLY', '--data', transfer])
    expect(human.code, human.stderr).toBe(0)
    expect(human.stdout).toContain('ALLY.transfer(address,uint256)')
    expect(human.stdout).toMatch(new RegExp(`to\\s+grants-multisig \\(${GRANTS_MULTISIG}\\)`))
    expect(human.stdout).toMatch(/amount\s+1234500000000000000000 {2}\(1,234\.5 ALLY\)/)
    expect(human.stdout).not.toContain('!')

    const json = await cli(['--to', ALLY.toLowerCase(), '--data', transfer, '--json'])
    expect(json.code).toBe(0)
    expect(envelope(json).data).toEqual({
      call: {
        to: ALLY,
        value: '0',
        operation: 0,
        data: transfer,
        signature: 'transfer(address,uint256)',
        functionName: 'transfer',
        source: 'abi',
        args: [
          { name: 'to', type: 'address', value: GRANTS_MULTISIG },
          { name: 'amount', type: 'uint256', value: '1234500000000000000000' },
        ],
      },
      warnings: [],
    })
  })

  it('lists every call of a MultiSend batch', async () => {
    const data = encodeMultiSend([
      { to: treasury, value: 0n, data: allocate, operation: 0 },
      { to: ALLY, value: 0n, data: transfer, operation: 0 },
      { to: GRANTS_MULTISIG, value: 250_000_000_000_000_000n, data: '0x', operation: 0 },
    ])
    const args = [
      '--to',
      layout.safe.MultiSendCallOnly,
      '--data',
      data,
      '--operation',
      '1',
      '--safe',
      'council',
    ]
    const human = await cli(args)
    expect(human.code, human.stderr).toBe(0)
    const lines = human.stdout.split('\n')
    expect(lines[0]).toMatch(/multiSend\(bytes\) DELEGATECALL$/)
    expect(human.stdout).toMatch(/ {2}1\. treasury\.allocate\(address,address,uint256,string\)/)
    expect(human.stdout).toMatch(/amount\s+12500500000000000000000 {2}\(12,500\.5 ALLY\)/)
    expect(human.stdout).toMatch(/ {2}2\. ALLY\.transfer\(address,uint256\)/)
    expect(human.stdout).toMatch(/ {2}3\. grants-multisig plain transfer, sends 0\.25 ETH/)

    const json = envelope(await cli([...args, '--json']))
    expect(json.data.call).toMatchObject({ functionName: 'multiSend', operation: 1 })
    expect(
      json.data.call.inner.map((c: { to: string; functionName?: string }) => [c.to, c.functionName]),
    ).toEqual([
      [treasury, 'allocate'],
      [ALLY, 'transfer'],
      [GRANTS_MULTISIG, undefined],
    ])
    expect(json.data.warnings).toEqual([])
  })

  it('warns about an unknown selector to an unknown address, in JSON and in text', async () => {
    const args = ['--to', STRANGER, '--data', '0x12345678abcdef']
    const json = await cli([...args, '--json'])
    expect(json.code).toBe(0)
    const e = envelope(json)
    expect(e.data.warnings).toEqual([
      `${STRANGER}: unknown function selector 0x12345678: shown as raw bytes, not decoded`,
    ])
    expect(e.data.call.functionName).toBeUndefined()

    const human = await cli(args)
    expect(human.code).toBe(0)
    expect(human.stdout).toContain(`${STRANGER} unknown function 0x12345678, 7 bytes`)
    expect(human.stdout).toContain(`! ${STRANGER}: unknown function selector 0x12345678`)
  })

  it('refuses a --to with a bad checksum', async () => {
    // The checksummed ALLY address with the case of its first letter flipped.
    const i = ALLY.slice(2).search(/[a-fA-F]/) + 2
    const c = ALLY[i]!
    const bad =
      ALLY.slice(0, i) + (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase()) + ALLY.slice(i + 1)
    const json = await cli(['--to', bad, '--data', transfer, '--json'])
    expect(json.code).toBe(1)
    const e = envelope(json)
    expect(e.errors[0]).toMatchObject({
      code: 'INVALID_FLAG',
      message: expect.stringContaining('bad address checksum'),
    })

    const human = await cli(['--to', bad, '--data', transfer])
    expect(human.code).toBe(1)
    expect(human.stderr).toContain(`--to: bad address checksum in ${bad} (did you mean ${ALLY}?)`)
  })
})
