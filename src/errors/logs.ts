import { AllianceError } from './base.js'

export class LogQueryInvalidError extends AllianceError {
  override name = 'LogQueryInvalidError'
  constructor(reason: string) {
    super(`Invalid log query: ${reason}`, {
      code: 'LOG_QUERY_INVALID',
      hint: 'Block numbers are non-negative integers with fromBlock <= toBlock; chunk sizes and concurrency are positive integers.',
    })
  }
}

export type LogQueryInvalidErrorType = LogQueryInvalidError & { name: 'LogQueryInvalidError' }

export class LogRangeRefusedError extends AllianceError {
  override name = 'LogRangeRefusedError'
  constructor(fromBlock: number, toBlock: number, cause: unknown) {
    const span = toBlock - fromBlock + 1
    super(
      `The node refuses eth_getLogs even for ${span === 1 ? `block ${fromBlock}` : `blocks ${fromBlock}-${toBlock}`} as too large`,
      {
        code: 'LOG_RANGE_REFUSED',
        details: [firstLine(cause)],
        hint: 'Narrow the filter (address, topics), or use an RPC endpoint with higher eth_getLogs limits.',
        cause,
      },
    )
  }
}

export type LogRangeRefusedErrorType = LogRangeRefusedError & { name: 'LogRangeRefusedError' }

export class LogFetchFailedError extends AllianceError {
  override name = 'LogFetchFailedError'
  constructor(fromBlock: number, toBlock: number, cause: unknown) {
    super(`eth_getLogs failed for blocks ${fromBlock}-${toBlock}`, {
      code: 'LOG_FETCH_FAILED',
      details: [firstLine(cause)],
      hint: 'Check the RPC endpoint; a run with a cache directory resumes where it stopped.',
      cause,
    })
  }
}

export type LogFetchFailedErrorType = LogFetchFailedError & { name: 'LogFetchFailedError' }

function firstLine(cause: unknown): string {
  const message = cause instanceof Error ? cause.message : String(cause)
  return message.split('\n')[0] ?? message
}
