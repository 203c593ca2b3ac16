/**
 * The value under a null is garbage, never data. Issue 13: the radix sort built its words from
 * whatever sat under a null, so rows whose key was null came out ordered by those leftovers
 * instead of by the next key. Here every column of every dtype carries random values under its
 * nulls (garbage-nulls.ts), and sort (both the comparator and the radix path), top-k, the merge
 * of sorted runs and the group-by output (its order and its values, split into buckets or not)
 * must equal the naive reference, for nulls first or last, ascending or descending.
 */
import type { RecordBatch } from 'apache-arrow'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { readColumn } from '../../src/kernels/column.js'
import {
  type AggCombineArgs,
  aggregateCombine,
  aggregateFinal,
  aggregatePartial,
  aggregatePartialBuckets,
  KernelOps,
  mergeSorted,
  runKernelOp,
  sortBatch,
  topK,
} from '../../src/kernels/index.js'
import type { AggSpec, SortKey } from '../../src/kernels/physical-expr.js'
import { columnData } from '../../src/types/arrow-types.js'
import type { DType } from '../../src/types/dtype.js'
import { random } from '../schedule/fixtures/batches.js'
import { cuts, splitRows } from './arbitraries.js'
import { garbageBatch } from './garbage-nulls.js'
import { type Cell, rowsOf } from './helpers.js'
import { naiveAggregate, naiveSort } from './reference.js'

const NAMES = ['s', 'k', 'x', 'f', 'b', 'd', 't'] as const
const DTYPES: readonly DType[] = ['utf8', 'int32', 'int64', 'float64', 'bool', 'date32', 'timestamp[ms]']

/** Nulls as often as values, and few distinct values, so later keys decide among tied rows. */
const often = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | null> => fc.oneof(fc.constant(null), arb)
const small = fc.integer({ min: -3, max: 3 })
const row = fc.tuple(
  often(fc.constantFrom('a', 'b', 'B', 'é', '')),
  often(small),
  often(fc.bigInt({ min: -3n, max: 3n })),
  often(fc.oneof(small, fc.constant(Number.NaN), fc.constant(-0))),
  often(fc.boolean()),
  often(small),
  often(small.map((s) => s * 1000)),
)

interface GarbageTable {
  readonly rows: Cell[][]
  readonly dictionary: boolean
  /** Seeds the garbage, so a failure replays. */
  readonly seed: number
}

/** Small tables take the comparator path, tables over 64 rows the radix path. */
const garbageTable: fc.Arbitrary<GarbageTable> = fc.record({
  rows: fc.oneof(fc.array(row, { maxLength: 64 }), fc.array(row, { minLength: 65, maxLength: 300 })),
  dictionary: fc.boolean(),
  seed: fc.integer(),
})

const sortKeys = fc.array(
  fc.record({ index: fc.integer({ min: 0, max: 6 }), descending: fc.boolean(), nullsFirst: fc.boolean() }),
  { minLength: 1, maxLength: 4 },
)

function batchesOf(t: GarbageTable, parts: readonly Cell[][][] = [t.rows]): RecordBatch[] {
  const next = random(t.seed)
  const kinds = DTYPES.map((d, i) => (i === 0 && t.dictionary ? 'dict' : d))
  return parts.map((rows) => garbageBatch(NAMES, kinds, rows, next))
}

test('the helper puts garbage under the nulls of every dtype (not the zeros Arrow writes), and keeps them null', () => {
  const values: Cell[] = ['a', 1, 1n, 1, true, 1, 1000]
  const rows = Array.from({ length: 40 }, (_, r) => values.map((v) => (r % 2 === 0 ? null : v)))
  const [batch] = batchesOf({ rows, dictionary: false, seed: 7 })
  expect(rowsOf(batch!)).toEqual(rows)
  NAMES.forEach((name, i) => {
    const col = readColumn(columnData(batch!, i))
    const under = (r: number): number =>
      col.kind === 'utf8' ? col.offsets[r + 1]! - col.offsets[r]! : 'values' in col ? Number(col.values[r]!) : 0
    const nullRows = Array.from({ length: 20 }, (_, j) => 2 * j)
    expect(
      nullRows.some((r) => under(r) !== 0),
      name,
    ).toBe(true)
  })
})

describe('sorting never reads the value under a null', () => {
  test('issue 13: c = a + b is null in every row, so k decides', () => {
    const rows: Cell[][] = Array.from({ length: 70 }, (_, i) => [null, i, 69 - i])
    const garbage = garbageBatch(['c', 'b', 'k'], ['int32', 'int32', 'int32'], rows, random(13))
    const keys: SortKey[] = [
      { index: 0, descending: false, nullsFirst: false },
      { index: 2, descending: false, nullsFirst: false },
    ]
    expect(rowsOf(sortBatch(garbage, keys)).map((r) => r[2])).toEqual(Array.from({ length: 70 }, (_, i) => i))
  })

  test('sortBatch ≡ naive stable sort', () => {
    fc.assert(
      fc.property(garbageTable, sortKeys, (t, keys) => {
        const [batch] = batchesOf(t)
        expect(rowsOf(sortBatch(batch!, keys))).toEqual(naiveSort(t.rows, keys))
      }),
      { numRuns: 300 },
    )
  })

  test('topK ≡ the first k rows of the naive sort', () => {
    fc.assert(
      fc.property(garbageTable, sortKeys, fc.integer({ min: 0, max: 200 }), (t, keys, k) => {
        const [batch] = batchesOf(t)
        expect(rowsOf(topK(batch!, keys, k))).toEqual(naiveSort(t.rows, keys).slice(0, k))
      }),
      { numRuns: 300 },
    )
  })

  test('mergeSorted of sorted runs ≡ the naive sort of their concatenation, with offset and limit', () => {
    fc.assert(
      fc.property(
        garbageTable.chain((t) => fc.tuple(fc.constant(t), cuts(t.rows.length))),
        sortKeys,
        fc.nat(10),
        fc.option(fc.integer({ min: 0, max: 100 })),
        ([t, at], keys, offset, limit) => {
          const runs = batchesOf(t, splitRows(t.rows, at)).map((b) => sortBatch(b, keys))
          const expected = naiveSort(t.rows, keys).slice(offset, limit === null ? undefined : offset + limit)
          expect(rowsOf(mergeSorted(runs, keys, offset, limit))).toEqual(expected)
        },
      ),
      { numRuns: 300 },
    )
  })
})

describe('group-by never reads the value under a null', () => {
  const aggs: AggSpec[] = [
    { fn: 'countAll', input: null, inputDType: null, name: 'n', dtype: 'int64' },
    { fn: 'count', input: 3, inputDType: 'float64', name: 'nf', dtype: 'int64' },
    { fn: 'sum', input: 1, inputDType: 'int32', name: 'sk', dtype: 'int64' },
    { fn: 'min', input: 2, inputDType: 'int64', name: 'lo', dtype: 'int64' },
    { fn: 'max', input: 0, inputDType: 'utf8', name: 'hi', dtype: 'utf8' },
  ]
  const groupKeys = fc.uniqueArray(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 3 })

  /** Partials, one combine and the final step, as lowering builds them for one bucket. */
  function aggregate(parts: readonly RecordBatch[], keys: readonly number[]): RecordBatch {
    const states = parts.map((p) => aggregatePartial(p, keys, aggs))
    return aggregateFinal(aggregateCombine(states, keys.length, aggs), keys.length, aggs)
  }

  /** Split out into `of` buckets, each combined and finished apart, then merged (lowering's split_out). */
  function splitAggregate(parts: readonly RecordBatch[], keys: readonly number[], of: number): RecordBatch {
    const partials = parts.map((p) => aggregatePartialBuckets(p, keys, aggs, of))
    const finals = Array.from({ length: of }, (_, index) => {
      const args: AggCombineArgs = { nKeys: keys.length, aggs }
      return runKernelOp(KernelOps.aggFinal, { nKeys: keys.length, aggs }, [
        runKernelOp(
          KernelOps.aggCombine,
          args,
          partials.map((bucketed) => bucketed[index]!),
        ),
      ])
    })
    const order = keys.map((_, index) => ({ index, descending: false, nullsFirst: false }))
    return mergeSorted(finals, order, 0, null)
  }

  test('groups and their order ≡ the naive aggregate, split into partitions and buckets or not', () => {
    fc.assert(
      fc.property(
        garbageTable.chain((t) => fc.tuple(fc.constant(t), cuts(t.rows.length))),
        groupKeys,
        ([t, at], keys) => {
          const expected = naiveAggregate(t.rows, keys, aggs)
          const [whole] = batchesOf(t)
          expect(rowsOf(aggregate([whole!], keys))).toEqual(expected)
          const parts = batchesOf(t, splitRows(t.rows, at))
          expect(rowsOf(aggregate(parts, keys))).toEqual(expected)
          expect(rowsOf(splitAggregate(parts, keys, 2))).toEqual(expected)
        },
      ),
      { numRuns: 300 },
    )
  })
})
