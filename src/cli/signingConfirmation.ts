import { Flags } from '@oclif/core'
import type { ChalkInstance } from 'chalk'
import { InvalidFlagError } from '../errors/input.js'
import { SigningNotConfirmedError } from '../errors/signer.js'
import type { Address, SafeTxHashes } from '../safe/types.js'

export const signingFlags = {
  yes: Flags.boolean({
    char: 'y',
    summary: 'Sign without asking (scripts); requires --expect-hash.',
    dependsOn: ['expect-hash'],
  }),
  'expect-hash': Flags.string({
    summary: 'The safeTxHash you reviewed: refuse to sign anything else.',
  }),
}

export type ConfirmSigningParameters = {
  hashes: SafeTxHashes
  signer: Address
  source: string
  flags: { yes?: boolean; 'expect-hash'?: string | undefined }
  /** The transaction came from a queue (a server or a shared folder), not from a plan the user built. */
  fromQueue: boolean
  say(text: string): void
  t: ChalkInstance
  /** For tests: whether a person is at the terminal. */
  interactive?: boolean
}

/**
 * The last step before a signature: the hashes a hardware wallet shows, then a person's yes. On a terminal
 * alliance asks (default no); `--yes` skips the question only with `--expect-hash` matching. Without a
 * terminal and without `--yes`, a plan file (which the user built and reviewed) is signed as before, but
 * a transaction fetched from a queue is not: nobody would have looked at it.
 */
export async function confirmSigning(p: ConfirmSigningParameters): Promise<void> {
  const { hashes, t } = p
  const expected = p.flags['expect-hash']
  if (expected !== undefined) {
    if (!/^0x[0-9a-fA-F]{64}$/.test(expected))
      throw new InvalidFlagError('--expect-hash', 'expected a 0x-prefixed 32-byte hash')
    if (expected.toLowerCase() !== hashes.safeTxHash.toLowerCase())
      throw new SigningNotConfirmedError(
        `--expect-hash ${expected} is not this transaction's safeTxHash ${hashes.safeTxHash}`,
      )
  }
  p.say(`\n${t.bold('What you sign')} (a hardware wallet shows the domain and message hashes)`)
  p.say(`  domain hash   ${hashes.domainHash}`)
  p.say(`  message hash  ${hashes.messageHash}`)
  p.say(`  safeTxHash    ${t.bold(hashes.safeTxHash)}`)
  p.say(`  signer        ${p.signer} (${p.source})`)
  if (p.flags.yes) return
  const interactive = p.interactive ?? (process.stdin.isTTY === true && process.stdout.isTTY === true)
  if (!interactive) {
    if (p.fromQueue)
      throw new SigningNotConfirmedError(
        'no terminal to ask on, and no --yes --expect-hash for a queued transaction',
      )
    return
  }
  const { confirm } = await import('@inquirer/prompts')
  const yes = await confirm({ message: `Sign ${hashes.safeTxHash}?`, default: false })
  if (!yes) throw new SigningNotConfirmedError('you answered no')
}
