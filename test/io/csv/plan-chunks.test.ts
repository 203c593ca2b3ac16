import { describe, expect, test } from 'vitest'
import { CsvOps, planCsvChunks, runReadCsv } from '../../../src/io/csv/index.js'
import { rowsOf, tempDir, thrown, writeFile } from './helpers.js'

const dir = tempDir()

describe('planCsvChunks', () => {
  test('cuts each file into raw byte ranges; the last chunk ends at the file size', () => {
    const a = writeFile(dir, 'a.csv', 'x'.repeat(25))
    const b = writeFile(dir, 'b.csv', '')
    expect(planCsvChunks([a, b], 10)).toEqual([
      { path: a, fileIndex: 0, start: 0, end: 10 },
      { path: a, fileIndex: 0, start: 10, end: 20 },
      { path: a, fileIndex: 0, start: 20, end: 25 },
      { path: b, fileIndex: 1, start: 0, end: 0 },
    ])
    expect(planCsvChunks([a], Number.POSITIVE_INFINITY)).toEqual([{ path: a, fileIndex: 0, start: 0, end: 25 }])
  })

  test('rejects a non-positive blocksize and a missing file', () => {
    expect(thrown(() => planCsvChunks([], 0)).code).toBe('INVALID_ARGUMENT')
    expect(thrown(() => planCsvChunks([`${dir}/nope.csv`], 10)).code).toBe('IO')
  })
})

describe('ops', () => {
  test('read-csv runs a chunk task from JSON-safe arguments', () => {
    const path = writeFile(dir, 'op.csv', 'a,b\n1,x\n')
    const args = JSON.parse(
      JSON.stringify({
        path,
        start: 0,
        end: 8,
        fileSchema: [
          { name: 'a', dtype: 'int32' },
          { name: 'b', dtype: 'utf8' },
        ],
        columns: [1, 0],
        delimiter: ',',
        quote: '"',
        header: true,
        nullValues: [''],
        limit: null,
      }),
    )
    expect(CsvOps.readCsv).toBe('read-csv')
    const batch = runReadCsv(args)
    expect(batch.schema.fields.map((f) => f.name)).toEqual(['b', 'a'])
    expect(rowsOf(batch)).toEqual([['x', 1]])
  })
})
