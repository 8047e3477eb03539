import { Flags } from '@oclif/core'

/**
 * `--key-env VAR`: the name of the environment variable holding a private key. Deliberately not the key
 * itself: a flag value lands in shell history and in `ps` output.
 */
export const keyEnvFlag = (summary: string) => Flags.string({ summary, required: true, helpGroup: 'KEY' })
