/**
 * CASE (when / otherwise), LIKE, and the scalar functions through the public API, on both
 * schedulers, optimizer on and off, 1–7 partitions, with DuckDB's answers (checked by hand against
 * DuckDB's documented rules: round half away from zero, 1-based substr, year/month/day as BIGINT).
 */
import { afterAll, describe, expect, test } from 'vitest'
import { col, count, type DType, Expr, fromRecords, lit, shutdown, TsdaskError, when } from '../../src/index.js'
import { runEverywhere } from '../support/every-config.js'

afterAll(() => shutdown())

const day = (iso: string) => new Date(`${iso}T00:00:00.000Z`)
const data = [
  { s: 'hello', x: -2.5, i: -7, d: day('2024-02-29'), t: new Date('1969-12-31T23:59:59.999Z') },
  { s: 'héllo wörld', x: 2.5, i: 1250, d: day('1900-03-01'), t: new Date('2000-01-01T12:00:00Z') },
  { s: null, x: null, i: null, d: null, t: null },
  { s: 'a_b%c', x: 0.125, i: 2147483647, d: day('1970-01-01'), t: new Date('2024-12-31T23:59:59Z') },
]
const schema = { s: 'utf8', x: 'float64', i: 'int32', d: 'date32', t: 'timestamp[ms]' } as const
const frame = (np: number) => fromRecords(data, { schema, npartitions: np })
const pick = (rows: Record<string, unknown>[], name: string) => rows.map((r) => r[name])

describe('CASE', () => {
  test('first true branch wins, null conditions count as false, no ELSE gives null', async () => {
    const rows = await runEverywhere((np) =>
      frame(np)
        .select('x')
        .withColumns({
          size: when(col('x').gt(1), 'big').when(col('x').gt(0), 'small').otherwise('other'),
          noElse: when(col('x').gt(0), col('x').mul(2)),
          nullFirst: when(col('x').isNull(), lit(1)).when(col('x').gt(0), 2.5),
        }),
    )
    expect(pick(rows, 'size')).toEqual(['other', 'big', 'other', 'small'])
    expect(pick(rows, 'noElse')).toEqual([null, 5, null, 0.25])
    // int32 and float64 branches widen to float64.
    expect(pick(rows, 'nullFirst')).toEqual([null, 2.5, 1, 2.5])
  })
  test('branch values are computed only for the rows that take them (no overflow from other rows)', async () => {
    const rows = await runEverywhere((np) =>
      frame(np)
        .select('i')
        .withColumns({ big: when(col('i').lt(1000), col('i').mul(1_000_000)).otherwise(0) }),
    )
    expect(pick(rows, 'big')).toEqual([-7_000_000, 0, 0, 0])
  })
  test('in filters and group keys', async () => {
    const rows = await runEverywhere((np) =>
      frame(np)
        .withColumns({ sign: when(col('x').lt(0), 'neg').when(col('x').gte(0), 'pos') })
        .filter(when(col('s').like('h%'), true).otherwise(false))
        .groupBy('sign')
        .agg({ n: count() }),
    )
    expect(rows).toEqual([
      { sign: 'neg', n: 1n },
      { sign: 'pos', n: 1n },
    ])
  })
  test('type errors: non-bool condition, incompatible branch types', () => {
    const untyped = fromRecords(data, { schema: { ...schema } as Record<string, DType> })
    expect(() => untyped.withColumns({ c: when(col('x'), 1) })).toThrow(TsdaskError)
    expect(() => untyped.withColumns({ c: when(col('x'), 1) })).toThrow(/WHEN condition must be bool, got float64/)
    expect(() => untyped.withColumns({ c: when(col('x').gt(0), 1).otherwise('one') })).toThrow(
      /THEN \/ ELSE values have no common type: int32 and utf8/,
    )
  })
  test('a CASE node without branches (hand-built) is a type error, not a crash', () => {
    const untyped = fromRecords(data, { schema: { ...schema } as Record<string, DType> })
    const empty = new Expr({ kind: 'Case', branches: [], otherwise: null })
    expect(() => untyped.withColumns({ c: empty })).toThrow(/CASE needs at least one WHEN … THEN branch/)
  })
  test('prints as SQL', () => {
    expect(when(col('x').gt(1), 'big').otherwise('small').toString()).toBe(
      "CASE WHEN x > 1 THEN 'big' ELSE 'small' END",
    )
    expect(when(col('a'), 1).when(col('b'), 2).toString()).toBe('CASE WHEN a THEN 1 WHEN b THEN 2 END')
  })
})

describe('LIKE', () => {
  test('% and _, code points, null stays null, NOT LIKE', async () => {
    const rows = await runEverywhere((np) =>
      frame(np)
        .select('s')
        .withColumns({
          a: col('s').like('h%o'),
          b: col('s').like('h_llo%'),
          c: col('s').notLike('%o'),
          d: col('s').like('a_b%c'),
        }),
    )
    expect(pick(rows, 'a')).toEqual([true, false, null, false])
    expect(pick(rows, 'b')).toEqual([true, true, null, false])
    expect(pick(rows, 'c')).toEqual([false, true, null, true])
    expect(pick(rows, 'd')).toEqual([false, false, null, true])
  })
  test('prints as SQL; a pattern must be a string', () => {
    expect(col('s').like("it's%").toString()).toBe("s LIKE 'it''s%'")
    expect(col('s').notLike('a%').toString()).toBe("NOT s LIKE 'a%'")
    expect(() => col('s').like(3 as never)).toThrow(/like expects a string/)
  })
})

describe('scalar functions', () => {
  test('abs, round (half away from zero), floor, ceil keep the dtype', async () => {
    const rows = await runEverywhere((np) =>
      frame(np)
        .select('x', 'i')
        .withColumns({
          ax: col('x').abs(),
          ai: col('i').abs(),
          r: col('x').round(),
          r2: col('x').round(2),
          ri: col('i').round(-2),
          fl: col('x').floor(),
          ce: col('x').ceil(),
        }),
    )
    expect(rows.map(({ x: _x, i: _i, ...rest }) => rest)).toEqual([
      { ax: 2.5, ai: 7, r: -3, r2: -2.5, ri: 0, fl: -3, ce: -2 },
      { ax: 2.5, ai: 1250, r: 3, r2: 2.5, ri: 1300, fl: 2, ce: 3 },
      { ax: null, ai: null, r: null, r2: null, ri: null, fl: null, ce: null },
      { ax: 0.125, ai: 2147483647, r: 0, r2: 0.13, ri: 2147483600, fl: 0, ce: 1 },
    ])
    expect(frame(1).withColumns({ ai: col('i').abs(), r: col('x').round(1) }).schema).toMatchObject({
      ai: 'int32',
      r: 'float64',
    })
  })
  test('substr counts characters from 1; negative starts count from the end', async () => {
    const rows = await runEverywhere((np) =>
      frame(np)
        .select('s')
        .withColumns({ a: col('s').substr(2, 3), b: col('s').substr(-3), c: col('s').substr(0, 2) }),
    )
    expect(pick(rows, 'a')).toEqual(['ell', 'éll', null, '_b%'])
    expect(pick(rows, 'b')).toEqual(['llo', 'rld', null, 'b%c'])
    expect(pick(rows, 'c')).toEqual(['h', 'h', null, 'a'])
  })
  test('year, month, day of dates and timestamps (UTC), int64', async () => {
    const rows = await runEverywhere((np) =>
      frame(np)
        .select('d', 't')
        .withColumns({
          y: col('d').year(),
          m: col('d').month(),
          dd: col('d').day(),
          ty: col('t').year(),
          tm: col('t').month(),
          td: col('t').day(),
        }),
    )
    expect(rows.map(({ d: _d, t: _t, ...rest }) => rest)).toEqual([
      { y: 2024n, m: 2n, dd: 29n, ty: 1969n, tm: 12n, td: 31n },
      { y: 1900n, m: 3n, dd: 1n, ty: 2000n, tm: 1n, td: 1n },
      { y: null, m: null, dd: null, ty: null, tm: null, td: null },
      { y: 1970n, m: 1n, dd: 1n, ty: 2024n, tm: 12n, td: 31n },
    ])
  })
  test('overflow in abs is an error naming the function', async () => {
    const df = fromRecords([{ i: -2147483648 }], { schema: { i: 'int32' } })
    await expect(df.withColumns({ a: col('i').abs() }).toRecords({ scheduler: 'sync' })).rejects.toThrow(
      /int32 overflow in abs/,
    )
  })
  test('type errors name the function and the argument', () => {
    const untyped = fromRecords(data, { schema: { ...schema } as Record<string, DType> })
    expect(() => untyped.withColumns({ a: col('s').abs() })).toThrow(/argument 1 of abs must be a number, got utf8/)
    expect(() => untyped.withColumns({ a: col('x').year() })).toThrow(
      /argument 1 of year must be a date32 or timestamp, got float64/,
    )
    expect(() => untyped.withColumns({ a: col('x').substr(1) })).toThrow(/argument 1 of substr must be a string/)
    expect(() => col('x').round(1.5)).toThrow(/round\(\) digits must be a whole number/)
    expect(() => col('s').substr(1.5)).toThrow(/substr start must be a whole number/)
  })
  test('print as DuckDB calls', () => {
    expect(col('x').abs().toString()).toBe('abs(x)')
    expect(col('x').round().toString()).toBe('round(x)')
    expect(col('x').round(2).toString()).toBe('round(x, 2)')
    expect(col('x').floor().add(col('x').ceil()).toString()).toBe('floor(x) + ceil(x)')
    expect(col('s').substr(2, 3).toString()).toBe('substr(s, 2, 3)')
    expect(col('d').year().toString()).toBe('year(d)')
    expect(col('d').month().toString()).toBe('month(d)')
    expect(col('d').day().toString()).toBe('day(d)')
  })
})
