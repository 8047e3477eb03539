import { type AnvilInstance, startAnvil } from '../chain/anvil.js'
import { AllianceProvider, connect } from '../chain/provider.js'
import { waitForReceipt } from '../chain/waitForReceipt.js'
import { ForkTransactionError } from '../errors/simulate.js'
import type { Address, Hex } from '../safe/types.js'
import type { CallFrame } from './callTrace.js'
import { type ExecutionCapture, logsFromTrace, nativeTransfersFromTrace } from './capture.js'
import type { PrestateDiff } from './stateDiff/types.js'

export type ForkOptions = {
  /** The chain to fork; its chain id is kept, so hashes and signatures stay valid on the fork. */
  url: string
  chainId: bigint
  /** Pin the fork to this block (default: the latest). */
  block?: bigint
}

export type ForkTx = { from: Address; to: Address; data: Hex; value?: bigint }

/**
 * A throwaway anvil forked from a chain, where the simulator sends real transactions as anyone
 * (auto-impersonation) and moves time. Gas costs nothing on it (base fee and gas price 0), so
 * senders need no funds and no balance change in a report comes from gas.
 */
export class ForkSession {
  private constructor(
    readonly anvil: AnvilInstance,
    readonly provider: AllianceProvider,
    readonly source: string,
    readonly forkBlock: bigint,
    /** The fork's block gas limit, read once: anvil keeps it. */
    private readonly gasLimit: bigint,
  ) {}

  static async start(options: ForkOptions): Promise<ForkSession> {
    // anvil would answer with whatever chain id it is given: make sure the chain forked is the
    // workspace's, or every hash and signature on the fork would be for another chain.
    const upstream = await connect(options.url, options.chainId)
    upstream.destroy()
    const anvil = await startAnvil({
      chainId: Number(options.chainId),
      forkUrl: options.url,
      ...(options.block !== undefined ? { forkBlock: options.block } : {}),
      extraArgs: [
        '--auto-impersonate',
        '--block-base-fee-per-gas',
        '0',
        '--gas-price',
        '0',
        // Forks of public chains would otherwise cache state under ~/.foundry.
        '--no-storage-caching',
        // anvil funds its ten dev accounts with 10,000 ETH on every fork: on a chain where those are real
        // accounts (the devnet, many test chains) their balances, and so the balance changes shown, would
        // be anvil's, not the chain's. Every sender here is impersonated, so none is needed.
        '--accounts',
        '0',
      ],
      readyTimeoutMs: 30_000,
    })
    try {
      const provider = new AllianceProvider(anvil.url, options.chainId, { timeoutMs: 60_000 })
      const block = await provider.send('eth_getBlockByNumber', ['latest', false])
      return new ForkSession(anvil, provider, options.url, BigInt(block.number), BigInt(block.gasLimit))
    } catch (err) {
      await anvil.stop()
      throw err
    }
  }

  async stop() {
    this.provider.destroy()
    await this.anvil.stop()
  }

  setStorage(address: Address, slot: Hex, value: Hex) {
    return this.provider.send('anvil_setStorageAt', [address, slot, value])
  }

  setBalance(address: Address, wei: bigint) {
    return this.provider.send('anvil_setBalance', [address, `0x${wei.toString(16)}`])
  }

  /** Mines `blocks` empty blocks `interval` seconds apart (block-number clocks). */
  mine(blocks: bigint, interval = 12n) {
    if (blocks <= 0n) return Promise.resolve()
    return this.provider.send('anvil_mine', [`0x${blocks.toString(16)}`, `0x${interval.toString(16)}`])
  }

  /** The next block gets this timestamp (timestamp clocks, timelock delays). */
  setNextTimestamp(timestamp: bigint) {
    return this.provider.send('evm_setNextBlockTimestamp', [`0x${timestamp.toString(16)}`])
  }

  async latestBlock(): Promise<{ number: bigint; timestamp: bigint; gasLimit: bigint }> {
    const block = await this.provider.send('eth_getBlockByNumber', ['latest', false])
    return {
      number: BigInt(block.number),
      timestamp: BigInt(block.timestamp),
      gasLimit: BigInt(block.gasLimit),
    }
  }

  /**
   * Sends a transaction and waits for it to be mined. A gas limit is given so that a reverting
   * transaction is mined (and can be traced) instead of being refused at estimation.
   */
  async send(tx: ForkTx): Promise<{ hash: Hex; status: boolean; gasUsed: bigint; block: bigint }> {
    const gasLimit = this.gasLimit
    let hash: Hex
    try {
      hash = await this.provider.send('eth_sendTransaction', [
        {
          from: tx.from,
          to: tx.to,
          data: tx.data,
          value: `0x${(tx.value ?? 0n).toString(16)}`,
          gas: `0x${((gasLimit * 9n) / 10n).toString(16)}`,
          gasPrice: '0x0',
        },
      ])
    } catch (err) {
      throw new ForkTransactionError(tx.to, (err as Error).message)
    }
    const receipt = await waitForReceipt(this.provider, hash, { timeoutMs: 30_000 })
    return {
      hash,
      status: receipt.status === 1,
      gasUsed: receipt.gasUsed,
      block: BigInt(receipt.blockNumber),
    }
  }

  /** Sends a transaction and captures its trace, logs and state diff. */
  async execute(tx: ForkTx): Promise<ExecutionCapture> {
    const sent = await this.send(tx)
    const [trace, stateDiff] = await Promise.all([
      this.provider.send('debug_traceTransaction', [
        sent.hash,
        { tracer: 'callTracer', tracerConfig: { withLog: true } },
      ]) as Promise<CallFrame>,
      this.provider.send('debug_traceTransaction', [
        sent.hash,
        { tracer: 'prestateTracer', tracerConfig: { diffMode: true } },
      ]) as Promise<PrestateDiff>,
    ])
    return {
      status: sent.status,
      gasUsed: sent.gasUsed,
      logs: logsFromTrace(trace),
      nativeTransfers: nativeTransfersFromTrace(trace),
      trace,
      stateDiff,
      txHash: sent.hash,
    }
  }
}
