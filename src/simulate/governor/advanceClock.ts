import type { GovernorClock } from '../../governor/types.js'
import type { ForkSession } from '../fork.js'

/**
 * Moves the fork so that the next transaction runs at a clock strictly past `timepoint`, the way
 * the governor counts: block numbers are mined (12 s apart, so timestamps stay plausible), a
 * timestamp clock jumps. Mining nothing when the clock is already there.
 *
 * With `mined`, the latest block itself is past it, so reads (`state()`) see it too. Without, the
 * clock stops one step short: a vote must still land before a deadline one step after its start.
 */
export async function advanceClockPast(
  fork: ForkSession,
  clock: GovernorClock,
  timepoint: bigint,
  { mined = false } = {},
) {
  const latest = await fork.latestBlock()
  if (clock === 'blocknumber') {
    const target = mined ? timepoint + 1n : timepoint
    if (latest.number < target) await fork.mine(target - latest.number)
    return
  }
  if (latest.timestamp <= timepoint) {
    await fork.setNextTimestamp(timepoint + 1n)
    if (mined) await fork.mine(1n)
  }
}

/** The next transaction runs at or after `timestamp` seconds (timelock delays are always in seconds). */
export async function advanceTimeTo(fork: ForkSession, timestamp: bigint) {
  const latest = await fork.latestBlock()
  if (latest.timestamp < timestamp) await fork.setNextTimestamp(timestamp)
}
