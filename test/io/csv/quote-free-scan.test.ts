/**
 * Reading a few columns of a file goes through the fast quote-free scanner; these are the cases a
 * user would meet, on real files read chunk by chunk (see quote-free-scan.property.test.ts for
 * the random ones).
 */
import { describe, expect, test } from 'vitest'
import type { Schema } from '../../../src/types/schema.js'
import { readRows, tempDir, thrown, writeFile } from './helpers.js'

const dir = tempDir()
const wide: Schema = ['a', 'b', 'c', 'd', 'e'].map((name) => ({ name, dtype: 'utf8' }))
const header = 'a,b,c,d,e'

describe('reading some columns of a quote-free file', () => {
  test('a row with a field too few or too many, even among skipped columns, is an error with its line', () => {
    const rows = Array.from({ length: 300 }, (_, i) => `${i},b,c,d,e`)
    for (const [bad, found] of [
      ['7,b,c,d', 4],
      ['7,b,c,d,e,f', 6],
      ['7,b,c,d,e,', 6],
    ] as const) {
      const lines = [header, ...rows.slice(0, 150), bad, ...rows.slice(150)]
      const path = writeFile(dir, `ragged-${found}.csv`, `${lines.join('\n')}\n`)
      for (const blocksize of [100, 1000, Number.POSITIVE_INFINITY]) {
        const error = thrown(() => readRows(path, { fileSchema: wide, columns: ['b'], blocksize }))
        expect(error.message).toBe(
          `${path} line 152: expected 5 fields but found ${found}. ` +
            'Check the delimiter (",") and that values containing it are quoted.',
        )
      }
    }
  })

  test('CRLF, blank lines, empty fields and a missing final newline read as with every column', () => {
    const text = 'a,b,c,d,e\r\n1,,x,,last\r\n\r\n\n2,y,,z,\r\n3,\r,,,e\r'
    const path = writeFile(dir, 'crlf.csv', text)
    const options = { fileSchema: wide, nullValues: [] }
    const all = readRows(path, options).rows
    expect(all).toEqual([
      ['1', '', 'x', '', 'last'],
      ['2', 'y', '', 'z', ''],
      ['3', '\r', '', '', 'e'],
    ])
    for (const columns of [['e'], ['b', 'e'], ['a'], ['d', 'a']]) {
      const at = columns.map((c) => wide.findIndex((f) => f.name === c))
      for (const blocksize of [5, 13, Number.POSITIVE_INFINITY]) {
        expect(readRows(path, { ...options, columns, blocksize }).rows).toEqual(all.map((r) => at.map((i) => r[i])))
      }
    }
  })

  test('a quoted field among quote-free rows is read by the full scanner', () => {
    const rows = Array.from({ length: 100 }, (_, i) => `${i},b,c,d,e`)
    rows[40] = '40,"multi\nline, with ""quotes""",c,d,"e,e"'
    const path = writeFile(dir, 'one-quoted.csv', `${[header, ...rows].join('\n')}\n`)
    const read = readRows(path, { fileSchema: wide, columns: ['e', 'b'] }).rows
    expect(read).toHaveLength(100)
    expect(read[40]).toEqual(['e,e', 'multi\nline, with "quotes"'])
    expect(read[41]).toEqual(['e', 'b'])
  })

  test('a header row is checked and skipped on the fast path too', () => {
    const path = writeFile(dir, 'renamed.csv', 'a,b,x,d,e\n1,2,3,4,5\n')
    expect(thrown(() => readRows(path, { fileSchema: wide, columns: ['a'] })).message).toContain('line 1')
    const ok = writeFile(dir, 'named.csv', `${header}\n1,2,3,4,5\n`)
    expect(readRows(ok, { fileSchema: wide, columns: ['d'] }).rows).toEqual([['4']])
  })
})
