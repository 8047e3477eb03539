import { AbiCoder, getAddress, id, type Log } from 'ethers'
import type { LogSource } from '../../chain/logSource.js'
import { MalformedSafeLogError } from '../../errors/history.js'
import type { Address, Hex } from '../../safe/types.js'

type At = { blockNumber: number; transactionHash: Hex; logIndex: number }

/** One change of who controls the Safe or what runs around its transactions, from the Safe's own events. */
export type SafeConfigChange = At &
  (
    | { kind: 'setup'; initiator: Address; owners: Address[]; threshold: number; fallbackHandler: Address }
    | { kind: 'owner-added' | 'owner-removed'; owner: Address }
    | { kind: 'threshold-changed'; threshold: number }
    | { kind: 'module-enabled' | 'module-disabled'; module: Address }
    | { kind: 'guard-changed' | 'module-guard-changed' | 'fallback-handler-changed'; address: Address }
  )

type SingleArgKind = 'owner-added' | 'owner-removed' | 'module-enabled' | 'module-disabled'
type AddressKind = 'guard-changed' | 'module-guard-changed' | 'fallback-handler-changed'

// topic0 ignores `indexed`: ≤1.3.0 logs the address in data, 1.4.1+ in topics[1]; both are read.
const EVENTS = {
  [id('AddedOwner(address)')]: 'owner-added',
  [id('RemovedOwner(address)')]: 'owner-removed',
  [id('EnabledModule(address)')]: 'module-enabled',
  [id('DisabledModule(address)')]: 'module-disabled',
  [id('ChangedGuard(address)')]: 'guard-changed',
  [id('ChangedModuleGuard(address)')]: 'module-guard-changed',
  [id('ChangedFallbackHandler(address)')]: 'fallback-handler-changed',
} as Record<string, SingleArgKind | AddressKind>
const CHANGED_THRESHOLD = id('ChangedThreshold(uint256)')
const SAFE_SETUP = id('SafeSetup(address,address[],uint256,address,address)')

export const CONFIG_CHANGE_TOPICS = [...Object.keys(EVENTS), CHANGED_THRESHOLD, SAFE_SETUP] as Hex[]

export type ConfigChangesParameters = { logs: LogSource; safe: Address; fromBlock: number; toBlock: number }

/**
 * Owner, threshold, module, guard and fallback-handler changes in the block range, in chain order, from
 * the Safe's own events (what its owner-manager code emits whenever it writes those slots). A change made
 * by writing storage directly (a delegatecall to a rogue contract) emits nothing: the history's decoded
 * delegatecalls are where that shows.
 */
export async function configChanges({
  logs,
  safe,
  fromBlock,
  toBlock,
}: ConfigChangesParameters): Promise<SafeConfigChange[]> {
  const found = await logs({ address: safe, topics: [CONFIG_CHANGE_TOPICS], fromBlock, toBlock })
  return found
    .filter((log) => log.address.toLowerCase() === safe.toLowerCase() && !log.removed)
    .map(configChangeFromLog)
    .sort((a, b) => a.blockNumber - b.blockNumber || a.logIndex - b.logIndex)
}

const abi = AbiCoder.defaultAbiCoder()

export function configChangeFromLog(log: Log): SafeConfigChange {
  const at: At = {
    blockNumber: log.blockNumber,
    transactionHash: log.transactionHash as Hex,
    logIndex: log.index,
  }
  const where = `${log.transactionHash}#${log.index}`
  const topic0 = log.topics[0]?.toLowerCase() ?? ''
  try {
    if (topic0 === CHANGED_THRESHOLD) {
      const [threshold] = abi.decode(['uint256'], log.data)
      return { ...at, kind: 'threshold-changed', threshold: Number(threshold) }
    }
    if (topic0 === SAFE_SETUP) {
      const [owners, threshold, , fallbackHandler] = abi.decode(
        ['address[]', 'uint256', 'address', 'address'],
        log.data,
      )
      return {
        ...at,
        kind: 'setup',
        initiator: getAddress(`0x${log.topics[1]!.slice(-40)}`) as Address,
        owners: [...(owners as string[])].map((o) => getAddress(o) as Address),
        threshold: Number(threshold),
        fallbackHandler: getAddress(fallbackHandler as string) as Address,
      }
    }
    const kind = EVENTS[topic0]
    if (!kind) throw new MalformedSafeLogError(where, `topic ${topic0} is not a Safe configuration event`)
    const word = log.topics.length === 2 ? log.topics[1]! : log.data
    const [value] = abi.decode(['address'], word)
    const address = getAddress(value as string) as Address
    switch (kind) {
      case 'owner-added':
      case 'owner-removed':
        return { ...at, kind, owner: address }
      case 'module-enabled':
      case 'module-disabled':
        return { ...at, kind, module: address }
      default:
        return { ...at, kind, address }
    }
  } catch (err) {
    if (err instanceof MalformedSafeLogError) throw err
    throw new MalformedSafeLogError(where, (err as Error).message.split('\n')[0]!)
  }
}
