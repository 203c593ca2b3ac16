/**
 * Errors are results: a query that works as written works optimized, and one that fails as
 * written fails optimized. The right side of AND / OR, later COALESCE arguments and untaken CASE
 * branches never fail on rows that do not reach them, and stacked filters stay stacked when the
 * optimizer merges them, pushes them into a scan or folds them. Every query runs on both
 * schedulers, with and without the optimizer, over several partition counts (every-config.ts).
 */
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { coalesce, col, count, fromRecords, lit, readCsv, shutdown, sql, when } from '../../src/index.js'
import { tempDir } from '../io/csv/helpers.js'
import { failsEverywhere, runEverywhere } from '../support/every-config.js'

afterAll(() => shutdown())

const CAST_NA = /cannot cast "N\/A" to int32/

describe('the issue: merging filters must not turn a working query into an error', () => {
  test("filter(s <> 'N/A').filter(cast(s) > 5) gives [{ s: '7' }]", async () => {
    const rows = await runEverywhere(() =>
      fromRecords([{ s: 'N/A' }, { s: '7' }])
        .filter(col('s').neq('N/A'))
        .filter(col('s').cast('int32').gt(5)),
    )
    expect(rows).toEqual([{ s: '7' }])
  })

  test('a null in the first filter rejects its row before the second filter sees it', async () => {
    const data = [
      { s: 'N/A', n: null },
      { s: '7', n: 2 },
      { s: '1', n: 3 },
    ]
    const frame = (np: number) => fromRecords(data, { schema: { s: 'utf8', n: 'int32' }, npartitions: np })
    expect(await runEverywhere((np) => frame(np).filter(col('n').gt(1)).filter(col('s').cast('int32').gt(5)))).toEqual([
      { s: '7', n: 2 },
    ])
    // The same through the fused filter → partial aggregate.
    const agg = await runEverywhere((np) =>
      frame(np)
        .filter(col('n').gt(1))
        .filter(col('s').cast('int32').gt(0))
        .groupBy('n')
        .agg({ rows: count(), total: col('s').cast('int32').sum() }),
    )
    expect(agg).toEqual([
      { n: 2, rows: 1n, total: 7n },
      { n: 3, rows: 1n, total: 1n },
    ])
  })

  test('in SQL, one WHERE with AND reads as the stacked filters', async () => {
    const t = fromRecords([{ s: 'N/A' }, { s: '7' }, { s: '3' }])
    const rows = await runEverywhere(() =>
      sql("SELECT s FROM t WHERE s <> 'N/A' AND CAST(s AS INTEGER) > 5", { tables: { t } }),
    )
    expect(rows).toEqual([{ s: '7' }])
  })
})

describe('short-circuit values', () => {
  const data = [{ s: 'N/A' }, { s: '7' }, { s: null }, { s: '3' }]
  const frame = (np: number) => fromRecords(data, { schema: { s: 'utf8' }, npartitions: np })
  const parsed = col('s').cast('int32')

  test('AND, OR, CASE and COALESCE in a projection', async () => {
    const rows = await runEverywhere((np) =>
      frame(np).withColumns({
        and: col('s').neq('N/A').and(parsed.gt(5)),
        or: col('s').eq('N/A').or(parsed.gt(5)),
        when: when(col('s').neq('N/A'), parsed),
        first: coalesce(when(col('s').eq('N/A'), lit(-1)), parsed),
      }),
    )
    expect(rows).toEqual([
      { s: 'N/A', and: false, or: true, when: null, first: -1 },
      { s: '7', and: true, or: true, when: 7, first: 7 },
      { s: null, and: null, or: null, when: null, first: null },
      { s: '3', and: false, or: false, when: 3, first: 3 },
    ])
  })

  test('an operand that does run on a bad value still fails, optimized or not', async () => {
    await failsEverywhere((np) => frame(np).withColumns({ bad: col('s').neq('x').and(parsed.gt(5)) }), CAST_NA)
    await failsEverywhere((np) => frame(np).filter(col('s').neq('x')).filter(parsed.gt(5)), CAST_NA)
  })

  test('a constant that cannot be cast fails only where it is evaluated', async () => {
    const bad = lit('x').cast('int32')
    const rows = await runEverywhere((np) =>
      frame(np).withColumns({
        never: when(lit(false), bad).otherwise(lit(0)),
        skipped: lit(false).and(bad.gt(1)),
        dead: when(col('s').eq('none of these'), bad),
      }),
    )
    expect(rows.map((r) => [r.never, r.skipped, r.dead])).toEqual(Array(4).fill([0, false, null]))
    expect(await runEverywhere((np) => frame(np).filter(lit(false)).withColumns({ v: bad }))).toEqual([])
    await failsEverywhere((np) => frame(np).withColumns({ v: bad }), /cannot cast "x" to int32/)
  })
})

describe('pushdown keeps a fallible conjunct behind one that stays', () => {
  const data = [
    { s: 'N/A', fare: 5 },
    { s: '7', fare: 20 },
    { s: '2', fare: 30 },
  ]
  const banded = (np: number) =>
    fromRecords(data, { npartitions: np }).withColumns({
      band: when(col('fare').gt(10), lit('high')).otherwise(lit('low')),
    })

  test("band = 'high' AND cast(s) > 5 over a CASE column", async () => {
    const rows = await runEverywhere((np) =>
      banded(np).filter(col('band').eq('high').and(col('s').cast('int32').gt(5))),
    )
    expect(rows).toEqual([{ s: '7', fare: 20, band: 'high' }])
  })
})

describe('CSV: filters applied while parsing run in order too', () => {
  const dir = tempDir()
  const file = path.join(dir, 'codes.csv')
  writeFileSync(file, 's,n,fare\nN/A,,5\n7,2,20\n2,3,30\nx,1,40\n')
  const csv = () => readCsv(file, { schema: { s: 'utf8', n: 'int32', fare: 'float64' }, blocksize: 12 })

  test('stacked filters, a null first conjunct, and a CASE column that stays above', async () => {
    expect(
      await runEverywhere(() =>
        csv().filter(col('s').neq('N/A')).filter(col('s').neq('x')).filter(col('s').cast('int32').gt(5)),
      ),
    ).toEqual([{ s: '7', n: 2, fare: 20 }])
    expect(await runEverywhere(() => csv().filter(col('n').gt(1)).filter(col('s').cast('int32').gt(5)))).toEqual([
      { s: '7', n: 2, fare: 20 },
    ])
    const banded = await runEverywhere(() =>
      csv()
        .withColumns({ band: when(col('n').gt(1), lit('high')).otherwise(lit('low')) })
        .filter(col('band').eq('high').and(col('s').cast('int32').gt(5)))
        .select('s'),
    )
    expect(banded).toEqual([{ s: '7' }])
  })
})
