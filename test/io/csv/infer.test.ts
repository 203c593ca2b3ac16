import { describe, expect, test } from 'vitest'
import { inferCsvSchema } from '../../../src/io/csv/index.js'
import { uniqueNames } from '../../../src/io/csv/infer.js'
import { tempDir, writeFile } from './helpers.js'

const dir = tempDir()
const dtypes = (content: string, options = {}) =>
  inferCsvSchema([writeFile(dir, 'x.csv', content)], options).schema.map((f) => f.dtype)

describe('inferCsvSchema', () => {
  test('each type, with nulls ignored', () => {
    expect(
      dtypes(
        'b,i,l,f,d,t,s,n\n' +
          'True,1,-3000000000,.5,2024-01-01,2024-01-01T00:00:00Z,x,\n' +
          'NA,-2,1,+1e-3,null,2024-01-01,1,NULL\n' +
          'false,,2,inf,2024-02-29,2024-01-01 10:00:00.5+01:00,2,NA\n',
        { nullValues: ['', 'NA', 'null', 'NULL'] },
      ),
    ).toEqual(['bool', 'int32', 'int64', 'float64', 'date32', 'timestamp[ms]', 'utf8', 'utf8'])
  })

  test('by default only an empty unquoted field is null: NA, null and a quoted "" are values', () => {
    expect(dtypes('i,j,k,l\n1,1,1,1\n,NA,null,""\n')).toEqual(['int32', 'utf8', 'utf8', 'utf8'])
    expect(dtypes('i\n1\n"NA"\n', { nullValues: ['NA'] })).toEqual(['utf8'])
    expect(dtypes('i,j\n1,"NA"\n"",2\n', { nullValues: ['', 'NA'], allowQuotedNulls: true })).toEqual([
      'int32',
      'int32',
    ])
  })

  test('mixed values widen: int+float → float64, int beyond int64 → float64, bool+int → utf8', () => {
    expect(dtypes('a,b,c,d\n1,1,true,2024-01-01\n2.5,99999999999999999999,1,x\n')).toEqual([
      'float64',
      'float64',
      'utf8',
      'utf8',
    ])
  })

  test('NaN reads as a float, not a null, by default', () => {
    expect(dtypes('a\n1.5\nNaN\n')).toEqual(['float64'])
  })

  test('header names: duplicates get suffixes, empty names become positional', () => {
    const { schema, header } = inferCsvSchema([writeFile(dir, 'names.csv', 'a,,a,b,a_1\n1,2,3,4,5\n')])
    expect(header).toEqual(['a', '', 'a', 'b', 'a_1'])
    expect(schema.map((f) => f.name)).toEqual(['a', 'column_1', 'a_1', 'b', 'a_1_1'])
    expect(uniqueNames(['x', 'x', 'x'])).toEqual(['x', 'x_1', 'x_2'])
  })

  test('quoted header names and values', () => {
    const { schema } = inferCsvSchema([writeFile(dir, 'q.csv', '"a,b","c""d"\n"1","x"\n')])
    expect(schema).toEqual([
      { name: 'a,b', dtype: 'int32' },
      { name: 'c"d', dtype: 'utf8' },
    ])
  })

  test('schema overrides win over inference', () => {
    const { schema } = inferCsvSchema([writeFile(dir, 'o.csv', 'a,b\n1,2\n')], { schema: { b: 'float64' } })
    expect(schema.map((f) => f.dtype)).toEqual(['int32', 'float64'])
  })

  test('columns the schema gives are not sampled; the others still are, duplicate names included', () => {
    const path = writeFile(dir, 'given.csv', 'a,b,a,c\n1,x,true,2.5\n2,y,false,3\n')
    const { schema } = inferCsvSchema([path], { schema: { b: 'utf8', a: 'int64' } })
    expect(schema.map((f) => f.dtype)).toEqual(['int64', 'utf8', 'bool', 'float64'])
  })

  test('the sample stops at sampleBytes; later files are sampled too', () => {
    const lines = ['a']
    for (let i = 0; i < 1000; i++) lines.push(String(i))
    lines.push('x')
    const big = writeFile(dir, 'big.csv', `${lines.join('\n')}\n`)
    expect(inferCsvSchema([big], { sampleBytes: 100 }).schema[0]!.dtype).toBe('int32')
    expect(inferCsvSchema([big]).schema[0]!.dtype).toBe('utf8')
    const later = writeFile(dir, 'later.csv', 'a\n1.5\n')
    expect(inferCsvSchema([big, later], { sampleBytes: 100 }).schema[0]!.dtype).toBe('float64')
  })

  test('a header longer than the sample is read whole', () => {
    const names = Array.from({ length: 300 }, (_, i) => `column_number_${i}`)
    const { schema } = inferCsvSchema(
      [writeFile(dir, 'wide.csv', `${names.join(',')}\n${names.map(() => 1).join(',')}\n`)],
      {
        sampleBytes: 16,
      },
    )
    expect(schema.length).toBe(300)
  })
})
