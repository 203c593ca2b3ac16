import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { readColumn } from '../../src/kernels/column.js'
import type { Grouping } from '../../src/kernels/group-by/group-sink.js'
import { groupRows } from '../../src/kernels/group-by/hash.js'
import { groupIdTuples } from '../../src/kernels/group-by/hash-tuple.js'
import { type Cell, dataOf } from './helpers.js'

/** Reference grouping: a Map from a canonical text of the key tuple (null, NaN, -0 = 0 spelled out). */
function referenceIds(rows: readonly (readonly Cell[])[]): number[] {
  const seen = new Map<string, number>()
  return rows.map((row) => {
    const text = JSON.stringify(
      row.map((v) =>
        v === null
          ? 'null'
          : typeof v === 'number'
            ? Number.isNaN(v)
              ? 'NaN'
              : `n${v === 0 ? 0 : v}`
            : typeof v === 'bigint'
              ? `i${v}`
              : `${typeof v}:${v}`,
      ),
    )
    const id = seen.get(text) ?? seen.size
    seen.set(text, id)
    return id
  })
}

/** Group ids renumbered by first appearance, so two groupings compare as partitions of the rows. */
function canonical(g: Grouping, n: number): number[] {
  const renumber = new Map<number, number>()
  return Array.from({ length: n }, (_, i) => {
    const id = g.ids[i]!
    const r = renumber.get(id) ?? renumber.size
    renumber.set(id, r)
    return r
  })
}

/** Every group's first row is the first row carrying its id. */
function expectFirstRows(g: Grouping, n: number): void {
  for (let i = n - 1; i >= 0; i--) expect(g.firstRow[g.ids[i]!]).toBeLessThanOrEqual(i)
  for (let i = 0; i < n; i++) expect(g.ids[g.firstRow[g.ids[i]!]!]).toBe(g.ids[i])
}

const KINDS = ['utf8', 'dict', 'int32', 'int64', 'float64', 'bool', 'int32'] as const
const cellFor: Record<(typeof KINDS)[number], fc.Arbitrary<Cell>> = {
  utf8: fc.constantFrom('a', 'b', '', 'é'),
  dict: fc.constantFrom('x', 'y', 'zz'),
  int32: fc.integer({ min: -2, max: 2 }),
  int64: fc.bigInt({ min: -2n, max: 2n }),
  float64: fc.constantFrom(0, -0, Number.NaN, 1.5, -1.5),
  bool: fc.boolean(),
}
const maybe = (arb: fc.Arbitrary<Cell>) =>
  fc.oneof({ weight: 1, arbitrary: fc.constant(null) }, { weight: 4, arbitrary: arb })

describe('groupIdTuples', () => {
  test('many-column id tuples in a tiny hash domain (every row collides) ≡ a reference Map', () => {
    const tuples = fc
      .integer({ min: 2, max: 7 })
      .chain((width) =>
        fc.array(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: width, maxLength: width }), { maxLength: 300 }),
      )
    fc.assert(
      fc.property(tuples, fc.constantFrom(0, 1, 3, -1), (rows, hashMask) => {
        const width = rows[0]?.length ?? 2
        const columns = Array.from({ length: width }, (_, c) => Int32Array.from(rows, (r) => r[c]!))
        const g = groupIdTuples(columns, rows.length, 4, hashMask)
        expect(Array.from(g.ids)).toEqual(referenceIds(rows))
        expect(g.count).toBe(new Set(rows.map((r) => r.join())).size)
        expectFirstRows(g, rows.length)
      }),
      { numRuns: 300 },
    )
  })
  test('grows far past its first capacity: 100,000 distinct tuples, each seen twice', () => {
    const n = 200_000
    const a = new Int32Array(n)
    const b = new Int32Array(n)
    for (let i = 0; i < n; i++) {
      a[i] = (i % 100_000) % 317
      b[i] = Math.floor((i % 100_000) / 317)
    }
    const g = groupIdTuples([a, b], n, 16)
    expect(g.count).toBe(100_000)
    let misplaced = 0
    for (let i = 0; i < n; i++) if (g.ids[i] !== i % 100_000) misplaced++
    expect(misplaced).toBe(0)
  })
})

describe('groupRows over many key columns', () => {
  test('every storage, nulls, NaN, -0 and plain/dictionary strings, six keys ≡ a reference Map', () => {
    const table = fc
      .array(fc.constantFrom(...KINDS), { minLength: 1, maxLength: 6 })
      .chain((kinds) =>
        fc.tuple(fc.constant(kinds), fc.array(fc.tuple(...kinds.map((k) => maybe(cellFor[k]))), { maxLength: 200 })),
      )
    fc.assert(
      fc.property(table, ([kinds, rows]) => {
        const keys = kinds.map((k, c) =>
          readColumn(
            dataOf(
              k,
              rows.map((r) => r[c]!),
            ),
          ),
        )
        const g = groupRows(keys, rows.length)
        expect(canonical(g, rows.length)).toEqual(referenceIds(rows))
        expectFirstRows(g, rows.length)
      }),
      { numRuns: 300 },
    )
  })
  test('six keys whose combined domain forces the tuple hash: every row its own group', () => {
    const n = 5000
    const col = (f: (i: number) => number) =>
      readColumn(
        dataOf(
          'int32',
          Array.from({ length: n }, (_, i) => f(i)),
        ),
      )
    const keys = [
      col((i) => i % 7),
      col((i) => i % 11),
      col((i) => i % 13),
      col((i) => i % 2),
      col((i) => i),
      col(() => 1),
    ]
    const g = groupRows(keys, n)
    expect(g.count).toBe(n)
    expect(Array.from(g.ids)).toEqual(Array.from({ length: n }, (_, i) => i))
  })
})
