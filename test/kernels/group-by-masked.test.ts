/**
 * A partial aggregate that reads a filter's mask (the fused filter → agg-partial pair) must give
 * the states the filtered copy gives: for every key and aggregate type, with null predicate values,
 * dictionary keys, all or none of the rows kept, and values only the dropped rows hold.
 */
import type { RecordBatch } from 'apache-arrow'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import {
  type AggPartialArgs,
  aggregateFinal,
  aggregatePartial,
  aggregatePartialBuckets,
  type FilterArgs,
  filterBatch,
  KernelOps,
  kernelPairs,
  runKernelOp,
} from '../../src/kernels/index.js'
import type { AggSpec, PhysicalExpr } from '../../src/kernels/physical-expr.js'
import { kindsOf, NAMES, table } from './arbitraries.js'
import { batchFromRows, batchOf, type Cell, cellsOf, rowsOf } from './helpers.js'

const pair = kernelPairs.find((p) => p.first === KernelOps.filter && p.second === KernelOps.aggPartial)!

function maskedPartial(batch: Parameters<typeof filterBatch>[0], filter: FilterArgs, partial: AggPartialArgs) {
  return pair.runSecond(partial, pair.runFirst(filter, [batch]))
}

function bothWays(
  batch: Parameters<typeof filterBatch>[0],
  predicate: PhysicalExpr,
  keys: readonly number[],
  aggs: AggSpec[],
) {
  const masked = maskedPartial(batch, { predicate }, { keys, aggs }) as RecordBatch
  const copied = aggregatePartial(filterBatch(batch, predicate), keys, aggs)
  return {
    masked: rowsOf(aggregateFinal(masked, keys.length, aggs)),
    copied: rowsOf(aggregateFinal(copied, keys.length, aggs)),
  }
}

/** Both ways with split_out: the finished rows of each bucket's part. */
function bothWaysInBuckets(
  batch: Parameters<typeof filterBatch>[0],
  predicate: PhysicalExpr,
  keys: readonly number[],
  aggs: AggSpec[],
  buckets: number,
) {
  const finished = (parts: readonly RecordBatch[]) => parts.map((p) => rowsOf(aggregateFinal(p, keys.length, aggs)))
  const masked = maskedPartial(batch, { predicate }, { keys, aggs, buckets }) as RecordBatch[]
  expect(masked).toHaveLength(buckets)
  return {
    masked: finished(masked),
    copied: finished(aggregatePartialBuckets(filterBatch(batch, predicate), keys, aggs, buckets)),
  }
}

const spec = (fn: AggSpec['fn'], input: number | null, inputDType: AggSpec['inputDType'], dtype: AggSpec['dtype']) => ({
  fn,
  input,
  inputDType,
  name: `${fn}_${input}`,
  dtype,
})

const aggs: AggSpec[] = [
  spec('sum', 2, 'int32', 'int64'),
  spec('sum', 3, 'int64', 'int64'),
  spec('sum', 4, 'float64', 'float64'),
  spec('mean', 3, 'int64', 'float64'),
  spec('count', 0, 'utf8', 'int64'),
  spec('countAll', null, null, 'int64'),
  spec('min', 0, 'utf8', 'utf8'),
  spec('max', 4, 'float64', 'float64'),
  spec('min', 6, 'date32', 'date32'),
  spec('max', 3, 'int64', 'int64'),
  spec('stddev', 4, 'float64', 'float64'),
  spec('median', 2, 'int32', 'float64'),
  spec('countDistinct', 0, 'utf8', 'int64'),
  { ...spec('corr', 2, 'int32', 'float64'), input2: 4 },
]

// Column 5 (`b`, bool with nulls) is the predicate: true keeps a row, false and null drop it.
const byBool: PhysicalExpr = { kind: 'column', index: 5, dtype: 'bool' }

describe('filter → agg-partial on the mask', () => {
  test('equals the partial of the filtered copy, for random tables, every key type and split_out', () => {
    fc.assert(
      fc.property(
        table,
        fc.constantFrom([], [0], [1], [0, 1], [5, 6, 1], [3], [4], [6]),
        fc.constantFrom(1, 2, 3),
        (t, keys, buckets) => {
          const kinds = kindsOf(t)
          const batch = batchFromRows(NAMES, kinds, t.rows)
          const { masked, copied } = bothWays(batch, byBool, keys, aggs)
          expect(masked).toEqual(copied)
          const split = bothWaysInBuckets(batch, byBool, keys, aggs, buckets)
          expect(split.masked).toEqual(split.copied)
        },
      ),
      { numRuns: 300 },
    )
  })

  // Was a bug: the key came from the group's first row even when the filter dropped it.
  test("a group's key is read from a kept row: -0 dropped before 0 kept gives 0, as the filtered copy does", () => {
    const signed = batchOf({
      f: ['float64', [-0, 0, 1]],
      keep: ['bool', [false, true, true]],
    })
    const onKeep: PhysicalExpr = { kind: 'column', index: 1, dtype: 'bool' }
    const { masked, copied } = bothWays(signed, onKeep, [0], [spec('countAll', null, null, 'int64')])
    expect(masked).toEqual(copied)
    expect(Object.is(masked[0]![0], 0)).toBe(true)
  })

  const data = batchOf({
    k: ['dict', ['a', 'b', 'a', 'c', null, 'b']],
    x: ['int64', [1n, 2n ** 62n, 3n, 2n ** 62n, 5n, 6n]],
    keep: ['bool', [true, false, true, false, null, true]],
  })
  const keep: PhysicalExpr = { kind: 'column', index: 2, dtype: 'bool' }
  const sumX: AggSpec[] = [spec('sum', 1, 'int64', 'int64'), spec('countAll', null, null, 'int64')]

  test('values only dropped rows hold never reach an aggregate (no int64 overflow from them)', () => {
    expect(() => aggregatePartial(data, [], sumX)).toThrowError(/overflow/)
    const { masked, copied } = bothWays(data, keep, [], sumX)
    expect(masked).toEqual([[10n, 3n]])
    expect(masked).toEqual(copied)
  })

  test('groups only dropped rows have disappear; dictionary codes of the input are left alone', () => {
    const before = cellsOf(data.getChildAt(0)!.data[0]!)
    const { masked, copied } = bothWays(data, keep, [0], sumX)
    expect(masked).toEqual([
      ['a', 4n, 2n],
      ['b', 6n, 1n],
    ])
    expect(masked).toEqual(copied)
    expect(cellsOf(data.getChildAt(0)!.data[0]!)).toEqual(before)
  })

  test('no row kept: a grouped aggregate is empty, a global one is its row of nulls and zero counts', () => {
    const none: PhysicalExpr = { kind: 'literal', value: false, dtype: 'bool' }
    expect(bothWays(data, none, [0], sumX).masked).toEqual([])
    expect(bothWays(data, none, [], sumX).masked).toEqual([[null, 0n]] as Cell[][])
  })

  test('every row kept: the same as no filter', () => {
    const all: PhysicalExpr = { kind: 'literal', value: true, dtype: 'bool' }
    const small: AggSpec[] = [spec('countAll', null, null, 'int64')]
    const state = maskedPartial(data, { predicate: all }, { keys: [0], aggs: small }) as RecordBatch
    expect(rowsOf(state)).toEqual(
      rowsOf(runKernelOp(KernelOps.aggPartial, { keys: [0], aggs: small }, [data]) as RecordBatch),
    )
  })
})
