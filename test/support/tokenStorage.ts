import { AbiCoder, keccak256 } from 'ethers'
import type { AllianceProvider } from '../../src/chain/provider.js'
import { tokenAbi } from '../../src/contracts/tokenAbi.js'
import type { Address, Hex } from '../../src/safe/types.js'

/**
 * The storage slot of `holder`'s balance: the first mapping slot whose entry holds its balanceOf. Tests
 * write a balance there (anvil_setStorageAt) to make the chain disagree with what a replay reproduces.
 */
export async function balanceSlot(provider: AllianceProvider, token: Address, holder: Address): Promise<Hex> {
  const balance = BigInt(
    await provider.call({ to: token, data: tokenAbi.encodeFunctionData('balanceOf', [holder]) }),
  )
  for (let i = 0; i < 20; i++) {
    const slot = keccak256(AbiCoder.defaultAbiCoder().encode(['address', 'uint256'], [holder, i])) as Hex
    if (BigInt(await provider.getStorage(token, slot)) === balance) return slot
  }
  throw new Error(`no balance slot found for ${token}`)
}
