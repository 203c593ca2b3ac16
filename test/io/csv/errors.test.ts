import { describe, expect, test } from 'vitest'
import { ordinal } from '../../../src/io/csv/errors.js'
import { inferCsvSchema } from '../../../src/io/csv/index.js'
import type { Schema } from '../../../src/types/schema.js'
import { readRows, tempDir, thrown, writeFile } from './helpers.js'

const dir = tempDir()
const trips: Schema = [
  { name: 'id', dtype: 'int32' },
  { name: 'city', dtype: 'utf8' },
  { name: 'fare', dtype: 'float64' },
]

describe('CSV errors say what, where and what to do', () => {
  test('a value that does not fit its column (exact message)', () => {
    const lines = ['id,city,fare']
    for (let i = 1; i <= 10; i++) lines.push(`${i},x,${i}.5`)
    lines.push('11,y,abc')
    const path = writeFile(dir, 'trips.csv', `${lines.join('\n')}\n`)
    const error = thrown(() => readRows(path, { fileSchema: trips }))
    expect(error.code).toBe('CSV_VALUE')
    expect(error.message).toBe(
      `${path} line 12, column "fare" (3rd): cannot read "abc" as float64. ` +
        `Pass a schema to readCsv, e.g. { schema: { fare: 'utf8' } }, or add "abc" to nullValues.`,
    )
  })

  test('line numbers are absolute in every chunk, and count lines inside quoted fields', () => {
    const lines = ['id,city,fare']
    for (let i = 1; i <= 200; i++) lines.push(i === 50 ? `${i},"multi\nline",1` : `${i},x,${i}`)
    lines.push('201,y,oops')
    const path = writeFile(dir, 'late.csv', `${lines.join('\n')}\n`)
    for (const blocksize of [64, 500, Number.POSITIVE_INFINITY]) {
      const error = thrown(() => readRows(path, { fileSchema: trips, blocksize }))
      expect(error.message).toMatch(new RegExp(`^${path} line 203, column "fare" \\(3rd\\): cannot read "oops"`))
    }
  })

  test('a value the sample missed suggests the wider type', () => {
    const lines = ['n,m']
    for (let i = 0; i < 20_000; i++) lines.push(`${i},${i}`)
    lines.push('3.5,3000000000')
    const path = writeFile(dir, 'widen.csv', `${lines.join('\n')}\n`)
    const options = { sampleBytes: 1024 }
    expect(inferCsvSchema([path], options).schema.map((f) => f.dtype)).toEqual(['int32', 'int32'])
    const n = thrown(() => readRows(path, options))
    expect(n.code).toBe('CSV_VALUE')
    expect(n.message).toBe(
      `${path} line 20002, column "n" (1st): cannot read "3.5" as int32. ` +
        `Pass a schema to readCsv, e.g. { schema: { n: 'float64' } }, or add "3.5" to nullValues.`,
    )
    const m = thrown(() => readRows(path, { ...options, columns: ['m'] }))
    expect(m.message).toContain(`column "m" (2nd): cannot read "3000000000" as int32.`)
    expect(m.message).toContain(`{ schema: { m: 'int64' } }`)
    expect(readRows(path, { ...options, schema: { n: 'float64', m: 'int64' } }).rows.at(-1)).toEqual([3.5, 3000000000n])
  })

  test('the first bad value in the file is reported, whatever the column order', () => {
    const path = writeFile(dir, 'two-bad.csv', 'id,city,fare\n1,x,2\n2,y,bad\nzz,z,3\n')
    const error = thrown(() => readRows(path, { fileSchema: trips, columns: ['id', 'fare'] }))
    expect(error.message).toMatch(/line 3, column "fare" \(3rd\): cannot read "bad"/)
    const ragged = writeFile(dir, 'bad-then-ragged.csv', 'id,city,fare\n1,x,oops\n2,y\n')
    expect(thrown(() => readRows(ragged, { fileSchema: trips })).code).toBe('CSV_VALUE')
  })

  test('odd column names are quoted in the suggestion', () => {
    const path = writeFile(dir, 'odd.csv', 'total fare\n1\nx\n')
    const error = thrown(() => readRows(path, { fileSchema: [{ name: 'total fare', dtype: 'int32' }] }))
    expect(error.message).toContain(`{ schema: { 'total fare': 'utf8' } }`)
  })

  test('a ragged row names file, line, expected and found counts', () => {
    const path = writeFile(dir, 'ragged.csv', 'id,city,fare\n1,x,2\n2,y,3,4\n')
    const error = thrown(() => readRows(path, { fileSchema: trips }))
    expect(error.code).toBe('CSV_PARSE')
    expect(error.message).toBe(
      `${path} line 3: expected 3 fields but found 4. Check the delimiter (",") and that values containing it are quoted.`,
    )
    const short = writeFile(dir, 'short.csv', 'id,city,fare\n1,x,2\n\n2,y\n')
    expect(thrown(() => readRows(short, { fileSchema: trips })).message).toMatch(
      /line 4: expected 3 fields but found 2/,
    )
  })

  test('an unterminated quote', () => {
    const path = writeFile(dir, 'unterminated.csv', 'id,city,fare\n1,x,2\n2,"y,3\n3,z,4\n')
    const error = thrown(() => readRows(path, { fileSchema: trips }))
    expect(error.code).toBe('CSV_PARSE')
    expect(error.message).toMatch(
      new RegExp(`^${path} line 3: a quoted field is never closed \\(unterminated quote\\)`),
    )
    expect(error.message).toContain(`pass quote: ''`)
  })

  test('a quote inside an unquoted field', () => {
    const path = writeFile(dir, 'midquote.csv', 'id,city,fare\n1,x,2\n2,a"b,3\n')
    const error = thrown(() => readRows(path, { fileSchema: trips }))
    expect(error.code).toBe('CSV_PARSE')
    expect(error.message).toMatch(new RegExp(`^${path} line 3: a quote character appears inside an unquoted field`))
  })

  test('text after a closing quote', () => {
    const path = writeFile(dir, 'afterquote.csv', 'id,city,fare\n1,x,2\n2,"a"b,3\n')
    const error = thrown(() => readRows(path, { fileSchema: trips }))
    expect(error.message).toMatch(new RegExp(`^${path} line 3: text follows the closing quote`))
  })

  test('quoting errors are found by inference too', () => {
    const path = writeFile(dir, 'infer-bad.csv', 'a,b\n1,2\n3,x"y\n')
    expect(thrown(() => inferCsvSchema([path])).message).toMatch(/line 3: a quote character appears/)
  })

  test('schema overrides naming unknown columns list the header', () => {
    const path = writeFile(dir, 'override.csv', 'id,city,fare\n1,x,2\n')
    const error = thrown(() => inferCsvSchema([path], { schema: { fair: 'float64' } }))
    expect(error.code).toBe('UNKNOWN_COLUMN')
    expect(error.message).toBe(
      'readCsv: schema names column "fair", which the file does not have (did you mean "fare"?). Columns: id, city, fare.',
    )
  })

  test('files with different headers', () => {
    const a = writeFile(dir, 'h1.csv', 'a,b\n1,2\n')
    const b = writeFile(dir, 'h2.csv', 'a,c\n1,2\n')
    expect(thrown(() => inferCsvSchema([a, b])).message).toContain(`${b} line 1: its columns (a, c) differ`)
  })

  test('bad options', () => {
    const path = writeFile(dir, 'opts.csv', 'a\n1\n')
    expect(thrown(() => inferCsvSchema([path], { delimiter: '::' })).message).toMatch(/delimiter must be a single/)
    expect(thrown(() => inferCsvSchema([path], { delimiter: '"' })).message).toMatch(/must differ/)
  })

  test('ordinals', () => {
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111].map(ordinal)).toEqual([
      '1st',
      '2nd',
      '3rd',
      '4th',
      '11th',
      '12th',
      '13th',
      '21st',
      '22nd',
      '23rd',
      '101st',
      '111th',
    ])
  })
})
