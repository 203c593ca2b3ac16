/**
 * split_out: partial states ordered by key-hash bucket, combines that each read one bucket, and a
 * merge of the sorted bucket results must give the unsplit aggregate, for every key type; a group
 * must land in the same bucket however its key is stored.
 */
import type { RecordBatch } from 'apache-arrow'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { bucketSlice } from '../../src/kernels/group-by/buckets.js'
import {
  type AggCombineArgs,
  type AggPartialArgs,
  aggregateCombine,
  aggregateFinal,
  aggregatePartial,
  concatBatches,
  KernelOps,
  runKernelOp,
} from '../../src/kernels/index.js'
import type { AggSpec } from '../../src/kernels/physical-expr.js'
import { cuts, kindsOf, NAMES, splitRows, table } from './arbitraries.js'
import { batchFromRows, batchOf, rowsOf } from './helpers.js'

const aggs: AggSpec[] = [
  { fn: 'sum', input: 2, inputDType: 'int32', name: 's', dtype: 'int64' },
  { fn: 'countAll', input: null, inputDType: null, name: 'n', dtype: 'int64' },
  { fn: 'max', input: 0, inputDType: 'utf8', name: 'hi', dtype: 'utf8' },
  { fn: 'median', input: 4, inputDType: 'float64', name: 'med', dtype: 'float64' },
]
const keySets = [[0], [1], [3], [4], [5], [6], [0, 1], [5, 6, 1]] as const

/** What lowering builds for `of` buckets: partials in bucket order, per bucket combine + final, merge. */
function splitAggregate(parts: readonly RecordBatch[], keys: readonly number[], of: number): RecordBatch {
  const partialArgs: AggPartialArgs = { keys, aggs, buckets: of }
  const partials = parts.map((p) => runKernelOp(KernelOps.aggPartial, partialArgs, [p]))
  const finals = Array.from({ length: of }, (_, index) => {
    const args: AggCombineArgs = { nKeys: keys.length, aggs, bucket: { index, of } }
    const combined = runKernelOp(KernelOps.aggCombine, args, partials)
    return runKernelOp(KernelOps.aggFinal, { nKeys: keys.length, aggs }, [combined])
  })
  const sortKeys = keys.map((_, index) => ({ index, descending: false, nullsFirst: false }))
  return runKernelOp(KernelOps.mergeSorted, { keys: sortKeys, offset: 0, limit: null }, finals)
}

describe('split_out', () => {
  test('buckets, combined apart and merged, equal the unsplit aggregate', () => {
    fc.assert(
      fc.property(
        table.chain((t) =>
          fc.tuple(fc.constant(t), cuts(t.rows.length), fc.constantFrom(...keySets), fc.integer({ min: 2, max: 4 })),
        ),
        ([t, at, keys, of]) => {
          const kinds = kindsOf(t)
          const parts = splitRows(t.rows, at).map((rs) => batchFromRows(NAMES, kinds, rs))
          const whole = aggregateFinal(
            aggregateCombine(
              parts.map((p) => aggregatePartial(p, keys, aggs)),
              keys.length,
              aggs,
            ),
            keys.length,
            aggs,
          )
          expect(rowsOf(splitAggregate(parts, keys, of))).toEqual(rowsOf(whole))
        },
      ),
      { numRuns: 200 },
    )
  })

  test("a bucketed state is its bucket slices end to end, and holds the unbucketed state's rows", () => {
    const sorted = (rows: unknown[][]) =>
      rows.map((r) => JSON.stringify(r, (_, v) => (typeof v === 'bigint' ? `${v}n` : v))).sort()
    fc.assert(
      fc.property(table, fc.constantFrom(...keySets), fc.integer({ min: 1, max: 5 }), (t, keys, of) => {
        const batch = batchFromRows(NAMES, kindsOf(t), t.rows)
        const state = aggregatePartial(batch, keys, aggs, of)
        const slices = Array.from({ length: of }, (_, b) => bucketSlice(state, keys.length, b, of))
        expect(rowsOf(concatBatches(slices))).toEqual(rowsOf(state))
        expect(sorted(rowsOf(state))).toEqual(sorted(rowsOf(aggregatePartial(batch, keys, aggs))))
        // Each slice's groups are exactly the groups that land in that bucket on their own.
        slices.forEach((slice, b) => {
          for (let row = 0; row < slice.numRows; row++) {
            const alone = aggregatePartial(
              slice.slice(row, row + 1),
              keys.map((_, k) => k),
              [],
              of,
            )
            expect(bucketSlice(alone, keys.length, b, of).numRows).toBe(1)
          }
        })
      }),
      { numRuns: 200 },
    )
  })

  test('a key lands in one bucket however it is stored: dictionary or plain text, -0 or 0, any NaN', () => {
    const bucketOf = (kind: 'dict' | 'utf8' | 'float64', value: string | number, of: number): number => {
      const state = aggregatePartial(batchOf({ k: [kind, [value]] }), [0], [aggs[1]!], of)
      return Array.from({ length: of }, (_, b) => bucketSlice(state, 1, b, of).numRows).findIndex((n) => n > 0)
    }
    for (const of of [2, 3, 7]) {
      for (const text of ['a', 'zz', 'é', '']) expect(bucketOf('dict', text, of)).toBe(bucketOf('utf8', text, of))
      expect(bucketOf('float64', -0, of)).toBe(bucketOf('float64', 0, of))
      const otherNaN = new Float64Array(new Uint32Array([1, 0x7ff80000]).buffer)[0]!
      expect(bucketOf('float64', otherNaN, of)).toBe(bucketOf('float64', Number.NaN, of))
    }
  })
})
