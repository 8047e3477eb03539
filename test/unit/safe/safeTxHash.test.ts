import { encodeFunctionData, hashDomain, hashStruct, hashTypedData, parseAbi } from 'viem'
import { describe, expect, it } from 'vitest'
import { InvalidSafeTxError, UnknownSafeVersionError } from '../../../src/errors/safe.js'
import { domainSeparator, hashSafeTx } from '../../../src/safe/safeTxHash.js'
import type { Address, Hex, SafeTx } from '../../../src/safe/types.js'
import { rng } from './random.js'

const ZERO = '0x0000000000000000000000000000000000000000' as Address

const base = {
  value: 0n,
  operation: 0,
  safeTxGas: 0n,
  baseGas: 0n,
  gasPrice: 0n,
  gasToken: ZERO,
  refundReceiver: ZERO,
} as const

/** The reference abbreviates some hashes as `0x1655e94a…d8c3`: compare the visible prefix and suffix. */
function expectHash(actual: Hex, expected: string) {
  const [head, tail] = expected.toLowerCase().split('…') as [string, string | undefined]
  if (tail === undefined) {
    expect(actual).toBe(head)
    return
  }
  expect(actual.startsWith(head), `${actual} starts with ${head}`).toBe(true)
  expect(actual.endsWith(tail), `${actual} ends with ${tail}`).toBe(true)
}

// Row 1 inputs: safe-hash-rs test (Cyfrin/safe-hash-rs), USDC transfer(0x92D0…29bC, 25000 USDC).
const USDC = '0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48' as Address
const USDC_RECIPIENT = '0x92d0ebaf7eb707f0650f9471e61348f4656c29bc' as Address
const MAINNET_SAFE = '0x1c694Fc3006D81ff4a56F97E1b99529066a23725' as Address
const usdcTransfer: SafeTx = {
  ...base,
  to: USDC,
  data: encodeFunctionData({
    abi: parseAbi(['function transfer(address to, uint256 amount)']),
    functionName: 'transfer',
    args: [USDC_RECIPIENT, 25_000_000_000n],
  }),
  nonce: 63n,
}

// Rows 2–4 inputs: safe-tx-hashes-util README (pcaversaccio), the Arbitrum and Sepolia nested examples.
const ARB_SAFE = '0x111CEEee040739fD91D29C34C33E6B3E112F2177' as Address
const NEW_OWNER = '0x0c75Fa5a5F1C0997e3eEA425cFA13184ed0eC9e5' as Address
const addOwner: SafeTx = {
  ...base,
  to: ARB_SAFE,
  data: encodeFunctionData({
    abi: parseAbi(['function addOwnerWithThreshold(address owner, uint256 _threshold)']),
    functionName: 'addOwnerWithThreshold',
    args: [NEW_OWNER, 3n],
  }),
  nonce: 234n,
}
const SEPOLIA_SAFE = '0x657ff0D4eC65D82b2bC1247b0a558bcd2f80A0f1' as Address
const NESTED_SAFE = '0x6bc56d6CE87C86CB0756c616bECFD3Cd32b09251' as Address
const ethTransfer: SafeTx = {
  ...base,
  to: '0x255C3912f91eF11bFDadd405F13144a823Da8cc5',
  value: 100_000_000_000_000_000n,
  data: '0x',
  nonce: 4n,
}
const PRIMARY_SAFE_TX_HASH = '0xcb8bbe7bf8f8a1f3f57658e450d07d4422356ac042d96a87ba425b19e67a78a1'
const approveHash: SafeTx = {
  ...base,
  to: SEPOLIA_SAFE,
  data: encodeFunctionData({
    abi: parseAbi(['function approveHash(bytes32 hashToApprove)']),
    functionName: 'approveHash',
    args: [PRIMARY_SAFE_TX_HASH],
  }),
  nonce: 4n,
}

describe('hashSafeTx: safe.md §4.2 verified vectors', () => {
  it('reconstructs the calldata the reference describes', () => {
    expect(usdcTransfer.data).toBe(
      '0xa9059cbb00000000000000000000000092d0ebaf7eb707f0650f9471e61348f4656c29bc00000000000000000000000000000000000000000000000000000005d21dba00',
    )
    expect(addOwner.data).toBe(
      '0x0d582f130000000000000000000000000c75fa5a5f1c0997e3eea425cfa13184ed0ec9e50000000000000000000000000000000000000000000000000000000000000003',
    )
    expect(approveHash.data).toBe(`0xd4d9bdcd${PRIMARY_SAFE_TX_HASH.slice(2)}`)
  })

  const cases: {
    name: string
    chainId: bigint
    safe: Address
    version: string
    tx: SafeTx
    domain: string
    message: string
    safeTxHash: string
  }[] = [
    {
      name: 'Mainnet 1.3.0 USDC transfer, nonce 63 (safe-hash test)',
      chainId: 1n,
      safe: MAINNET_SAFE,
      version: '1.3.0',
      tx: usdcTransfer,
      domain: '0x1655e94a…d8c3',
      message: '0xf22754eb…e574',
      safeTxHash: '0xad06b099fca34e51e4886643d95d9a19ace2cd024065efb66662a876e8c40343',
    },
    {
      name: 'Arbitrum 1.3.0+L2 addOwnerWithThreshold, nonce 234 (STHU README)',
      chainId: 42161n,
      safe: ARB_SAFE,
      version: '1.3.0+L2',
      tx: addOwner,
      domain: '0x1cf7f9b1…7291',
      message: '0xd9109ea6…c7a5',
      safeTxHash: '0x0cb7250b8becd7069223c54e2839feaed4cee156363fbfe5dd0a48e75c4e25b3',
    },
    {
      name: 'Sepolia 0.1 ETH transfer, nonce 4 (STHU nested example)',
      chainId: 11155111n,
      safe: SEPOLIA_SAFE,
      version: '1.3.0',
      tx: ethTransfer,
      domain: '0x611379c1…c24f',
      message: '0x565bba8b…3258',
      safeTxHash: PRIMARY_SAFE_TX_HASH,
    },
    {
      name: '…its nested approveHash from the owner Safe, nonce 4',
      chainId: 11155111n,
      safe: NESTED_SAFE,
      version: '1.3.0',
      tx: approveHash,
      domain: '0x55f6c329…92a1',
      message: '0xcd411ee5…bdf0',
      safeTxHash: '0x86eb3f93f2670d119a4ecb8eeaa4dafe31a28abcafe06688d47e195a3dd7abb0',
    },
  ]

  it.each(cases)('$name', (c) => {
    const h = hashSafeTx({ chainId: c.chainId, safe: c.safe, version: c.version, tx: c.tx })
    expectHash(h.domainHash, c.domain)
    expectHash(h.messageHash, c.message)
    expectHash(h.safeTxHash, c.safeTxHash)
    expect(domainSeparator({ chainId: c.chainId, safe: c.safe, version: c.version })).toBe(h.domainHash)
  })

  // Full hashes printed by the STHU README for the same transactions (beyond the abbreviated table).
  it('matches the full Arbitrum and Sepolia hashes printed by safe-tx-hashes-util', () => {
    const arb = hashSafeTx({ chainId: 42161n, safe: ARB_SAFE, version: '1.3.0+L2', tx: addOwner })
    expect(arb.domainHash).toBe('0x1cf7f9b1efe3bc47fe02fd27c649fea19e79d66040683a1c86c7490c80bf7291')
    expect(arb.messageHash).toBe('0xd9109ea63c50ecd3b80b6b27ed5c5a9fd3d546c2169dfb69bfa7ba24cd14c7a5')
    const primary = hashSafeTx({ chainId: 11155111n, safe: SEPOLIA_SAFE, version: '1.3.0', tx: ethTransfer })
    expect(primary.domainHash).toBe('0x611379c19940caee095cdb12bebe6a9fa9abb74cdb1fbd7377c49a1f198dc24f')
    expect(primary.messageHash).toBe('0x565bba8b51924ffa64953596d0a2dd5c2cad39649f7de0bf2c8dbc903bd03258')
    const nested = hashSafeTx({ chainId: 11155111n, safe: NESTED_SAFE, version: '1.3.0', tx: approveHash })
    expect(nested.domainHash).toBe('0x55f6c329a7834e2a4e789f5526f328fa75d14fe75b97b0001be40caf46ca92a1')
    expect(nested.messageHash).toBe('0xcd411ee5d49344391ef8d37b76e19dfacf505bbb20e856ac907acb5958ecbdf0')
  })

  it('matches the STHU interactive example (value, delegatecall, gas price, gas token, refund receiver)', () => {
    const h = hashSafeTx({
      chainId: 42161n,
      safe: ARB_SAFE,
      version: '1.3.0+L2',
      tx: {
        ...addOwner,
        value: 1000n,
        operation: 1,
        gasPrice: 50n,
        gasToken: '0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2',
        refundReceiver: '0xd8dA6BF26964aF9D7eEd9e03E53415D37aA96045',
      },
    })
    expect(h.domainHash).toBe('0x1cf7f9b1efe3bc47fe02fd27c649fea19e79d66040683a1c86c7490c80bf7291')
    expect(h.messageHash).toBe('0xc7e826933da60e6ac3e2246ed0563a26a920a65beaa9089d784ac96234141bb3')
    expect(h.safeTxHash).toBe('0xc818fceb1cace51c1a4039c4c66fc73d95eccc298104c9c52debac604b9f4e04')
  })
})

describe('hashSafeTx: row 1 under every version (safe.md §4.2 second table)', () => {
  const v010 = {
    domain: '0xd6b7c12660b684ed6528dd9de969a7a4a2671bd63d86fa52d163337297eed129',
    message: '0x99ef290a46adfb92bd309efee02271cefc84aded53f3218e6067c66806ea267c',
    safeTxHash: '0xd7cad7fad43d37cca1ec130d3e072b0c7860ac504550e1055be0558c545cf915',
  }
  const v100to120 = {
    domain: '0xd6b7c126…d129',
    message: '0xf22754eba5a2b230714534b4657195268f00dc0031296de4b835d82e7aa1e574',
    safeTxHash: '0xf3302c72b102f4462982e2e4ea33559fe6bb8bdcc70562ac3364481b40fb581b',
  }
  const v130to150 = {
    domain: '0x1655e94a9bcc5a957daa1acae692b4c22e7aaf146b4deb9194f8221d2f09d8c3',
    message: '0xf22754eb…e574',
    safeTxHash: '0xad06b099…0343',
  }
  const rows: [string, { domain: string; message: string; safeTxHash: string }][] = [
    ['0.1.0', v010],
    ['1.0.0', v100to120],
    ['1.1.0', v100to120],
    ['1.1.1', v100to120],
    ['1.2.0', v100to120],
    ['1.3.0', v130to150],
    ['1.3.0+L2', v130to150],
    ['1.4.1', v130to150],
    ['1.4.1+L2', v130to150],
    ['1.5.0', v130to150],
    ['1.5.0+L2', v130to150],
  ]
  it.each(rows)('%s', (version, want) => {
    const h = hashSafeTx({ chainId: 1n, safe: MAINNET_SAFE, version, tx: usdcTransfer })
    expectHash(h.domainHash, want.domain)
    expectHash(h.messageHash, want.message)
    expectHash(h.safeTxHash, want.safeTxHash)
  })

  it('≤1.2.0 domains ignore the chain id (cross-chain replayable); ≥1.3.0 do not', () => {
    const on = (chainId: bigint, version: string) =>
      hashSafeTx({ chainId, safe: MAINNET_SAFE, version, tx: usdcTransfer }).safeTxHash
    expect(on(1n, '1.2.0')).toBe(on(137n, '1.2.0'))
    expect(on(1n, '1.3.0')).not.toBe(on(137n, '1.3.0'))
  })
})

describe('hashSafeTx: independent cross-check against viem hashTypedData', () => {
  const versions = ['0.1.0', '1.0.0', '1.1.1', '1.2.0', '1.3.0', '1.3.0+L2', '1.4.1', '1.4.1+L2', '1.5.0']

  function viemHashes(chainId: bigint, safe: Address, version: string, tx: SafeTx) {
    const withChainId = !/^(0\.|1\.[0-2]\.)/.test(version)
    const gasName = version === '0.1.0' ? 'dataGas' : 'baseGas'
    const types = {
      EIP712Domain: withChainId
        ? [
            { name: 'chainId', type: 'uint256' },
            { name: 'verifyingContract', type: 'address' },
          ]
        : [{ name: 'verifyingContract', type: 'address' }],
      SafeTx: [
        { name: 'to', type: 'address' },
        { name: 'value', type: 'uint256' },
        { name: 'data', type: 'bytes' },
        { name: 'operation', type: 'uint8' },
        { name: 'safeTxGas', type: 'uint256' },
        { name: gasName, type: 'uint256' },
        { name: 'gasPrice', type: 'uint256' },
        { name: 'gasToken', type: 'address' },
        { name: 'refundReceiver', type: 'address' },
        { name: 'nonce', type: 'uint256' },
      ],
    } as const
    const domain = withChainId ? { chainId, verifyingContract: safe } : { verifyingContract: safe }
    const message = {
      to: tx.to,
      value: tx.value,
      data: tx.data,
      operation: tx.operation,
      safeTxGas: tx.safeTxGas,
      [gasName]: tx.baseGas,
      gasPrice: tx.gasPrice,
      gasToken: tx.gasToken,
      refundReceiver: tx.refundReceiver,
      nonce: tx.nonce,
    }
    // biome-ignore lint/suspicious/noExplicitAny: the gas field name is chosen at runtime
    const t = types as any
    return {
      domainHash: hashDomain({ domain, types: t }),
      messageHash: hashStruct({ data: message, primaryType: 'SafeTx', types: t }),
      safeTxHash: hashTypedData({ domain, types: t, primaryType: 'SafeTx', message }),
    }
  }

  it('agrees on 400 random transactions across versions and chains', () => {
    const r = rng(0x5afe)
    let pre13 = 0
    for (let i = 0; i < 400; i++) {
      const version = versions[i % versions.length]!
      if (/^(0\.|1\.[0-2]\.)/.test(version)) pre13++
      const chainId = r.pick([1n, 10n, 100n, 137n, 42161n, 11155111n, 31337n, BigInt(1 + r.int(2 ** 31))])
      const safe = r.hex(20) as Address
      const tx: SafeTx = {
        to: r.address(),
        value: r.uint(),
        data: r.hex(r.int(301)),
        operation: r.pick([0, 1] as const),
        safeTxGas: r.uint(),
        baseGas: r.uint(),
        gasPrice: r.uint(),
        gasToken: r.address(),
        refundReceiver: r.address(),
        nonce: r.uint(),
      }
      const ours = hashSafeTx({ chainId, safe, version, tx })
      expect(ours, `case ${i} (${version})`).toEqual(viemHashes(chainId, safe, version, tx))
    }
    expect(pre13).toBeGreaterThan(100)
  })
})

describe('hashSafeTx: input validation', () => {
  const ok = { chainId: 1n, safe: MAINNET_SAFE, version: '1.3.0', tx: usdcTransfer }
  it.each([
    ['operation 2', { tx: { ...usdcTransfer, operation: 2 as 0 } }, 'operation'],
    ['negative value', { tx: { ...usdcTransfer, value: -1n } }, 'value'],
    ['value above uint256', { tx: { ...usdcTransfer, value: 1n << 256n } }, 'value'],
    ['number nonce', { tx: { ...usdcTransfer, nonce: 1 as unknown as bigint } }, 'nonce'],
    ['odd-length data', { tx: { ...usdcTransfer, data: '0xabc' as Hex } }, 'data'],
    ['non-hex data', { tx: { ...usdcTransfer, data: '0xzz' as Hex } }, 'data'],
    ['21-byte to', { tx: { ...usdcTransfer, to: `${USDC}00` as Address } }, 'to'],
    [
      'bad checksum gasToken',
      { tx: { ...usdcTransfer, gasToken: '0xA0B86991c6218b36c1d19D4a2e9Eb0cE3606eB48' } },
      'gasToken',
    ],
    ['bad safe', { safe: '0x1234' as Address }, 'safe'],
    ['zero chain id', { chainId: 0n }, 'chainId'],
  ] as const)('rejects %s', (_name, patch, field) => {
    let err: unknown
    try {
      hashSafeTx({ ...ok, ...patch } as typeof ok)
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(InvalidSafeTxError)
    expect((err as InvalidSafeTxError).code).toBe('SAFE_INVALID_TX')
    expect((err as InvalidSafeTxError).field).toBe(field)
  })

  it('accepts lowercase addresses and mixed-case data (normalised before hashing)', () => {
    const a = hashSafeTx(ok)
    const b = hashSafeTx({
      ...ok,
      safe: MAINNET_SAFE.toLowerCase() as Address,
      tx: {
        ...usdcTransfer,
        to: USDC.toLowerCase() as Address,
        data: usdcTransfer.data.toUpperCase().replace('0X', '0x') as Hex,
      },
    })
    expect(b).toEqual(a)
  })

  it('rejects unknown versions', () => {
    expect(() => hashSafeTx({ ...ok, version: '1.4.0' })).toThrow(UnknownSafeVersionError)
  })
})
