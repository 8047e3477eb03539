import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { AbiCoder, concat, getCreate2Address, Interface, keccak256, ZeroAddress, ZeroHash } from 'ethers'
import type { Address, Hex } from '../safe/types.js'

/** Safe v1.4.1's init codes come from @safe-global/safe-contracts (safe-deployments has no bytecode). */
const SAFE_141_ARTIFACTS = {
  Safe: 'Safe.sol/Safe.json',
  SafeL2: 'SafeL2.sol/SafeL2.json',
  SafeProxyFactory: 'proxies/SafeProxyFactory.sol/SafeProxyFactory.json',
  MultiSend: 'libraries/MultiSend.sol/MultiSend.json',
  MultiSendCallOnly: 'libraries/MultiSendCallOnly.sol/MultiSendCallOnly.json',
  CompatibilityFallbackHandler: 'handler/CompatibilityFallbackHandler.sol/CompatibilityFallbackHandler.json',
  SignMessageLib: 'libraries/SignMessageLib.sol/SignMessageLib.json',
  CreateCall: 'libraries/CreateCall.sol/CreateCall.json',
  SimulateTxAccessor: 'accessors/SimulateTxAccessor.sol/SimulateTxAccessor.json',
} as const
export type Safe141ContractName = keyof typeof SAFE_141_ARTIFACTS

/** The Safe singleton factory: CREATE2 with salt 0 gives the canonical addresses on every chain. */
export const SINGLETON_FACTORY = '0x914d7Fec6aaC8cd542e72Bca78B30650d45643d7' as Address

function artifactsDir(): string {
  const require = createRequire(import.meta.url)
  return join(
    dirname(require.resolve('@safe-global/safe-contracts/package.json')),
    'build/artifacts/contracts',
  )
}

export function safeArtifact(name: Safe141ContractName | 'SafeProxy'): { abi: unknown[]; bytecode: Hex } {
  const path = name === 'SafeProxy' ? 'proxies/SafeProxy.sol/SafeProxy.json' : SAFE_141_ARTIFACTS[name]
  const json = JSON.parse(readFileSync(join(artifactsDir(), path), 'utf8'))
  return { abi: json.abi, bytecode: json.bytecode }
}

export const SAFE_141_NAMES = Object.keys(SAFE_141_ARTIFACTS) as Safe141ContractName[]

/** Where the singleton factory puts a contract: the canonical address. */
export const canonicalAddress = (initCode: Hex): Address =>
  getCreate2Address(SINGLETON_FACTORY, ZeroHash, keccak256(initCode)) as Address

export const safeInterface = () => new Interface(safeArtifact('Safe').abi as string[])
export const proxyFactoryInterface = () => new Interface(safeArtifact('SafeProxyFactory').abi as string[])

export type SafeSetup = { owners: Address[]; threshold: number; fallbackHandler: Address; saltNonce: bigint }

/** `Safe.setup(...)` calldata, the proxy initializer. */
export function safeSetupData(setup: SafeSetup): Hex {
  return safeInterface().encodeFunctionData('setup', [
    setup.owners,
    setup.threshold,
    ZeroAddress,
    '0x',
    setup.fallbackHandler,
    ZeroAddress,
    0,
    ZeroAddress,
  ]) as Hex
}

/** The address `SafeProxyFactory.createProxyWithNonce` will give, computed without a chain. */
export function predictSafeAddress(factory: Address, singleton: Address, setup: SafeSetup): Address {
  const salt = keccak256(
    concat([
      keccak256(safeSetupData(setup)),
      AbiCoder.defaultAbiCoder().encode(['uint256'], [setup.saltNonce]),
    ]),
  )
  const initCode = concat([
    safeArtifact('SafeProxy').bytecode,
    AbiCoder.defaultAbiCoder().encode(['address'], [singleton]),
  ])
  return getCreate2Address(factory, salt, keccak256(initCode)) as Address
}
