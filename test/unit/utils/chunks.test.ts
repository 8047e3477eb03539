import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { jsonSafe } from '../../../src/render/envelope.js'
import { writeFileAtomicChunks } from '../../../src/utils/atomicWrite.js'
import { bufferedWriter, joinedLines, jsonChunks } from '../../../src/utils/chunks.js'

/** A deterministic generator of awkward JSON-able values (xorshift, so a failure is reproducible). */
function randomValue(seed: number) {
  let state = seed
  const next = () => {
    state ^= state << 13
    state ^= state >>> 17
    state ^= state << 5
    return (state >>> 0) / 2 ** 32
  }
  const strings = ['', 'a', 'ü\u202e', '"quoted"\n\\', '</script>', '\u2028', 'toJSON', '0']
  const value = (depth: number): unknown => {
    const r = next()
    if (depth > 3 || r < 0.3) {
      const leaf = [
        null,
        true,
        false,
        0,
        -1.5,
        1e21,
        Number.NaN,
        Number.POSITIVE_INFINITY,
        12345678901234567890n,
        undefined,
        strings[Math.floor(next() * strings.length)],
      ]
      return leaf[Math.floor(next() * leaf.length)]
    }
    if (r < 0.55) return Array.from({ length: Math.floor(next() * 4) }, () => value(depth + 1))
    if (r < 0.6) return new Date(Math.floor(next() * 2e12))
    if (r < 0.62) return () => 1
    return Object.fromEntries(
      Array.from({ length: Math.floor(next() * 4) }, (_, i) => [
        strings[Math.floor(next() * strings.length)]! + i,
        value(depth + 1),
      ]),
    )
  }
  return value(0)
}

describe('jsonChunks', () => {
  it('writes exactly what JSON.stringify writes, indented or not, over 2,000 random values', () => {
    for (let seed = 1; seed <= 2000; seed++) {
      const v = randomValue(seed)
      for (const indent of [0, 2, 4]) {
        // JSON.stringify cannot take bigints: jsonSafe writes them as strings, as jsonChunks does.
        const expected = JSON.stringify(jsonSafe(v), null, indent) ?? 'null'
        expect([...jsonChunks(v, indent)].join(''), `seed ${seed}, indent ${indent}`).toBe(expected)
      }
    }
  })

  it('yields a long array element by element, not as one string', () => {
    const report = {
      executions: Array.from({ length: 1000 }, (_, i) => ({ i, hash: `0x${'ab'.repeat(32)}` })),
    }
    const pieces = [...jsonChunks(report, 2)]
    expect(pieces.length).toBeGreaterThan(1000)
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(100)
    expect(JSON.parse(pieces.join(''))).toEqual(report)
  })
})

describe('bufferedWriter and joinedLines', () => {
  it('writes everything once, in order, in writes of about the buffer size', () => {
    const writes: string[] = []
    const out = bufferedWriter((t) => writes.push(t), 10)
    for (let i = 0; i < 25; i++) out.write(String(i % 10))
    out.flush()
    out.flush()
    expect(writes.join('')).toBe('0123456789'.repeat(2) + '01234')
    expect(writes).toEqual(['0123456789', '0123456789', '01234'])
  })

  it('joins lines as Array.join does', () => {
    for (const lines of [[], [''], ['a'], ['a', '', 'b', '']])
      expect([...joinedLines(lines)].join('')).toBe(lines.join('\n'))
  })
})

describe('writeFileAtomicChunks', () => {
  const dir = mkdtempSync(join(tmpdir(), 'alliance-chunks-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('writes the pieces as one file, multi-byte characters across buffer boundaries included', () => {
    const pieces = Array.from({ length: 50_000 }, (_, i) => `${i}·€😀\n`)
    writeFileAtomicChunks(join(dir, 'report.md'), pieces)
    expect(readFileSync(join(dir, 'report.md'), 'utf8')).toBe(pieces.join(''))
  })

  it('leaves neither the file nor a temporary one when drawing fails half-way', () => {
    function* failing() {
      yield 'half a report'
      throw new Error('renderer failed')
    }
    expect(() => writeFileAtomicChunks(join(dir, 'broken.html'), failing())).toThrow('renderer failed')
    expect(readdirSync(dir).filter((f) => f !== 'report.md')).toEqual([])
  })
})
