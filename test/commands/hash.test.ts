import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { AbiCoder, Contract, concat, hashMessage, Interface, Wallet, ZeroAddress } from 'ethers'
import { encodeFunctionData, hashTypedData, parseAbi, keccak256 as viemKeccak } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { COUNCIL_OWNERS, DEVNET_ACCOUNTS } from '../../src/devnet/accounts.js'
import { DevnetSender } from '../../src/devnet/devnetSender.js'
import {
  predictSafeAddress,
  proxyFactoryInterface,
  safeArtifact,
  safeSetupData,
} from '../../src/devnet/safeArtifacts.js'
import { canonicalDeployments } from '../../src/safe/deployments.js'
import { hashSafeMessage, type TypedDataDocument } from '../../src/safe/safeMessage.js'
import { encodeSafeSignatures, signSafeTxHash } from '../../src/safe/signatures.js'
import type { Address, Hex } from '../../src/safe/types.js'
import { envelope, runCli } from '../support/cli.js'
import { startTestDevnet, type TestDevnet } from '../support/devnet.js'

const dir = mkdtempSync(join(tmpdir(), 'alliance-hash-'))
const KNOWN_VERSIONS = '0.1.0, 1.0.0, 1.1.0, 1.1.1, 1.2.0, 1.3.0, 1.4.1, 1.5.0'
const abi = AbiCoder.defaultAbiCoder()

// safe.md §4.2 row 1: mainnet 1.3.0 Safe, USDC transfer(0x92D0…29bC, 25000 USDC), nonce 63 (safe-hash test).
const ROW1 = [
  '--chain-id',
  '1',
  '--safe',
  '0x1c694Fc3006D81ff4a56F97E1b99529066a23725',
  '--to',
  '0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48',
  '--data',
  '0xa9059cbb00000000000000000000000092d0ebaf7eb707f0650f9471e61348f4656c29bc00000000000000000000000000000000000000000000000000000005d21dba00',
  '--nonce',
  '63',
]
// safe.md §4.2 rows 3-4: the STHU nested example on Sepolia.
const STHU = [
  '--chain-id',
  '11155111',
  '--safe',
  '0x657ff0D4eC65D82b2bC1247b0a558bcd2f80A0f1',
  '--safe-version',
  '1.3.0',
  '--to',
  '0x255C3912f91eF11bFDadd405F13144a823Da8cc5',
  '--value',
  '100000000000000000',
  '--nonce',
  '4',
]
const OPENSEA = [
  'Welcome to OpenSea!',
  '',
  'Click to sign in and accept the OpenSea Terms of Service (https://opensea.io/tos) and Privacy Policy (https://opensea.io/privacy).',
  '',
  'This request will not trigger a blockchain transaction or cost any gas fees.',
  '',
  'Wallet address:',
  '0x657ff0d4ec65d82b2bc1247b0a558bcd2f80a0f1',
  '',
  'Nonce:',
  'ea499f2f-fdbc-4d04-92c4-b60aba887e06',
].join('\n')
const SEPOLIA_MESSAGE = [
  '--chain-id',
  '11155111',
  '--safe',
  '0x657ff0D4eC65D82b2bC1247b0a558bcd2f80A0f1',
  '--safe-version',
  '1.3.0',
]

const PERMIT: TypedDataDocument = {
  types: {
    EIP712Domain: [
      { name: 'name', type: 'string' },
      { name: 'version', type: 'string' },
      { name: 'chainId', type: 'uint256' },
      { name: 'verifyingContract', type: 'address' },
    ],
    Permit: [
      { name: 'owner', type: 'address' },
      { name: 'spender', type: 'address' },
      { name: 'value', type: 'uint256' },
      { name: 'nonce', type: 'uint256' },
      { name: 'deadline', type: 'uint256' },
    ],
  },
  primaryType: 'Permit',
  domain: {
    name: 'USD Coin',
    version: '2',
    chainId: 31337,
    verifyingContract: '0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48',
  },
  message: {
    owner: '0xe80F3c2046C04bf94B04Ca142F94fbf7480110C7',
    spender: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
    value: '1000000000000000000000000',
    nonce: 0,
    deadline: '115792089237316195423570985008687907853269984665640564039457584007913129639935',
  },
}
const permitFile = join(dir, 'permit.json')
writeFileSync(permitFile, JSON.stringify(PERMIT, null, 2))

const hash = (args: string[], env?: Record<string, string>) =>
  runCli(['hash', ...args], { cwd: dir, ...(env ? { env } : {}) })

describe('alliance hash safe-tx (offline)', () => {
  it('--json data is exactly {domainHash, messageHash, safeTxHash} (safe.md §4.2 row 1)', async () => {
    const r = await hash(['safe-tx', ...ROW1, '--safe-version', '1.3.0', '--json'])
    expect(r.code).toBe(0)
    const e = envelope(r)
    expect(e).toMatchObject({ schemaVersion: 1, success: true, errors: [], warnings: [] })
    expect(e.data).toStrictEqual({
      domainHash: '0x1655e94a9bcc5a957daa1acae692b4c22e7aaf146b4deb9194f8221d2f09d8c3',
      messageHash: '0xf22754eba5a2b230714534b4657195268f00dc0031296de4b835d82e7aa1e574',
      safeTxHash: '0xad06b099fca34e51e4886643d95d9a19ace2cd024065efb66662a876e8c40343',
    })
  })

  it('prints the three hashes and says which one a Ledger shows', async () => {
    const r = await hash(['safe-tx', ...ROW1, '--safe-version', '1.3.0+L2'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(
      /Domain hash\s+0x1655e94a9bcc5a957daa1acae692b4c22e7aaf146b4deb9194f8221d2f09d8c3/,
    )
    expect(r.stdout).toMatch(
      /Message hash\s+0xf22754eba5a2b230714534b4657195268f00dc0031296de4b835d82e7aa1e574/,
    )
    expect(r.stdout).toMatch(
      /safeTxHash\s+0xad06b099fca34e51e4886643d95d9a19ace2cd024065efb66662a876e8c40343/,
    )
    expect(r.stdout).toContain('a Ledger shows the Domain hash and Message hash when blind-signing')
    expect(r.stdout).toContain('1.3.0+L2')
    expect(r.stdout).not.toContain('WARNING')
  })

  it('adds execTransactionHash with --signatures: keccak256 of the execTransaction calldata', async () => {
    const sigs = `0x${'00'.repeat(12)}${'ab'.repeat(20)}${'00'.repeat(32)}01` as Hex
    const r = await hash(['safe-tx', ...ROW1, '--safe-version', '1.3.0', '--signatures', sigs, '--json'])
    expect(r.code).toBe(0)
    const data = envelope(r).data
    expect(Object.keys(data)).toEqual(['domainHash', 'messageHash', 'safeTxHash', 'execTransactionHash'])
    const calldata = encodeFunctionData({
      abi: parseAbi([
        'function execTransaction(address to, uint256 value, bytes data, uint8 operation, uint256 safeTxGas, uint256 baseGas, uint256 gasPrice, address gasToken, address refundReceiver, bytes signatures)',
      ]),
      functionName: 'execTransaction',
      args: [ROW1[5] as Hex, 0n, ROW1[7] as Hex, 0, 0n, 0n, 0n, ZeroAddress as Hex, ZeroAddress as Hex, sigs],
    })
    expect(data.execTransactionHash).toBe(viemKeccak(calldata))
    const human = await hash(['safe-tx', ...ROW1, '--safe-version', '1.3.0', '--signatures', sigs])
    expect(human.stdout).toContain(`execTransaction, ${(calldata.length - 2) / 2} bytes`)
    expect(human.stdout).toContain(data.execTransactionHash)
  })

  it('adds "nested" for an owner Safe: its approveHash hashes (safe.md §4.2 STHU nested vector)', async () => {
    const r = await hash([
      'safe-tx',
      ...STHU,
      '--nested-safe',
      '0x6bc56d6CE87C86CB0756c616bECFD3Cd32b09251',
      '--nested-version',
      '1.3.0',
      '--nested-nonce',
      '4',
      '--json',
    ])
    expect(r.code).toBe(0)
    expect(envelope(r).data).toStrictEqual({
      domainHash: '0x611379c19940caee095cdb12bebe6a9fa9abb74cdb1fbd7377c49a1f198dc24f',
      messageHash: '0x565bba8b51924ffa64953596d0a2dd5c2cad39649f7de0bf2c8dbc903bd03258',
      safeTxHash: '0xcb8bbe7bf8f8a1f3f57658e450d07d4422356ac042d96a87ba425b19e67a78a1',
      nested: {
        domainHash: '0x55f6c329a7834e2a4e789f5526f328fa75d14fe75b97b0001be40caf46ca92a1',
        messageHash: '0xcd411ee5d49344391ef8d37b76e19dfacf505bbb20e856ac907acb5958ecbdf0',
        safeTxHash: '0x86eb3f93f2670d119a4ecb8eeaa4dafe31a28abcafe06688d47e195a3dd7abb0',
      },
    })
  })

  it('warns before 1.3.0: no chainId in the domain, signatures replay across chains', async () => {
    const human = await hash(['safe-tx', ...ROW1, '--safe-version', '1.2.0'])
    expect(human.code).toBe(0)
    expect(human.stdout).toContain('WARNING')
    expect(human.stdout).toContain('no chainId')
    expect(human.stdout).toMatch(
      /safeTxHash\s+0xf3302c72b102f4462982e2e4ea33559fe6bb8bdcc70562ac3364481b40fb581b/,
    )
    const json = envelope(await hash(['safe-tx', ...ROW1, '--safe-version', '0.1.0', '--json']))
    expect(json.data.safeTxHash).toBe('0xd7cad7fad43d37cca1ec130d3e072b0c7860ac504550e1055be0558c545cf915')
    expect((json as unknown as { warnings: { code: string }[] }).warnings.map((w) => w.code)).toEqual([
      'CROSS_CHAIN_REPLAY',
    ])
  })

  it('warns on a DELEGATECALL and on a gas refund (envelope warnings, data unchanged)', async () => {
    const r = await hash([
      'safe-tx',
      ...ROW1,
      '--safe-version',
      '1.3.0',
      '--operation',
      '1',
      '--gas-price',
      '1',
      '--json',
    ])
    expect(r.code).toBe(0)
    const e = envelope(r) as ReturnType<typeof envelope> & { warnings: { code: string }[] }
    expect(Object.keys(e.data)).toEqual(['domainHash', 'messageHash', 'safeTxHash'])
    expect(e.warnings.map((w) => w.code)).toEqual(['DELEGATECALL', 'GAS_REFUND'])
  })

  it('a bad version exits 1 and names the known versions', async () => {
    for (const bad of ['1.4.0', '1.2.0+L2']) {
      const r = await hash(['safe-tx', ...ROW1, '--safe-version', bad])
      expect(r.code, bad).toBe(1)
      expect(r.stderr).toContain(`Unknown Safe version "${bad}"`)
      expect(r.stderr).toContain(KNOWN_VERSIONS)
    }
    const json = envelope(
      await hash([
        'safe-tx',
        ...STHU,
        '--nested-safe',
        STHU[3]!,
        '--nested-version',
        '1.4.0',
        '--nested-nonce',
        '1',
        '--json',
      ]),
    )
    expect(json.errors[0]).toMatchObject({ code: 'SAFE_UNKNOWN_VERSION' })
    expect(json.errors[0]!.hint).toContain(KNOWN_VERSIONS)
  })

  it.each([
    ['--to', '0xa0B86991c6218b36c1d19D4a2e9Eb0cE3606eB48', 'to', 'wrong checksum'],
    ['--to', '0x1234', 'to', 'not a 20-byte'],
    ['--gas-token', '0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB4', 'gas-token', 'not a 20-byte'],
    ['--operation', '2', 'operation', 'must be 0 (call) or 1 (delegatecall)'],
    ['--value', '-1', 'value', 'must not be negative'],
    ['--safe-tx-gas', '1.5', 'safe-tx-gas', 'whole number'],
    ['--data', '0xabc', 'data', 'even number of digits'],
    ['--chain-id', '0', 'chain-id', 'at least 1'],
  ])('%s %s exits 1 naming the flag', async (flag, value, name, reason) => {
    const args = [
      'safe-tx',
      ...ROW1.filter((_, i, a) => a[i] !== flag && a[i - 1] !== flag),
      '--safe-version',
      '1.3.0',
    ]
    const r = await hash([...args, `${flag}=${value}`, '--json'])
    expect(r.code).toBe(1)
    const error = envelope(r).errors[0]!
    expect(error.code).toBe('HASH_INVALID_FLAG')
    expect(error.message).toContain(`--${name}: `)
    expect(error.message).toContain(reason)
  })

  it('prints a flag error on stderr for people', async () => {
    const r = await hash(['safe-tx', ...ROW1, '--safe-version', '1.3.0', '--refund-receiver', '0xnope'])
    expect(r.code).toBe(1)
    expect(r.stdout).toBe('')
    expect(r.stderr).toContain('--refund-receiver: not a 20-byte 0x-prefixed hex address')
  })

  it('needs --safe-version, --chain-id and --nonce without --rpc-url', async () => {
    const r = envelope(await hash(['safe-tx', ...ROW1, '--json']))
    expect(r.errors[0]).toMatchObject({
      code: 'HASH_MISSING_INPUT',
      message: '--safe-version is required without --rpc-url.',
    })
    const noNonce = ROW1.slice(0, -2)
    expect(
      envelope(await hash(['safe-tx', ...noNonce, '--safe-version', '1.3.0', '--json'])).errors[0]!.message,
    ).toBe('--nonce is required without --rpc-url.')
  })

  it('stays offline when ALLIANCE_RPC_URL is set but every input is on the command line', async () => {
    const r = await hash(['safe-tx', ...ROW1, '--safe-version', '1.3.0', '--json'], {
      ALLIANCE_RPC_URL: 'http://127.0.0.1:9',
    })
    expect(r.code).toBe(0)
    expect(envelope(r).data.safeTxHash).toBe(
      '0xad06b099fca34e51e4886643d95d9a19ace2cd024065efb66662a876e8c40343',
    )
  })
})

describe('alliance hash message (offline)', () => {
  it('--json gives rawMessageHash, domainHash, messageHash, safeMessageHash (safe.md §4.3 vector)', async () => {
    const r = await hash(['message', ...SEPOLIA_MESSAGE, '--text', OPENSEA, '--json'])
    expect(r.code).toBe(0)
    const e = envelope(r)
    expect(e.data).toStrictEqual({
      rawMessageHash: '0xcb1a9208c1a7c191185938c7d304ed01db68677eea4e689d688469aa72e34236',
      domainHash: '0x611379c19940caee095cdb12bebe6a9fa9abb74cdb1fbd7377c49a1f198dc24f',
      messageHash: '0xa5d2f507a16279357446768db4bd47a03bca0b6acac4632a4c2c96af20d6f6e5',
      safeMessageHash: '0x1866b559f56261ada63528391b93a1fe8e2e33baf7cace94fc6b42202d16ea08',
    })
    expect((e as unknown as { warnings: unknown[] }).warnings).toEqual([])
  })

  it('normalises a CRLF text file with a trailing newline to the same hash, and says so', async () => {
    const file = join(dir, 'opensea-crlf.txt')
    writeFileSync(file, `${OPENSEA.replace(/\n/g, '\r\n')}\r\n`)
    const r = await hash(['message', ...SEPOLIA_MESSAGE, '--text-file', file, '--json'])
    expect(r.code).toBe(0)
    const e = envelope(r) as ReturnType<typeof envelope> & { warnings: { code: string; message: string }[] }
    expect(e.data.safeMessageHash).toBe('0x1866b559f56261ada63528391b93a1fe8e2e33baf7cace94fc6b42202d16ea08')
    expect(e.warnings).toEqual([
      {
        code: 'MESSAGE_NORMALISED',
        message: `${file}: CRLF line endings turned into LF, trailing newline removed before hashing.`,
      },
    ])
    const human = await hash(['message', ...SEPOLIA_MESSAGE, '--text-file', file])
    expect(human.stdout).toContain('│ Welcome to OpenSea!')
    expect(human.stdout).toMatch(
      /safeMessageHash\s+0x1866b559f56261ada63528391b93a1fe8e2e33baf7cace94fc6b42202d16ea08/,
    )
  })

  it('hashes EIP-712 typed data from a file, and adds "nested" for an owner Safe', async () => {
    const r = await hash([
      'message',
      ...SEPOLIA_MESSAGE,
      '--typed-data-file',
      permitFile,
      '--nested-safe',
      '0x6bc56d6CE87C86CB0756c616bECFD3Cd32b09251',
      '--nested-version',
      '1.3.0',
      '--json',
    ])
    expect(r.code).toBe(0)
    const e = envelope(r) as ReturnType<typeof envelope> & { warnings: { code: string }[] }
    expect(Object.keys(e.data)).toEqual([
      'rawMessageHash',
      'domainHash',
      'messageHash',
      'safeMessageHash',
      'nested',
    ])
    expect(Object.keys(e.data.nested)).toEqual(['domainHash', 'messageHash', 'safeMessageHash'])
    const { EIP712Domain: _, ...types } = PERMIT.types
    expect(e.data.rawMessageHash).toBe(
      hashTypedData({
        domain: { ...PERMIT.domain, chainId: 31337n },
        types,
        primaryType: 'Permit',
        message: PERMIT.message,
      } as never),
    )
    // A 1.3.0 parent hands the same message to its owner: same struct hash, the owner's domain.
    expect(e.data.nested.messageHash).toBe(e.data.messageHash)
    expect(e.data.nested.domainHash).toBe(
      '0x55f6c329a7834e2a4e789f5526f328fa75d14fe75b97b0001be40caf46ca92a1',
    )
    // The permit names chain 31337, the Safe is on Sepolia.
    expect(e.warnings.map((w) => w.code)).toContain('TYPED_DATA_OTHER_CHAIN')
  })

  it('refuses a message source that is missing, doubled or broken', async () => {
    const none = envelope(await hash(['message', ...SEPOLIA_MESSAGE, '--json']))
    expect(none.errors[0]!.code).toBe('HASH_MISSING_INPUT')
    const two = await hash(['message', ...SEPOLIA_MESSAGE, '--text', 'a', '--typed-data-file', permitFile])
    expect(two.code).toBe(1)
    const broken = join(dir, 'broken.json')
    writeFileSync(broken, JSON.stringify({ ...PERMIT, message: { ...PERMIT.message, value: 1e24 } }))
    const r = envelope(await hash(['message', ...SEPOLIA_MESSAGE, '--typed-data-file', broken, '--json']))
    expect(r.errors[0]!.code).toBe('HASH_INVALID_TYPED_DATA')
    expect(r.errors[0]!.message).toContain('message.value')
    const missing = envelope(
      await hash(['message', ...SEPOLIA_MESSAGE, '--text-file', join(dir, 'nope.txt'), '--json']),
    )
    expect(missing.errors[0]!.code).toBe('FILE_NOT_FOUND')
  })
})

describe('alliance hash on a devnet (Safe 1.4.1): the Safe contracts as the independent source', () => {
  let devnet: TestDevnet
  let council: Address
  let handler: Contract
  const rpc = () => ['--rpc-url', devnet.url]
  const handlerAbi = [
    'function getMessageHashForSafe(address safe, bytes message) view returns (bytes32)',
    'function encodeMessageDataForSafe(address safe, bytes message) view returns (bytes)',
  ]

  beforeAll(async () => {
    devnet = await startTestDevnet()
    council = devnet.layout.council
    handler = new Contract(canonicalDeployments('1.4.1').fallbackHandler.address, handlerAbi, devnet.provider)
  })
  afterAll(async () => {
    await devnet?.stop()
  })

  /** Runs `fn` and rolls the chain back, so each test sees the deployed devnet. */
  async function isolated<T>(fn: () => Promise<T>): Promise<T> {
    const id = await devnet.snapshot()
    try {
      return await fn()
    } finally {
      await devnet.revert(id)
    }
  }

  it('--rpc-url reads the version and nonce, reports the canonical singleton, and equals getTransactionHash', async () => {
    const to = DEVNET_ACCOUNTS[5].address
    const human = await hash(['safe-tx', ...rpc(), '--safe', council, '--to', to, '--value', '7'])
    expect(human.code).toBe(0)
    expect(human.stdout).toMatch(/Version\s+1\.4\.1\s+VERSION\(\) on chain/)
    expect(human.stdout).toContain('singleton: Safe 1.4.1 (canonical code)')
    expect(human.stdout).toContain("the Safe's current nonce")
    expect(human.stdout).toContain("the Safe's own getTransactionHash agrees")

    const r = await hash(['safe-tx', ...rpc(), '--safe', council, '--to', to, '--value', '7', '--json'])
    const { nonce } = await devnet.reads.readSafe(council)
    const onChain = await devnet.reads.safeTransactionHash(council, {
      to,
      value: 7n,
      data: '0x',
      operation: 0,
      safeTxGas: 0n,
      baseGas: 0n,
      gasPrice: 0n,
      gasToken: ZeroAddress as Address,
      refundReceiver: ZeroAddress as Address,
      nonce,
    })
    expect(envelope(r).data.safeTxHash).toBe(onChain)
    expect((envelope(r) as unknown as { warnings: unknown[] }).warnings).toEqual([])
  })

  it('refuses a --safe-version or --chain-id the chain contradicts', async () => {
    const base = ['safe-tx', ...rpc(), '--safe', council, '--to', council, '--json']
    const version = envelope(await hash([...base, '--safe-version', '1.3.0']))
    expect(version.errors[0]!.code).toBe('HASH_VERSION_MISMATCH')
    const chain = envelope(await hash([...base, '--chain-id', '1']))
    expect(chain.errors[0]!.code).toBe('HASH_CHAIN_MISMATCH')
    // Agreeing flags are fine, +L2 included (VERSION() is the same string on both singletons).
    expect((await hash([...base, '--safe-version', '1.4.1', '--chain-id', '31337'])).code).toBe(0)
  })

  it('recognises a DELEGATECALL target by its code with --rpc-url', async () => {
    const base = ['safe-tx', ...rpc(), '--safe', council, '--operation', '1']
    const trusted = await hash([...base, '--to', devnet.layout.safe.MultiSendCallOnly])
    expect(trusted.stdout).toContain('DELEGATECALL to MultiSendCallOnly 1.4.1 (recognised by its code)')
    expect(trusted.stdout).not.toContain('WARNING')
    const other = envelope(
      await hash([...base, '--to', devnet.layout.contracts.treasury, '--json']),
    ) as ReturnType<typeof envelope> & { warnings: { code: string; message: string }[] }
    expect(other.warnings.map((w) => w.code)).toEqual(['DELEGATECALL'])
    expect(other.warnings[0]!.message).toContain('code that matches no trusted Safe library')
  })

  it('messages: safeMessageHash equals CompatibilityFallbackHandler.getMessageHashForSafe(safe, abi.encode(raw))', async () => {
    const r = envelope(await hash(['message', ...rpc(), '--safe', council, '--text', OPENSEA, '--json']))
    const onChain = await handler.getFunction('getMessageHashForSafe')(
      council,
      abi.encode(['bytes32'], [hashMessage(OPENSEA)]),
    )
    expect(r.data.safeMessageHash).toBe(onChain)
    const typed = envelope(
      await hash(['message', ...rpc(), '--safe', council, '--typed-data-file', permitFile, '--json']),
    )
    expect(typed.data.safeMessageHash).toBe(
      await handler.getFunction('getMessageHashForSafe')(
        council,
        abi.encode(['bytes32'], [typed.data.rawMessageHash]),
      ),
    )
    // And the library over many messages, with no CLI in between.
    for (let i = 0; i < 12; i++) {
      const text = `message ${i}: ${'é😀\n'.repeat(i)}`
      const ours = hashSafeMessage({
        chainId: 31337n,
        safe: council,
        version: '1.4.1',
        message: { kind: 'text', text },
      })
      expect(ours.safeMessageHash).toBe(
        await handler.getFunction('getMessageHashForSafe')(
          council,
          abi.encode(['bytes32'], [hashMessage(text)]),
        ),
      )
    }
  })

  /** A 1-of-1 Safe 1.4.1 owned by the council Safe: the council is its nested (owner) Safe. */
  async function deployParentOwnedByCouncil(): Promise<Address> {
    const L = devnet.layout
    const setup = {
      owners: [council],
      threshold: 1,
      fallbackHandler: L.safe.CompatibilityFallbackHandler,
      saltNonce: 4242n,
    }
    const parent = predictSafeAddress(L.safe.SafeProxyFactory, L.safe.Safe, setup)
    const data = proxyFactoryInterface().encodeFunctionData('createProxyWithNonce', [
      L.safe.Safe,
      safeSetupData(setup),
      setup.saltNonce,
    ])
    await new DevnetSender(devnet.provider).send(new Wallet(DEVNET_ACCOUNTS[8].key, devnet.provider), {
      to: L.safe.SafeProxyFactory,
      data,
    })
    return parent
  }

  /** The council's 2-of-3 signature over `digest`, wrapped as the parent's contract signature (v = 0). */
  function councilContractSignature(digest: Hex): Hex {
    const councilSigs = encodeSafeSignatures(
      COUNCIL_OWNERS.slice(0, 2).map((o) => ({
        kind: 'eoa' as const,
        signer: o.address,
        data: signSafeTxHash(o.key, digest),
      })),
    )
    return encodeSafeSignatures([{ kind: 'contract', signer: council, signature: councilSigs }])
  }

  it('nested message: the 1.4.1 parent accepts the owner Safe signing the hash alliance prints, and no other', () =>
    isolated(async () => {
      const parent = await deployParentOwnedByCouncil()
      const text = 'Nested hello from the council'
      const r = await hash([
        'message',
        ...rpc(),
        '--safe',
        parent,
        '--nested-safe',
        council,
        '--text',
        text,
        '--json',
      ])
      expect(r.code).toBe(0)
      const data = envelope(r).data
      const raw = hashMessage(text)
      expect(data.safeMessageHash).toBe(
        await handler.getFunction('getMessageHashForSafe')(parent, abi.encode(['bytes32'], [raw])),
      )
      // What the parent's handler hands to the council: the 66-byte preimage of the parent's safeMessageHash.
      const preimage = await handler.getFunction('encodeMessageDataForSafe')(
        parent,
        abi.encode(['bytes32'], [raw]),
      )
      expect(data.nested.safeMessageHash).toBe(
        await handler.getFunction('getMessageHashForSafe')(council, preimage),
      )

      const parentSafe = new Contract(
        parent,
        ['function isValidSignature(bytes32 hash, bytes signature) view returns (bytes4)'],
        devnet.provider,
      )
      const isValid = parentSafe.getFunction('isValidSignature')
      expect(await isValid(raw, councilContractSignature(data.nested.safeMessageHash))).toBe('0x1626ba7e')
      // The parent's safeMessageHash re-wrapped as a new inner hash (STHU, safe.md §4.3) is what a 1.5.0
      // parent would ask for; the 1.4.1 contracts reject it.
      const rewrapped = await handler.getFunction('getMessageHashForSafe')(
        council,
        abi.encode(['bytes32'], [data.safeMessageHash]),
      )
      await expect(isValid(raw, councilContractSignature(rewrapped))).rejects.toThrow(/GS026/)
    }))

  it('nested transaction: the council executes the printed approveHash and the parent records the approval', () =>
    isolated(async () => {
      const parent = await deployParentOwnedByCouncil()
      const r = await hash([
        'safe-tx',
        ...rpc(),
        '--safe',
        parent,
        '--to',
        DEVNET_ACCOUNTS[6].address,
        '--nested-safe',
        council,
        '--json',
      ])
      expect(r.code).toBe(0)
      const { safeTxHash, nested } = envelope(r).data
      const approveData = concat(['0xd4d9bdcd', safeTxHash])
      const councilSafe = new Interface(safeArtifact('Safe').abi as string[])
      const exec = councilSafe.encodeFunctionData('execTransaction', [
        parent,
        0,
        approveData,
        0,
        0,
        0,
        0,
        ZeroAddress,
        ZeroAddress,
        encodeSafeSignatures(
          COUNCIL_OWNERS.slice(0, 2).map((o) => ({
            kind: 'eoa' as const,
            signer: o.address,
            data: signSafeTxHash(o.key, nested.safeTxHash),
          })),
        ),
      ])
      await new DevnetSender(devnet.provider).send(new Wallet(COUNCIL_OWNERS[0].key, devnet.provider), {
        to: council,
        data: exec,
      })
      const approved = await new Contract(
        parent,
        ['function approvedHashes(address, bytes32) view returns (uint256)'],
        devnet.provider,
      ).getFunction('approvedHashes')(council, safeTxHash)
      expect(approved).toBe(1n)
    }))

  it('a Safe with no code yet: the flags carry the hashes, with a warning', async () => {
    const counterfactual = '0x00000000000000000000000000000000000c0ffe'
    const base = ['message', ...rpc(), '--safe', counterfactual, '--text', 'hi', '--json']
    const r = envelope(await hash([...base, '--safe-version', '1.4.1'])) as ReturnType<typeof envelope> & {
      warnings: { code: string }[]
    }
    expect(r.success).toBe(true)
    expect(r.warnings.map((w) => w.code)).toEqual(['SAFE_NOT_DEPLOYED'])
    expect(envelope(await hash(base)).errors[0]!.message).toBe(
      '--safe-version is required when the Safe has no code on this chain.',
    )
  })

  it('flags a nonce the Safe has already used', () =>
    isolated(async () => {
      await devnet.provider.send('anvil_setStorageAt', [council, '0x5', `0x${'3'.padStart(64, '0')}`])
      const r = envelope(
        await hash(['safe-tx', ...rpc(), '--safe', council, '--to', council, '--nonce', '1', '--json']),
      )
      expect((r as unknown as { warnings: { code: string }[] }).warnings.map((w) => w.code)).toEqual([
        'NONCE_USED',
      ])
      const current = envelope(
        await hash(['safe-tx', ...rpc(), '--safe', council, '--to', council, '--json']),
      )
      expect(current.data.safeTxHash).toBe(
        await devnet.reads.safeTransactionHash(council, {
          to: council,
          value: 0n,
          data: '0x',
          operation: 0,
          safeTxGas: 0n,
          baseGas: 0n,
          gasPrice: 0n,
          gasToken: ZeroAddress as Address,
          refundReceiver: ZeroAddress as Address,
          nonce: 3n,
        }),
      )
    }))

  it('an unknown singleton gives the UNKNOWN_SINGLETON warning (slot 0 pointed at MultiSend)', () =>
    isolated(async () => {
      const multiSend = devnet.layout.safe.MultiSend
      await devnet.provider.send('anvil_setStorageAt', [
        council,
        '0x0',
        `0x${multiSend.slice(2).toLowerCase().padStart(64, '0')}`,
      ])
      const base = ['safe-tx', ...rpc(), '--safe', council, '--to', council]
      // MultiSend answers neither VERSION() nor nonce(): the flags carry the values, the warning stays.
      const r = await hash([...base, '--safe-version', '1.4.1', '--nonce', '0', '--json'])
      expect(r.code).toBe(0)
      const e = envelope(r) as ReturnType<typeof envelope> & { warnings: { code: string; message: string }[] }
      expect(e.warnings.map((w) => w.code)).toEqual(['UNKNOWN_SINGLETON', 'SAFE_VERSION_UNREADABLE'])
      expect(e.warnings[0]!.message).toContain(multiSend)
      const human = await hash([...base, '--safe-version', '1.4.1', '--nonce', '0'])
      expect(human.stdout).toContain('WARNING')
      expect(human.stdout).toContain('singleton: UNKNOWN (MultiSend 1.4.1, not a Safe singleton)')
      // Without the version nothing can be hashed: an error that still names the singleton.
      const refused = envelope(await hash([...base, '--json']))
      expect(refused.errors[0]!.code).toBe('HASH_SAFE_UNREADABLE')
      expect(refused.errors[0]!.details?.join('\n') ?? '').toContain('singleton: UNKNOWN')
    }))

  it('a look-alike singleton (the Safe code plus one byte) is read, cross-checked and still flagged', () =>
    isolated(async () => {
      const code: string = await devnet.provider.getCode(devnet.layout.safe.Safe)
      const lookAlike = '0x00000000000000000000000000000000000bad01'
      await devnet.provider.send('anvil_setCode', [lookAlike, `${code}00`])
      await devnet.provider.send('anvil_setStorageAt', [
        council,
        '0x0',
        `0x${lookAlike.slice(2).padStart(64, '0')}`,
      ])
      const r = await hash(['message', ...rpc(), '--safe', council, '--text', 'hi', '--json'])
      expect(r.code).toBe(0)
      const e = envelope(r) as ReturnType<typeof envelope> & { warnings: { code: string }[] }
      expect(e.warnings.map((w) => w.code)).toEqual(['UNKNOWN_SINGLETON'])
      const human = await hash(['safe-tx', ...rpc(), '--safe', council, '--to', council])
      expect(human.stdout).toContain('singleton: UNKNOWN (code that matches no released Safe singleton)')
      expect(human.stdout).toContain("the Safe's own getTransactionHash agrees")
    }))
})
