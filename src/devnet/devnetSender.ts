import type { JsonRpcProvider, Wallet } from 'ethers'
import { waitForReceipt } from '../chain/waitForReceipt.js'
import { DevnetNotFreshError } from '../errors/devnet.js'
import type { Hex } from '../safe/types.js'

/**
 * Sends the devnet's set-up transactions with three requests each (estimate, send, receipt) instead of
 * ethers' ten: nonces are counted here and the fee is fixed, which is safe on a private automining
 * anvil and keeps `devnet start` well under its five-second budget.
 */
export class DevnetSender {
  readonly #provider: JsonRpcProvider
  readonly #nonces = new Map<string, number>()

  constructor(provider: JsonRpcProvider) {
    this.#provider = provider
  }

  async send(wallet: Wallet, tx: { to?: string; data?: Hex | string; value?: bigint; gasLimit?: bigint }) {
    const from = wallet.address
    const nonce = this.#nonces.get(from) ?? (await this.#provider.getTransactionCount(from, 'pending'))
    const request = { ...tx, from, chainId: (await this.#provider.getNetwork()).chainId, nonce, type: 2 }
    const gasLimit = tx.gasLimit ?? ((await this.#provider.estimateGas(request)) * 12n) / 10n
    const signed = await wallet.signTransaction({
      ...request,
      gasLimit,
      maxFeePerGas: 10_000_000_000n,
      maxPriorityFeePerGas: 1_000_000_000n,
    })
    const hash: string = await this.#provider.send('eth_sendRawTransaction', [signed])
    this.#nonces.set(from, nonce + 1)
    const receipt = await waitForReceipt(this.#provider, hash, { timeoutMs: 30_000 })
    if (receipt?.status !== 1)
      throw new DevnetNotFreshError(`set-up transaction ${hash} to ${tx.to ?? 'a new contract'} failed`)
    return receipt
  }
}
