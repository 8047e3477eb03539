import { describe, expect, it } from 'vitest'
import { parseCsv } from '../../../src/payouts/csv.js'

const rows = (text: string) => {
  const parsed = parseCsv(text)
  if (!parsed.ok) throw new Error(`expected the CSV to parse: line ${parsed.line}: ${parsed.reason}`)
  return parsed.rows
}

describe('parseCsv', () => {
  it('splits plain rows on commas and numbers them from 1', () => {
    expect(rows('to,amount\nalice,10\nbob,20')).toEqual([
      { line: 1, cells: ['to', 'amount'] },
      { line: 2, cells: ['alice', '10'] },
      { line: 3, cells: ['bob', '20'] },
    ])
  })

  it('keeps commas inside a quoted cell and unescapes doubled quotes', () => {
    expect(rows('a,"b, c",d\n"say ""hi""",""\n')).toEqual([
      { line: 1, cells: ['a', 'b, c', 'd'] },
      { line: 2, cells: ['say "hi"', ''] },
    ])
  })

  it('lets a quoted cell span lines, and numbers the following rows by their real line', () => {
    const text = 'to,amount,label\nalice,1,"first\nsecond\nthird"\nbob,2,x\ncarol,3,y\n'
    expect(rows(text)).toEqual([
      { line: 1, cells: ['to', 'amount', 'label'] },
      { line: 2, cells: ['alice', '1', 'first\nsecond\nthird'] },
      { line: 5, cells: ['bob', '2', 'x'] },
      { line: 6, cells: ['carol', '3', 'y'] },
    ])
  })

  it('reads CRLF line ends like LF (no stray \\r in the last cell)', () => {
    expect(rows('to,amount\r\nalice,10\r\nbob,"2\r\n0"\r\ncarol,30\r\n')).toEqual([
      { line: 1, cells: ['to', 'amount'] },
      { line: 2, cells: ['alice', '10'] },
      { line: 3, cells: ['bob', '2\r\n0'] },
      { line: 5, cells: ['carol', '30'] },
    ])
  })

  it('skips blank lines but keeps counting them', () => {
    expect(rows('\nto,amount\n\n\nalice,10\n\n')).toEqual([
      { line: 2, cells: ['to', 'amount'] },
      { line: 5, cells: ['alice', '10'] },
    ])
  })

  it('keeps a line holding only an empty quoted cell or only commas (they are not blank)', () => {
    expect(rows('""\n,\n')).toEqual([
      { line: 1, cells: [''] },
      { line: 2, cells: ['', ''] },
    ])
  })

  it('does not trim cells', () => {
    expect(rows(' a , b ')).toEqual([{ line: 1, cells: [' a ', ' b '] }])
  })

  it('refuses a quote that is never closed, at the line its row starts on', () => {
    expect(parseCsv('to,amount\nalice,10\nbob,"20\ncarol,30\n')).toEqual({
      ok: false,
      line: 3,
      reason: 'a quoted cell is never closed',
    })
  })

  it('refuses a stray quote inside an unquoted cell, at its line', () => {
    expect(parseCsv('to,amount\nal"ice,10\n')).toEqual({
      ok: false,
      line: 2,
      reason: 'a quote may only open a cell',
    })
  })

  it('refuses text after a closing quote in the same cell', () => {
    expect(parseCsv('to,amount\n"alice"x,10\n')).toEqual({
      ok: false,
      line: 2,
      reason: 'a closing quote must end its cell',
    })
  })

  it('reports an error after a multi-line cell at the line where it occurs', () => {
    expect(parseCsv('a,"x\ny"\nb,c"d\n')).toMatchObject({ ok: false, line: 3 })
  })

  it('gives no rows for an empty text', () => {
    expect(rows('')).toEqual([])
    expect(rows('\n\r\n')).toEqual([])
  })
})
