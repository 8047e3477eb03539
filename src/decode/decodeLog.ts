import type { Interface } from 'ethers'
import type { Address, Hex } from '../safe/types.js'
import { type DecodedArg, plain } from './decodeCall.js'
import { safeAbi, safeLegacyEventsAbi, tokenAbi } from './knownAbis.js'

export type RawLog = { address: Address; topics: Hex[]; data: Hex }

export type DecodedLog = {
  address: Address
  /** `Name(type,…)` when known; undefined for an unknown event. */
  signature?: string
  name?: string
  args?: DecodedArg[]
  raw: RawLog
}

/** Events to words with the emitter's ABI, else the well-known token and Safe events by topic. */
export function decodeLog(log: RawLog, abiFor: (address: Address) => Interface | undefined): DecodedLog {
  for (const iface of [abiFor(log.address), tokenAbi, safeAbi, safeLegacyEventsAbi]) {
    if (!iface) continue
    try {
      const parsed = iface.parseLog({ topics: log.topics, data: log.data })
      if (!parsed) continue
      return {
        address: log.address,
        signature: parsed.signature,
        name: parsed.name,
        args: parsed.fragment.inputs.map((input, i) => ({
          name: input.name || `arg${i}`,
          type: input.type,
          value: plain(parsed.args[i]),
        })),
        raw: log,
      }
    } catch {
      // An ERC-721 Transfer (3 indexed topics) does not fit the ERC-20 fragment; try the next ABI.
    }
  }
  return { address: log.address, raw: log }
}
