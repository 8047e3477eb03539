import { getAddress, Interface } from 'ethers'
import type { AllianceProvider } from '../../chain/provider.js'
import type { Address, Hex } from '../../safe/types.js'

/**
 * The node methods the history readers use, typed from the provider so a unit test can pass a stand-in.
 * `call` takes a `blockTag`: history is judged against the state before each execution, not today's.
 */
export type SafeHistoryChain = Pick<AllianceProvider, 'call' | 'send' | 'getTransaction' | 'getNetwork'>

export const safeReadAbi = new Interface([
  'function VERSION() view returns (string)',
  'function nonce() view returns (uint256)',
  'function getOwners() view returns (address[])',
  'function getThreshold() view returns (uint256)',
  'function approvedHashes(address owner, bytes32 hash) view returns (uint256)',
])

export type SafeStateAt = {
  blockTag: number
  version: string
  nonce: bigint
  owners: Address[]
  threshold: number
}

/** VERSION, nonce, owners and threshold as they were at the end of block `blockTag`. */
export async function readSafeAt(
  chain: SafeHistoryChain,
  safe: Address,
  blockTag: number,
): Promise<SafeStateAt> {
  const read = async (name: string, args: unknown[] = []) =>
    safeReadAbi.decodeFunctionResult(
      name,
      await chain.call({ to: safe, data: safeReadAbi.encodeFunctionData(name, args), blockTag }),
    )[0]
  const [version, nonce, owners, threshold] = await Promise.all([
    read('VERSION'),
    read('nonce'),
    read('getOwners'),
    read('getThreshold'),
  ])
  return {
    blockTag,
    version: version as string,
    nonce: nonce as bigint,
    owners: [...(owners as string[])].map((o) => getAddress(o) as Address),
    threshold: Number(threshold),
  }
}

/** `approvedHashes(owner, hash)` at the end of block `blockTag`; the Safe accepts any non-zero value. */
export async function approvedHashAt(
  chain: SafeHistoryChain,
  safe: Address,
  owner: Address,
  hash: Hex,
  blockTag: number,
): Promise<boolean> {
  const out = await chain.call({
    to: safe,
    data: safeReadAbi.encodeFunctionData('approvedHashes', [owner, hash]),
    blockTag,
  })
  return BigInt(out) !== 0n
}
