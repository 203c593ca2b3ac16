/**
 * The hash join against a naive nested-loop join (reference.ts), for every join type, with either
 * side built: row pairs in exactly the documented order, and the assembled batch (names, values,
 * merged keys). Inputs: one or two keys of every key dtype, small domains so keys repeat on both
 * sides, nulls with garbage beneath them, empty sides, plain vs dictionary utf8 on either side,
 * dictionaries with repeated and null entries (cases.ts).
 */
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { readColumn } from '../../../src/kernels/column.js'
import { hashJoin, JOIN_HOWS, type JoinSide, joinIndices } from '../../../src/kernels/join/index.js'
import { sliceBatch } from '../../../src/kernels/slice.js'
import { columnData } from '../../../src/types/arrow-types.js'
import { cuts } from '../arbitraries.js'
import { rowsOf, sliced } from '../helpers.js'
import { buildCase, joinCase, KEY_TYPES, sideKeys } from './cases.js'
import { expectedNames, expectedRows } from './expected.js'
import { naiveJoin } from './reference.js'

const SIDES: readonly JoinSide[] = ['left', 'right']

describe('joinIndices', () => {
  test('≡ the nested-loop reference, pair for pair in order, for every join type and build side', () => {
    fc.assert(
      fc.property(joinCase(), (jc) => {
        const c = buildCase(jc)
        const lk = c.leftOn.map((i) => readColumn(columnData(c.left, i)))
        const rk = c.rightOn.map((i) => readColumn(columnData(c.right, i)))
        for (const how of JOIN_HOWS) {
          for (const build of SIDES) {
            const got = joinIndices(lk, rk, how, { build })
            const want = naiveJoin(c.leftRows, c.rightRows, c.leftOn, c.rightOn, how, build)
            expect({ how, build, left: Array.from(got.left), right: got.right && Array.from(got.right) }).toEqual({
              how,
              build,
              ...want,
            })
          }
        }
      }),
      { numRuns: 300 },
    )
  })

  test('three wide keys on larger sides (the tuple-hashing path of several keys) ≡ the reference', () => {
    const wide = fc.constantFrom(...KEY_TYPES.filter((t) => t !== 'bool'))
    const big = fc.tuple(wide, wide, wide).chain((keyTypes) =>
      fc.record({
        keyTypes: fc.constant([...keyTypes]),
        left: sideKeys(keyTypes, 300),
        right: sideKeys(keyTypes, 300),
        seed: fc.integer(),
      }),
    )
    fc.assert(
      fc.property(big, fc.constantFrom(...JOIN_HOWS), fc.constantFrom(...SIDES), (jc, how, build) => {
        const c = buildCase(jc)
        const lk = c.leftOn.map((i) => readColumn(columnData(c.left, i)))
        const rk = c.rightOn.map((i) => readColumn(columnData(c.right, i)))
        const got = joinIndices(lk, rk, how, { build })
        const want = naiveJoin(c.leftRows, c.rightRows, c.leftOn, c.rightOn, how, build)
        expect({ left: Array.from(got.left), right: got.right && Array.from(got.right) }).toEqual(want)
      }),
      { numRuns: 40 },
    )
  })
})

describe('hashJoin', () => {
  test('output ≡ the reference rows and names, with and without merged (USING) keys', () => {
    fc.assert(
      fc.property(
        joinCase(),
        fc.constantFrom(...JOIN_HOWS),
        fc.constantFrom(...SIDES),
        fc.boolean(),
        (jc, how, build, coalesceKeys) => {
          const c = buildCase(jc)
          const out = hashJoin(c.left, c.right, { how, leftOn: c.leftOn, rightOn: c.rightOn, build, coalesceKeys })
          const pairs = naiveJoin(c.leftRows, c.rightRows, c.leftOn, c.rightOn, how, build)
          expect(out.schema.fields.map((f) => f.name)).toEqual(expectedNames(c, how, coalesceKeys))
          expect(rowsOf(out)).toEqual(expectedRows(c, pairs, how, coalesceKeys))
        },
      ),
      { numRuns: 400 },
    )
  })

  test('sides given as several batches (one per partition) ≡ each side as one batch', () => {
    fc.assert(
      fc.property(
        joinCase().chain((jc) =>
          fc.record({
            jc: fc.constant(jc),
            leftCuts: cuts(jc.left.keys.length),
            rightCuts: cuts(jc.right.keys.length),
          }),
        ),
        fc.constantFrom(...JOIN_HOWS),
        fc.constantFrom(...SIDES),
        ({ jc, leftCuts, rightCuts }, how, build) => {
          const c = buildCase(jc)
          // Pieces alternate between copies and offset-carrying views (bitmaps not at bit 0).
          const parts = (batch: typeof c.left, at: number[]) => {
            let start = 0
            return [...at, batch.numRows].map((end, k) => {
              const piece = (k % 2 ? sliced : sliceBatch)(batch, start, end - start)
              start = end
              return piece
            })
          }
          const args = { how, leftOn: c.leftOn, rightOn: c.rightOn, build }
          const whole = hashJoin(c.left, c.right, args)
          const split = hashJoin(parts(c.left, leftCuts), parts(c.right, rightCuts), args)
          expect(rowsOf(split)).toEqual(rowsOf(whole))
        },
      ),
      { numRuns: 150 },
    )
  })
})
