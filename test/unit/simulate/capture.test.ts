import { getAddress, padHex, parseEther } from 'viem'
import { describe, expect, it } from 'vitest'
import type { CallFrame } from '../../../src/simulate/callTrace.js'
import {
  isUnsupportedMethod,
  logsFromTrace,
  nativeTransfersFromTrace,
} from '../../../src/simulate/capture.js'

// Frames as geth's callTracer (withLog) writes them: lowercase addresses, hex quantities and positions.
const A = '0x1111111111111111111111111111111111111111'
const B = '0x2222222222222222222222222222222222222222'
const C = '0x3333333333333333333333333333333333333333'
const D = '0x4444444444444444444444444444444444444444'
const E = '0xabcdefabcdefabcdefabcdefabcdefabcdefabcd'

type TraceLog = NonNullable<CallFrame['logs']>[number] & { position?: string }

/** A log whose data names it, so the order of the output reads off `data`. */
const log = (name: number, address = A, position?: number): TraceLog => ({
  address,
  topics: [padHex(`0x${name.toString(16)}`, { size: 32 })],
  data: padHex(`0x${name.toString(16)}`, { size: 32 }),
  ...(position !== undefined ? { position: `0x${position.toString(16)}` } : {}),
})
const names = (logs: { data: string }[]) => logs.map((l) => Number(BigInt(l.data)))

const frame = (fields: Partial<CallFrame> & { to?: string }): CallFrame => ({
  type: 'CALL',
  from: A,
  input: '0x',
  ...fields,
})

describe('logsFromTrace', () => {
  it('interleaves a frame’s own logs with its child calls’ logs by position', () => {
    const trace = frame({
      to: B,
      logs: [log(1, B, 0), log(3, B, 1), log(6, B, 2)],
      calls: [
        frame({ from: B, to: C, logs: [log(2, C, 0)] }),
        frame({
          from: B,
          to: D,
          logs: [log(4, D, 0)],
          calls: [frame({ from: D, to: E, logs: [log(5, E, 0)] })],
        }),
      ],
    })
    // 4 is emitted by D before D's child call, so it precedes 5.
    expect(names(logsFromTrace(trace))).toEqual([1, 2, 3, 4, 5, 6])
  })

  it('puts a log emitted before any child call ahead of the children’s logs', () => {
    const trace = frame({
      to: B,
      logs: [log(1, B, 0)],
      calls: [frame({ from: B, to: C, logs: [log(2, C)] })],
    })
    expect(names(logsFromTrace(trace))).toEqual([1, 2])
  })

  it('places logs with no position after every child call', () => {
    const trace = frame({
      to: B,
      logs: [log(3, B)],
      calls: [frame({ from: B, to: C, logs: [log(1, C)] }), frame({ from: B, to: D, logs: [log(2, D)] })],
    })
    expect(names(logsFromTrace(trace))).toEqual([1, 2, 3])
  })

  it('several logs at one position keep their order', () => {
    const trace = frame({
      to: B,
      logs: [log(1, B, 0), log(2, B, 0), log(4, B, 1), log(5, B, 1)],
      calls: [frame({ from: B, to: C, logs: [log(3, C)] })],
    })
    expect(names(logsFromTrace(trace))).toEqual([1, 2, 3, 4, 5])
  })

  it('drops the logs of a reverted frame and of all its children, keeping its siblings’', () => {
    const trace = frame({
      to: B,
      logs: [log(1, B, 0), log(5, B, 2)],
      calls: [
        frame({
          from: B,
          to: C,
          error: 'execution reverted',
          logs: [log(90, C, 0)],
          calls: [frame({ from: C, to: D, logs: [log(91, D)] })],
        }),
        frame({
          from: B,
          to: D,
          logs: [log(2, D, 0)],
          calls: [frame({ from: D, to: E, logs: [log(3, E)] })],
        }),
      ],
    })
    expect(names(logsFromTrace(trace))).toEqual([1, 2, 3, 5])
  })

  it('a reverted root leaves no logs', () => {
    const trace = frame({
      to: B,
      error: 'execution reverted',
      logs: [log(1, B, 0)],
      calls: [frame({ from: B, to: C, logs: [log(2, C)] })],
    })
    expect(logsFromTrace(trace)).toEqual([])
  })

  it('checksums emitter addresses and keeps topics and data', () => {
    const raw = log(7, E, 0)
    const [out] = logsFromTrace(frame({ to: E, logs: [raw] }))
    expect(out).toEqual({ address: getAddress(E), topics: raw.topics, data: raw.data })
    expect(out).not.toHaveProperty('position')
  })
})

describe('nativeTransfersFromTrace', () => {
  const wei = (eth: string) => `0x${parseEther(eth).toString(16)}`

  it('counts value on CALLs and CREATEs, checksummed, in execution order', () => {
    const trace = frame({
      to: B,
      value: wei('3'),
      calls: [
        frame({ from: B, to: C, value: wei('1') }),
        frame({ type: 'CREATE', from: B, to: E, value: wei('0.5') }),
        frame({ from: B, to: D, value: '0x0' }),
      ],
    })
    expect(nativeTransfersFromTrace(trace)).toEqual([
      { from: getAddress(A), to: getAddress(B), value: parseEther('3') },
      { from: getAddress(B), to: getAddress(C), value: parseEther('1') },
      { from: getAddress(B), to: getAddress(E), value: parseEther('0.5') },
    ])
  })

  it('ignores the value a DELEGATECALL or STATICCALL reports', () => {
    const trace = frame({
      to: B,
      calls: [
        frame({ type: 'DELEGATECALL', from: B, to: C, value: wei('2') }),
        frame({ type: 'STATICCALL', from: B, to: D, value: wei('2') }),
        // A CALL inside a delegatecall moves the caller's (B's) coins.
        frame({ type: 'DELEGATECALL', from: B, to: C, calls: [frame({ from: B, to: E, value: wei('1') })] }),
      ],
    })
    expect(nativeTransfersFromTrace(trace)).toEqual([
      { from: getAddress(B), to: getAddress(E), value: parseEther('1') },
    ])
  })

  it('ignores a reverted subtree, value and all', () => {
    const trace = frame({
      to: B,
      calls: [
        frame({
          from: B,
          to: C,
          value: wei('1'),
          error: 'execution reverted',
          calls: [frame({ from: C, to: D, value: wei('1') })],
        }),
        frame({ from: B, to: D, value: wei('0.25') }),
      ],
    })
    expect(nativeTransfersFromTrace(trace)).toEqual([
      { from: getAddress(B), to: getAddress(D), value: parseEther('0.25') },
    ])
    expect(nativeTransfersFromTrace({ ...trace, value: wei('1'), error: 'out of gas' })).toEqual([])
  })
})

describe('isUnsupportedMethod', () => {
  it('recognises JSON-RPC -32601 however it is wrapped', () => {
    expect(isUnsupportedMethod({ error: { code: -32601, message: 'whatever' } })).toBe(true)
    expect(isUnsupportedMethod({ error: { code: -32601 } })).toBe(true)
  })

  it.each([
    'the method debug_traceCall does not exist/is not available',
    'Method not found',
    'method eth_simulateV1 not supported',
    'Unsupported method: debug_traceCall',
    'debug namespace is not available',
  ])('recognises the message "%s"', (message) => {
    expect(isUnsupportedMethod({ message })).toBe(true)
    expect(isUnsupportedMethod(new Error(message))).toBe(true)
    expect(isUnsupportedMethod({ error: { code: -32000, message } })).toBe(true)
  })

  it('an ordinary revert or other failure is not “unsupported”', () => {
    expect(isUnsupportedMethod(new Error('execution reverted: GS013'))).toBe(false)
    expect(isUnsupportedMethod({ error: { code: 3, message: 'execution reverted' } })).toBe(false)
    expect(isUnsupportedMethod({ error: { code: -32000, message: 'header not found' } })).toBe(false)
    expect(isUnsupportedMethod(new Error('request timeout'))).toBe(false)
    expect(isUnsupportedMethod(undefined)).toBe(false)
    expect(isUnsupportedMethod(null)).toBe(false)
  })
})
