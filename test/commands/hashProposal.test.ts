import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Contract, ZeroHash } from 'ethers'
import {
  encodeAbiParameters,
  hexToBigInt,
  numberToHex,
  parseAbiParameters,
  toBytes,
  keccak256 as viemKeccak,
} from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { envelope, runCli } from '../support/cli.js'
import { startTestDevnet, type TestDevnet } from '../support/devnet.js'

const dir = mkdtempSync(join(tmpdir(), 'alliance-hash-proposal-'))
const hash = (args: string[]) => runCli(['hash', 'proposal', ...args], { cwd: dir })
const write = (name: string, content: string) => {
  const path = join(dir, name)
  writeFileSync(path, content)
  return path
}

// governor.md §3.8: the ENS setController proposal, with the example governor G.
const ENS = {
  target: '0xab528d626ec275e3fad363ff1393a41f581c5897',
  calldata:
    '0xe0dba60f000000000000000000000000714cb817efd08fee91558b07a924a87c3587f3c10000000000000000000000000000000000000000000000000000000000000001',
  description:
    'Call setController on the Root contract at root.ens.eth, passing in the address of the new DNS registrar',
  governor: '0x323A76393544d5ecca80cd6ef2A560C6a395b7E3',
  descriptionHash: '0xb50752b7dc10c4481ba214aeddadbaaeae2b0953691e4bc93b2b221d2aca3f9f',
  proposalId: '43270757753376998995821255412816042149809304532005054196996755985972935456972',
  proposalIdHex: '0x5faa6188098d67bab0959d7701080851ebc01239f7675314288057bfdd8ef8cc',
  saltV5: '0x873d248ee95411a4d122d9c02f08da680dbebeb0691e4bc93b2b221d2aca3f9f',
  opIdV4: '0x4252c82514c81d7b3917974bb10dd319f09e675481bc1a44c642869c8ca1fcda',
  opIdV5: '0xdf58f78ccc44e5af92c1abbad5b2df139a6759531a974615a16617e505f1fed0',
} as const
const ENS_ARGS = ['--targets', ENS.target, '--calldatas', ENS.calldata]

/** The ids computed with viem alone, from the Governor reference §3.2–3.3. */
function viemIds(
  targets: `0x${string}`[],
  values: bigint[],
  calldatas: `0x${string}`[],
  description: string,
  governor: `0x${string}`,
) {
  const descriptionHash = viemKeccak(toBytes(description))
  const proposalId = hexToBigInt(
    viemKeccak(
      encodeAbiParameters(parseAbiParameters('address[], uint256[], bytes[], bytes32'), [
        targets,
        values,
        calldatas,
        descriptionHash,
      ]),
    ),
  )
  const salt = numberToHex((hexToBigInt(governor) << 96n) ^ hexToBigInt(descriptionHash), { size: 32 })
  const opId = viemKeccak(
    encodeAbiParameters(parseAbiParameters('address[], uint256[], bytes[], bytes32, bytes32'), [
      targets,
      values,
      calldatas,
      ZeroHash as `0x${string}`,
      salt,
    ]),
  )
  return { descriptionHash, proposalId, salt, opId }
}

describe('alliance hash proposal (offline)', () => {
  it('gives the §3.8 vectors with --governor (OZ 5): proposalId in decimal, the salt and operation id', async () => {
    const r = await hash([
      ...ENS_ARGS,
      '--description',
      ENS.description,
      '--governor',
      ENS.governor,
      '--json',
    ])
    expect(r.code).toBe(0)
    const e = envelope(r)
    expect(e).toMatchObject({ schemaVersion: 1, success: true, errors: [], warnings: [] })
    expect(e.data).toStrictEqual({
      descriptionHash: ENS.descriptionHash,
      proposalId: ENS.proposalId,
      timelockOperationId: ENS.opIdV5,
      proposalIdHex: ENS.proposalIdHex,
      timelockSalt: ENS.saltV5,
      ozVersion: 5,
    })
  })

  it('--oz-version 4 salts with the description hash and needs no governor', async () => {
    const e = envelope(
      await hash([...ENS_ARGS, '--description', ENS.description, '--oz-version', '4', '--json']),
    )
    expect(e.success).toBe(true)
    expect(e.warnings).toEqual([])
    expect(e.data).toMatchObject({
      descriptionHash: ENS.descriptionHash,
      proposalId: ENS.proposalId,
      timelockOperationId: ENS.opIdV4,
      timelockSalt: ENS.descriptionHash,
      ozVersion: 4,
    })
  })

  it('OZ 5 without --governor: timelockOperationId is null and a warning says to pass --governor', async () => {
    const e = envelope(await hash([...ENS_ARGS, '--description', ENS.description, '--json']))
    expect(e.success).toBe(true)
    expect(Object.keys(e.data)).toEqual(
      expect.arrayContaining(['descriptionHash', 'proposalId', 'timelockOperationId']),
    )
    expect(e.data).toMatchObject({
      proposalId: ENS.proposalId,
      timelockOperationId: null,
      timelockSalt: null,
    })
    expect(e.warnings).toHaveLength(1)
    expect(e.warnings[0]).toMatchObject({ code: 'TIMELOCK_NEEDS_GOVERNOR' })
    expect(e.warnings[0]!.message).toContain('--governor')
  })

  it('prints the proposal id in decimal and hex for people, addresses checksummed', async () => {
    const r = await hash([...ENS_ARGS, '--description', ENS.description, '--governor', ENS.governor])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain(ENS.proposalId)
    expect(r.stdout).toContain(ENS.proposalIdHex)
    expect(r.stdout).toContain(ENS.opIdV5)
    expect(r.stdout).toContain('0xaB528d626EC275E3faD363fF1393A41F581c5897')
  })

  it('--description-file is hashed byte for byte: a trailing newline changes the hash', async () => {
    const exact = envelope(
      await hash([...ENS_ARGS, '--description-file', write('ens.md', ENS.description), '--json']),
    )
    expect(exact.data.descriptionHash).toBe(ENS.descriptionHash)
    expect(exact.warnings.map((w) => w.code)).toEqual(['TIMELOCK_NEEDS_GOVERNOR'])

    const withNewline = envelope(
      await hash([...ENS_ARGS, '--description-file', write('ens-nl.md', `${ENS.description}\n`), '--json']),
    )
    expect(withNewline.data.descriptionHash).toBe(viemKeccak(toBytes(`${ENS.description}\n`)))
    expect(withNewline.data.descriptionHash).not.toBe(ENS.descriptionHash)
    expect(withNewline.warnings.map((w) => w.code)).toContain('DESCRIPTION_BYTES')
  })

  it('agrees with viem for several calls with values and a multi-line UTF-8 description ending in a newline', async () => {
    const targets = [
      '0x5FbDB2315678afecb367f032d93F642f64180aa3',
      '0xe7f1725e7734ce288f8367e1bb143e90bb3f0512',
      '0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0',
    ] as `0x${string}`[]
    const values = [0n, 1_000_000_000_000_000_000n, (1n << 256n) - 1n]
    const calldatas = [
      '0xa9059cbb00000000000000000000000070997970c51812dc3a010c7d01b50e0d17dc79c80000000000000000000000000000000000000000000000000de0b6b3a7640000',
      '0x',
      '0xDEADBEEF',
    ] as `0x${string}`[]
    const description = '# Grants round 7 — Ünïcödé ✓\n\n  Pay the grants 🚀\nand top up the vault.  \n'
    const file = write('multi.md', description)
    const expected = viemIds(targets, values, calldatas, description, ENS.governor)

    const r = await hash([
      '--targets',
      targets.join(', '),
      '--values',
      values.join(','),
      '--calldatas',
      calldatas.join(','),
      '--description-file',
      file,
      '--governor',
      ENS.governor,
      '--json',
    ])
    expect(r.code).toBe(0)
    const e = envelope(r)
    expect(e.data).toStrictEqual({
      descriptionHash: expected.descriptionHash,
      proposalId: expected.proposalId.toString(),
      timelockOperationId: expected.opId,
      proposalIdHex: numberToHex(expected.proposalId, { size: 32 }),
      timelockSalt: expected.salt,
      ozVersion: 5,
    })
    // Nothing trimmed: the trimmed text would hash differently.
    expect(e.data.descriptionHash).not.toBe(viemKeccak(toBytes(description.trim())))
  })

  it('--values may be left out for all zeros', async () => {
    const t = ENS.target
    const withZeros = envelope(
      await hash([
        '--targets',
        `${t},${t}`,
        '--values',
        '0,0',
        '--calldatas',
        '0x,0x',
        '--description',
        'x',
        '--json',
      ]),
    )
    const omitted = envelope(
      await hash(['--targets', `${t},${t}`, '--calldatas', '0x,0x', '--description', 'x', '--json']),
    )
    expect(omitted.data.proposalId).toBe(withZeros.data.proposalId)
  })

  it('--rpc-url without --governor is not used, and says so', async () => {
    const e = envelope(
      await hash([
        ...ENS_ARGS,
        '--description',
        ENS.description,
        '--rpc-url',
        'http://127.0.0.1:1',
        '--json',
      ]),
    )
    expect(e.success).toBe(true)
    expect(e.warnings.map((w) => w.code)).toContain('NOT_CROSS_CHECKED')
  })
})

describe('alliance hash proposal: refused input', () => {
  const failure = async (args: string[]) => {
    const r = await hash([...args, '--json'])
    expect(r.code).not.toBe(0)
    const e = envelope(r)
    expect(e.success).toBe(false)
    return e.errors[0]!
  }

  it('lists of different lengths, naming the flag and the count expected', async () => {
    const values = await failure([...ENS_ARGS, '--values', '0,1', '--description', 'x'])
    expect(values.code).toBe('HASH_LIST_LENGTH_MISMATCH')
    expect(values.message).toBe(
      '--values has 2 entries, but --targets has 1 entry: one per call is expected.',
    )

    const calldatas = await failure([
      '--targets',
      `${ENS.target},${ENS.target}`,
      '--calldatas',
      ENS.calldata,
      '--description',
      'x',
    ])
    expect(calldatas.code).toBe('HASH_LIST_LENGTH_MISMATCH')
    expect(calldatas.message).toContain('--calldatas has 1 entry, but --targets has 2 entries')
  })

  it('a bad address, by position', async () => {
    const format = await failure([
      '--targets',
      `${ENS.target},0x1234`,
      '--calldatas',
      '0x,0x',
      '--description',
      'x',
    ])
    expect(format).toMatchObject({
      code: 'HASH_INVALID_FLAG',
      message: '--targets: entry 2 of 2: not a 20-byte 0x-prefixed hex address.',
    })
    const checksum = await failure([
      '--targets',
      '0xAB528d626ec275e3fad363ff1393a41f581c5897',
      '--calldatas',
      '0x',
      '--description',
      'x',
    ])
    expect(checksum.code).toBe('HASH_INVALID_FLAG')
    expect(checksum.message).toContain('wrong checksum')
  })

  it('bad calldata, a bad value and an empty target list', async () => {
    const odd = await failure(['--targets', ENS.target, '--calldatas', '0xabc', '--description', 'x'])
    expect(odd).toMatchObject({ code: 'HASH_INVALID_FLAG' })
    expect(odd.message).toContain(
      '--calldatas: entry 1 of 1: must be 0x-prefixed hex with an even number of digits',
    )
    const noPrefix = await failure(['--targets', ENS.target, '--calldatas', 'abcd', '--description', 'x'])
    expect(noPrefix.code).toBe('HASH_INVALID_FLAG')

    const value = await failure([...ENS_ARGS, '--values', '1.5', '--description', 'x'])
    expect(value.code).toBe('HASH_INVALID_FLAG')
    expect(value.message).toContain('--values')

    const empty = await failure(['--targets', '', '--calldatas', '', '--description', 'x'])
    expect(empty.code).toBe('HASH_INVALID_FLAG')
    expect(empty.message).toContain('--targets')
  })

  it('no description, both descriptions, or a missing file', async () => {
    const none = await failure(ENS_ARGS)
    expect(none.code).toBe('HASH_MISSING_INPUT')
    expect(none.message).toContain('--description-file or --description')
    const both = await failure([...ENS_ARGS, '--description', 'x', '--description-file', write('d.md', 'x')])
    expect(both.code).toBe('HASH_MISSING_INPUT')
    const missing = await failure([...ENS_ARGS, '--description-file', join(dir, 'nope.md')])
    expect(missing.code).toBe('FILE_NOT_FOUND')
  })
})

describe('alliance hash proposal on a devnet (AllianceGovernor, OZ 5)', () => {
  let devnet: TestDevnet
  beforeAll(async () => {
    devnet = await startTestDevnet()
  })
  afterAll(async () => {
    await devnet?.stop()
  })

  const proposal = () => {
    const c = devnet.layout.contracts
    return {
      targets: [c.treasury, c.registry],
      values: [0n, 5n],
      calldatas: ['0x12345678', '0x'],
      description: '# Devnet proposal\n\nchecked against the chain',
    }
  }
  const args = () => {
    const p = proposal()
    return [
      '--rpc-url',
      devnet.url,
      '--governor',
      devnet.layout.contracts.governor,
      '--targets',
      p.targets.join(','),
      '--values',
      p.values.join(','),
      '--calldatas',
      p.calldatas.join(','),
      '--description',
      p.description,
    ]
  }

  it("reads the governor's version and equals its hashProposal and the timelock's hashOperationBatch", async () => {
    const r = await hash([...args(), '--json'])
    expect(r.code, r.stdout + r.stderr).toBe(0)
    const e = envelope(r)
    expect(e.warnings).toEqual([])

    const p = proposal()
    const c = devnet.layout.contracts
    const governor = new Contract(
      c.governor,
      ['function hashProposal(address[],uint256[],bytes[],bytes32) pure returns (uint256)'],
      devnet.provider,
    )
    const timelock = new Contract(
      c.timelock,
      ['function hashOperationBatch(address[],uint256[],bytes[],bytes32,bytes32) pure returns (bytes32)'],
      devnet.provider,
    )
    const descHash = viemKeccak(toBytes(p.description))
    const chainId: bigint = await governor.getFunction('hashProposal')(
      p.targets,
      p.values,
      p.calldatas,
      descHash,
    )
    expect(e.data.descriptionHash).toBe(descHash)
    expect(e.data.proposalId).toBe(chainId.toString())
    expect(e.data.ozVersion).toBe(5)
    const chainOpId: string = await timelock.getFunction('hashOperationBatch')(
      p.targets,
      p.values,
      p.calldatas,
      ZeroHash,
      e.data.timelockSalt,
    )
    expect(e.data.timelockOperationId).toBe(chainOpId)
    expect(e.data.timelockOperationId).toBe(
      viemIds(p.targets, p.values, p.calldatas as `0x${string}`[], p.description, c.governor).opId,
    )

    const human = await hash(args())
    expect(human.code).toBe(0)
    expect(human.stdout).toContain("✔ the governor's hashProposal agrees")
    expect(human.stdout).toContain("✔ the timelock's hashOperationBatch agrees")
    expect(human.stdout).toContain(c.timelock)
  })

  it('refuses --oz-version 4 against the OZ 5 governor', async () => {
    const r = await hash([...args(), '--oz-version', '4', '--json'])
    expect(r.code).not.toBe(0)
    const e = envelope(r)
    expect(e.success).toBe(false)
    expect(e.errors[0]).toMatchObject({ code: 'HASH_OZ_VERSION_MISMATCH' })
    expect(e.errors[0]!.message).toContain(devnet.layout.contracts.governor)
  })

  it('accepts --oz-version 5 when the governor agrees', async () => {
    const e = envelope(await hash([...args(), '--oz-version', '5', '--json']))
    expect(e.success).toBe(true)
    expect(e.data.timelockOperationId).toMatch(/^0x[0-9a-f]{64}$/)
  })
})
