import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { filterBatch, projectBatch, takeRows } from '../../src/kernels/index.js'
import { columnData, makeBatch } from '../../src/types/arrow-types.js'
import { kindsOf, NAMES, table } from './arbitraries.js'
import { bin, c, l, str, un } from './expr-helpers.js'
import { batchFromRows, batchOf, columnsOf, rowsOf, sliced } from './helpers.js'

describe('filterBatch', () => {
  const b = batchOf({
    i: ['int32', [1, 2, null, 4, 5]],
    s: ['dict', ['a', 'b', 'c', null, 'a']],
    u: ['utf8', ['x', null, 'z', 'w', 'v']],
    f: ['float64', [1.5, 2.5, 3.5, null, 5.5]],
    t: ['timestamp[ms]', [1, 2, 3, 4, null]],
    bo: ['bool', [true, false, null, true, false]],
  })
  test('keeps rows where the predicate is true; null is dropped', () => {
    const out = filterBatch(b, bin('gt', c(0, 'int32'), l(1, 'int32')))
    expect(columnsOf(out)).toEqual({
      i: [2, 4, 5],
      s: ['b', null, 'a'],
      u: [null, 'w', 'v'],
      f: [2.5, null, 5.5],
      t: [2, 4, null],
      bo: [false, true, false],
    })
  })
  test('dictionary columns keep their dictionary and gather codes', () => {
    const out = filterBatch(b, bin('eq', c(1, 'utf8'), l('a', 'utf8')))
    expect(columnsOf(out).i).toEqual([1, 5])
    expect(columnData(out, 1).dictionary).toBe(columnData(b, 1).dictionary)
  })
  test('all-true returns the batch unchanged; all-false gives zero rows with the schema', () => {
    expect(filterBatch(b, l(true, 'bool'))).toBe(b)
    const none = filterBatch(b, un('isNull', c(5, 'bool')))
    expect(rowsOf(none)).toEqual([[null, 'c', 'z', 3.5, 3, null]])
    const empty = filterBatch(b, l(false, 'bool'))
    expect(empty.numRows).toBe(0)
    expect(empty.schema.fields.map((f) => f.name)).toEqual(['i', 's', 'u', 'f', 't', 'bo'])
  })
  test('zero-column batches and sliced input', () => {
    expect(filterBatch(makeBatch([], [], 4), l(false, 'bool')).numRows).toBe(0)
    expect(filterBatch(makeBatch([], [], 4), l(true, 'bool')).numRows).toBe(4)
    const s = sliced(b, 1, 4)
    expect(columnsOf(filterBatch(s, un('isNotNull', c(2, 'utf8')))).i).toEqual([null, 4, 5])
    expect(columnsOf(filterBatch(s, str('startsWith', c(1, 'utf8'), 'a'))).u).toEqual(['v'])
  })
})

describe('takeRows and projectBatch', () => {
  test('takeRows gathers in the given order, repeats allowed', () => {
    const b = batchOf({ i: ['int32', [10, null, 30]], s: ['utf8', ['a', 'b', null]], x: ['int64', [1n, 2n, 3n]] })
    expect(rowsOf(takeRows(b, Int32Array.of(2, 0, 0, 1)))).toEqual([
      [30, null, 3n],
      [10, 'a', 1n],
      [10, 'a', 1n],
      [null, 'b', 2n],
    ])
    expect(takeRows(makeBatch([], [], 5), Int32Array.of(0, 1)).numRows).toBe(2)
  })
  test('column references pass through without copying; expressions are evaluated', () => {
    const b = batchOf({ i: ['int32', [1, 2]], s: ['dict', ['a', 'b']] })
    const out = projectBatch(b, [
      { name: 'renamed', expr: c(1, 'utf8') },
      { name: 'twice', expr: bin('mul', c(0, 'int32'), l(2, 'int32')) },
    ])
    expect(columnData(out, 0)).toBe(columnData(b, 1))
    expect(columnsOf(out)).toEqual({ renamed: ['a', 'b'], twice: [2, 4] })
    expect(projectBatch(b, []).numRows).toBe(2)
  })
})

describe('filter property', () => {
  test('filter ≡ naive row-by-row filter', () => {
    fc.assert(
      fc.property(table, fc.integer({ min: -3, max: 3 }), fc.constantFrom('a', 'b', 'é'), (t, k, w) => {
        const kinds = kindsOf(t)
        const b = batchFromRows(NAMES, kinds, t.rows)
        // k > lit OR s = w, with SQL null semantics.
        const pred = bin('or', bin('gt', c(1, 'int32'), l(k, 'int32')), bin('eq', c(0, 'utf8'), l(w, 'utf8')))
        const expected = t.rows.filter((r) => {
          const a = r[1] === null ? null : (r[1] as number) > k
          const e = r[0] === null ? null : r[0] === w
          return a === true || e === true
        })
        expect(rowsOf(filterBatch(b, pred))).toEqual(expected)
      }),
      { numRuns: 200 },
    )
  })
})
