import { Flags } from '@oclif/core'
import { AllianceCommand } from '../src/cli/baseCommand.js'
import { decodeContext, openWorkspace } from '../src/cli/context.js'
import { type DecodedCall, decodeCall, flattenCalls } from '../src/decode/decodeCall.js'
import { InvalidFlagError } from '../src/errors/input.js'
import { renderDecodedCall } from '../src/render/decodedView.js'
import type { Address, Hex } from '../src/safe/types.js'

export type DecodeResult = { call: DecodedCall; warnings: string[] }

export default class Decode extends AllianceCommand {
  static override summary = 'Decode calldata into words, locally, with no service.'
  static override description =
    `Uses the alliance contracts' ABIs, the ABIs the workspace names, ERC-20/721, the Safe's own functions (owners, threshold, modules, guard, fallback handler) and MultiSend batches (flattened, every inner call decoded; on Safe 1.5.0 "to = 0" is shown as the Safe itself). Unknown selectors stay raw bytes with a warning — nothing is guessed from a public signature database.`
  static override examples = [
    '<%= config.bin %> decode --to treasury --data 0x…',
    '<%= config.bin %> decode --to 0x9641d764fc13c8B624c04430C7356C1C7C8102e2 --data 0x8d80ff0a… --operation 1 --safe council',
  ]
  static override flags = {
    to: Flags.string({ summary: 'Target: an address or an address-book name.', required: true }),
    data: Flags.string({ summary: 'Calldata (0x…).', required: true }),
    value: Flags.string({ summary: 'Value in wei.', default: '0' }),
    operation: Flags.integer({ summary: '0 = CALL, 1 = DELEGATECALL.', min: 0, max: 1, default: 0 }),
    safe: Flags.string({
      summary: 'The Safe executing the call (a name or address), for self-calls and MultiSend 1.5.0.',
    }),
    'safe-version': Flags.string({
      summary: "The Safe's version (MultiSend 1.5.0 maps to = 0 to the Safe).",
      default: '1.4.1',
    }),
  }

  async run(): Promise<DecodeResult> {
    const { flags } = await this.parse(Decode)
    const workspace = openWorkspace(flags.workspace)
    const to = resolve(workspace.book, flags.to, '--to')
    if (!/^0x([0-9a-fA-F]{2})*$/.test(flags.data))
      throw new InvalidFlagError('--data', 'expected 0x-prefixed hex bytes')
    if (!/^\d+$/.test(flags.value)) throw new InvalidFlagError('--value', 'expected a whole number of wei')
    const safe = flags.safe ? resolve(workspace.book, flags.safe, '--safe') : undefined
    const call = decodeCall(
      {
        to,
        value: BigInt(flags.value),
        data: flags.data.toLowerCase() as Hex,
        operation: flags.operation as 0 | 1,
      },
      { ...decodeContext(workspace), ...(safe ? { safe } : {}), safeVersion: flags['safe-version'] },
    )
    const warnings = flattenCalls(call).flatMap((c) =>
      c.warning ? [`${workspace.book.label(c.to)}: ${c.warning}`] : [],
    )
    this.say(renderDecodedCall(call, workspace.book, this.t))
    for (const w of warnings) this.say(this.t.yellow(`! ${w}`))
    return { call, warnings }
  }
}

function resolve(
  book: { resolveAddress(r: string): { ok: true; value: Address } | { ok: false; reason: string } },
  ref: string,
  flag: string,
) {
  const r = book.resolveAddress(ref)
  if (!r.ok) throw new InvalidFlagError(flag, r.reason)
  return r.value
}
