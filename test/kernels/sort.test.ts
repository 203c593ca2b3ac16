import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { concatBatches, mergeSorted, sortBatch, topK } from '../../src/kernels/index.js'
import type { SortKey } from '../../src/kernels/physical-expr.js'
import { bigTable, cuts, DTYPES, NAMES, splitRows, table } from './arbitraries.js'
import { batchFromRows, batchOf, columnsOf, rowsOf, sliced } from './helpers.js'
import { naiveSort } from './reference.js'

const asc = (index: number, nullsFirst = false): SortKey => ({ index, descending: false, nullsFirst })
const desc = (index: number, nullsFirst = false): SortKey => ({ index, descending: true, nullsFirst })

describe('sortBatch', () => {
  test('stable, nulls last in both directions unless nullsFirst', () => {
    const b = batchOf({ k: ['int32', [2, null, 1, 2, null, 1]], tag: ['utf8', ['a', 'b', 'c', 'd', 'e', 'f']] })
    expect(columnsOf(sortBatch(b, [asc(0)])).tag).toEqual(['c', 'f', 'a', 'd', 'b', 'e'])
    expect(columnsOf(sortBatch(b, [desc(0)])).tag).toEqual(['a', 'd', 'c', 'f', 'b', 'e'])
    expect(columnsOf(sortBatch(b, [asc(0, true)])).tag).toEqual(['b', 'e', 'c', 'f', 'a', 'd'])
    expect(columnsOf(sortBatch(b, [desc(0, true)])).tag).toEqual(['b', 'e', 'a', 'd', 'c', 'f'])
  })
  test('NaN sorts after every number and before nulls', () => {
    const b = batchOf({ f: ['float64', [Number.NaN, null, 1, Number.POSITIVE_INFINITY, -0, Number.NEGATIVE_INFINITY]] })
    expect(columnsOf(sortBatch(b, [asc(0)])).f).toEqual([
      Number.NEGATIVE_INFINITY,
      -0,
      1,
      Number.POSITIVE_INFINITY,
      Number.NaN,
      null,
    ])
    expect(columnsOf(sortBatch(b, [desc(0)])).f).toEqual([
      Number.NaN,
      Number.POSITIVE_INFINITY,
      1,
      -0,
      Number.NEGATIVE_INFINITY,
      null,
    ])
  })
  test('strings by UTF-8 bytes; dictionary and plain agree; multi-key', () => {
    const words = ['b', 'B', 'é', 'a', 'ab', null, 'a']
    const n = [1, 2, 3, 4, 5, 6, 7]
    for (const kind of ['utf8', 'dict'] as const) {
      const b = batchOf({ s: [kind, words], n: ['int32', n] })
      expect(columnsOf(sortBatch(b, [asc(0)])).n).toEqual([2, 4, 7, 5, 1, 3, 6])
      expect(columnsOf(sortBatch(b, [asc(0), desc(1)])).n).toEqual([2, 7, 4, 5, 1, 3, 6])
    }
  })
  test('int64, timestamp, bool and date keys; sliced input', () => {
    const b = batchOf({
      x: ['int64', [9007199254740993n, 9007199254740992n, -1n, null]],
      b: ['bool', [true, false, null, true]],
      t: ['timestamp[ms]', [3, 1, 2, 0]],
    })
    expect(columnsOf(sortBatch(b, [asc(0)])).x).toEqual([-1n, 9007199254740992n, 9007199254740993n, null])
    expect(columnsOf(sortBatch(b, [asc(1), asc(2)])).t).toEqual([1, 0, 3, 2])
    expect(columnsOf(sortBatch(sliced(b, 1, 3), [desc(2)])).t).toEqual([2, 1, 0])
  })
  test('empty and zero-key sorts return the input', () => {
    const b = batchOf({ k: ['int32', []] })
    expect(sortBatch(b, [asc(0)]).numRows).toBe(0)
    const c = batchOf({ k: ['int32', [3, 1]] })
    expect(sortBatch(c, [])).toBe(c)
  })
})

describe('sortBatch on sorted input', () => {
  const keys: SortKey[] = [{ index: 0, descending: false, nullsFirst: false }]
  test('rows already in order (ties and a trailing null included) come back as the same batch', () => {
    const sorted = batchOf({ k: ['int32', [1, 2, 2, 5, null]], v: ['utf8', ['a', 'b', 'c', 'd', 'e']] })
    expect(sortBatch(sorted, keys)).toBe(sorted)
  })
  test('one inversion, even at the very end, is still sorted', () => {
    const almost = batchOf({ k: ['int32', [1, 2, 3, 5, 4]] })
    expect(columnsOf(sortBatch(almost, keys))).toEqual({ k: [1, 2, 3, 4, 5] })
  })
})

describe('topK and mergeSorted', () => {
  test('topK keeps the first k rows of the stable sort', () => {
    const b = batchOf({ k: ['int32', [5, 1, null, 1, 3, 5, 0]], i: ['int32', [0, 1, 2, 3, 4, 5, 6]] })
    expect(columnsOf(topK(b, [asc(0)], 3)).i).toEqual([6, 1, 3])
    expect(columnsOf(topK(b, [desc(0)], 2)).i).toEqual([0, 5])
    expect(topK(b, [asc(0)], 0).numRows).toBe(0)
    expect(columnsOf(topK(b, [asc(0)], 100)).i).toEqual([6, 1, 3, 4, 0, 5, 2])
  })
  test('mergeSorted breaks ties by batch then row and applies offset/limit', () => {
    const a = batchOf({ k: ['int32', [1, 2, 2]], src: ['utf8', ['a0', 'a1', 'a2']] })
    const b = batchOf({ k: ['int32', [0, 2, null]], src: ['utf8', ['b0', 'b1', 'b2']] })
    const c = batchOf({ k: ['int32', [2]], src: ['utf8', ['c0']] })
    expect(columnsOf(mergeSorted([a, b, c], [asc(0)], 0, null)).src).toEqual(['b0', 'a0', 'a1', 'a2', 'b1', 'c0', 'b2'])
    expect(columnsOf(mergeSorted([a, b, c], [asc(0)], 2, 3)).src).toEqual(['a1', 'a2', 'b1'])
    expect(mergeSorted([], [asc(0)], 0, 5).numRows).toBe(0)
  })
})

describe('sort properties', () => {
  const keyChoices = fc.array(
    fc.record({ index: fc.integer({ min: 0, max: 6 }), descending: fc.boolean(), nullsFirst: fc.boolean() }),
    { minLength: 1, maxLength: 3 },
  )
  const kindsOf = (dictKey: boolean) => DTYPES.map((d, i) => (i === 0 && dictKey ? 'dict' : d))
  test('sortBatch ≡ naive stable sort', () => {
    fc.assert(
      fc.property(table, keyChoices, (t, keys) => {
        const b = batchFromRows(NAMES, kindsOf(t.dictKey), t.rows)
        expect(rowsOf(sortBatch(b, keys))).toEqual(naiveSort(t.rows, keys))
      }),
      { numRuns: 200 },
    )
  })
  test('radix path (more than 64 rows) ≡ naive stable sort', () => {
    fc.assert(
      fc.property(bigTable, keyChoices, (t, keys) => {
        const b = batchFromRows(NAMES, kindsOf(t.dictKey), t.rows)
        expect(rowsOf(sortBatch(b, keys))).toEqual(naiveSort(t.rows, keys))
      }),
      { numRuns: 100 },
    )
  })
  test('radix path with up to seven keys (words packed together) ≡ naive stable sort', () => {
    const manyKeys = fc.array(
      fc.record({ index: fc.integer({ min: 0, max: 6 }), descending: fc.boolean(), nullsFirst: fc.boolean() }),
      { minLength: 4, maxLength: 7 },
    )
    fc.assert(
      fc.property(bigTable, manyKeys, (t, keys) => {
        const b = batchFromRows(NAMES, kindsOf(t.dictKey), t.rows)
        expect(rowsOf(sortBatch(b, keys))).toEqual(naiveSort(t.rows, keys))
      }),
      { numRuns: 100 },
    )
  })
  test('topK ≡ sortBatch then first k', () => {
    fc.assert(
      fc.property(table, keyChoices, fc.integer({ min: 0, max: 70 }), (t, keys, k) => {
        const b = batchFromRows(NAMES, kindsOf(t.dictKey), t.rows)
        expect(rowsOf(topK(b, keys, k))).toEqual(rowsOf(sortBatch(b, keys)).slice(0, k))
      }),
      { numRuns: 200 },
    )
  })
  // One null-free int32, date32 or NaN-free float64 key merges by comparing the inputs' heads on the
  // raw values (up to 8 inputs), not through the row comparator and heap.
  test('mergeSorted on one plain numeric key ≡ sortBatch of the concatenation, for 1 to 12 inputs', () => {
    const plainRows = table.map((t) => ({
      ...t,
      rows: t.rows.map((r) =>
        r.map((v, i) => (i === 1 || i === 6 ? (v ?? 0) : i === 4 ? (v === null || Number.isNaN(v) ? 1 : v) : v)),
      ),
    }))
    fc.assert(
      fc.property(
        plainRows.chain((t) =>
          fc.tuple(fc.constant(t), fc.array(fc.integer({ min: 0, max: t.rows.length }), { maxLength: 11 })),
        ),
        fc.constantFrom(1, 4, 6),
        fc.boolean(),
        fc.integer({ min: 0, max: 10 }),
        fc.option(fc.integer({ min: 0, max: 70 })),
        ([t, at], index, descending, offset, limit) => {
          const keys: SortKey[] = [{ index, descending, nullsFirst: false }]
          const parts = splitRows(
            t.rows,
            [...at].sort((x, y) => x - y),
          ).map((rs) => batchFromRows(NAMES, kindsOf(t.dictKey), rs))
          const sortedParts = parts.map((p) => sortBatch(p, keys))
          const merged = rowsOf(mergeSorted(sortedParts, keys, offset, limit))
          const all = rowsOf(sortBatch(concatBatches(parts), keys))
          expect(merged).toEqual(all.slice(offset, limit === null ? undefined : offset + limit))
        },
      ),
      { numRuns: 300 },
    )
  })
  test('mergeSorted of sorted random splits ≡ sortBatch of the concatenation', () => {
    fc.assert(
      fc.property(
        table.chain((t) => fc.tuple(fc.constant(t), cuts(t.rows.length))),
        keyChoices,
        fc.integer({ min: 0, max: 10 }),
        fc.option(fc.integer({ min: 0, max: 70 })),
        ([t, at], keys, offset, limit) => {
          const parts = splitRows(t.rows, at).map((rs, i) =>
            batchFromRows(NAMES, kindsOf(t.dictKey && i % 2 === 0), rs),
          )
          const sortedParts = parts.map((p) => sortBatch(p, keys))
          const merged = rowsOf(mergeSorted(sortedParts, keys, offset, limit))
          const all = rowsOf(sortBatch(concatBatches(parts), keys))
          expect(merged).toEqual(all.slice(offset, limit === null ? undefined : offset + limit))
        },
      ),
      { numRuns: 200 },
    )
  })
})
