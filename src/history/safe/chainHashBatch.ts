import type { Address, Hex } from '../../safe/types.js'
import type { SafeHistoryChain } from './safeStateAt.js'

/**
 * Creation code that STATICCALLs one address with each of the calldata items appended after it and
 * returns a zero byte followed by the 32-byte answers, a zero word for a call that failed. Run with
 * `eth_call` (no `to`), nothing is deployed: the constructor's return data is the call's result. Appended:
 * a word with the largest item's size rounded up (the scratch space), a word with the address, then each
 * item as a length word and its bytes. The leading zero byte keeps the returned "code" from starting with
 * 0xEF, which EIP-3541 refuses.
 *
 * Memory: [0, 64) those two words, [64, 64 + S) the item being called, a zero word, then the answers.
 */
const CODE = assemble([
  '6040',
  ['L'],
  '6000',
  '39', // codecopy(0, L, 64): S and the address
  '600051',
  '6060',
  '01', // out = S + 96: past the scratch space and a zero word
  ['L', 64], // ptr: the first item
  { label: 'loop' }, // [out, ptr]
  '38',
  '81',
  '10',
  '15',
  ['end'],
  '57', // ptr >= codesize → end
  '6020',
  '81',
  '6040',
  '39',
  '604051', // len = the word at ptr
  '80',
  '82',
  '6020',
  '01',
  '6040',
  '39', // codecopy(64, ptr + 32, len)
  '6020',
  '83',
  '82',
  '6040',
  '602051',
  '5a',
  'fa', // staticcall(gas, address, 64, len, out, 32)
  '15',
  ['fail'],
  '57', // [out, ptr, len]
  { label: 'next' },
  '6020',
  '01',
  '01',
  '90',
  '6020',
  '01',
  '90', // ptr += 32 + len, out += 32
  ['loop'],
  '56',
  { label: 'fail' }, // a reverted call may have left its revert data where the answer goes
  '6000',
  '83',
  '52',
  ['next'],
  '56', // mstore(out, 0)
  { label: 'end' }, // [out, ptr]
  '50',
  '600051',
  '605f',
  '01', // base = S + 95: the zero word's last byte
  '80',
  '91',
  '03',
  '90',
  'f3', // return(base, out - base)
])

/**
 * A few lines of assembly to bytecode: hex opcodes, `{ label }` (a JUMPDEST), and `[label, add]` (a PUSH2
 * of the label's offset plus `add`; the label `L` is the code's length, where the appended words start).
 */
function assemble(program: (string | { label: string } | [string, number?])[]): string {
  const size = (op: (typeof program)[number]) =>
    typeof op === 'string' ? op.length / 2 : Array.isArray(op) ? 3 : 1
  const labels = new Map<string, number>()
  let at = 0
  for (const op of program) {
    if (typeof op === 'object' && !Array.isArray(op)) labels.set(op.label, at)
    at += size(op)
  }
  labels.set('L', at)
  return program
    .map((op) => {
      if (typeof op === 'string') return op
      if (!Array.isArray(op)) return '5b'
      return `61${(labels.get(op[0])! + (op[1] ?? 0)).toString(16).padStart(4, '0')}`
    })
    .join('')
}

/** Items per eth_call, and their bytes: creation code is capped at 48 KiB (EIP-3860), answers at 24 KiB. */
const MAX_ITEMS = 100
const MAX_BYTES = 32 * 1024

type Pending = {
  data: Hex
  resolve: (hash: Hex) => void
  reject: (err: unknown) => void
  alone: () => Promise<string>
}

export type ChainHashBatcher = {
  /**
   * The Safe's answer to `data` (a `getTransactionHash` call) at `blockTag`, asked together with the
   * other answers wanted at that block in one eth_call. `alone` asks it by itself: used when the batch
   * cannot answer (a call that failed inside it, a node that refuses the creation call), so whatever that
   * gives or throws is what the caller gets.
   */
  hash(blockTag: number, data: Hex, alone: () => Promise<string>): Promise<Hex>
  /** eth_calls made, and answers they carried. */
  readonly stats: { batches: number; answers: number }
}

/**
 * The Safe's own `getTransactionHash`, for many executions in one eth_call. A historical eth_call costs a
 * node its state lookup whatever the call does (about 2 ms of anvil's CPU each, against 0.1 ms at the
 * head, batched in JSON-RPC or not), so one per execution doubled the node's work of a replay. Here the
 * answers wanted at the same block go out together from the same event-loop turn.
 */
export function chainHashBatcher(chain: SafeHistoryChain, safe: Address): ChainHashBatcher {
  const waiting = new Map<number, Pending[]>()
  const stats = { batches: 0, answers: 0 }
  let scheduled = false
  let refused = false

  const flush = () => {
    scheduled = false
    const groups = [...waiting]
    waiting.clear()
    for (const [blockTag, items] of groups) {
      for (let i = 0; i < items.length; ) {
        let bytes = 0
        let j = i
        while (j < items.length && j - i < MAX_ITEMS && bytes + items[j]!.data.length / 2 <= MAX_BYTES) {
          bytes += items[j]!.data.length / 2
          j++
        }
        if (j === i) j = i + 1 // one item larger than a batch: asked alone
        void send(blockTag, items.slice(i, j))
        i = j
      }
    }
  }

  const send = async (blockTag: number, items: Pending[]) => {
    const alone = (p: Pending) => p.alone().then((out) => p.resolve(out as Hex), p.reject)
    if (refused || items.length === 1 || items.some((p) => p.data.length / 2 > MAX_BYTES)) {
      for (const p of items) void alone(p)
      return
    }
    let out: string
    try {
      stats.batches++
      out = await chain.call({
        data: batchCode(
          safe,
          items.map((p) => p.data),
        ),
        blockTag,
      })
    } catch {
      // A node that will not run creation code in eth_call: every later answer is asked alone.
      refused = true
      for (const p of items) void alone(p)
      return
    }
    if (out.length !== 2 + 2 + items.length * 64) {
      refused = true
      for (const p of items) void alone(p)
      return
    }
    items.forEach((p, k) => {
      const word = out.slice(4 + 64 * k, 4 + 64 * (k + 1))
      if (/^0{64}$/.test(word)) void alone(p)
      else {
        stats.answers++
        p.resolve(`0x${word}` as Hex)
      }
    })
  }

  return {
    hash(blockTag, data, alone) {
      return new Promise<Hex>((resolve, reject) => {
        const list = waiting.get(blockTag)
        const item = { data, resolve, reject, alone }
        if (list) list.push(item)
        else waiting.set(blockTag, [item])
        if (!scheduled) {
          scheduled = true
          setImmediate(flush)
        }
      })
    },
    stats,
  }
}

/** The creation code with the calls appended. */
export function batchCode(target: Address, calls: readonly Hex[]): Hex {
  const largest = Math.max(...calls.map((c) => (c.length - 2) / 2))
  const scratch = Math.ceil(largest / 32) * 32
  const word = (n: number | bigint) => n.toString(16).padStart(64, '0')
  const items = calls.map((c) => `${word((c.length - 2) / 2)}${c.slice(2)}`).join('')
  return `0x${CODE}${word(scratch)}${target.slice(2).toLowerCase().padStart(64, '0')}${items}` as Hex
}
