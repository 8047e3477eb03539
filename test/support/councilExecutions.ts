import { Wallet, ZeroAddress } from 'ethers'
import { waitForReceipt } from '../../src/chain/waitForReceipt.js'
import { DEVNET_ACCOUNTS } from '../../src/devnet/accounts.js'
import { encodeExecTransaction } from '../../src/safe/execTransaction.js'
import { hashSafeTx } from '../../src/safe/safeTxHash.js'
import { encodeSafeSignatures, signSafeTxHash } from '../../src/safe/signatures.js'
import type { Address, Hex, SafeTx } from '../../src/safe/types.js'
import { devnetSigner, type TestDevnet } from './devnet.js'

/** With a `safeTxGas`, a call that reverts makes an ExecutionFailure instead of reverting the transaction. */
export type CouncilCall = Pick<SafeTx, 'to' | 'value' | 'data'> & { operation?: 0 | 1; safeTxGas?: bigint }

/** What the generators need of a devnet: a test devnet, or a bench's own. */
export type CouncilDevnet = Pick<TestDevnet, 'layout' | 'provider' | 'reads'>

export type ExecuteCouncilCallsOptions = {
  perBlock?: number
  /**
   * Called after each block of executions is mined, with automine off: whatever it mines (unrelated
   * transactions, empty blocks) sits between two blocks of executions, so the history is sparse.
   */
  between?: () => Promise<void>
}

/**
 * Executes each call as its own council Safe transaction (Alice and Bob sign, account 5 sends), `perBlock`
 * of them mined together in one block, so histories can hold several executions per block. Returns the
 * transaction hashes in order.
 */
export async function executeCouncilCalls(
  devnet: CouncilDevnet,
  calls: readonly CouncilCall[],
  { perBlock = 1, between }: ExecuteCouncilCallsOptions = {},
): Promise<Hex[]> {
  const council = devnet.layout.council
  const signers = [devnetSigner(0), devnetSigner(1)]
  const wallet = new Wallet(DEVNET_ACCOUNTS[5]!.key, devnet.provider)
  let safeNonce = (await devnet.reads.readSafe(council)).nonce
  let txNonce = await devnet.provider.getTransactionCount(wallet.address, 'pending')
  const hashes: Hex[] = []
  // Automine off for the whole run: each block gets exactly its `perBlock` transactions.
  await devnet.provider.send('evm_setAutomine', [false])
  try {
    for (let start = 0; start < calls.length; start += perBlock) {
      const sent: Hex[] = []
      for (const call of calls.slice(start, start + perBlock)) {
        const tx: SafeTx = {
          to: call.to,
          value: call.value,
          data: call.data,
          operation: call.operation ?? 0,
          safeTxGas: call.safeTxGas ?? 0n,
          baseGas: 0n,
          gasPrice: 0n,
          gasToken: ZeroAddress as Address,
          refundReceiver: ZeroAddress as Address,
          nonce: safeNonce++,
        }
        const { safeTxHash } = hashSafeTx({ chainId: 31337n, safe: council, version: '1.4.1', tx })
        const signatures = encodeSafeSignatures(
          signers.map((s) => ({
            kind: 'eoa' as const,
            signer: s.address,
            data: signSafeTxHash(s.key, safeTxHash),
          })),
        )
        const raw = await wallet.signTransaction({
          to: council,
          data: encodeExecTransaction(tx, signatures),
          nonce: txNonce++,
          chainId: 31337n,
          type: 2,
          gasLimit: 1_000_000n,
          maxFeePerGas: 10_000_000_000n,
          maxPriorityFeePerGas: 1_000_000_000n,
        })
        sent.push(await devnet.provider.send('eth_sendRawTransaction', [raw]))
      }
      await devnet.provider.send('evm_mine', [])
      for (const hash of sent) {
        const receipt = await waitForReceipt(devnet.provider, hash, { timeoutMs: 10_000 })
        if (receipt.status !== 1) throw new Error(`council execution ${hash} reverted`)
      }
      hashes.push(...sent)
      await between?.()
    }
  } finally {
    await devnet.provider.send('evm_setAutomine', [true])
  }
  return hashes
}

/**
 * A `between` for executeCouncilCalls: `blocks` blocks of `transactions` unrelated payments each (account 7
 * pays account 8 one wei; `transactions: 0` mines empty blocks), so the executions sit in blocks that do
 * not follow each other, as in most real histories.
 */
export function unrelatedBlocks(
  devnet: CouncilDevnet,
  { blocks = 1, transactions = 1 }: { blocks?: number; transactions?: number } = {},
): () => Promise<void> {
  const wallet = new Wallet(DEVNET_ACCOUNTS[7]!.key)
  let nonce: number | undefined
  return async () => {
    nonce ??= await devnet.provider.getTransactionCount(wallet.address, 'pending')
    for (let b = 0; b < blocks; b++) {
      for (let t = 0; t < transactions; t++) {
        const raw = await wallet.signTransaction({
          to: DEVNET_ACCOUNTS[8]!.address,
          value: 1n,
          nonce: nonce++,
          chainId: 31337n,
          type: 2,
          gasLimit: 21_000n,
          maxFeePerGas: 10_000_000_000n,
          maxPriorityFeePerGas: 1_000_000_000n,
        })
        await devnet.provider.send('eth_sendRawTransaction', [raw])
      }
      await devnet.provider.send('evm_mine', [])
    }
  }
}
