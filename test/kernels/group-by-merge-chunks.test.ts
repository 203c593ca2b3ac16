/**
 * A combine merges state columns input by input (merge-chunks.ts) instead of from their
 * concatenation: whenever it takes a column, it must give what the concatenated path gives, bit
 * for bit (float sums in the same order, NaN and -0 in min/max, exact int64 sums).
 */
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { type Col, toData } from '../../src/kernels/column.js'
import { concatCols } from '../../src/kernels/concat.js'
import { minMaxPerGroup, sumFloats, sumIntegers } from '../../src/kernels/group-by/accumulate.js'
import { mergeChunks } from '../../src/kernels/group-by/merge-chunks.js'
import { cellsOf } from './helpers.js'

const float = fc.oneof(
  fc.double({ min: -1e6, max: 1e6, noNaN: true }),
  fc.constantFrom(Number.NaN, -0, 0, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
)

const floatChunk = fc.array(fc.tuple(float, fc.boolean()), { maxLength: 30 }).chain((cells) =>
  fc.boolean().map(
    (withNulls): Col => ({
      kind: 'float64',
      length: cells.length,
      values: Float64Array.from(cells, ([v]) => v),
      valid: withNulls ? Uint8Array.from(cells, ([, ok]) => (ok ? 1 : 0)) : null,
    }),
  ),
)

const int64Chunk = (max: bigint) =>
  fc
    .array(fc.bigInt({ min: -max, max }), { maxLength: 30 })
    .map((values): Col => ({ kind: 'int64', length: values.length, values: BigInt64Array.from(values), valid: null }))

/** What the concatenated path (combine.ts mergeColumn) computes. */
function concatenated(chunks: readonly Col[], suffix: string, ids: Int32Array, groups: number): Col {
  const col = concatCols(chunks)
  if (suffix === 'min' || suffix === 'max') return minMaxPerGroup(col, ids, groups, suffix === 'max')
  if (suffix === 'count') return { ...sumIntegers(col, ids, groups), valid: null }
  return col.kind === 'float64' ? sumFloats(col, ids, groups) : sumIntegers(col, ids, groups)
}

const cases = (chunk: fc.Arbitrary<Col>, suffixes: readonly string[]) =>
  fc
    .tuple(
      fc.array(chunk, { minLength: 1, maxLength: 5 }),
      fc.integer({ min: 1, max: 8 }),
      fc.constantFrom(...suffixes),
    )
    .chain(([chunks, groups, suffix]) => {
      const rows = chunks.reduce((n, c) => n + c.length, 0)
      return fc
        .array(fc.integer({ min: 0, max: groups - 1 }), { minLength: rows, maxLength: rows })
        .map((ids) => ({ chunks, groups, suffix, ids: Int32Array.from(ids) }))
    })

describe('mergeChunks', () => {
  test('float64 sums and min/max equal the concatenated merge, or are left to it', () => {
    fc.assert(
      fc.property(cases(floatChunk, ['sum', 'min', 'max']), ({ chunks, groups, suffix, ids }) => {
        const merged = mergeChunks(chunks, suffix, ids, groups)
        const anyNull = chunks.some((c) => c.valid !== null)
        // min/max over nulls is the concatenated path's (row-based) job.
        expect(merged === null).toBe(suffix !== 'sum' && anyNull)
        if (merged) expect(cellsOf(toData(merged))).toEqual(cellsOf(toData(concatenated(chunks, suffix, ids, groups))))
      }),
      { numRuns: 400 },
    )
  })

  test('int64 counts and sums equal the concatenated merge while they add exactly as doubles', () => {
    fc.assert(
      fc.property(cases(int64Chunk(2n ** 40n), ['sum', 'count']), ({ chunks, groups, suffix, ids }) => {
        const merged = mergeChunks(chunks, suffix, ids, groups)
        expect(merged).not.toBeNull()
        expect(cellsOf(toData(merged!))).toEqual(cellsOf(toData(concatenated(chunks, suffix, ids, groups))))
      }),
      { numRuns: 300 },
    )
  })

  test('int64 values whose total could lose precision as doubles go to the exact path', () => {
    const big: Col = { kind: 'int64', length: 2, values: BigInt64Array.of(2n ** 62n, -(2n ** 62n) + 1n), valid: null }
    expect(mergeChunks([big, big], 'sum', new Int32Array(4), 1)).toBeNull()
    const withNull: Col = { kind: 'int64', length: 1, values: BigInt64Array.of(1n), valid: Uint8Array.of(0) }
    expect(mergeChunks([withNull], 'sum', new Int32Array(1), 1)).toBeNull()
  })
})
