import type { DecodedLog } from '../decode/decodeLog.js'
import { formatArgsInUnits, formatArgValue } from '../decode/formatValue.js'
import type { AddressBook } from '../workspace/addressBook.js'
import { named } from './named.js'
import type { SimulationReport } from './schema.js'

/** Every event in emission order, decoded where an ABI knows it, raw where none does. */
export function reportEvents(events: DecodedLog[], book: AddressBook): SimulationReport['events'] {
  return events.map((e) => ({
    emitter: named(e.address, book),
    ...(e.name ? { name: e.name } : {}),
    ...(e.signature ? { signature: e.signature } : {}),
    text: e.name
      ? `${e.name}(${formatArgsInUnits({ to: e.address, ...(e.args ? { args: e.args } : {}) }, book, '=')})`
      : `unknown event ${e.raw.topics[0] ?? '(anonymous)'}`,
    args: (e.args ?? []).map((a) => ({
      name: a.name,
      type: a.type,
      value: formatArgValue(a.value, book, { withAddress: false }),
    })),
    raw: { topics: e.raw.topics, data: e.raw.data },
  }))
}
