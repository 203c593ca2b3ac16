/** quantile(q) as an exact aggregate: builder and SQL, continuous and discrete, across partitions. */
import { describe, expect, test } from 'vitest'
import { col, fromRecords, sql, TsdaskError } from '../../src/index.js'
import { runEverywhere } from '../support/every-config.js'

const values = [3, null, 1, 4, 1, 5, 9, 2, 6, Number.NaN, 5, 3]
const rows = values.map((v, i) => ({
  g: i % 2 === 0 ? 'even' : 'odd',
  v,
  n: v === null || Number.isNaN(v) ? null : BigInt(v),
}))
const schema = { g: 'utf8', v: 'float64', n: 'int64' } as const
/** As DuckDB computes it in doubles: lo + (hi - lo) * (rn - floor(rn)) with rn = 9 * 0.9 (6.299999999999999). */
const Q90 = 6 + (9 - 6) * (9 * 0.9 - 8)
const frame = (npartitions: number) => fromRecords(rows, { schema, npartitions })

function thrown(f: () => unknown): TsdaskError {
  try {
    f()
  } catch (error) {
    if (error instanceof TsdaskError) return error
    throw error
  }
  throw new Error('expected a TsdaskError')
}

describe('quantile', () => {
  test('DuckDB values: linear interpolation and discrete, NaN sorting last, over any partitioning', async () => {
    // n over {1,1,2,3,3,4,5,5,6,9} (10 values): quantile_cont(0.9) = 6 + (9 - 6) * 0.1 = 6.3.
    const got = await runEverywhere((np) =>
      frame(np).agg({
        q0: col('n').quantile(0),
        q25: col('n').quantile(0.25),
        q50: col('n').quantile(0.5),
        med: col('n').median(),
        q90: col('n').quantile(0.9),
        q100: col('n').quantile(1),
        d30: col('n').quantile(0.3, 'discrete'),
        d50: col('n').quantile(0.5, 'discrete'),
        d90: col('n').quantile(0.9, 'discrete'),
        d0: col('n').quantile(0, 'discrete'),
        vmax: col('v').quantile(1),
      }),
    )
    expect(got).toEqual([
      { q0: 1, q25: 2.25, q50: 3.5, med: 3.5, q90: Q90, q100: 9, d30: 2, d50: 3, d90: 6, d0: 1, vmax: Number.NaN },
    ])
  })

  test('per group, and null for a group without values', async () => {
    const got = await runEverywhere((np) =>
      frame(np)
        .groupBy('g')
        .agg({ p: col('n').quantile(0.75) }),
    )
    // even: 3 1 1 9 6 5 → 1 1 3 5 6 9: rn = 3.75 → 5 + 0.75 = 5.75; odd: 4 5 2 3 (null, NaN skipped/excluded) → 2 3 4 5: rn 2.25 → 4.25
    expect(got.map((r) => r.p)).toEqual([5.75, 4.25])
    const empty = await fromRecords([{ x: null }], { schema: { x: 'int32' } })
      .agg({ q: col('x').quantile(0.5) })
      .toRecords({ scheduler: 'sync' })
    expect(empty).toEqual([{ q: null }])
  })

  test('SQL: quantile_cont, quantile_disc and quantile (= quantile_disc, as in DuckDB)', async () => {
    const t = frame(3)
    const got = await sql(
      'select quantile_cont(n, 0.9) as c, quantile_disc(n, 0.9) as d, quantile(n, 0.5) as q, median(n) as m from t',
      { tables: { t } },
    ).toRecords({ scheduler: 'sync' })
    expect(got).toEqual([{ c: Q90, d: 6, q: 3, m: 3.5 }])
  })

  test('different fractions of one column stay different aggregates (optimizer, keys)', async () => {
    const got = await runEverywhere((np) =>
      frame(np).agg({ a: col('n').quantile(0.1), b: col('n').quantile(0.9), c: col('n').quantile(0.9, 'discrete') }),
    )
    expect(got).toEqual([{ a: 1, b: Q90, c: 6 }])
  })

  test('errors: q outside [0, 1], a non-numeric column, a bad method, SQL without a literal fraction', () => {
    expect(thrown(() => col('n').quantile(1.5)).message).toMatch(/between 0 and 1/)
    expect(thrown(() => col('n').quantile(-0.1)).message).toMatch(/between 0 and 1/)
    expect(thrown(() => col('n').quantile(Number.NaN)).message).toMatch(/between 0 and 1/)
    expect(thrown(() => col('n').quantile(0.5, 'nearest' as 'linear')).message).toMatch(/'linear'.*'discrete'/)
    expect(thrown(() => frame(1).agg({ q: col('g').quantile(0.5) as never })).message).toMatch(/numeric/)
    const t = frame(1)
    expect(thrown(() => sql('select quantile_cont(n, 2) from t', { tables: { t } })).message).toMatch(/between 0 and 1/)
    expect(thrown(() => sql('select quantile_cont(n, g) from t', { tables: { t } })).message).toMatch(/number literal/)
    expect(thrown(() => sql('select quantile_cont(n) from t', { tables: { t } })).message).toMatch(/quantile_cont/)
  })

  test('explain prints the fraction', () => {
    expect(
      frame(2)
        .agg({ p: col('n').quantile(0.9) })
        .explain(),
    ).toMatch(/quantile_cont\(n, 0\.9\)/)
  })
})
