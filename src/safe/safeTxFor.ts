import { ZeroAddress } from 'ethers'
import type { Address, Call, SafeTx } from './types.js'

/**
 * The Safe transaction for one call (or one batch payload) that pays no refund: no gas price, gas
 * token or refund receiver, and safeTxGas 0 so a failing call reverts the whole transaction. This is
 * the only kind alliance builds; the gas-refund check flags anything else.
 */
export function safeTxFor(call: Call, nonce: bigint): SafeTx {
  return {
    to: call.to,
    value: call.value,
    data: call.data,
    operation: call.operation,
    safeTxGas: 0n,
    baseGas: 0n,
    gasPrice: 0n,
    gasToken: ZeroAddress as Address,
    refundReceiver: ZeroAddress as Address,
    nonce,
  }
}
