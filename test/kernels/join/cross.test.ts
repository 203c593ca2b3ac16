/** The cross join against a nested loop: every left row beside every right row, left-major. */
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { crossJoin, crossJoinIndices } from '../../../src/kernels/join/index.js'
import { rowsOf } from '../helpers.js'
import { buildCase, joinCase } from './cases.js'

describe('crossJoin', () => {
  test('≡ a nested loop over both sides, left-major, right names suffixed', () => {
    fc.assert(
      fc.property(joinCase(8), (jc) => {
        const c = buildCase(jc)
        const out = crossJoin(c.left, c.right)
        expect(rowsOf(out)).toEqual(c.leftRows.flatMap((l) => c.rightRows.map((r) => [...l, ...r])))
        expect(out.schema.fields.map((f) => f.name)).toEqual([
          ...c.left.schema.fields.map((f) => f.name),
          ...c.right.schema.fields.map((f) => `${f.name}_right`),
        ])
      }),
      { numRuns: 100 },
    )
  })

  test('indices: left-major pairs; an empty side gives no rows', () => {
    const { left, right } = crossJoinIndices(2, 3)
    expect(Array.from(left)).toEqual([0, 0, 0, 1, 1, 1])
    expect(Array.from(right ?? [])).toEqual([0, 1, 2, 0, 1, 2])
    expect(crossJoinIndices(0, 5).left.length).toBe(0)
    expect(crossJoinIndices(5, 0).right?.length).toBe(0)
  })
})
