import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import type { SortKey } from '../../../src/kernels/physical-expr.js'
import {
  appendWindowColumns,
  type WindowClause,
  type WindowFunctionSpec,
  windowColumns,
  windowResultDType,
  windowSorted,
} from '../../../src/kernels/window/index.js'
import { dtypeOfArrow } from '../../../src/types/arrow-types.js'
import { garbageBatch } from '../garbage-nulls.js'
import { batchFromRows, type Cell, cellsOf, rowsOf, sliced } from '../helpers.js'
import { naiveSort } from '../reference.js'
import { clause, DTYPES, functionSpec, kindsOf, NAMES, windowTable } from './arbitraries.js'
import { naiveWindowColumn } from './reference.js'

const random = (seed: number) => {
  let s = seed >>> 0 || 1
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

describe('window kernels against the naive reference', () => {
  test('input-aligned columns: every function, frame, dtype, with nulls, ties and garbage under nulls', () => {
    fc.assert(
      fc.property(
        windowTable,
        clause,
        fc.array(functionSpec, { minLength: 1, maxLength: 4 }),
        fc.integer(),
        (table, over, specs, seed) => {
          const batch = garbageBatch(NAMES, kindsOf(table), table.rows, random(seed))
          const out = windowColumns(batch, over, specs)
          specs.forEach((spec, s) => {
            expect(dtypeOfArrow(out[s]!.type)).toBe(windowResultDType(spec))
            expect(out[s]!.length).toBe(table.rows.length)
            expect(cellsOf(out[s]!), JSON.stringify(spec)).toEqual(naiveWindowColumn(table.rows, over, spec))
          })
        },
      ),
      { numRuns: 400 },
    )
  })

  test('sorted form: rows in (partition keys, order keys) order, stable, with the same values', () => {
    fc.assert(
      fc.property(windowTable, clause, fc.array(functionSpec, { minLength: 1, maxLength: 3 }), (table, over, specs) => {
        const batch = batchFromRows(NAMES, kindsOf(table), table.rows)
        const out = windowSorted(batch, over, specs)
        // The reference: each row tagged with its input index and its window values, then sorted.
        const expected = specs.map((spec) => naiveWindowColumn(table.rows, over, spec))
        const tagged = table.rows.map((r, i) => [...r, i, ...expected.map((col) => col[i]!)])
        const keys: SortKey[] = [
          ...over.partitionBy.map((index) => ({ index, descending: false, nullsFirst: false })),
          ...over.orderBy,
        ]
        const sortedRows = naiveSort(tagged, keys).map((r) => [
          ...r.slice(0, NAMES.length),
          ...r.slice(NAMES.length + 1),
        ])
        expect(out.schema.fields.map((f) => f.name)).toEqual([...NAMES, ...specs.map((s) => s.name)])
        expect(rowsOf(out)).toEqual(sortedRows)
      }),
      { numRuns: 200 },
    )
  })

  test('sliced input (bitmaps at an offset) gives the rows of the slice', () => {
    fc.assert(
      fc.property(windowTable, clause, functionSpec, fc.nat(5), (table, over, spec, cut) => {
        fc.pre(table.rows.length > cut)
        const batch = sliced(batchFromRows(NAMES, kindsOf(table), table.rows), cut, table.rows.length - cut)
        const [col] = windowColumns(batch, over, [spec])
        expect(cellsOf(col!)).toEqual(naiveWindowColumn(table.rows.slice(cut), over, spec))
      }),
      { numRuns: 100 },
    )
  })

  test('larger batches take the radix sort path', () => {
    const bigRows = fc.array(
      fc.tuple(
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: -5, max: 5 }),
        fc.option(fc.integer({ min: -100, max: 100 }), { nil: null }),
      ),
      { minLength: 65, maxLength: 200 },
    )
    fc.assert(
      fc.property(bigRows, fc.array(functionSpec, { minLength: 1, maxLength: 2 }), (rows, specs) => {
        // Reuse the generated specs over a three-column table: g, k, v.
        const cells = rows.map(([g, k, v]) => [g, 'a', k, v, null, null, null, null, null] as Cell[])
        const batch = batchFromRows(NAMES, DTYPES, cells)
        const over: WindowClause = { partitionBy: [0], orderBy: [{ index: 2, descending: true, nullsFirst: false }] }
        const out = windowColumns(batch, over, specs)
        specs.forEach((spec, s) => {
          expect(cellsOf(out[s]!)).toEqual(naiveWindowColumn(cells, over, spec))
        })
      }),
      { numRuns: 60 },
    )
  })
})

describe('edge cases', () => {
  const every: WindowFunctionSpec[] = [
    { fn: 'rowNumber', name: 'rn' },
    { fn: 'rank', name: 'r' },
    { fn: 'denseRank', name: 'dr' },
    { fn: 'percentRank', name: 'pr' },
    { fn: 'cumeDist', name: 'cd' },
    { fn: 'ntile', buckets: 3, name: 'nt' },
    { fn: 'lag', input: 1, inputDType: 'utf8', name: 'lag', default: { kind: 'literal', value: 'none' } },
    { fn: 'lead', input: 2, inputDType: 'int32', name: 'lead', offset: 2 },
    { fn: 'firstValue', input: 1, inputDType: 'utf8', name: 'fv' },
    { fn: 'lastValue', input: 2, inputDType: 'int32', name: 'lv' },
    { fn: 'nthValue', input: 2, inputDType: 'int32', n: 2, name: 'nv' },
    { fn: 'sum', input: 2, inputDType: 'int32', name: 'sum' },
    { fn: 'mean', input: 2, inputDType: 'int32', name: 'avg' },
    { fn: 'min', input: 1, inputDType: 'utf8', name: 'min' },
    { fn: 'max', input: 2, inputDType: 'int32', name: 'max' },
    { fn: 'count', input: 2, inputDType: 'int32', name: 'count' },
    { fn: 'countAll', name: 'countAll' },
  ]
  const over: WindowClause = { partitionBy: [0], orderBy: [{ index: 2, descending: false, nullsFirst: false }] }

  test('an empty batch gives empty columns of the result dtypes', () => {
    const batch = batchFromRows(['g', 's', 'v'], ['int32', 'dict', 'int32'], [])
    const out = windowColumns(batch, over, every)
    expect(out.map((d) => d.length)).toEqual(every.map(() => 0))
    expect(out.map((d) => dtypeOfArrow(d.type))).toEqual(every.map(windowResultDType))
    expect(windowSorted(batch, over, every).numRows).toBe(0)
  })

  test('appendWindowColumns keeps the input columns and row order and appends one column per spec', () => {
    const batch = batchFromRows(
      ['g', 's', 'v'],
      ['int32', 'dict', 'int32'],
      [
        [2, 'b', 7],
        [1, 'a', 5],
        [2, null, 6],
      ],
    )
    const out = appendWindowColumns(batch, over, [
      { fn: 'rowNumber', name: 'rn' },
      { fn: 'sum', input: 2, inputDType: 'int32', name: 'running' },
    ])
    expect(out.schema.fields.map((f) => f.name)).toEqual(['g', 's', 'v', 'rn', 'running'])
    expect(out.getChildAt(1)!.data[0]).toBe(batch.getChildAt(1)!.data[0])
    expect(rowsOf(out)).toEqual([
      [2, 'b', 7, 2n, 13n],
      [1, 'a', 5, 1n, 5n],
      [2, null, 6, 1n, 6n],
    ])
  })

  test('one row', () => {
    const batch = batchFromRows(['g', 's', 'v'], ['int32', 'utf8', 'int32'], [[1, 'x', 5]])
    expect(windowColumns(batch, over, every).map((d) => cellsOf(d)[0])).toEqual([
      1n,
      1n,
      1n,
      0,
      1,
      1n,
      'none',
      null,
      'x',
      5,
      null,
      5n,
      5,
      'x',
      5,
      1n,
      1n,
    ])
  })

  test('all-null inputs: aggregates are null, counts 0, ranks unaffected', () => {
    const batch = batchFromRows(
      ['g', 's', 'v'],
      ['int32', 'utf8', 'int32'],
      [
        [1, null, null],
        [1, null, null],
      ],
    )
    const cols = windowColumns(batch, over, every).map((d) => cellsOf(d))
    const byName = Object.fromEntries(every.map((s, i) => [s.name, cols[i]]))
    expect(byName).toMatchObject({
      rn: [1n, 2n],
      r: [1n, 1n],
      cd: [1, 1],
      sum: [null, null],
      avg: [null, null],
      min: [null, null],
      max: [null, null],
      count: [0n, 0n],
      countAll: [2n, 2n],
      lag: ['none', null],
    })
  })

  test('dictionary partition keys: equal text in two entries and null entries are one partition each', async () => {
    const { makeData, Dictionary, Utf8, Int32, vectorFromArray } = await import('apache-arrow')
    const dictionary = vectorFromArray(['a', 'b', 'a', null], new Utf8())
    const codes = Int32Array.of(0, 1, 2, 3, 0, 3)
    const keys = makeData({
      type: new Dictionary(new Utf8(), new Int32()),
      length: 6,
      nullCount: 0,
      data: codes,
      dictionary,
    } as never)
    const values = batchFromRows(['v'], ['int32'], [[1], [2], [3], [4], [5], [6]])
    const { makeBatch, columnData } = await import('../../../src/types/arrow-types.js')
    const batch = makeBatch(['k', 'v'], [keys, columnData(values, 0)], 6)
    const [sums, ranks] = windowColumns(batch, { partitionBy: [0], orderBy: [] }, [
      { fn: 'sum', input: 1, inputDType: 'int32', name: 's' },
      { fn: 'rowNumber', name: 'rn' },
    ])
    expect(cellsOf(sums!)).toEqual([9n, 2n, 9n, 10n, 9n, 10n])
    expect(cellsOf(ranks!)).toEqual([1n, 1n, 2n, 1n, 3n, 2n])
  })

  test('-0 and 0, and all NaNs, are one partition and peers', () => {
    const batch = batchFromRows(
      ['f', 'v'],
      ['float64', 'int32'],
      [
        [0, 1],
        [Number.NaN, 2],
        [-0, 3],
        [Number.NaN, 4],
        [null, 5],
      ],
    )
    const [bySum, byRank] = windowColumns(
      batch,
      { partitionBy: [], orderBy: [{ index: 0, descending: false, nullsFirst: false }] },
      [
        { fn: 'sum', input: 1, inputDType: 'int32', name: 's' },
        { fn: 'rank', name: 'r' },
      ],
    )
    expect(cellsOf(byRank!)).toEqual([1n, 3n, 1n, 3n, 5n])
    expect(cellsOf(bySum!)).toEqual([4n, 10n, 4n, 10n, 15n])
    const [partSum] = windowColumns(batch, { partitionBy: [0], orderBy: [] }, [
      { fn: 'sum', input: 1, inputDType: 'int32', name: 's' },
    ])
    expect(cellsOf(partSum!)).toEqual([4n, 6n, 4n, 6n, 5n])
  })
})
