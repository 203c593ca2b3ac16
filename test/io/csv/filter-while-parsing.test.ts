import { describe, expect, it } from 'vitest'
import { readCsvChunk } from '../../../src/io/csv/index.js'
import type { PhysicalExpr } from '../../../src/kernels/physical-expr.js'
import type { Schema } from '../../../src/types/schema.js'
import { rowsOf, tempDir, writeFile } from './helpers.js'

const dir = tempDir()
const schema: Schema = [
  { name: 'id', dtype: 'int32' },
  { name: 'name', dtype: 'utf8' },
  { name: 'score', dtype: 'float64' },
]
// 3000 rows: more than one of the reader's 1024-record batches.
const rows = Array.from({ length: 3000 }, (_, i) => `${i},n${i},${i % 7 === 0 ? '' : (i % 100) / 2}`)
const path = writeFile(dir, 'scores.csv', `id,name,score\n${rows.join('\n')}\n`)

/** `column(0) <op> value` over the predicate's own columns. */
const gt = (index: number, dtype: 'int32' | 'float64', value: number): PhysicalExpr => ({
  kind: 'binary',
  op: 'gt',
  dtype: 'bool',
  left: { kind: 'column', index, dtype },
  right: { kind: 'literal', value, dtype },
})

function read(columns: number[], predicate: PhysicalExpr, predicateColumns: number[], extra: object = {}) {
  return readCsvChunk({
    path,
    start: 0,
    end: Number.POSITIVE_INFINITY,
    fileSchema: schema,
    columns,
    delimiter: ',',
    quote: '"',
    header: true,
    nullValues: [''],
    predicate,
    predicateColumns,
    ...extra,
  })
}

describe('the CSV reader filters while parsing', () => {
  it('keeps only the rows where the predicate is true, for a predicate column it does not output', () => {
    const batch = read([1], gt(0, 'int32', 2990), [0])
    expect(rowsOf(batch)).toEqual(Array.from({ length: 9 }, (_, i) => [`n${2991 + i}`]))
  })

  it('treats a null predicate as false, and outputs a predicate column too', () => {
    const batch = read([0, 2], gt(0, 'float64', 49), [2])
    const expected = Array.from({ length: 3000 }, (_, i) => i)
      .filter((i) => i % 7 !== 0 && (i % 100) / 2 > 49)
      .map((i) => [i, (i % 100) / 2])
    expect(rowsOf(batch)).toEqual(expected)
  })

  it('outputs no columns but the right row count when only the predicate reads any (count(*) of a filter)', () => {
    const batch = read([], gt(0, 'int32', 2899), [0])
    expect(batch.numCols).toBe(0)
    expect(batch.numRows).toBe(100)
  })

  it('counts its row limit after filtering', () => {
    const batch = read([0], gt(0, 'int32', 1500), [0], { limit: 3 })
    expect(rowsOf(batch)).toEqual([[1501], [1502], [1503]])
  })

  it('never parses output cells of rejected rows (a bad value there is not an error), but a bad predicate cell is', () => {
    const bad = writeFile(dir, 'bad.csv', 'id,score\n1,oops\n2,3.5\nx,1\n')
    const args = {
      path: bad,
      start: 0,
      end: Number.POSITIVE_INFINITY,
      fileSchema: [
        { name: 'id', dtype: 'int32' },
        { name: 'score', dtype: 'float64' },
      ] satisfies Schema,
      delimiter: ',',
      quote: '"',
      header: true,
      nullValues: [''],
    }
    const ok = readCsvChunk({ ...args, end: 17, columns: [1], predicate: gt(0, 'int32', 1), predicateColumns: [0] })
    expect(rowsOf(ok)).toEqual([[3.5]])
    expect(() => readCsvChunk({ ...args, columns: [1], predicate: gt(0, 'int32', 1), predicateColumns: [0] })).toThrow(
      /"x".*id/s,
    )
  })
})
