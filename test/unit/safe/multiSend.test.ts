import { encodeAbiParameters, encodePacked, getAddress, size, toFunctionSelector } from 'viem'
import { describe, expect, it } from 'vitest'
import {
  InvalidCallError,
  MalformedMultiSendError,
  MultiSendSelfTargetError,
  NotMultiSendCalldataError,
} from '../../../src/errors/safe.js'
import {
  decodeMultiSend,
  decodeMultiSendTransactions,
  encodeMultiSend,
  encodeMultiSendTransactions,
  MULTISEND_SELECTOR,
} from '../../../src/safe/multiSend.js'
import type { Address, Call, Hex } from '../../../src/safe/types.js'
import { rng } from './random.js'

const SAFE = '0x1c694Fc3006D81ff4a56F97E1b99529066a23725' as Address
const ZERO = '0x0000000000000000000000000000000000000000' as Address

function randomCalls(r: ReturnType<typeof rng>, n: number): Call[] {
  return Array.from({ length: n }, () => ({
    to: getAddress(r.address()) as Address,
    value: r.uint(),
    // Empty data is common (plain transfers), so weight it.
    data: r.int(4) === 0 ? '0x' : r.hex(r.int(301)),
    operation: r.pick([0, 1] as const),
  }))
}

/** viem as the independent packer: `encodePacked` per call, wrapped with `encodeAbiParameters`. */
function viemMultiSend(calls: Call[]): Hex {
  const packed = calls.length
    ? (`0x${calls
        .map((c) =>
          encodePacked(
            ['uint8', 'address', 'uint256', 'uint256', 'bytes'],
            [c.operation, c.to, c.value, BigInt(size(c.data)), c.data],
          ).slice(2),
        )
        .join('')}` as Hex)
    : '0x'
  return `${MULTISEND_SELECTOR}${encodeAbiParameters([{ type: 'bytes' }], [packed]).slice(2)}` as Hex
}

function catchError(fn: () => unknown): unknown {
  try {
    fn()
  } catch (e) {
    return e
  }
  throw new Error('expected an error')
}

describe('encodeMultiSend / decodeMultiSend (safe.md §4.6)', () => {
  it('uses the multiSend(bytes) selector', () => {
    expect(MULTISEND_SELECTOR).toBe(toFunctionSelector('function multiSend(bytes transactions)'))
    expect(MULTISEND_SELECTOR).toBe('0x8d80ff0a')
  })

  it('packs one call as operation ‖ to ‖ value ‖ dataLength ‖ data', () => {
    const call: Call = { to: SAFE, value: 5n, data: '0xdeadbeef', operation: 0 }
    expect(encodeMultiSendTransactions([call])).toBe(
      `0x00${SAFE.slice(2).toLowerCase()}${'5'.padStart(64, '0')}${'4'.padStart(64, '0')}deadbeef`,
    )
  })

  it('round-trips 150 random batches and matches viem byte for byte', () => {
    const r = rng(0xba7c4)
    for (let i = 0; i < 150; i++) {
      const calls = randomCalls(r, 1 + r.int(8))
      const encoded = encodeMultiSend(calls)
      expect(encoded, `batch ${i}`).toBe(viemMultiSend(calls))
      expect(decodeMultiSend(encoded), `batch ${i}`).toEqual(calls)
      expect(decodeMultiSendTransactions(encodeMultiSendTransactions(calls))).toEqual(calls)
    }
  })

  it('handles empty data, empty batches and lowercase input addresses', () => {
    const calls: Call[] = [
      { to: SAFE.toLowerCase() as Address, value: 0n, data: '0x', operation: 0 },
      { to: SAFE, value: 1n, data: '0x', operation: 1 },
    ]
    expect(decodeMultiSend(encodeMultiSend(calls))).toEqual([
      { ...calls[0], to: SAFE },
      { ...calls[1], to: SAFE },
    ])
    expect(encodeMultiSend([])).toBe(viemMultiSend([]))
    expect(decodeMultiSend(encodeMultiSend([]))).toEqual([])
  })

  it('rejects invalid calls when encoding, naming the index', () => {
    const good: Call = { to: SAFE, value: 0n, data: '0x', operation: 0 }
    const err = catchError(() => encodeMultiSend([good, { ...good, operation: 2 as 0 }])) as InvalidCallError
    expect(err).toBeInstanceOf(InvalidCallError)
    expect(err.code).toBe('SAFE_INVALID_CALL')
    expect(err.index).toBe(1)
    expect(() => encodeMultiSend([{ ...good, to: '0x1234' as Address }])).toThrow(InvalidCallError)
    expect(() => encodeMultiSend([{ ...good, value: -1n }])).toThrow(InvalidCallError)
    expect(() => encodeMultiSend([{ ...good, data: '0x0' as Hex }])).toThrow(InvalidCallError)
  })
})

describe('decodeMultiSend strictness', () => {
  const calls: Call[] = [
    { to: SAFE, value: 0n, data: '0xa9059cbb', operation: 0 },
    { to: SAFE, value: 7n, data: '0x', operation: 0 },
  ]
  // Packed payload: 85 + 4 + 85 = 174 bytes, starting at byte 68 of the calldata.
  const packed = encodeMultiSendTransactions(calls)
  const wrap = (payload: Hex, declared = size(payload)): Hex => {
    const body = payload.slice(2)
    const padded = body.padEnd(Math.ceil(body.length / 64) * 64, '0')
    return `${MULTISEND_SELECTOR}${'20'.padStart(64, '0')}${declared.toString(16).padStart(64, '0')}${padded}` as Hex
  }

  it('names the offset of a call whose header is cut short', () => {
    const cut = packed.slice(0, 2 + (174 - 40) * 2) as Hex // second call keeps 45 of its 85 header bytes
    const err = catchError(() => decodeMultiSend(wrap(cut))) as MalformedMultiSendError
    expect(err).toBeInstanceOf(MalformedMultiSendError)
    expect(err.code).toBe('SAFE_MULTISEND_MALFORMED')
    expect(err.offset).toBe(68 + 89)
    expect(err.message).toContain('byte 157')
    expect(err.message).toContain('call #1')
  })

  it('names the offset of a data length that runs past the end', () => {
    const cut = packed.slice(0, 2 + 87 * 2) as Hex // first call has 2 of its 4 data bytes
    const err = catchError(() => decodeMultiSend(wrap(cut))) as MalformedMultiSendError
    expect(err).toBeInstanceOf(MalformedMultiSendError)
    expect(err.offset).toBe(68 + 53)
    const raw = catchError(() => decodeMultiSendTransactions(cut)) as MalformedMultiSendError
    expect(raw.offset).toBe(53)
  })

  it('rejects trailing bytes inside the payload (a partial extra call)', () => {
    const err = catchError(() => decodeMultiSend(wrap(`${packed}00` as Hex))) as MalformedMultiSendError
    expect(err.offset).toBe(68 + 174)
  })

  it('rejects bytes after the ABI-padded payload, dirty padding and short payloads', () => {
    const good = encodeMultiSend(calls)
    const trailing = catchError(() => decodeMultiSend(`${good}00` as Hex)) as MalformedMultiSendError
    expect(trailing).toBeInstanceOf(MalformedMultiSendError)
    expect(trailing.offset).toBe(size(good))
    // The payload is 174 bytes, padded to 192; byte 68 + 174 is the first padding byte.
    const dirty = `${good.slice(0, 2 + (68 + 174) * 2)}01${good.slice(2 + (68 + 175) * 2)}` as Hex
    expect((catchError(() => decodeMultiSend(dirty)) as MalformedMultiSendError).offset).toBe(68 + 174)
    const overDeclared = wrap(packed, 400)
    expect((catchError(() => decodeMultiSend(overDeclared)) as MalformedMultiSendError).offset).toBe(36)
    const truncatedPadding = good.slice(0, -2) as Hex
    expect(() => decodeMultiSend(truncatedPadding)).toThrow(MalformedMultiSendError)
    const badOffset = `${MULTISEND_SELECTOR}${'40'.padStart(64, '0')}${good.slice(10 + 64)}` as Hex
    expect((catchError(() => decodeMultiSend(badOffset)) as MalformedMultiSendError).offset).toBe(4)
    expect(() => decodeMultiSend(`${MULTISEND_SELECTOR}00` as Hex)).toThrow(MalformedMultiSendError)
    expect(() => decodeMultiSend('0x8d80' as Hex)).toThrow(MalformedMultiSendError)
    expect(() => decodeMultiSend('0xzz' as Hex)).toThrow(MalformedMultiSendError)
  })

  it('rejects an operation byte other than 0 or 1', () => {
    const bad = `0x02${packed.slice(4)}` as Hex
    const err = catchError(() => decodeMultiSendTransactions(bad)) as MalformedMultiSendError
    expect(err.offset).toBe(0)
    expect(err.message).toContain('operation 2')
  })

  it('rejects other selectors', () => {
    const err = catchError(() => decodeMultiSend(`0xa9059cbb${'00'.repeat(64)}` as Hex))
    expect(err).toBeInstanceOf(NotMultiSendCalldataError)
    expect((err as NotMultiSendCalldataError).code).toBe('SAFE_MULTISEND_SELECTOR')
  })
})

describe('Safe 1.5.0 zero-address → self mapping', () => {
  const calls: Call[] = [
    { to: ZERO, value: 0n, data: '0x0d582f13', operation: 0 },
    { to: SAFE, value: 1n, data: '0x', operation: 0 },
  ]
  const encoded = encodeMultiSend(calls)

  it('maps to == 0 to the Safe on 1.5.0 (and 1.5.0+L2)', () => {
    const want = [{ ...calls[0], to: SAFE }, calls[1]]
    expect(decodeMultiSend(encoded, { safeVersion: '1.5.0', safe: SAFE })).toEqual(want)
    expect(
      decodeMultiSend(encoded, { safeVersion: '1.5.0+L2', safe: SAFE.toLowerCase() as Address }),
    ).toEqual(want)
  })

  it('keeps address 0 before 1.5.0 or without a version', () => {
    expect(decodeMultiSend(encoded, { safeVersion: '1.4.1', safe: SAFE })).toEqual(calls)
    expect(decodeMultiSend(encoded, { safe: SAFE })).toEqual(calls)
    expect(decodeMultiSend(encoded)).toEqual(calls)
  })

  it('asks for the Safe address when a 1.5.0 batch targets address 0', () => {
    const err = catchError(() =>
      decodeMultiSend(encoded, { safeVersion: '1.5.0' }),
    ) as MultiSendSelfTargetError
    expect(err).toBeInstanceOf(MultiSendSelfTargetError)
    expect(err.code).toBe('SAFE_MULTISEND_SELF_UNKNOWN')
    expect(err.offset).toBe(68 + 1)
    // No zero target, no need for the Safe address.
    expect(decodeMultiSend(encodeMultiSend([calls[1]!]), { safeVersion: '1.5.0' })).toEqual([calls[1]])
  })
})
