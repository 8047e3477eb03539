import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseUnits } from 'ethers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseActionFile } from '../../src/actions/actionFile.js'
import { tokenAbi } from '../../src/contracts/tokenAbi.js'
import { GRANTS_MULTISIG } from '../../src/devnet/accounts.js'
import type { Hex } from '../../src/safe/types.js'
import { envelope, runCli } from '../support/cli.js'
import { executeCouncilCalls } from '../support/councilExecutions.js'
import { startTestDevnet, type TestDevnet } from '../support/devnet.js'

let devnet: TestDevnet
let hashes: Hex[]
const pay = (amount: string) => ({
  to: devnet.layout.contracts.aUSD,
  value: 0n,
  data: tokenAbi.encodeFunctionData('transfer', [GRANTS_MULTISIG, parseUnits(amount, 6)]) as Hex,
})

beforeAll(async () => {
  devnet = await startTestDevnet()
  hashes = await executeCouncilCalls(devnet, [pay('10'), pay('20')])
})

afterAll(async () => {
  await devnet?.stop()
})

describe('alliance history export', () => {
  it('writes one action file per execution and lists them under --json', async () => {
    const out = join(devnet.dir, 'past')
    const r = await runCli(
      ['history', 'export', '--safe', 'council', '--as', 'yaml', '--out', out, '--json'],
      {
        cwd: devnet.dir,
      },
    )
    expect(r.code, r.stderr + r.stdout).toBe(0)
    const { data } = envelope(r)
    expect(data.skipped).toEqual([])
    expect(data.files).toHaveLength(2)
    const second = data.files[1]
    expect(second.file).toBe(join(out, `${second.blockNumber}-${second.nonce}.yaml`))
    const file = parseActionFile(second.file, readFileSync(second.file, 'utf8'), devnet.workspace)
    expect(file.actions.map((a) => a.description)).toEqual(['Transfer 20 aUSD to grants-multisig'])
  })

  it('exports only the executions of --tx', async () => {
    const out = join(devnet.dir, 'one')
    const r = await runCli(
      ['history', 'export', '--safe', 'council', '--tx', hashes[0]!, '--out', out, '--json'],
      {
        cwd: devnet.dir,
      },
    )
    expect(r.code, r.stderr + r.stdout).toBe(0)
    expect(envelope(r).data.files.map((f: { actions: number }) => f.actions)).toEqual([1])
  })
})
