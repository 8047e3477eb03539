import { AllianceError } from '../../errors/base.js'

/** A history range that cannot be read: a start after the end, or a negative block. */
export class HistoryRangeError extends AllianceError {
  override name = 'HistoryRangeError'
  constructor(fromBlock: number, toBlock: number) {
    super(`Cannot replay blocks ${fromBlock}…${toBlock}: the range is empty or negative`, {
      code: 'HISTORY_BAD_RANGE',
      hint: 'Give --from-block no greater than --to-block, both at least 0.',
    })
  }
}
export type HistoryRangeErrorType = HistoryRangeError
