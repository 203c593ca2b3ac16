/**
 * stddev, variance, median, countDistinct and corr through the public API: every query on both
 * schedulers, optimizer on and off, 1–7 partitions. Expected values are DuckDB's (stddev_samp,
 * var_samp, median = quantile_cont(x, 0.5), count(DISTINCT x), corr).
 */
import { afterAll, describe, expect, test } from 'vitest'
import { col, corr, count, type DType, fromRecords, shutdown, TsdaskError } from '../../src/index.js'
import { expectRoughly, runEverywhere } from '../support/every-config.js'

afterAll(() => shutdown())

const data = [
  { k: 'a', v: 2, f: 2.0, l: 10n, s: 'x' },
  { k: 'a', v: 4, f: null, l: 10n, s: 'y' },
  { k: 'a', v: 4, f: 4.0, l: 11n, s: 'x' },
  { k: 'a', v: 4, f: 4.5, l: null, s: null },
  { k: 'b', v: 5, f: 5.0, l: 1n, s: 'é' },
  { k: 'b', v: 5, f: 5.0, l: 1n, s: 'é' },
  { k: 'b', v: 7, f: -1.0, l: 2n, s: 'E' },
  { k: 'b', v: 9, f: 1.0, l: 3n, s: 'e' },
  { k: 'c', v: null, f: 3.0, l: null, s: null },
  { k: null, v: 1, f: null, l: 5n, s: 'x' },
]
const schema = { k: 'utf8', v: 'int32', f: 'float64', l: 'int64', s: 'utf8' } as const
const frame = (np: number) => fromRecords(data, { schema, npartitions: np })

describe('statistical aggregates by group', () => {
  test('stddev / variance (sample), median (interpolated), countDistinct, corr', async () => {
    const rows = await runEverywhere((np) =>
      frame(np)
        .groupBy('k')
        .agg({
          sd: col('v').stddev(),
          var: col('v').variance(),
          med: col('v').median(),
          medF: col('f').median(),
          nd: col('s').countDistinct(),
          ndL: col('l').countDistinct(),
          r: corr(col('v'), col('f')),
          n: count(),
        }),
    )
    expectRoughly(rows, [
      // v = 2,4,4,4: mean 3.5, Σd² = 3; f = 2,4,4.5 (pairs with v: (2,2),(4,4),(4,4.5))
      { k: 'a', sd: 1, var: 1, med: 4, medF: 4, nd: 2n, ndL: 2n, r: 3 / Math.sqrt((24 / 9) * 3.5), n: 4n },
      // v = 5,5,7,9: mean 6.5, Σd² = 11; f = 5,5,-1,1
      {
        k: 'b',
        sd: Math.sqrt(11 / 3),
        var: 11 / 3,
        med: 6,
        medF: 3,
        nd: 3n,
        ndL: 3n,
        r: -13 / Math.sqrt(11 * 27),
        n: 4n,
      },
      { k: 'c', sd: null, var: null, med: null, medF: 3, nd: 0n, ndL: 0n, r: null, n: 1n },
      { k: null, sd: null, var: null, med: 1, medF: null, nd: 1n, ndL: 1n, r: null, n: 1n },
    ])
  })

  test('global aggregates, aggregates of expressions and arithmetic over aggregates', async () => {
    const rows = await runEverywhere((np) =>
      frame(np).agg({
        sd: col('f').stddev(),
        med2: col('v').mul(2).median(),
        nd: col('k').countDistinct(),
        r2: corr(col('v'), col('l').add(1)).mul(corr(col('v'), col('l').add(1))),
        spread: col('v').max().sub(col('v').median()),
      }),
    )
    const f = [2, 4, 4.5, 5, 5, -1, 1, 3]
    const mean = f.reduce((a, b) => a + b) / f.length
    const sd = Math.sqrt(f.reduce((a, x) => a + (x - mean) ** 2, 0) / (f.length - 1))
    expect(rows).toHaveLength(1)
    expectRoughly(rows[0]!.sd, sd)
    expect(rows[0]).toMatchObject({ med2: 8, nd: 3n, spread: 5 })
    expect(rows[0]!.r2 as number).toBeGreaterThan(0)
    expect(rows[0]!.r2 as number).toBeLessThanOrEqual(1)
  })

  test('over an empty frame: nulls, and count distinct 0', async () => {
    const rows = await runEverywhere((np) =>
      frame(np)
        .filter(col('v').gt(100))
        .agg({
          sd: col('v').stddev(),
          med: col('v').median(),
          nd: col('s').countDistinct(),
          r: corr(col('v'), col('f')),
        }),
    )
    expect(rows).toEqual([{ sd: null, med: null, nd: 0n, r: null }])
  })

  test('many groups and rows: pool and sync agree with a plain-JS reference', async () => {
    const big = Array.from({ length: 5000 }, (_, i) => ({ g: i % 37, x: (i * 7919) % 1000, y: ((i * 31) % 101) - 50 }))
    const rows = await runEverywhere(
      (np) =>
        fromRecords(big, { schema: { g: 'int32', x: 'int32', y: 'int32' }, npartitions: np })
          .groupBy('g')
          .agg({ med: col('x').median(), sd: col('y').stddev(), nd: col('x').countDistinct() }),
      [1, 4],
    )
    expect(rows).toHaveLength(37)
    for (const row of rows) {
      const xs = big.filter((r) => r.g === row.g).map((r) => r.x)
      const ys = big.filter((r) => r.g === row.g).map((r) => r.y)
      const sorted = [...xs].sort((a, b) => a - b)
      const mid = sorted.length >> 1
      const med = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
      const m = ys.reduce((a, b) => a + b) / ys.length
      const sd = Math.sqrt(ys.reduce((a, y) => a + (y - m) ** 2, 0) / (ys.length - 1))
      expectRoughly(row, { g: row.g, med, sd, nd: BigInt(new Set(xs).size) })
    }
  })
})

describe('type errors name the aggregate', () => {
  test('stddev / median / corr of a string column', () => {
    const untyped = fromRecords(data, { schema: { ...schema } as Record<string, DType> })
    expect(() => untyped.agg({ x: col('s').stddev() })).toThrow(TsdaskError)
    expect(() => untyped.agg({ x: col('s').stddev() })).toThrow(/stddev_samp needs a numeric input, got utf8/)
    expect(() => untyped.agg({ x: col('s').median() })).toThrow(/median needs a numeric input, got utf8/)
    expect(() => untyped.agg({ x: corr(col('v'), col('s')) })).toThrow(/corr needs a numeric input, got utf8/)
    expect(() => untyped.withColumns({ x: col('v').variance() })).toThrow(/is an aggregate/)
  })
  test('corr needs two expressions', () => {
    expect(() => corr(col('v'), 3 as never)).toThrow(/corr\(\) takes two expressions/)
  })
})

describe('printing and explain', () => {
  test('DuckDB names', () => {
    expect(col('v').stddev().toString()).toBe('stddev_samp(v)')
    expect(col('v').variance().toString()).toBe('var_samp(v)')
    expect(col('v').median().toString()).toBe('median(v)')
    expect(col('s').countDistinct().toString()).toBe('count(DISTINCT s)')
    expect(corr(col('v'), col('f').add(1)).toString()).toBe('corr(v, f + 1)')
  })
  test('explain shows the aggregate with both of corr’s arguments', () => {
    const text = frame(2)
      .groupBy('k')
      .agg({ r: corr(col('v'), col('f')), nd: col('s').countDistinct() })
      .explain()
    expect(text).toContain('Aggregate: keys=[k] aggs=[r := corr(v, f), nd := count(DISTINCT s)]')
  })
})
