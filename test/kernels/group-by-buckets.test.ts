/**
 * split_out: a partial returns one state per key-hash bucket (its parts), combines that each read
 * one bucket's parts, and a merge of the sorted bucket results must give the unsplit aggregate, for
 * every key type; a group must land in the same bucket however its key is stored, and in the part
 * a hash split sends its rows to.
 */
import type { RecordBatch } from 'apache-arrow'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import {
  type AggCombineArgs,
  type AggPartialArgs,
  aggregateCombine,
  aggregateFinal,
  aggregatePartial,
  aggregatePartialBuckets,
  concatBatches,
  KernelOps,
  partitionByHash,
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

/** What lowering builds for `of` buckets: partials with a part per bucket, per bucket combine + final, merge. */
function splitAggregate(parts: readonly RecordBatch[], keys: readonly number[], of: number): RecordBatch {
  const partialArgs: AggPartialArgs = { keys, aggs, buckets: of }
  const partials = parts.map((p) => runKernelOp(KernelOps.aggPartial, partialArgs, [p]) as RecordBatch[])
  for (const bucketed of partials) expect(bucketed).toHaveLength(of)
  const finals = Array.from({ length: of }, (_, index) => {
    const args: AggCombineArgs = { nKeys: keys.length, aggs }
    const combined = runKernelOp(
      KernelOps.aggCombine,
      args,
      partials.map((bucketed) => bucketed[index]!),
    )
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

  test("the parts hold the unbucketed state's rows, each group in the part of its own bucket", () => {
    const sorted = (rows: unknown[][]) =>
      rows.map((r) => JSON.stringify(r, (_, v) => (typeof v === 'bigint' ? `${v}n` : v))).sort()
    fc.assert(
      fc.property(table, fc.constantFrom(...keySets), fc.integer({ min: 1, max: 5 }), (t, keys, of) => {
        const batch = batchFromRows(NAMES, kindsOf(t), t.rows)
        const parts = aggregatePartialBuckets(batch, keys, aggs, of)
        expect(parts).toHaveLength(of)
        expect(sorted(rowsOf(concatBatches(parts)))).toEqual(sorted(rowsOf(aggregatePartial(batch, keys, aggs))))
        // Each part's groups are exactly the groups that land in that bucket on their own.
        parts.forEach((part, b) => {
          for (let row = 0; row < part.numRows; row++) {
            const alone = aggregatePartialBuckets(
              part.slice(row, row + 1),
              keys.map((_, k) => k),
              [],
              of,
            )
            expect(alone.map((p) => p.numRows)).toEqual(alone.map((_, i) => (i === b ? 1 : 0)))
          }
        })
      }),
      { numRuns: 200 },
    )
  })

  test('the parts are slices of one bucket-major state: no column is copied per part', () => {
    const batch = batchOf({ k: ['int32', [1, 2, 3, 4, 5, 6, 7, 8]], v: ['int32', [1, 1, 1, 1, 1, 1, 1, 1]] })
    const parts = aggregatePartialBuckets(batch, [0], [aggs[1]!], 3)
    expect(parts.filter((p) => p.numRows > 0).length).toBeGreaterThan(1)
    for (let column = 0; column < parts[0]!.numCols; column++) {
      const buffers = new Set(parts.map((p) => p.getChildAt(column)!.data[0]!.values.buffer))
      expect(buffers.size).toBe(1)
    }
  })

  test('a group lands in the part a hash split sends its rows to (one hash for both)', () => {
    fc.assert(
      fc.property(table, fc.constantFrom(...keySets), fc.integer({ min: 2, max: 5 }), (t, keys, of) => {
        const batch = batchFromRows(NAMES, kindsOf(t), t.rows)
        const states = aggregatePartialBuckets(batch, keys, [aggs[1]!], of)
        const rows = partitionByHash(batch, keys, of)
        rows.forEach((part, b) => {
          // The groups of a split's part b are bucket b's groups.
          const groups = aggregatePartial(part, keys, [aggs[1]!])
          expect(rowsOf(groups).length).toBe(states[b]!.numRows)
          expect(aggregatePartialBuckets(part, keys, [aggs[1]!], of).map((p) => p.numRows)).toEqual(
            states.map((_, i) => (i === b ? groups.numRows : 0)),
          )
        })
      }),
      { numRuns: 100 },
    )
  })

  test('a key lands in one bucket however it is stored: dictionary or plain text, -0 or 0, any NaN', () => {
    const bucketOf = (kind: 'dict' | 'utf8' | 'float64', value: string | number, of: number): number =>
      aggregatePartialBuckets(batchOf({ k: [kind, [value]] }), [0], [aggs[1]!], of).findIndex((p) => p.numRows > 0)
    for (const of of [2, 3, 7]) {
      for (const text of ['a', 'zz', 'é', '']) expect(bucketOf('dict', text, of)).toBe(bucketOf('utf8', text, of))
      expect(bucketOf('float64', -0, of)).toBe(bucketOf('float64', 0, of))
      const otherNaN = new Float64Array(new Uint32Array([1, 0x7ff80000]).buffer)[0]!
      expect(bucketOf('float64', otherNaN, of)).toBe(bucketOf('float64', Number.NaN, of))
    }
  })
})
