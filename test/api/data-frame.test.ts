/**
 * The DataFrame API as a user meets it: frames from records, every transformation, results as
 * rows and as Arrow tables, persist, explain. Most tests run on the sync scheduler (fast, same
 * results by contract); the last block repeats the main pipelines on the shared worker pool.
 */
import { Dictionary, Int32, Table, Utf8, vectorFromArray } from 'apache-arrow'
import { afterAll, describe, expect, test } from 'vitest'
import { coalesce, col, count, type DataFrame, fromArrow, fromRecords, lit, shutdown } from '../../src/index.js'
import { EVERY_DTYPE } from '../support/plan-builders.js'

afterAll(() => shutdown())

const sync = { scheduler: 'sync' } as const
const day = (iso: string) => new Date(`${iso}T00:00:00.000Z`)

const everyDType = EVERY_DTYPE

const everyDTypeRows = [
  { b: true, i: 1, l: 10n, f: 1.5, s: 'a', d: day('2024-01-01'), t: new Date('2024-01-01T10:20:30.456Z') },
  { b: null, i: null, l: null, f: null, s: null, d: null, t: null },
  { b: false, i: -2147483648, l: -(2n ** 63n), f: -0.25, s: 'ünï', d: day('1969-12-31'), t: new Date(0) },
  { b: true, i: 2147483647, l: 2n ** 63n - 1n, f: 1e300, s: '', d: day('2100-02-28'), t: new Date(-1) },
]

/** Sales: three groups plus a null group, a null value in each aggregated column. */
const sales = fromRecords(
  [
    { k: 'b', v: 4, w: 2.5 },
    { k: 'a', v: 1, w: 0.5 },
    { k: null, v: 7, w: null },
    { k: 'a', v: null, w: 1.5 },
    { k: 'c', v: null, w: null },
    { k: 'b', v: 6, w: -1 },
    { k: 'a', v: 3, w: 2 },
  ],
  { schema: { k: 'utf8', v: 'int32', w: 'float64' }, npartitions: 3 },
)

describe('fromRecords', () => {
  test('round-trips every dtype, with nulls, through toRecords', async () => {
    const df = fromRecords(everyDTypeRows, { schema: everyDType, npartitions: 2 })
    expect(df.schema).toEqual(everyDType)
    expect(df.npartitions).toBe(2)
    expect(await df.toRecords(sync)).toEqual(everyDTypeRows)
  })

  test('infers dtypes from values: int32 when it fits, float64, bigint → int64, Date → timestamp[ms]', () => {
    const df = fromRecords([
      { small: 1, big: 2 ** 40, frac: 1, n: 1n, s: 'x', ok: true, at: new Date(5), empty: null },
      { small: null, big: 1, frac: 0.5, n: 2n, s: 'y', ok: false, at: null, empty: null },
    ])
    expect(df.schema).toEqual({
      small: 'int32',
      big: 'float64',
      frac: 'float64',
      n: 'int64',
      s: 'utf8',
      ok: 'bool',
      at: 'timestamp[ms]',
      empty: 'utf8',
    })
  })

  test('a missing key is a null; date32 truncates to the day', async () => {
    const df = fromRecords([{ a: 1, d: new Date('2024-05-06T23:59:59Z') }, { d: null }], {
      schema: { a: 'int32', d: 'date32' },
    })
    expect(await df.toRecords(sync)).toEqual([
      { a: 1, d: day('2024-05-06') },
      { a: null, d: null },
    ])
  })

  test('more partitions than rows gives one partition a row; zero rows is an empty frame', async () => {
    expect(fromRecords([{ a: 1 }, { a: 2 }], { npartitions: 10 }).npartitions).toBe(2)
    const empty = fromRecords([] as { a: number }[], { schema: { a: 'int32' } })
    expect(await empty.toRecords(sync)).toEqual([])
    const table = await empty.compute(sync)
    expect(table.numRows).toBe(0)
    expect(table.schema.fields.map((f) => f.name)).toEqual(['a'])
  })
})

describe('row-wise transformations', () => {
  test('filter keeps rows where the predicate is true; null counts as false', async () => {
    expect(await sales.filter(col('v').gt(3)).toRecords(sync)).toEqual([
      { k: 'b', v: 4, w: 2.5 },
      { k: null, v: 7, w: null },
      { k: 'b', v: 6, w: -1 },
    ])
    // v > 3 is null where v is null; NOT(null) is null, so those rows are dropped by both.
    expect(await sales.filter(col('v').gt(3).not()).toRecords(sync)).toEqual([
      { k: 'a', v: 1, w: 0.5 },
      { k: 'a', v: 3, w: 2 },
    ])
  })

  test('and / or follow Kleene logic: false AND null = false, true OR null = true', async () => {
    const df = fromRecords(
      [
        { x: true, y: null },
        { x: false, y: null },
        { x: null, y: null },
      ],
      { schema: { x: 'bool', y: 'bool' } },
    )
    const rows = await df
      .withColumns({ and: col('x').and(col('y')), or: col('x').or(col('y')), not: col('y').not() })
      .toRecords(sync)
    expect(rows.map((r) => [r.and, r.or, r.not])).toEqual([
      [null, true, null],
      [false, null, null],
      [null, null, null],
    ])
  })

  test('select picks and orders columns; drop removes them; rename renames in place', async () => {
    expect(sales.select('w', 'k').columns).toEqual(['w', 'k'])
    expect(await sales.select('w', 'k').head(1).toRecords(sync)).toEqual([{ w: 2.5, k: 'b' }])
    expect(sales.drop('v').columns).toEqual(['k', 'w'])
    const renamed = sales.rename({ k: 'key', w: 'weight' })
    expect(renamed.columns).toEqual(['key', 'v', 'weight'])
    expect(await renamed.head(1).toRecords(sync)).toEqual([{ key: 'b', v: 4, weight: 2.5 }])
  })

  test('withColumns appends new columns and replaces existing ones in place', async () => {
    const df = sales.withColumns({ v: col('v').mul(10), vw: col('v').add(col('w')), one: lit(1) })
    expect(df.schema).toEqual({ k: 'utf8', v: 'int32', w: 'float64', vw: 'float64', one: 'int32' })
    expect((await df.toRecords(sync)).slice(0, 3)).toEqual([
      { k: 'b', v: 40, w: 2.5, vw: 6.5, one: 1 },
      { k: 'a', v: 10, w: 0.5, vw: 1.5, one: 1 },
      { k: null, v: 70, w: null, vw: null, one: 1 },
    ])
  })

  // Each partition dictionary-encodes with its own dictionary id; the table must still assemble.
  test('a string literal column over several partitions', async () => {
    const df = fromRecords([{ a: 1 }, { a: 2 }], { npartitions: 2 }).withColumns({ tag: lit('t') })
    expect(await df.toRecords(sync)).toEqual([
      { a: 1, tag: 't' },
      { a: 2, tag: 't' },
    ])
  })

  test('a dictionary-encoded string column over several partitions', async () => {
    const table = new Table({
      s: vectorFromArray(['x', 'y', 'x', 'z'], new Dictionary(new Utf8(), new Int32())),
      n: vectorFromArray([1, 2, 3, 4], new Int32()),
    })
    const df = fromArrow(table, { npartitions: 2 }).select('s')
    expect(await df.toRecords(sync)).toEqual([{ s: 'x' }, { s: 'y' }, { s: 'x' }, { s: 'z' }])
  })

  test('division is always float64 and x / 0 is null; % 0 is null', async () => {
    const df = fromRecords(
      [
        { a: 7, b: 2 },
        { a: 7, b: 0 },
        { a: -7, b: 2 },
      ],
      { schema: { a: 'int32', b: 'int32' } },
    )
    const out = df.withColumns({ q: col('a').div(col('b')), r: col('a').mod(col('b')) })
    expect(out.schema.q).toBe('float64')
    expect(out.schema.r).toBe('int32')
    expect((await out.toRecords(sync)).map((r) => [r.q, r.r])).toEqual([
      [3.5, 1],
      [null, null],
      [-3.5, -1],
    ])
  })

  test('string functions, isNull, coalesce, isIn, between, cast', async () => {
    const out = await sales
      .withColumns({
        up: col('k').upper(),
        len: col('k').length(),
        missing: col('v').isNull(),
        filled: coalesce(col('v'), 0),
        inAB: col('k').isIn(['a', 'b']),
        mid: col('v').between(2, 6),
        text: col('v').cast('utf8'),
      })
      .select('up', 'len', 'missing', 'filled', 'inAB', 'mid', 'text')
      .toRecords(sync)
    expect(out.slice(0, 4)).toEqual([
      { up: 'B', len: 1, missing: false, filled: 4, inAB: true, mid: true, text: '4' },
      { up: 'A', len: 1, missing: false, filled: 1, inAB: true, mid: false, text: '1' },
      { up: null, len: null, missing: false, filled: 7, inAB: null, mid: false, text: '7' },
      { up: 'A', len: 1, missing: true, filled: 0, inAB: true, mid: null, text: null },
    ])
  })

  test('frames are immutable: a method returns a new frame and leaves the old one as it was', async () => {
    const filtered = sales.filter(col('v').gt(100))
    expect(filtered).not.toBe(sales)
    expect(await filtered.toRecords(sync)).toEqual([])
    expect(await sales.toRecords(sync)).toHaveLength(7)
  })
})

describe('groupBy().agg()', () => {
  test('sum, mean, count(col), count(), min, max per group; groups sorted by key, null last', async () => {
    const rows = await sales
      .groupBy('k')
      .agg({
        total: col('v').sum(),
        avg: col('w').mean(),
        seen: col('v').count(),
        n: count(),
        lo: col('v').min(),
        hi: col('w').max(),
      })
      .toRecords(sync)
    expect(rows).toEqual([
      { k: 'a', total: 4n, avg: 4 / 3, seen: 2n, n: 3n, lo: 1, hi: 2 },
      { k: 'b', total: 10n, avg: 0.75, seen: 2n, n: 2n, lo: 4, hi: 2.5 },
      // every input is null: sum / mean / min / max are null, count is 0
      { k: 'c', total: null, avg: null, seen: 0n, n: 1n, lo: null, hi: null },
      { k: null, total: 7n, avg: null, seen: 1n, n: 1n, lo: 7, hi: null },
    ])
  })

  test('outputs may combine aggregates: max(v) - min(w), sum / count', async () => {
    const rows = await sales
      .groupBy('k')
      .agg({ spread: col('v').max().sub(col('w').min()), ratio: col('v').sum().div(count()) })
      .toRecords(sync)
    expect(rows).toEqual([
      { k: 'a', spread: 2.5, ratio: 4 / 3 },
      { k: 'b', spread: 7, ratio: 5 },
      { k: 'c', spread: null, ratio: null },
      { k: null, spread: null, ratio: 7 },
    ])
  })

  test('several keys, including a null in one of them', async () => {
    const df = fromRecords(
      [
        { a: 2, b: 'x', v: 1 },
        { a: 1, b: 'y', v: 2 },
        { a: 1, b: null, v: 3 },
        { a: 1, b: 'x', v: 4 },
        { a: 2, b: 'x', v: 5 },
      ],
      { schema: { a: 'int32', b: 'utf8', v: 'int32' }, npartitions: 2 },
    )
    expect(
      await df
        .groupBy('a', 'b')
        .agg({ s: col('v').sum() })
        .toRecords(sync),
    ).toEqual([
      { a: 1, b: 'x', s: 4n },
      { a: 1, b: 'y', s: 2n },
      { a: 1, b: null, s: 3n },
      { a: 2, b: 'x', s: 6n },
    ])
  })

  test('sum of int32 is int64 (bigint), sum of float64 is float64; mean is float64', async () => {
    const df = sales.groupBy('k').agg({ s: col('v').sum(), f: col('w').sum(), m: col('v').mean() })
    expect(df.schema).toEqual({ k: 'utf8', s: 'int64', f: 'float64', m: 'float64' })
    const table = await df.compute(sync)
    expect(table.schema.fields.map((f) => [f.name, String(f.type)])).toEqual([
      ['k', 'Utf8'],
      ['s', 'Int64'],
      ['f', 'Float64'],
      ['m', 'Float64'],
    ])
  })

  test('agg() without keys aggregates the whole frame into one row', async () => {
    expect(await sales.agg({ n: count(), s: col('v').sum(), hi: col('k').max() }).toRecords(sync)).toEqual([
      { n: 7n, s: 21n, hi: 'c' },
    ])
    const none = sales.filter(col('v').gt(100)).agg({ n: count(), s: col('v').sum() })
    expect(await none.toRecords(sync)).toEqual([{ n: 0n, s: null }])
  })

  test('min and max of dates and strings keep their dtype', async () => {
    const df = fromRecords(everyDTypeRows, { schema: everyDType, npartitions: 3 })
    expect(await df.agg({ first: col('d').min(), last: col('d').max(), s: col('s').max() }).toRecords(sync)).toEqual([
      { first: day('1969-12-31'), last: day('2100-02-28'), s: 'ünï' },
    ])
  })
})

describe('sort, head, limit', () => {
  const people = fromRecords(
    [
      { name: 'ann', age: 30, city: 'Oslo' },
      { name: 'bob', age: null, city: 'Rome' },
      { name: 'cat', age: 25, city: 'Oslo' },
      { name: 'dan', age: 30, city: null },
      { name: 'eve', age: 25, city: 'Rome' },
      { name: 'fay', age: 41, city: 'Oslo' },
    ],
    { schema: { name: 'utf8', age: 'int32', city: 'utf8' }, npartitions: 3 },
  )
  const names = async (df: DataFrame<{ name: 'utf8'; age: 'int32'; city: 'utf8' }>) =>
    (await df.toRecords(sync)).map((r) => r.name)

  test('ascending, nulls last by default, stable for ties', async () => {
    expect(await names(people.sort('age'))).toEqual(['cat', 'eve', 'ann', 'dan', 'fay', 'bob'])
  })

  test('descending keeps nulls last; nullsFirst puts them first', async () => {
    expect(await names(people.sort('age', { descending: true }))).toEqual(['fay', 'ann', 'dan', 'cat', 'eve', 'bob'])
    expect(await names(people.sort('age', { nullsFirst: true }))).toEqual(['bob', 'cat', 'eve', 'ann', 'dan', 'fay'])
    expect(await names(people.sort({ column: 'age', descending: true, nullsFirst: true }))).toEqual([
      'bob',
      'fay',
      'ann',
      'dan',
      'cat',
      'eve',
    ])
  })

  test('several keys, each with its own direction', async () => {
    expect(await names(people.sort(['city', { column: 'age', descending: true }]))).toEqual([
      'fay',
      'ann',
      'cat',
      'eve',
      'bob',
      'dan',
    ])
  })

  test('head and limit take rows in partition order; limit has an offset; sort then head is top-n', async () => {
    expect(await names(people.head(2))).toEqual(['ann', 'bob'])
    expect(await names(people.head())).toHaveLength(5)
    expect(await names(people.limit(3, 2))).toEqual(['cat', 'dan', 'eve'])
    expect(await names(people.limit(10, 5))).toEqual(['fay'])
    expect(await names(people.limit(0))).toEqual([])
    expect(await names(people.sort('age', { descending: true }).head(2))).toEqual(['fay', 'ann'])
    expect(await names(people.sort('name').limit(2, 3))).toEqual(['dan', 'eve'])
  })
})

describe('results', () => {
  test('compute() returns an Arrow Table with the frame schema', async () => {
    const table = await fromRecords(everyDTypeRows, { schema: everyDType, npartitions: 2 }).compute(sync)
    expect(table).toBeInstanceOf(Table)
    expect(table.numRows).toBe(4)
    expect(table.schema.fields.map((f) => [f.name, String(f.type), f.nullable])).toEqual([
      ['b', 'Bool', true],
      ['i', 'Int32', true],
      ['l', 'Int64', true],
      ['f', 'Float64', true],
      ['s', 'Utf8', true],
      ['d', 'Date32<DAY>', true],
      ['t', 'Timestamp<MILLISECOND>', true],
    ])
    expect(table.getChild('l')?.get(3)).toBe(2n ** 63n - 1n)
  })

  test('toRecords gives Date objects for date32 and timestamp[ms], bigint for int64', async () => {
    const [row] = await fromRecords(everyDTypeRows.slice(0, 1), { schema: everyDType }).toRecords(sync)
    expect(row?.d).toBeInstanceOf(Date)
    expect(row?.t).toBeInstanceOf(Date)
    expect(row?.t?.toISOString()).toBe('2024-01-01T10:20:30.456Z')
    expect(typeof row?.l).toBe('bigint')
  })

  test('fromArrow takes a computed table back', async () => {
    const table = await sales.compute(sync)
    const again = fromArrow(table, { npartitions: 2 })
    expect(again.schema).toEqual(sales.schema)
    expect(await again.toRecords(sync)).toEqual(await sales.toRecords(sync))
  })
})

describe('persist', () => {
  test('a persisted frame is queried without recomputing its input', async () => {
    const expensive = sales.filter(col('v').isNotNull()).withColumns({ v2: col('v').mul(2) })
    const kept = await expensive.persist(sync)
    expect(kept.schema).toEqual(expensive.schema)
    expect(kept.npartitions).toBe(expensive.npartitions)
    expect(kept.explain()).toContain('Scan: persisted')
    const labels: string[] = []
    const rows = await kept
      .groupBy('k')
      .agg({ s: col('v2').sum() })
      .toRecords({
        ...sync,
        onEvent: (e) => {
          if (e.type === 'task-start') labels.push(e.label)
        },
      })
    expect(rows).toEqual([
      { k: 'a', s: 8n },
      { k: 'b', s: 20n },
      { k: null, s: 14n },
    ])
    expect(labels.join(' ')).not.toMatch(/filter|project/)
    expect(await kept.toRecords(sync)).toEqual(await expensive.toRecords(sync))
  })
})

describe('explain', () => {
  // The optimized section shows the rules' work, so this needs the optimizer on.
  test.skipIf(process.env.TSDASK_OPTIMIZER === 'off')('text has logical, optimized and physical sections', () => {
    const query = sales
      .filter(col('v').gt(1))
      .withColumns({ vw: col('v').mul(col('w')) })
      .groupBy('k')
      .agg({ s: col('vw').sum(), n: count() })
      .sort('s', { descending: true })
    expect(query.explain()).toMatchInlineSnapshot(`
      "== Logical plan ==
      Sort: s DESC
        Aggregate: keys=[k] aggs=[s := sum(vw), n := count(*)]
          Project: k, v, w, vw := v * w
            Filter: v > 1
              Scan: records [*] (3 partitions)

      == Optimized plan ==
      Sort: s DESC
        Aggregate: keys=[k] aggs=[s := sum(vw), n := count(*)]
          Project: k, vw := v * w
            Filter: v > 1
              Scan: records [*] (3 partitions)

      == Physical plan ==
      MergeSorted: s DESC [1 partition, sorted s DESC]
        Sort: s DESC (each partition) [1 partition, sorted s DESC]
          MergeSorted: k ASC [1 partition, sorted k ASC]
            Aggregate: keys=[k] aggs=[s := sum(vw), n := count(*)] two-phase, 2 buckets, fan-in 8 [hash(k) × 2, sorted k ASC]
              Project: k, vw := v * w [3 partitions]
                Filter: v > 1 [3 partitions]
                  Scan: records [*] [3 partitions]

      output partitions: 1
      tasks: 16 lowered, 16 after culling, 6 after fusion
      tasks after fusion: fused-filter-project-agg-partial ×3, fused-agg-bucket-combine-agg-final ×2, fused-agg-merge-buckets-sort-merge-sorted ×1
      first task: fused-filter-project-agg-partial-0
      scan records: 3 partitions; reads k, v, w of 3; predicates pushed: none"
    `)
  })

  test('rules: true adds what each optimizer rule did', () => {
    const text = sales.select('k', 'v').filter(col('v').gt(1)).explain({ rules: true })
    expect(text).toContain('== Optimizer rules ==')
    expect(text).toMatch(/after [a-z-]+: /)
  })

  test("format: 'dot' draws the task graph", () => {
    const dot = sales.filter(col('v').gt(1)).explain({ format: 'dot' })
    expect(dot.startsWith('digraph')).toBe(true)
    expect(dot.trimEnd().endsWith('}')).toBe(true)
    expect(dot).toContain('->')
  })

  test("toSvg() draws the task graph that would run, the same as format: 'svg'", () => {
    const q = sales.filter(col('v').gt(1)).groupBy('k').agg({ n: count() })
    const svg = q.toSvg()
    expect(svg).toBe(q.explain({ format: 'svg' }))
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true)
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true)
    // One box per task of the DOT drawing (tasks and in-memory inputs), exactly one of them the output.
    const dotNodes = q
      .explain({ format: 'dot' })
      .split('\n')
      .filter((line) => line.includes(' [label=') && !line.includes(' -> ')).length
    expect(svg.match(/<rect /g)!.length).toBe(dotNodes)
    expect(svg.match(/<g class="task output">/g)!.length).toBe(1)
  })

  test('explain() names the formats it knows when given another', () => {
    const q = sales.filter(col('v').gt(1))
    expect(() => q.explain({ format: 'png' as 'svg' })).toThrow(
      `explain() got format "png"; use 'text' (the default), 'dot' or 'svg'`,
    )
  })
})

describe('on the worker pool', () => {
  test('the same pipelines give the same results as on sync', async () => {
    const queries = [
      sales.filter(col('v').gt(1)).withColumns({ vw: col('v').mul(col('w')) }),
      sales.groupBy('k').agg({ s: col('v').sum(), m: col('w').mean(), n: count() }),
      sales.sort(['k', { column: 'v', descending: true }]),
      sales.head(4),
      fromRecords(everyDTypeRows, { schema: everyDType, npartitions: 4 }),
    ] as const
    for (const q of queries) {
      expect(await q.toRecords({ scheduler: 'pool' })).toEqual(await q.toRecords(sync))
    }
  })

  test('persist on the pool, then query on the pool', async () => {
    const kept = await sales.filter(col('w').isNotNull()).persist({ scheduler: 'pool' })
    expect(await kept.groupBy('k').agg({ n: count() }).toRecords({ scheduler: 'pool' })).toEqual([
      { k: 'a', n: 3n },
      { k: 'b', n: 2n },
    ])
  })
})
