import { Type } from 'apache-arrow'
import { describe, expect, test } from 'vitest'
import { inferCsvSchema, readCsvChunk } from '../../../src/io/csv/index.js'
import { readRows, rowsOf, tempDir, writeFile } from './helpers.js'

const dir = tempDir()
const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`)

describe('readCsvChunk: values', () => {
  test('every dtype, with nulls', () => {
    const path = writeFile(
      dir,
      'all.csv',
      'b,i,l,f,s,d,t\n' +
        'true,1,9999999999,1.5,x,2024-01-02,2024-01-02T03:04:05.678Z\n' +
        'FALSE,,-1,,,NA,null\n' +
        'NULL,-7,NA,-2e3,"y, z",1970-01-01,2024-01-02 00:00\n',
    )
    const { schema, rows } = readRows(path, { nullValues: ['', 'NA', 'null', 'NULL'] })
    expect(schema.map((f) => f.dtype)).toEqual(['bool', 'int32', 'int64', 'float64', 'utf8', 'date32', 'timestamp[ms]'])
    expect(rows).toEqual([
      [true, 1, 9999999999n, 1.5, 'x', day('2024-01-02'), Date.UTC(2024, 0, 2, 3, 4, 5, 678)],
      [false, null, -1n, null, null, null, null],
      [null, -7, null, -2000, 'y, z', 0, Date.UTC(2024, 0, 2)],
    ])
  })

  test('Arrow storage: typed values, LSB validity bitmaps, dictionary strings when repetitive', () => {
    const lines = ['s,n,u']
    for (let i = 0; i < 100; i++) lines.push(`${i % 3 === 0 ? 'a' : 'b'},${i % 10 === 0 ? '' : i},u${i}`)
    const path = writeFile(dir, 'storage.csv', `${lines.join('\n')}\n`)
    const { schema } = inferCsvSchema([path], {})
    const batch = readCsvChunk({
      path,
      start: 0,
      end: 1e9,
      fileSchema: schema,
      columns: [0, 1, 2],
      delimiter: ',',
      quote: '"',
      header: true,
      nullValues: [''],
    })
    const s = batch.getChildAt(0)!.data[0]!
    expect(s.type.typeId).toBe(Type.Dictionary)
    expect(s.dictionary?.toArray()).toEqual(['a', 'b'])
    const n = batch.getChildAt(1)!.data[0]!
    expect(n.values).toBeInstanceOf(Int32Array)
    expect(n.nullCount).toBe(10)
    expect(n.nullBitmap![0]).toBe(0b11111110)
    const u = batch.getChildAt(2)!.data[0]!
    expect(u.type.typeId).toBe(Type.Utf8)
    expect(rowsOf(batch)[99]).toEqual(['a', 99, 'u99'])
  })

  test('header false gives positional names and reads the first line as data', () => {
    const path = writeFile(dir, 'nohead.csv', '1,a\n2,b\n')
    const { schema, rows } = readRows(path, { header: false })
    expect(schema).toEqual([
      { name: 'column_0', dtype: 'int32' },
      { name: 'column_1', dtype: 'utf8' },
    ])
    expect(rows).toEqual([
      [1, 'a'],
      [2, 'b'],
    ])
  })

  test('custom delimiter and quote', () => {
    const path = writeFile(dir, 'semi.csv', "a;b\n'x;y';1\n'it''s';2\n")
    expect(readRows(path, { delimiter: ';', quote: "'" }).rows).toEqual([
      ['x;y', 1],
      ["it's", 2],
    ])
  })

  test('tab-separated, quoting off: quotes are data', () => {
    const path = writeFile(dir, 'tabs.tsv', 'a\tb\n"x\t5\n')
    expect(readRows(path, { delimiter: '\t', quote: '' }).rows).toEqual([['"x', 5]])
    const open = writeFile(dir, 'tabs-open.tsv', 'a\tb\n"x\t')
    expect(readRows(open, { delimiter: '\t', quote: '' }).rows).toEqual([['"x', null]])
  })

  test('quoted fields hold delimiters, doubled quotes, LF, CRLF', () => {
    const path = writeFile(dir, 'quoted.csv', 'a,b\r\n"1,2","say ""hi"""\r\n"line\r\nbreak","x\ny"\r\n"""",""\r\n')
    expect(readRows(path, { nullValues: [] }).rows).toEqual([
      ['1,2', 'say "hi"'],
      ['line\r\nbreak', 'x\ny'],
      ['"', ''],
    ])
  })

  test('CRLF line ends, BOM, no final newline, blank lines skipped', () => {
    const bom = new Uint8Array([0xef, 0xbb, 0xbf])
    const body = new TextEncoder().encode('a,b\r\n1,x\r\n\r\n\n2,y')
    const path = writeFile(dir, 'bom.csv', new Uint8Array([...bom, ...body]))
    const { schema, rows } = readRows(path)
    expect(schema.map((f) => f.name)).toEqual(['a', 'b'])
    expect(rows).toEqual([
      [1, 'x'],
      [2, 'y'],
    ])
  })

  test('a lone CR is data, not a line break', () => {
    const path = writeFile(dir, 'cr.csv', 'a,b\nx\ry,1\n')
    expect(readRows(path).rows).toEqual([['x\ry', 1]])
  })

  test('spaces around non-string values are ignored; strings keep theirs', () => {
    const path = writeFile(dir, 'spaces.csv', 'a,b,c\n 1 , 2.5 , x \n')
    expect(readRows(path).rows).toEqual([[1, 2.5, ' x ']])
  })

  test('only an empty unquoted field is null by default; quoted fields are values unless allowQuotedNulls', () => {
    const path = writeFile(dir, 'nulls.csv', 'a,b\n"",NA\n"NA",x\n,null\n')
    expect(readRows(path).rows).toEqual([
      ['', 'NA'],
      ['NA', 'x'],
      [null, 'null'],
    ])
    expect(readRows(path, { nullValues: [] }).rows).toEqual([
      ['', 'NA'],
      ['NA', 'x'],
      ['', 'null'],
    ])
    expect(readRows(path, { nullValues: ['', 'NA', 'x'] }).rows).toEqual([
      ['', null],
      ['NA', null],
      [null, 'null'],
    ])
    expect(readRows(path, { nullValues: ['', 'NA'], allowQuotedNulls: true }).rows).toEqual([
      [null, null],
      [null, 'x'],
      [null, 'null'],
    ])
  })

  test('quoting is read the same at a chunk edge, after a BOM, after CRLF and in escaped fields', () => {
    const text = '\uFEFF"a",b\r\n"",""""\r\n"NA",\r\n,"x""y"\r\n'
    const path = writeFile(dir, 'quoted-edges.csv', text)
    const expected = [
      ['', '"'],
      ['NA', null],
      [null, 'x"y'],
    ]
    for (let blocksize = 1; blocksize <= text.length; blocksize++) {
      expect(readRows(path, { blocksize, nullValues: ['', 'NA'] }).rows, `blocksize ${blocksize}`).toEqual(expected)
    }
  })

  test('a column subset equals the full read then a selection, in the requested order', () => {
    const path = writeFile(dir, 'subset.csv', 'a,b,c,d\n1,x,2.5,true\n2,"y,""z""",,false\n3,w,1e3,\n')
    const full = readRows(path).rows
    const subset = readRows(path, { columns: ['d', 'b', 'a'] }).rows
    expect(subset).toEqual(full.map((r) => [r[3], r[1], r[0]]))
    expect(readRows(path, { columns: [] }).rows).toEqual([[], [], []])
  })

  test('columns not requested are not parsed, so they may hold anything', () => {
    const path = writeFile(dir, 'garbage.csv', 'a,b\n1,2\n2,oops\n')
    const schema = [
      { name: 'a', dtype: 'int32' as const },
      { name: 'b', dtype: 'int32' as const },
    ]
    expect(readRows(path, { fileSchema: schema, columns: ['a'] }).rows).toEqual([[1], [2]])
  })

  test('limit stops early', () => {
    const path = writeFile(dir, 'limit.csv', 'a\n1\n2\n3\n')
    expect(readRows(path, { limit: 2 }).rows).toEqual([[1], [2]])
  })

  test('an empty file and a header-only file give no rows', () => {
    expect(readRows(writeFile(dir, 'empty.csv', '')).rows).toEqual([])
    const headerOnly = readRows(writeFile(dir, 'header-only.csv', 'a,b\n'))
    expect(headerOnly.rows).toEqual([])
    expect(headerOnly.schema).toEqual([
      { name: 'a', dtype: 'utf8' },
      { name: 'b', dtype: 'utf8' },
    ])
  })

  test('multibyte UTF-8 strings and dictionary equality by bytes', () => {
    const path = writeFile(dir, 'utf8.csv', 's\nçà\n日本\nçà\n"🙂,"\n')
    expect(readRows(path).rows).toEqual([['çà'], ['日本'], ['çà'], ['🙂,']])
  })

  test('several files read in order', () => {
    const a = writeFile(dir, 'm1.csv', 'x,y\n1,a\n')
    const b = writeFile(dir, 'm2.csv', 'x,y\n2,b\n3,c')
    expect(readRows([a, b], { blocksize: 3 }).rows).toEqual([
      [1, 'a'],
      [2, 'b'],
      [3, 'c'],
    ])
  })
})

describe('utf8 storage switches', () => {
  const dir2 = tempDir()
  test('an id-like column converts to plain mid-chunk and keeps every value', () => {
    const lines = ['id,k']
    for (let i = 0; i < 70_000; i++) lines.push(`u${i},k${i % 7}`)
    const path = writeFile(dir2, 'ids.csv', `${lines.join('\n')}\n`)
    const { schema } = inferCsvSchema([path])
    const batch = readCsvChunk({
      path,
      start: 0,
      end: 1e9,
      fileSchema: schema,
      columns: [0, 1],
      delimiter: ',',
      quote: '"',
      header: true,
      nullValues: [],
    })
    const ids = batch.getChildAt(0)!
    const keys = batch.getChildAt(1)!
    expect(ids.data[0]!.type.typeId).toBe(Type.Utf8)
    expect(keys.data[0]!.type.typeId).toBe(Type.Dictionary)
    expect(ids.get(0)).toBe('u0')
    expect(ids.get(69_999)).toBe('u69999')
    expect(keys.get(69_999)).toBe(`k${69_999 % 7}`)
  })
})

describe('edge layouts', () => {
  const dir3 = tempDir()
  test('a quoted field longer than the alignment window, split by many chunks', () => {
    const long = `${'x,"y"\n'.repeat(40_000)}end`
    const path = writeFile(dir3, 'long.csv', `a,b\n1,"${long.replaceAll('"', '""')}"\n2,short\n`)
    for (const blocksize of [50_000, 100_003, Number.POSITIVE_INFINITY]) {
      expect(readRows(path, { blocksize, nullValues: [] }).rows).toEqual([
        [1, long],
        [2, 'short'],
      ])
    }
  })

  test.each([0, 7, 8, 9, 16, 17])('validity is right when the first null is row %i', (first) => {
    const values = Array.from({ length: 20 }, (_, i) => (i === first || i === 19 ? '' : String(i)))
    const path = writeFile(dir3, `nulls-${first}.csv`, `n,s\n${values.map((v) => `${v},${v}`).join('\n')}\n`)
    const expected = values.map((v) => (v === '' ? [null, null] : [Number(v), v]))
    const { rows } = readRows(path, {
      fileSchema: [
        { name: 'n', dtype: 'int32' },
        { name: 's', dtype: 'utf8' },
      ],
    })
    expect(rows).toEqual(expected)
  })
})
