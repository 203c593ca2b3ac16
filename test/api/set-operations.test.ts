/**
 * distinct(), unionAll() and limit with an offset through the public API, on both schedulers,
 * optimizer on and off, 1–7 partitions; column pruning through the new nodes; schema errors.
 */
import { afterAll, describe, expect, test } from 'vitest'
import { col, count, type DType, fromRecords, shutdown, TsdaskError } from '../../src/index.js'
import { optimize } from '../../src/optimize/optimizer.js'
import { explainPlan } from '../../src/plan/explain.js'
import { runEverywhere } from '../support/every-config.js'

afterAll(() => shutdown())

const data = [
  { a: 1, b: 'x', f: 0 },
  { a: 1, b: 'x', f: -0 },
  { a: null, b: 'y', f: Number.NaN },
  { a: 2, b: null, f: 1.5 },
  { a: null, b: 'y', f: Number.NaN },
  { a: 1, b: 'x', f: 0 },
  { a: 2, b: 'é', f: 1.5 },
]
const schema = { a: 'int32', b: 'utf8', f: 'float64' } as const
const frame = (np: number) => fromRecords(data, { schema, npartitions: np })

describe('distinct', () => {
  test('one row per distinct row; nulls, -0 = 0 and NaN = NaN compare equal; sorted, nulls last', async () => {
    const rows = await runEverywhere((np) => frame(np).distinct())
    expect(rows).toEqual([
      { a: 1, b: 'x', f: 0 },
      { a: 2, b: 'é', f: 1.5 },
      { a: 2, b: null, f: 1.5 },
      { a: null, b: 'y', f: Number.NaN },
    ])
  })
  test('a column selected after distinct keeps the duplicates distinct made (no pruning below it)', async () => {
    const rows = await runEverywhere((np) => frame(np).distinct().select('a'))
    expect(rows).toEqual([{ a: 1 }, { a: 2 }, { a: 2 }, { a: null }])
  })
  test('distinct of a projection, then aggregated', async () => {
    const rows = await runEverywhere((np) =>
      frame(np)
        .select('b')
        .distinct()
        .agg({ n: count(), nb: col('b').count() }),
    )
    expect(rows).toEqual([{ n: 4n, nb: 3n }])
  })
})

describe('unionAll', () => {
  const other = (np: number) =>
    fromRecords(
      [
        { a: 9, b: 'z', f: 9.5 },
        { a: null, b: null, f: null },
      ],
      { schema, npartitions: np },
    )
  test('rows of both frames in order, duplicates kept', async () => {
    const rows = await runEverywhere((np) => frame(np).unionAll(other(np)))
    expect(rows).toEqual([...data, { a: 9, b: 'z', f: 9.5 }, { a: null, b: null, f: null }])
  })
  test('a frame unioned with itself, chained unions, then grouped', async () => {
    const rows = await runEverywhere((np) =>
      frame(np).unionAll(frame(np)).unionAll(other(np)).groupBy('b').agg({ n: count() }),
    )
    expect(rows).toEqual([
      { b: 'x', n: 6n },
      { b: 'y', n: 4n },
      { b: 'z', n: 1n },
      { b: 'é', n: 2n },
      { b: null, n: 3n },
    ])
  })
  // Issue 13: both limits' top-k tasks were keyed by the sort alone, so the second took the first's place.
  test('two limits over one sort each keep their own rows', async () => {
    const numbers = Array.from({ length: 20 }, (_, i) => ({ a: i }))
    const rows = await runEverywhere((np) => {
      const sorted = fromRecords(numbers, { npartitions: np }).sort('a')
      return sorted.limit(10).unionAll(sorted.limit(3)).unionAll(sorted.limit(2, 5))
    })
    expect(rows.map((r) => r.a)).toEqual(
      [...numbers.slice(0, 10), ...numbers.slice(0, 3), ...numbers.slice(5, 7)].map((r) => r.a),
    )
  })
  test('with limit and offset, and with filters above it', async () => {
    const rows = await runEverywhere((np) => frame(np).unionAll(other(np)).limit(3, 6))
    expect(rows).toEqual([data[6], { a: 9, b: 'z', f: 9.5 }, { a: null, b: null, f: null }])
    const filtered = await runEverywhere((np) => frame(np).unionAll(other(np)).filter(col('a').gt(1)).select('a'))
    expect(filtered).toEqual([{ a: 2 }, { a: 2 }, { a: 9 }])
  })
  test('pruning through a union whose inputs differ in what they can drop', async () => {
    const grouped = (np: number) =>
      frame(np)
        .groupBy('a', 'b')
        .agg({ f: col('f').max() })
    const rows = await runEverywhere((np) => grouped(np).unionAll(frame(np)).select('b'))
    expect(rows.map((r) => r.b)).toEqual(['x', 'é', null, 'y', ...data.map((d) => d.b)])
  })
  test.skipIf(process.env.TSDASK_OPTIMIZER === 'off')('the optimizer prunes every input of a union', () => {
    const plan = frame(2).unionAll(frame(3)).select('b').plan
    const text = explainPlan(optimize(plan))
    expect(text).toContain('Union: all (2 inputs)')
    expect(text.match(/Scan: records \[b\]/g)).toHaveLength(2)
  })
  test('schemas must match by name, dtype and order', () => {
    const untyped = (s: Record<string, DType>) => fromRecords([], { schema: s })
    const base = untyped({ a: 'int32', b: 'utf8' })
    expect(() => base.unionAll(untyped({ a: 'int32', c: 'utf8' }))).toThrow(TsdaskError)
    expect(() => base.unionAll(untyped({ a: 'int32', c: 'utf8' }))).toThrow(
      /unionAll: column 2 is "b" utf8 in the first frame but "c" utf8 in input 2/,
    )
    expect(() => base.unionAll(untyped({ a: 'int64', b: 'utf8' }))).toThrow(/column 1 is "a" int32 .* but "a" int64/)
    expect(() => base.unionAll(untyped({ b: 'utf8', a: 'int32' }))).toThrow(/same order/)
    expect(() => base.unionAll(untyped({ a: 'int32' }))).toThrow(/column 2 is "b" utf8 in the first frame but nothing/)
    expect(() => base.unionAll({} as never)).toThrow(/unionAll\(\) takes another DataFrame/)
  })
  test('explain shows the new nodes', () => {
    const text = frame(2).distinct().unionAll(frame(1)).limit(2, 1).explain()
    expect(text).toContain(['Limit: 2 OFFSET 1', '  Union: all (2 inputs)', '    Distinct'].join('\n'))
  })
})
