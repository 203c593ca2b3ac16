import { describe, expect, it } from 'vitest'
import { optimizedPlan } from '../../src/api/execute.js'
import type { SqlTable } from '../../src/api/sql.js'
import { col, corr, count, fromRecords, lit, sql, when } from '../../src/index.js'
import { parseSql, printPlan } from '../../src/parse/index.js'
import { explainPlan } from '../../src/plan/explain.js'
import { planSignature } from '../../src/plan/signature.js'

const trips = fromRecords([
  { vendor: 'CMT', fare: 12.5, tip: 2, passengers: 1, day: new Date('2024-01-02T00:00:00Z') },
  { vendor: 'VTS', fare: 8, tip: null, passengers: 2, day: new Date('2024-01-03T00:00:00Z') },
  { vendor: 'CMT', fare: 30, tip: 6, passengers: null, day: new Date('2024-01-03T00:00:00Z') },
  { vendor: null, fare: 5, tip: 1, passengers: 3, day: new Date('2024-01-04T00:00:00Z') },
])
const tables = { trips }
const signature = (frame: SqlTable) => planSignature(frame.plan)

describe('SQL gives the plan the fluent builder gives', () => {
  it.each<[string, SqlTable]>([
    ['SELECT * FROM trips', trips],
    ['SELECT * FROM trips WHERE fare > 10', trips.filter(col('fare').gt(10))],
    [
      "select vendor, fare from trips where fare > 10 and vendor = 'CMT'",
      trips.filter(col('fare').gt(10).and(col('vendor').eq('CMT'))).select('vendor', 'fare'),
    ],
    [
      'SELECT *, tip / fare * 100 AS tipPct FROM trips',
      trips.withColumns({ tipPct: col('tip').div(col('fare')).mul(100) }),
    ],
    [
      'SELECT vendor, sum(fare) AS total, count(*) AS n FROM trips GROUP BY vendor',
      trips.groupBy('vendor').agg({ total: col('fare').sum(), n: count() }),
    ],
    [
      'SELECT vendor, max(fare) - min(tip) AS r FROM trips GROUP BY vendor',
      trips.groupBy('vendor').agg({ r: col('fare').max().sub(col('tip').min()) }),
    ],
    ['SELECT count(*) AS n FROM trips', trips.agg({ n: count() })],
    [
      'SELECT * FROM trips ORDER BY fare DESC NULLS FIRST, vendor',
      trips.sort([{ column: 'fare', descending: true, nullsFirst: true }, 'vendor']),
    ],
    ['SELECT * FROM trips LIMIT 2 OFFSET 1', trips.limit(2, 1)],
    ['SELECT vendor, fare FROM trips ORDER BY 2 LIMIT 3', trips.select('vendor', 'fare').sort('fare').limit(3)],
    [
      'SELECT vendor, sum(fare) AS total FROM trips GROUP BY vendor ORDER BY total DESC LIMIT 1',
      trips
        .groupBy('vendor')
        .agg({ total: col('fare').sum() })
        .sort('total', { descending: true })
        .limit(1),
    ],
    [
      'WITH cheap AS (SELECT * FROM trips WHERE fare < 10) SELECT * FROM cheap WHERE tip IS NULL',
      trips.filter(col('fare').lt(10)).filter(col('tip').isNull()),
    ],
    [
      'SELECT * FROM (SELECT * FROM trips WHERE fare < 10) s WHERE s.tip IS NOT NULL',
      trips.filter(col('fare').lt(10)).filter(col('tip').isNotNull()),
    ],
    [
      "SELECT * FROM trips WHERE day >= DATE '2024-01-03' AND passengers IN (1, 2)",
      trips.filter(
        col('day')
          .gte(lit(new Date('2024-01-03T00:00:00Z'), 'date32'))
          .and(col('passengers').isIn([1, 2])),
      ),
    ],
    [
      'SELECT *, abs(fare) AS a, round(fare) AS r, round(fare, 1) AS r1, floor(fare) AS f, ceil(fare) AS c FROM trips',
      trips.withColumns({
        a: col('fare').abs(),
        r: col('fare').round(),
        r1: col('fare').round(1),
        f: col('fare').floor(),
        c: col('fare').ceil(),
      }),
    ],
    [
      'SELECT *, substr(vendor, 2) AS s, substr(vendor, 1, 2) AS s2, year(day) AS y, month(day) AS m, day(day) AS d FROM trips',
      trips.withColumns({
        s: col('vendor').substr(2),
        s2: col('vendor').substr(1, 2),
        y: col('day').year(),
        m: col('day').month(),
        d: col('day').day(),
      }),
    ],
    [
      "SELECT *, CASE WHEN fare > 20 THEN 'high' WHEN fare > 10 THEN 'mid' ELSE 'low' END AS band FROM trips",
      trips.withColumns({ band: when(col('fare').gt(20), 'high').when(col('fare').gt(10), 'mid').otherwise('low') }),
    ],
    [
      "SELECT *, CASE vendor WHEN 'CMT' THEN 1 WHEN 'VTS' THEN 2 END AS code FROM trips",
      trips.withColumns({ code: when(col('vendor').eq('CMT'), 1).when(col('vendor').eq('VTS'), 2) }),
    ],
    ["SELECT * FROM trips WHERE vendor LIKE 'C_T%'", trips.filter(col('vendor').like('C_T%'))],
    ["SELECT * FROM trips WHERE vendor NOT LIKE '%T'", trips.filter(col('vendor').notLike('%T'))],
    [
      `SELECT vendor, stddev(fare) AS s, stddev_samp(tip) AS s2, variance(fare) AS v, var_samp(tip) AS v2,
         median(fare) AS m, corr(fare, tip) AS c, count(DISTINCT passengers) AS d FROM trips GROUP BY vendor`,
      trips.groupBy('vendor').agg({
        s: col('fare').stddev(),
        s2: col('tip').stddev(),
        v: col('fare').variance(),
        v2: col('tip').variance(),
        m: col('fare').median(),
        c: corr(col('fare'), col('tip')),
        d: col('passengers').countDistinct(),
      }),
    ],
    [
      'SELECT vendor, corr(fare, tip) * 2 AS c2 FROM trips GROUP BY vendor',
      trips.groupBy('vendor').agg({ c2: corr(col('fare'), col('tip')).mul(2) }),
    ],
    ['SELECT DISTINCT * FROM trips', trips.distinct()],
    [
      'SELECT DISTINCT vendor, fare FROM trips ORDER BY fare DESC LIMIT 2',
      trips.select('vendor', 'fare').distinct().sort('fare', { descending: true }).limit(2),
    ],
    [
      'SELECT vendor FROM trips UNION ALL SELECT vendor FROM trips WHERE fare > 10 UNION ALL SELECT vendor FROM trips',
      trips
        .select('vendor')
        .unionAll(trips.filter(col('fare').gt(10)).select('vendor'))
        .unionAll(trips.select('vendor')),
    ],
    [
      'SELECT vendor FROM trips UNION SELECT vendor FROM trips UNION ALL SELECT vendor FROM trips ORDER BY 1 LIMIT 3',
      trips
        .select('vendor')
        .unionAll(trips.select('vendor'))
        .distinct()
        .unionAll(trips.select('vendor'))
        .sort('vendor')
        .limit(3),
    ],
  ])('%s', (query, built) => {
    const parsed = sql(query, { tables })
    expect(explainPlan(parsed.plan)).toBe(explainPlan(built.plan))
    expect(signature(parsed)).toBe(signature(built))
  })

  it.skipIf(process.env.TSDASK_OPTIMIZER === 'off').each<[string, SqlTable]>([
    [
      'SELECT vendor, fare FROM trips WHERE fare > 10 AND tip > 1',
      trips.filter(col('fare').gt(10).and(col('tip').gt(1))).select('vendor', 'fare'),
    ],
    [
      "SELECT DISTINCT vendor, fare FROM trips WHERE vendor LIKE 'C%' ORDER BY fare LIMIT 1",
      trips.filter(col('vendor').like('C%')).select('vendor', 'fare').distinct().sort('fare').limit(1),
    ],
    [
      'SELECT vendor, max(fare) AS m FROM trips GROUP BY vendor UNION SELECT vendor, fare FROM trips WHERE fare > 10',
      trips
        .groupBy('vendor')
        .agg({ m: col('fare').max() })
        .unionAll(trips.filter(col('fare').gt(10)).select('vendor', 'fare').rename({ fare: 'm' }))
        .distinct(),
    ],
  ])('and so the same optimized plan: %s', (query, built) => {
    const parsed = sql(query, { tables })
    expect(planSignature(optimizedPlan(parsed.plan))).toBe(planSignature(optimizedPlan(built.plan)))
  })
})

describe('sql() runs', () => {
  it('scalar functions, CASE and LIKE, with nulls', async () => {
    const frame = sql(
      `SELECT vendor, round(fare / 3, 1) AS third, abs(fare - 10) AS gap, substr(vendor, 2) AS tail, day(day) AS d,
         CASE vendor WHEN 'CMT' THEN 'c' WHEN 'VTS' THEN 'v' END AS code,
         CASE WHEN tip IS NULL THEN -1 ELSE tip END AS t,
         vendor LIKE 'C%' AS c, vendor NOT LIKE '_T_' AS nt
       FROM trips`,
      { tables },
    )
    expect(await frame.toRecords({ scheduler: 'sync' })).toEqual([
      { vendor: 'CMT', third: 4.2, gap: 2.5, tail: 'MT', d: 2n, code: 'c', t: 2, c: true, nt: true },
      { vendor: 'VTS', third: 2.7, gap: 2, tail: 'TS', d: 3n, code: 'v', t: -1, c: false, nt: false },
      { vendor: 'CMT', third: 10, gap: 20, tail: 'MT', d: 3n, code: 'c', t: 6, c: true, nt: true },
      { vendor: null, third: 1.7, gap: 5, tail: null, d: 4n, code: null, t: 1, c: null, nt: null },
    ])
  })

  it('statistical aggregates, corr and count(DISTINCT x) skip nulls', async () => {
    const frame = sql(
      `SELECT vendor, stddev(fare) AS s, var_samp(fare) AS v, median(fare) AS m, corr(fare, tip) AS r,
         count(DISTINCT passengers) AS d
       FROM trips GROUP BY vendor ORDER BY vendor`,
      { tables },
    )
    const rows = await frame.toRecords({ scheduler: 'sync' })
    expect(rows.map((r) => [r.vendor, r.v, r.m, r.r, r.d])).toEqual([
      ['CMT', 153.125, 21.25, 1, 1n],
      ['VTS', null, 8, null, 1n],
      // One (fare, tip) pair: zero variance, so NaN as in DuckDB (null only without any pair).
      [null, null, 5, Number.NaN, 1n],
    ])
    expect(rows[0]?.s).toBeCloseTo(Math.sqrt(153.125), 12)
  })

  it('SELECT DISTINCT keeps one row per distinct select list, nulls equal', async () => {
    const frame = sql('SELECT DISTINCT vendor FROM trips ORDER BY vendor DESC NULLS FIRST', { tables })
    expect(await frame.toRecords({ scheduler: 'sync' })).toEqual([
      { vendor: null },
      { vendor: 'VTS' },
      { vendor: 'CMT' },
    ])
  })

  it('UNION removes duplicates, UNION ALL keeps them, later inputs take the first names', async () => {
    const frame = sql(
      `SELECT vendor AS v, fare FROM trips UNION SELECT vendor, fare FROM trips
       UNION ALL SELECT vendor, fare FROM trips WHERE vendor IS NULL
       ORDER BY v NULLS FIRST, 2 DESC`,
      { tables },
    )
    expect(frame.columns).toEqual(['v', 'fare'])
    expect(await frame.toRecords({ scheduler: 'sync' })).toEqual([
      { v: null, fare: 5 },
      { v: null, fare: 5 },
      { v: 'CMT', fare: 30 },
      { v: 'CMT', fare: 12.5 },
      { v: 'VTS', fare: 8 },
    ])
  })

  it('group, having, order and limit, with SQL null semantics', async () => {
    const frame = sql(
      `SELECT vendor, count(*) AS n, sum(fare) AS total, avg(tip) AS "avg tip"
       FROM trips WHERE fare >= 5 GROUP BY vendor HAVING count(*) >= 1 ORDER BY total DESC`,
      { tables },
    )
    expect(await frame.toRecords({ scheduler: 'sync' })).toEqual([
      { vendor: 'CMT', n: 2n, total: 42.5, 'avg tip': 4 },
      { vendor: 'VTS', n: 1n, total: 8, 'avg tip': null },
      { vendor: null, n: 1n, total: 5, 'avg tip': 1 },
    ])
  })

  it('output names: the alias, the column name, or the printed expression', () => {
    const frame = sql('SELECT vendor, fare * 2, fare AS f, count(*) FROM trips GROUP BY vendor, fare', { tables })
    expect(frame.columns).toEqual(['vendor', 'fare * 2', 'f', 'count(*)'])
  })

  it('ORDER BY an input column that is not selected', async () => {
    const frame = sql('SELECT vendor FROM trips ORDER BY fare DESC', { tables })
    expect(frame.columns).toEqual(['vendor'])
    expect((await frame.toRecords({ scheduler: 'sync' })).map((r) => r.vendor)).toEqual(['CMT', 'CMT', 'VTS', null])
  })

  describe('GROUP BY an expression groups by a column computed below the aggregate', () => {
    const run = (query: string) => sql(query, { tables }).toRecords({ scheduler: 'sync' })

    it("the plan is the builder's withColumns then groupBy", () => {
      const frame = sql('SELECT year(day), count(*) AS n FROM trips GROUP BY year(day)', { tables })
      const builder = trips
        .withColumns({ 'year(day)': col('day').year() })
        .groupBy('year(day)')
        .agg({ n: count() })
      expect(signature(frame)).toBe(signature(builder))
      expect(frame.columns).toEqual(['year(day)', 'n'])
    })

    it('by ordinal, by alias, or repeated: the select item reads the key', async () => {
      const expected = [
        { big: false, n: 2n, total: 13 },
        { big: true, n: 2n, total: 42.5 },
      ]
      expect(
        await run('SELECT fare > 10 AS big, count(*) AS n, sum(fare) AS total FROM trips GROUP BY 1 ORDER BY 1'),
      ).toEqual(expected)
      expect(
        await run('SELECT fare > 10 AS big, count(*) AS n, sum(fare) AS total FROM trips GROUP BY big ORDER BY big'),
      ).toEqual(expected)
      expect(
        await run(
          'SELECT fare > 10 AS big, count(*) AS n, sum(fare) AS total FROM trips GROUP BY fare > 10 ORDER BY big',
        ),
      ).toEqual(expected)
    })

    it('null keys form their own group, and expressions over several keys are allowed', async () => {
      expect(await run('SELECT tip * 2 AS t2, count(*) AS n FROM trips GROUP BY tip * 2 ORDER BY t2')).toEqual([
        { t2: 2, n: 1n },
        { t2: 4, n: 1n },
        { t2: 12, n: 1n },
        { t2: null, n: 1n },
      ])
      expect(
        await run(
          'SELECT year(day) * 100 + day(day) AS yd, count(*) AS n FROM trips GROUP BY year(day), day(day) HAVING count(*) > 1',
        ),
      ).toEqual([{ yd: 202403n, n: 2n }])
    })

    it('a key named like an input column does not replace that column under the aggregate', async () => {
      expect(await run('SELECT fare + 1 AS fare, sum(fare) AS s FROM trips GROUP BY 1 ORDER BY s')).toEqual([
        { fare: 6, s: 5 },
        { fare: 9, s: 8 },
        { fare: 13.5, s: 12.5 },
        { fare: 31, s: 30 },
      ])
    })

    it('a key given twice groups once, as in DuckDB (found by the DuckDB differential test)', async () => {
      const expected = [
        { vendor: 'CMT', v: 'CMT', n: 2n },
        { vendor: 'VTS', v: 'VTS', n: 1n },
        { vendor: null, v: null, n: 1n },
      ]
      expect(
        await run('SELECT vendor, vendor AS v, count(*) AS n FROM trips GROUP BY 1, v ORDER BY n DESC, 1'),
      ).toEqual(expected)
      expect(
        await run('SELECT vendor, vendor AS v, count(*) AS n FROM trips GROUP BY vendor, vendor ORDER BY n DESC, 1'),
      ).toEqual(expected)
      expect(await run('SELECT tip * 2 AS a, tip * 2 AS b FROM trips GROUP BY a, b ORDER BY a')).toEqual([
        { a: 2, b: 2 },
        { a: 4, b: 4 },
        { a: 12, b: 12 },
        { a: null, b: null },
      ])
    })

    it('a column outside the key expression, or an aggregate as a key, is an error naming it', () => {
      expect(() => sql('SELECT year(day), fare FROM trips GROUP BY year(day)', { tables })).toThrow(
        'column "fare" must appear in GROUP BY or be used in an aggregate function (in `fare`)',
      )
      expect(() => sql('SELECT count(*) AS n FROM trips GROUP BY 1', { tables })).toThrow(
        'GROUP BY cannot use an aggregate (`count(*)`); filter on aggregates with HAVING',
      )
    })
  })

  it('HAVING on an aggregate that is not selected', async () => {
    const frame = sql('SELECT vendor FROM trips GROUP BY vendor HAVING sum(fare) > 10', { tables })
    expect(await frame.toRecords({ scheduler: 'sync' })).toEqual([{ vendor: 'CMT' }])
  })

  it('division is float division and nulls sort last, as in DuckDB', async () => {
    const frame = sql('SELECT passengers / 2 AS half FROM trips ORDER BY half DESC', { tables })
    expect((await frame.toRecords({ scheduler: 'sync' })).map((r) => r.half)).toEqual([1.5, 1, 0.5, null])
  })

  it('names resolve case-insensitively when there is no exact match', () => {
    expect(sql('SELECT FARE FROM TRIPS', { tables }).columns).toEqual(['fare'])
  })

  it('rejects tables that are not DataFrames', () => {
    expect(() => sql('SELECT * FROM t', { tables: { t: {} as never } })).toThrow(/tables\.t is not a DataFrame/)
  })
})

describe('printPlan', () => {
  it.each([
    'SELECT vendor, fare * 2 AS double FROM trips WHERE fare > 10 ORDER BY double DESC LIMIT 5',
    'SELECT vendor, sum(fare) AS total FROM trips GROUP BY vendor ORDER BY total DESC NULLS FIRST LIMIT 2 OFFSET 1',
    'SELECT vendor, max(fare) - min(tip) AS r FROM trips GROUP BY vendor HAVING count(*) > 1',
    'WITH x AS (SELECT vendor, fare FROM trips) SELECT vendor FROM x ORDER BY fare',
    'SELECT * FROM trips',
    'SELECT DISTINCT vendor, round(fare, 1) AS r FROM trips ORDER BY r DESC LIMIT 2',
    'SELECT DISTINCT * FROM trips',
    'SELECT vendor, corr(fare, tip) AS c, count(DISTINCT passengers) AS d, median(fare) AS m FROM trips GROUP BY vendor',
    "SELECT CASE vendor WHEN 'CMT' THEN 1 END AS k FROM trips WHERE vendor NOT LIKE 'V%'",
    'SELECT vendor FROM trips UNION ALL SELECT vendor FROM trips UNION SELECT vendor FROM trips',
    'SELECT vendor FROM trips UNION SELECT vendor FROM trips UNION ALL SELECT vendor FROM trips ORDER BY 1 LIMIT 2',
    'SELECT tip FROM trips UNION ALL SELECT * FROM (SELECT tip FROM trips UNION SELECT passengers FROM trips) u',
  ])('%s prints to SQL that parses back to the same plan', (query) => {
    const plan = parseSql(query, { trips: trips.plan })
    const printed = printPlan(plan, { tableName: () => 'trips' })
    expect(planSignature(parseSql(printed, { trips: trips.plan }))).toBe(planSignature(plan))
  })

  it('reads like the query for a simple block', () => {
    const plan = parseSql('select vendor, fare * 2 as double from trips where fare > 10 order by double desc limit 5', {
      trips: trips.plan,
    })
    expect(printPlan(plan, { tableName: () => 'trips' })).toBe(
      'SELECT vendor, fare * 2 AS double FROM trips WHERE fare > 10 ORDER BY double DESC LIMIT 5',
    )
  })
})

describe('string expressions in the DataFrame API', () => {
  it('filter, withColumns and agg take strings and build the builder plan', () => {
    expect(signature(trips.filter("fare > 10 and vendor == 'CMT'"))).toBe(
      signature(trips.filter(col('fare').gt(10).and(col('vendor').eq('CMT')))),
    )
    expect(signature(trips.withColumns({ tipPct: 'tip / fare * 100' }))).toBe(
      signature(trips.withColumns({ tipPct: col('tip').div(col('fare')).mul(100) })),
    )
    expect(signature(trips.groupBy('vendor').agg({ total: 'sum(fare)', n: 'count(*)' }))).toBe(
      signature(trips.groupBy('vendor').agg({ total: col('fare').sum(), n: count() })),
    )
    expect(signature(trips.agg({ n: 'count(*)' }))).toBe(signature(trips.agg({ n: count() })))
  })

  it('a string column is typed as any dtype, checked at run time', async () => {
    const withPct = trips.withColumns({ tipPct: 'tip / fare * 100' })
    expect(withPct.schema.tipPct).toBe('float64')
    const rows = await withPct
      .filter('tipPct > 16 and vendor is not null')
      .select('vendor', 'tipPct')
      .toRecords({ scheduler: 'sync' })
    expect(rows).toEqual([{ vendor: 'CMT', tipPct: 20 }])
  })

  it('an unknown column in a string points at it and suggests the closest name', () => {
    expect(() => trips.filter('fair > 10')).toThrowErrorMatchingInlineSnapshot(`
      [TsdaskError: Unknown column "fair" in filter at line 1, column 1. Did you mean "fare"? Available columns: "vendor", "fare", "tip", "passengers", "day".
        fair > 10
        ^]
    `)
  })

  it('a type error names the expression', () => {
    expect(() => trips.filter("vendor + 1 > 'a'")).toThrow(
      /Type error in `vendor \+ 1`: arithmetic needs numeric operands/,
    )
  })
})
