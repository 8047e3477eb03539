import { Flags } from '@oclif/core'
import { getBytes, toBeHex } from 'ethers'
import { HashCommand, openHashChain, parseAddressFlag, printable } from '../../src/cli/hashInput.js'
import {
  checkProposalOnChain,
  computeProposalIds,
  type ProposalCalls,
  type ProposalChainCheck,
  type ProposalDescription,
  type ProposalIds,
  parseProposalCalls,
  readProposalDescription,
  readProposalGovernor,
} from '../../src/cli/proposalHashInput.js'
import type { OzGovernorVersion } from '../../src/governor/proposalIds.js'
import type { GovernorInfo } from '../../src/governor/readGovernor.js'
import type { Address, Hex } from '../../src/safe/types.js'

/** The `--json` data. The first three keys are fixed by the issue and always present. */
export type HashProposalResult = {
  descriptionHash: Hex
  /** Decimal, as explorers and Tally show it (a uint256 does not fit a JSON number). */
  proposalId: string
  /** null when unknown: OZ 5 without --governor, or a governor the chain shows without a timelock. */
  timelockOperationId: Hex | null
  proposalIdHex: Hex
  timelockSalt: Hex | null
  /** The OpenZeppelin major version the salt follows. */
  ozVersion: OzGovernorVersion
}

const DESCRIPTION_LINES_SHOWN = 8

export default class HashProposal extends HashCommand {
  static override summary = 'Compute the ids of an OpenZeppelin Governor proposal, offline.'
  static override description =
    `Prints what an OpenZeppelin Governor and its TimelockController derive from propose(targets, values, calldatas, description): the description hash, the proposal id (hashProposal) and the timelock operation id (hashOperationBatch with GovernorTimelockControl's salt). No chain is needed; with --rpc-url and --governor the governor's OZ version and timelock are read, and both ids are compared with the contracts' own hashProposal and hashOperationBatch.

The description is hashed byte for byte: nothing is trimmed, no newline is stripped, no line ending is changed. A trailing newline an editor adds is part of the hash, so give exactly the text propose() receives (--description-file - reads stdin).

--json data:
- descriptionHash: keccak256 of the description's bytes.
- proposalId: decimal string, as explorers and Tally show it; proposalIdHex: the same as 32-byte hex.
- timelockOperationId: hashOperationBatch(targets, values, calldatas, 0, timelockSalt); null when unknown (OZ 5 without --governor, or a governor without timelock).
- timelockSalt: OZ 5: bytes20(governor) XOR descriptionHash; OZ 4: descriptionHash; null when unknown.
- ozVersion: the OpenZeppelin major version the salt follows (read from the governor with --rpc-url).
Warnings (TIMELOCK_NEEDS_GOVERNOR, SEQUENTIAL_PROPOSAL_IDS, DESCRIPTION_BYTES, …) are in the envelope's "warnings".`
  static override examples = [
    {
      description: 'The ENS setController proposal (governor reference §3.8):',
      command:
        '<%= config.bin %> hash proposal --targets 0xab528d626ec275e3fad363ff1393a41f581c5897 --calldatas 0xe0dba60f000000000000000000000000714cb817efd08fee91558b07a924a87c3587f3c10000000000000000000000000000000000000000000000000000000000000001 --description "Call setController on the Root contract at root.ens.eth, passing in the address of the new DNS registrar" --governor 0x323A76393544d5ecca80cd6ef2A560C6a395b7E3',
    },
    {
      description: 'Two calls, the second sending 1 ETH, for a 4.x governor (salt = description hash):',
      command:
        '<%= config.bin %> hash proposal --targets 0x…,0x… --values 0,1000000000000000000 --calldatas 0xa9059cbb…,0x --description-file proposal.md --oz-version 4',
    },
    {
      description: "Read the governor's version and timelock, and check both ids on chain:",
      command:
        '<%= config.bin %> hash proposal --rpc-url http://127.0.0.1:8545 --governor 0x… --targets 0x… --calldatas 0x… --description-file proposal.md --json',
    },
  ]
  static override flags = {
    targets: Flags.string({ summary: 'Call targets, comma-separated, one per call.', required: true }),
    values: Flags.string({ summary: 'Values in wei, comma-separated, one per call (default: all 0).' }),
    calldatas: Flags.string({
      summary: 'Calldatas (0x-prefixed hex, 0x for none), comma-separated, one per call.',
      required: true,
    }),
    'description-file': Flags.string({
      summary:
        'File holding the description, hashed byte for byte (no trimming: a trailing newline counts); - reads stdin.',
    }),
    description: Flags.string({ summary: 'The description text, exactly (instead of --description-file).' }),
    governor: Flags.string({
      summary:
        "The governor's address: the OZ 5 timelock salt needs it; with --rpc-url it is read and checked.",
    }),
    'oz-version': Flags.option({
      options: ['5', '4'] as const,
      summary: 'OpenZeppelin Governor major version, for the timelock salt (default 5; read with --rpc-url).',
    })(),
  }

  async run(): Promise<HashProposalResult> {
    const { flags } = await this.parse(HashProposal)
    const calls = parseProposalCalls(flags)
    const description = readProposalDescription(flags)
    const governor = flags.governor === undefined ? undefined : parseAddressFlag('governor', flags.governor)
    const givenOz =
      flags['oz-version'] === undefined ? undefined : (Number(flags['oz-version']) as OzGovernorVersion)

    // Without --oz-version the version is an assumption the governor can settle.
    const rpcUrl = this.rpcUrlFor(flags['rpc-url'], governor !== undefined && givenOz === undefined)
    const chain = rpcUrl && governor ? await openHashChain(rpcUrl) : undefined
    try {
      const info = chain ? await readProposalGovernor(chain.provider, governor!, givenOz) : undefined
      const ozVersion = info?.ozVersion ?? givenOz ?? 5
      const ids = computeProposalIds({
        ...calls,
        descriptionHash: description.hash,
        ozVersion,
        governor,
        hasTimelock: info ? info.timelock !== undefined : true,
      })
      const check =
        chain && info
          ? await checkProposalOnChain(chain.provider, {
              ...calls,
              governor: info,
              descriptionHash: description.hash,
              ids,
            })
          : undefined

      for (const f of description.findings) {
        this.addWarning(f.code, f.message, f.code === 'DESCRIPTION_BYTES' ? 'note' : 'warning')
      }
      if (rpcUrl && !governor) {
        this.addWarning(
          'NOT_CROSS_CHECKED',
          '--rpc-url was given without --governor: there is no contract to ask, the ids were not checked on chain.',
        )
      }
      if (!ids.timelockOperationId) {
        if (info) {
          this.addWarning(
            'NO_TIMELOCK',
            `The governor ${info.address} has no timelock(): its proposals execute without a timelock operation.`,
            'note',
          )
        } else {
          this.addWarning(
            'TIMELOCK_NEEDS_GOVERNOR',
            'timelockOperationId is null: an OZ 5 governor salts the timelock operation with its own address. Pass --governor (or --oz-version 4 for a 4.x governor).',
          )
        }
      }
      for (const f of check?.findings ?? []) this.addWarning(f.code, f.message)

      const proposalIdHex = toBeHex(ids.proposalId, 32) as Hex
      this.render(calls, description, ids, proposalIdHex, { ozVersion, givenOz, governor, info, check })
      return {
        descriptionHash: description.hash,
        proposalId: ids.proposalId.toString(),
        timelockOperationId: ids.timelockOperationId ?? null,
        proposalIdHex,
        timelockSalt: ids.timelockSalt ?? null,
        ozVersion,
      }
    } finally {
      chain?.close()
    }
  }

  private render(
    calls: ProposalCalls,
    description: ProposalDescription,
    ids: ProposalIds,
    proposalIdHex: Hex,
    ctx: {
      ozVersion: OzGovernorVersion
      givenOz: OzGovernorVersion | undefined
      governor: Address | undefined
      info: GovernorInfo | undefined
      check: ProposalChainCheck | undefined
    },
  ) {
    const t = this.t
    const row = (label: string, value: string, note = '') =>
      this.say(`  ${label.padEnd(17)} ${value}${note ? `  ${t.dim(note)}` : ''}`)
    const agrees = (ok: boolean | undefined, what: string) => {
      if (ok === true) this.say(`  ${t.green('✔')} ${what} agrees`)
      else if (ok === false) this.say(`  ${t.yellow('!')} ${what} did not answer; not cross-checked`)
    }

    this.say(t.bold('Governor proposal'))
    calls.targets.forEach((to, i) => {
      const data = calls.calldatas[i]!
      const bytes = getBytes(data).length
      row(
        `call ${i + 1}`,
        to,
        `value ${calls.values[i]}, ${bytes} byte${bytes === 1 ? '' : 's'}${bytes >= 4 ? ` (selector ${data.slice(0, 10)})` : ''}`,
      )
    })
    // A final newline is in the byte count and the DESCRIPTION_BYTES note, not drawn as an empty line.
    const lines = printable(description.text).replace(/\n$/, '').split('\n')
    const size = description.bytes.length
    row('description', `${size} byte${size === 1 ? '' : 's'}`, `from ${description.source}, hashed as is`)
    for (const line of lines.slice(0, DESCRIPTION_LINES_SHOWN)) this.say(`  ${t.dim('│')} ${line}`)
    if (lines.length > DESCRIPTION_LINES_SHOWN) {
      this.say(`  ${t.dim(`│ … ${lines.length - DESCRIPTION_LINES_SHOWN} more lines`)}`)
    }
    row('descriptionHash', description.hash, "keccak256 of the description's bytes")
    row('proposalId', ids.proposalId.toString(), 'decimal, as explorers and Tally show it')
    row('', proposalIdHex, 'hex')
    agrees(ctx.check?.proposalId, "the governor's hashProposal")

    this.say()
    this.say(t.bold('Timelock operation'))
    const versionNote = ctx.info
      ? ctx.givenOz === undefined
        ? 'read from the governor'
        : '--oz-version, agrees with the governor'
      : ctx.givenOz === undefined
        ? 'the default; --oz-version 4 for a 4.x governor'
        : '--oz-version'
    row('OZ version', `${ctx.ozVersion}.x`, versionNote)
    if (ctx.governor) row('governor', ctx.governor)
    if (ctx.info?.timelock) row('timelock', ctx.info.timelock, 'read from the governor')
    if (ids.timelockSalt && ids.timelockOperationId) {
      row(
        'salt',
        ids.timelockSalt,
        ctx.ozVersion === 5 ? 'bytes20(governor) XOR descriptionHash' : 'the descriptionHash',
      )
      row('operation id', ids.timelockOperationId, 'hashOperationBatch(targets, values, calldatas, 0, salt)')
      agrees(ctx.check?.timelockOperationId, "the timelock's hashOperationBatch")
    } else {
      row('operation id', t.dim('unknown'))
    }
    if (this.findings.length) this.say()
    this.sayWarnings()
  }
}
