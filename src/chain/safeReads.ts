import { Contract, getAddress, type JsonRpcProvider } from 'ethers'
import { NotASafeError } from '../errors/chain.js'
import { encodeGetTransactionHash } from '../safe/execTransaction.js'
import type { Address, Hex, SafeTx } from '../safe/types.js'

export type SafeState = {
  address: Address
  version: string
  nonce: bigint
  owners: Address[]
  threshold: number
  /** Slot 0: the singleton (master copy) the proxy delegates to. */
  singleton: Address
}

/**
 * The chain reads the plan and sign stages need, behind an interface so those stages stay pure and
 * unit tests can pass a fixed answer instead of a node.
 */
export type ChainReads = {
  chainId(): Promise<bigint>
  readSafe(address: Address): Promise<SafeState>
  /** What the Safe itself computes for a transaction (`getTransactionHash`), for a second opinion. */
  safeTransactionHash(safe: Address, tx: SafeTx): Promise<Hex>
  code(address: Address): Promise<Hex>
}

const SAFE_ABI = [
  'function VERSION() view returns (string)',
  'function nonce() view returns (uint256)',
  'function getOwners() view returns (address[])',
  'function getThreshold() view returns (uint256)',
]

export function chainReads(provider: JsonRpcProvider): ChainReads {
  return {
    chainId: async () => (await provider.getNetwork()).chainId,
    code: async (address) => (await provider.getCode(address)) as Hex,
    async readSafe(address) {
      if ((await provider.getCode(address)) === '0x')
        throw new NotASafeError(address, 'no contract is deployed there')
      const safe = new Contract(address, SAFE_ABI, provider)
      try {
        const [version, nonce, owners, threshold, slot0] = await Promise.all([
          safe.getFunction('VERSION')() as Promise<string>,
          safe.getFunction('nonce')() as Promise<bigint>,
          safe.getFunction('getOwners')() as Promise<string[]>,
          safe.getFunction('getThreshold')() as Promise<bigint>,
          provider.getStorage(address, 0),
        ])
        return {
          address,
          version,
          nonce,
          owners: owners.map((o) => getAddress(o) as Address),
          threshold: Number(threshold),
          singleton: getAddress(`0x${slot0.slice(-40)}`) as Address,
        }
      } catch (err) {
        if (err instanceof NotASafeError) throw err
        if (
          (err as { code?: string }).code === 'CALL_EXCEPTION' ||
          (err as { code?: string }).code === 'BAD_DATA'
        ) {
          throw new NotASafeError(address, 'it does not answer VERSION/getOwners/getThreshold like a Safe')
        }
        throw err
      }
    },
    async safeTransactionHash(safe, tx) {
      return (await provider.call({ to: safe, data: encodeGetTransactionHash(tx) })) as Hex
    },
  }
}
