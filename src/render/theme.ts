import { Chalk, type ChalkInstance } from 'chalk'

/**
 * Colour only where a person is looking: off for NO_COLOR (any value), pipes and --json. chalk's own
 * detection handles TTYs and FORCE_COLOR; NO_COLOR is checked here so it wins in every case.
 */
export function createTheme(options: { color?: boolean } = {}): ChalkInstance {
  const noColor = process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== ''
  const enabled = options.color ?? (!noColor && process.stdout.isTTY === true)
  return new Chalk({ level: enabled ? (process.env.FORCE_COLOR === '0' ? 0 : 2) : 0 })
}

export const theme = createTheme()
