import { redactUrl } from '../utils/redactUrl.js'
import { AllianceError } from './base.js'

export class ChainUnreachableError extends AllianceError {
  override name = 'ChainUnreachableError'
  constructor(url: string, attempts: number, cause: unknown) {
    super(`Cannot reach the chain at ${redactUrl(url)} (${attempts} attempt${attempts === 1 ? '' : 's'})`, {
      code: 'CHAIN_UNREACHABLE',
      details: [describeCause(cause)],
      hint: 'Start the devnet with `alliance devnet start --detach`, or point --rpc-url at a running node.',
      cause,
    })
  }
}

/** A local anvil this process started (a simulation or re-simulation fork) stopped answering. */
export class ForkUnreachableError extends AllianceError {
  override name = 'ForkUnreachableError'
  constructor(url: string, cause: unknown) {
    super(`The local anvil fork at ${redactUrl(url)} stopped answering`, {
      code: 'FORK_UNREACHABLE',
      details: [describeCause(cause)],
      hint: 'alliance started this fork for the run; run again. If it keeps failing, look for anvil running out of memory, or a node that no longer serves the old state the fork reads.',
      cause,
    })
  }
}

export class WrongChainError extends AllianceError {
  override name = 'WrongChainError'
  constructor(url: string, expected: bigint, actual: bigint) {
    super(`The node at ${redactUrl(url)} is chain ${actual}, but the workspace expects chain ${expected}`, {
      code: 'WRONG_CHAIN',
      hint: 'Point --rpc-url at the right network, or fix chain.chainId in alliance.yaml.',
    })
  }
}

export class NotASafeError extends AllianceError {
  override name = 'NotASafeError'
  constructor(address: string, reason: string) {
    super(`${address} is not a Safe: ${reason}`, {
      code: 'NOT_A_SAFE',
      hint: 'Check the "safe:" in the action file and the address in alliance.yaml.',
    })
  }
}

export class ChainHashMismatchError extends AllianceError {
  override name = 'ChainHashMismatchError'
  constructor(local: string, onChain: string) {
    super('The Safe computes a different transaction hash than alliance does', {
      code: 'HASH_MISMATCH',
      details: [`alliance:            ${local}`, `Safe.getTransactionHash: ${onChain}`],
      hint: 'Do not sign. The Safe version or chain id may be misreported; run `alliance verify` and report this.',
    })
  }
}

export class ReceiptTimeoutError extends AllianceError {
  override name = 'ReceiptTimeoutError'
  constructor(txHash: string, timeoutMs: number) {
    super(`Transaction ${txHash} was sent but not mined within ${Math.round(timeoutMs / 1000)} s`, {
      code: 'RECEIPT_TIMEOUT',
      hint: 'It may still be mined: check it on the chain before sending anything again (the Safe nonce protects against a double execution).',
    })
  }
}

function describeCause(cause: unknown): string {
  if (cause instanceof Error) {
    const code = (cause as { code?: string }).code
    return code ? `${code}: ${cause.message.split('\n')[0]}` : (cause.message.split('\n')[0] ?? String(cause))
  }
  return String(cause)
}

export class ChainRejectedError extends AllianceError {
  override name = 'ChainRejectedError'
  constructor(url: string, reason: string) {
    super(`The node at ${redactUrl(url)} did not answer eth_chainId: ${reason}`, {
      code: 'CHAIN_REJECTED',
      hint: 'Check the RPC URL (path, API key) and that it is a JSON-RPC endpoint.',
    })
  }
}
