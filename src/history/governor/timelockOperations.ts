import { getAddress, type Log } from 'ethers'
import type { Address, Hex } from '../../safe/types.js'
import { timelockHistoryAbi } from './historyAbi.js'
import { type ChainPosition, positionOf } from './positions.js'
import type { TimelockOperation } from './types.js'

export type TimelockLogs = {
  /** By operation id, in order of their first event. */
  operations: Map<Hex, TimelockOperation>
  proposerGrants: (ChainPosition & { account: Address; sender: Address })[]
}

/** `keccak256("PROPOSER_ROLE")`, the role that may schedule on an OZ TimelockController. */
export const PROPOSER_ROLE = '0xb09aa5aeb3702cfd50b6b62bc4532604938f21248a27a1d5ca736082b6819cc1'

/** A timelock's logs (already in chain order) grouped by operation id, plus who was made a proposer. */
export function timelockOperations(logs: readonly Log[]): TimelockLogs {
  const operations = new Map<Hex, TimelockOperation>()
  const proposerGrants: TimelockLogs['proposerGrants'] = []
  const opOf = (id: Hex) => {
    let op = operations.get(id)
    if (!op) {
      op = { id, calls: [] }
      operations.set(id, op)
    }
    return op
  }
  for (const log of logs) {
    const event = parse(log)
    if (!event) continue
    const at = positionOf(log)
    const a = event.args
    if (event.name === 'RoleGranted') {
      if (a[0] === PROPOSER_ROLE)
        proposerGrants.push({
          ...at,
          account: getAddress(a[1]) as Address,
          sender: getAddress(a[2]) as Address,
        })
      continue
    }
    const op = opOf(a[0] as Hex)
    if (event.name === 'CallScheduled') {
      // Once cancelled, an id may be scheduled again: the report keeps the first schedule and its calls.
      if (op.scheduled && op.scheduled.transactionHash !== at.transactionHash) continue
      op.scheduled ??= at
      op.predecessor = a[5] as Hex
      op.delay = a[6] as bigint
      addCall(op, Number(a[1]), a[2], a[3], a[4])
    } else if (event.name === 'CallExecuted') {
      op.executed ??= at
      addCall(op, Number(a[1]), a[2], a[3], a[4])
    } else if (event.name === 'CallSalt') {
      op.salt ??= a[1] as Hex
    } else if (event.name === 'Cancelled') {
      op.cancelled ??= at
    }
  }
  return { operations, proposerGrants }
}

function addCall(op: TimelockOperation, index: number, target: string, value: bigint, data: string) {
  if (op.calls.some((c) => c.index === index)) return
  op.calls.push({ index, target: getAddress(target) as Address, value, data: data as Hex })
  op.calls.sort((x, y) => x.index - y.index)
}

function parse(log: Log) {
  try {
    return timelockHistoryAbi.parseLog({ topics: [...log.topics], data: log.data })
  } catch {
    return null
  }
}
