import { Flags } from '@oclif/core'
import { FAIL_ON } from '../checks/runChecks.js'

/**
 * `--key-env VAR`: the name of the environment variable holding a private key. Deliberately not the key
 * itself: a flag value lands in shell history and in `ps` output.
 */
export const keyEnvFlag = (summary: string) => Flags.string({ summary, required: true, helpGroup: 'KEY' })

/** `--fail-on warning|danger`: the exit policy scripts gate on. */
export const failOnFlag = Flags.option({
  options: FAIL_ON,
  summary: 'Exit 1 when a risk check finds something this severe (or worse).',
  env: 'ALLIANCE_FAIL_ON',
})()
