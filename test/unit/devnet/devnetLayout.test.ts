import {
  type Abi,
  concat,
  encodeAbiParameters,
  encodeFunctionData,
  getContractAddress,
  keccak256,
  zeroAddress,
} from 'viem'
import { describe, expect, it } from 'vitest'
import { COUNCIL_OWNERS, DEPLOYER } from '../../../src/devnet/accounts.js'
import { DEVNET_CONTRACTS, devnetLayout } from '../../../src/devnet/devnetLayout.js'
import { SAFE_141_NAMES, safeArtifact } from '../../../src/devnet/safeArtifacts.js'
import { canonicalSafe141 } from '../../../src/safe/deployments.js'

const layout = devnetLayout()

describe('devnetLayout: Safe contracts', () => {
  it('puts each Safe 1.4.1 contract (CREATE2 of its bytecode) at the address safe-deployments publishes', () => {
    // Two independent sources: init code from @safe-global/safe-contracts, addresses from safe-deployments.
    expect(layout.safe).toEqual({ ...canonicalSafe141 })
    expect(Object.keys(layout.safe).sort()).toEqual([...SAFE_141_NAMES].sort())
  })

  it('has the well-known canonical addresses', () => {
    expect(layout.safe.Safe).toBe('0x41675C099F32341bf84BFc5382aF534df5C7461a')
    expect(layout.safe.SafeProxyFactory).toBe('0x4e1DCf7AD4e460CfD30791CCC4F9c8a4f820ec67')
    expect(layout.safe.MultiSendCallOnly).toBe('0x9641d764fc13c8B624c04430C7356C1C7C8102e2')
  })

  it('agrees with viem on the singleton factory CREATE2', () => {
    for (const name of SAFE_141_NAMES) {
      expect(
        getContractAddress({
          opcode: 'CREATE2',
          from: '0x914d7Fec6aaC8cd542e72Bca78B30650d45643d7',
          salt: `0x${'00'.repeat(32)}`,
          bytecode: safeArtifact(name).bytecode,
        }),
        name,
      ).toBe(layout.safe[name])
    }
  })
})

describe('devnetLayout: the council and the alliance contracts', () => {
  it('predicts the council Safe as SafeProxyFactory.createProxyWithNonce would deploy it (viem)', () => {
    const setup = encodeFunctionData({
      abi: safeArtifact('Safe').abi as Abi,
      functionName: 'setup',
      args: [
        COUNCIL_OWNERS.map((o) => o.address),
        2n,
        zeroAddress,
        '0x',
        canonicalSafe141.CompatibilityFallbackHandler,
        zeroAddress,
        0n,
        zeroAddress,
      ],
    })
    const salt = keccak256(concat([keccak256(setup), encodeAbiParameters([{ type: 'uint256' }], [0n])]))
    const proxyInitCode = concat([
      safeArtifact('SafeProxy').bytecode,
      encodeAbiParameters([{ type: 'address' }], [canonicalSafe141.Safe]),
    ])
    const expected = getContractAddress({
      opcode: 'CREATE2',
      from: canonicalSafe141.SafeProxyFactory,
      salt,
      bytecode: proxyInitCode,
    })
    expect(layout.council).toBe(expected)
    expect(layout.councilSetup).toMatchObject({
      owners: COUNCIL_OWNERS.map((o) => o.address),
      threshold: 2,
      fallbackHandler: canonicalSafe141.CompatibilityFallbackHandler,
      saltNonce: 0n,
    })
  })

  it('is stable: the same council address on every call and in every workspace written so far', () => {
    expect(devnetLayout().council).toBe(layout.council)
    // Written into alliance.yaml files by `alliance init`; a change strands them.
    expect(layout.council).toBe('0xe80F3c2046C04bf94B04Ca142F94fbf7480110C7')
  })

  it("puts the alliance contracts at the deployer's CREATE addresses, in deployment order", () => {
    expect(Object.keys(layout.contracts)).toEqual(DEVNET_CONTRACTS.map((c) => c.key))
    DEVNET_CONTRACTS.forEach((c, nonce) => {
      expect(layout.contracts[c.key], c.key).toBe(
        getContractAddress({ opcode: 'CREATE', from: DEPLOYER.address, nonce: BigInt(nonce) }),
      )
    })
    expect(layout.chainId).toBe(31337)
  })
})
