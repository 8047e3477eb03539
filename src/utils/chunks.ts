/**
 * `JSON.stringify(value, null, indent)` as a stream of pieces, byte for byte the same text, with bigints
 * written as decimal strings (as `jsonSafe` does). A 10,000-execution history report is ~25 MB of JSON:
 * written piece by piece it never exists as one string, nor as a bigint-free copy of the report.
 *
 * Like JSON.stringify: `toJSON` is honoured, object members that are undefined, functions or symbols are
 * left out and array elements of those kinds become null, non-finite numbers become null. Cycles are not
 * detected (reports are trees).
 */
export function* jsonChunks(value: unknown, indent = 2): Generator<string> {
  yield* chunks(value, '', ' '.repeat(indent), '')
}

function* chunks(value: unknown, key: string, step: string, pad: string): Generator<string> {
  let v = value
  if (v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function')
    v = (v as { toJSON(key: string): unknown }).toJSON(key)
  if (typeof v === 'bigint') {
    yield `"${v.toString()}"`
    return
  }
  if (v === null || typeof v !== 'object') {
    yield JSON.stringify(v) ?? 'null'
    return
  }
  const inner = pad + step
  // Without an indent JSON.stringify writes no line breaks and no space after the colon.
  const open = step ? `\n${inner}` : ''
  if (Array.isArray(v)) {
    if (v.length === 0) {
      yield '[]'
      return
    }
    yield '['
    for (let i = 0; i < v.length; i++) {
      yield i === 0 ? open : `,${open}`
      const element = v[i]
      if (element === undefined || typeof element === 'function' || typeof element === 'symbol') yield 'null'
      else yield* chunks(element, String(i), step, inner)
    }
    yield step ? `\n${pad}]` : ']'
    return
  }
  let first = true
  for (const [k, member] of Object.entries(v)) {
    if (member === undefined || typeof member === 'function' || typeof member === 'symbol') continue
    yield `${first ? `{${open}` : `,${open}`}${JSON.stringify(k)}:${step ? ' ' : ''}`
    first = false
    yield* chunks(member, k, step, inner)
  }
  yield first ? '{}' : step ? `\n${pad}}` : '}'
}

/**
 * Collects small pieces into writes of about `size` characters: one write per piece would be a system
 * call per JSON token.
 */
export function bufferedWriter(write: (text: string) => void, size = 1 << 16) {
  let pending: string[] = []
  let length = 0
  const flush = () => {
    if (length === 0) return
    write(pending.join(''))
    pending = []
    length = 0
  }
  return {
    write(text: string) {
      pending.push(text)
      length += text.length
      if (length >= size) flush()
    },
    flush,
  }
}

/** `[...lines].join('\n')` as pieces. */
export function* joinedLines(lines: Iterable<string>): Generator<string> {
  let first = true
  for (const line of lines) {
    yield first ? line : `\n${line}`
    first = false
  }
}
