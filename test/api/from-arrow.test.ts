/**
 * `fromArrow` over every Arrow type a user is likely to hand it: each column either reads
 * correctly (values equal, the documented tsdask dtype) or fails with a TsdaskError naming the
 * column and its Arrow type. Every readable case is checked on both schedulers, and through a
 * kernel (filter + sort) as well as straight back out, since a pass-through can hide what a
 * kernel would misread.
 */
import {
  type Data,
  DateDay,
  DateMillisecond,
  Dictionary,
  Float16,
  Float32,
  Float64,
  Int8,
  Int16,
  Int32,
  Int64,
  LargeUtf8,
  makeData,
  Null,
  RecordBatch,
  Table,
  TimestampMicrosecond,
  TimestampMillisecond,
  TimestampNanosecond,
  TimestampSecond,
  Uint8,
  Uint16,
  Uint32,
  Uint64,
  Utf8,
  Vector,
  vectorFromArray,
} from 'apache-arrow'
import { afterAll, describe, expect, test } from 'vitest'
import { col, count, type DType, fromArrow, shutdown, TsdaskError } from '../../src/index.js'
import { runEverywhere } from '../support/every-config.js'
import { nullDictionaryEntries } from '../support/plan-builders.js'

afterAll(() => shutdown())

const sync = { scheduler: 'sync' } as const
const pool = { scheduler: 'pool' } as const

/** A validity bitmap (LSB first) for `valid` flags. */
function bitmap(valid: readonly boolean[]): Uint8Array {
  const bits = new Uint8Array(Math.ceil(valid.length / 8))
  valid.forEach((v, i) => {
    if (v) bits[i >> 3]! |= 1 << (i & 7)
  })
  return bits
}

/** A record batch from vectors (Arrow's `new RecordBatch({...})` takes `Data`, not vectors). */
function batchOf(columns: Record<string, Vector>): RecordBatch {
  return new RecordBatch(Object.fromEntries(Object.entries(columns).map(([k, v]) => [k, v.data[0]!])))
}

/** A one-column table whose column is `data`. */
function tableOf(name: string, data: Data | Vector): Table {
  const vector = data instanceof Vector ? data : new Vector([data])
  return new Table({ [name]: vector })
}

/** The column's rows on both schedulers, each equal to `expected`, and the dtype the frame reports. */
async function expectReads(table: Table, dtype: DType, expected: readonly unknown[]): Promise<void> {
  const df = fromArrow(table)
  const name = df.columns[0]!
  expect(df.schema).toEqual({ [name]: dtype })
  const rows = expected.map((v) => ({ [name]: v }))
  expect(await df.toRecords(sync)).toEqual(rows)
  expect(await df.toRecords(pool)).toEqual(rows)
  const table2 = await df.compute(pool)
  expect(table2.numRows).toBe(expected.length)
}

/** Through kernels: keep non-null rows, sort ascending. */
async function expectSortedNonNull(table: Table, expected: readonly unknown[]): Promise<void> {
  const df = fromArrow(table)
  const name = df.columns[0]!
  const q = df.filter(col(name).isNotNull()).sort(name)
  const rows = expected.map((v) => ({ [name]: v }))
  expect(await q.toRecords(sync)).toEqual(rows)
  expect(await q.toRecords(pool)).toEqual(rows)
}

function expectRejected(table: Table, column: string, arrowType: RegExp): void {
  let error: unknown
  try {
    fromArrow(table)
  } catch (e) {
    error = e
  }
  expect(error).toBeInstanceOf(TsdaskError)
  const message = (error as Error).message
  expect(message).toContain(`"${column}"`)
  expect(message).toMatch(arrowType)
}

const day = (iso: string) => new Date(`${iso}T00:00:00.000Z`)

describe('integers', () => {
  const small = [1, null, -3, 7]
  test.each([
    ['Int8', new Int8(), [-128, null, 127, 0]],
    ['Int16', new Int16(), [-32768, null, 32767, 0]],
    ['Uint8', new Uint8(), [0, null, 255, 1]],
    ['Uint16', new Uint16(), [0, null, 65535, 1]],
  ] as const)('%s widens to int32 with nulls', async (_name, type, values) => {
    const table = tableOf('x', vectorFromArray([...values], type))
    await expectReads(table, 'int32', values)
    await expectSortedNonNull(
      table,
      values.filter((v) => v !== null).sort((a, b) => a - b),
    )
  })

  test('Int32 is int32 as is', async () => {
    const table = tableOf('x', vectorFromArray(small, new Int32()))
    await expectReads(table, 'int32', small)
    await expectSortedNonNull(table, [-3, 1, 7])
  })

  test('Int64 is int64 (bigint rows), extremes kept', async () => {
    const values = [-(2n ** 63n), null, 2n ** 63n - 1n, 0n]
    const table = tableOf('x', vectorFromArray(values, new Int64()))
    await expectReads(table, 'int64', values)
    await expectSortedNonNull(table, [-(2n ** 63n), 0n, 2n ** 63n - 1n])
  })

  test('Uint32 widens to int64, including values above 2^31', async () => {
    const values = [0, null, 4294967295, 2147483648]
    const table = tableOf('x', vectorFromArray(values, new Uint32()))
    await expectReads(
      table,
      'int64',
      values.map((v) => (v === null ? null : BigInt(v))),
    )
    await expectSortedNonNull(table, [0n, 2147483648n, 4294967295n])
  })

  test('Uint64 within int64 range reads as int64', async () => {
    const values = [0n, null, 2n ** 63n - 1n]
    const table = tableOf('x', vectorFromArray(values, new Uint64()))
    await expectReads(table, 'int64', values)
  })

  // Was a bug: a Uint64 value above 2^63-1 is silently wrapped to a negative int64 (no error, no widening)
  test('Uint64 above int64 range is rejected (or kept exact), not wrapped', async () => {
    const table = tableOf('x', vectorFromArray([2n ** 64n - 1n], new Uint64()))
    let rows: unknown
    try {
      rows = await fromArrow(table).toRecords(sync)
    } catch (e) {
      expect(e).toBeInstanceOf(TsdaskError)
      expect((e as Error).message).toContain('"x"')
      return
    }
    expect(rows).toEqual([{ x: 2n ** 64n - 1n }])
  })
})

describe('floats', () => {
  test('Float64 with nulls, NaN and infinities', async () => {
    const values = [1.5, null, -0.25, Number.POSITIVE_INFINITY, 1e300]
    const table = tableOf('x', vectorFromArray(values, new Float64()))
    await expectReads(table, 'float64', values)
    await expectSortedNonNull(table, [-0.25, 1.5, 1e300, Number.POSITIVE_INFINITY])
  })

  test('Float32 widens to float64 (values as float32 holds them)', async () => {
    const values = [1.5, null, -0.25, 0.1]
    const table = tableOf('x', vectorFromArray(values, new Float32()))
    const expected = values.map((v) => (v === null ? null : Math.fround(v)))
    await expectReads(table, 'float64', expected)
    await expectSortedNonNull(table, [Math.fround(-0.25), Math.fround(0.1), 1.5])
  })

  test('Float16 widens to float64', async () => {
    const values = [1.5, null, -0.25, 65504]
    const table = tableOf('x', vectorFromArray(values, new Float16()))
    await expectReads(table, 'float64', values)
    await expectSortedNonNull(table, [-0.25, 1.5, 65504])
  })
})

describe('bool and strings', () => {
  test('Bool with nulls', async () => {
    const values = [true, null, false, true, false, false, true, true, false, null]
    const table = tableOf('x', vectorFromArray(values))
    await expectReads(table, 'bool', values)
    await expectSortedNonNull(table, [false, false, false, false, true, true, true, true])
  })

  test('Utf8 with nulls, empty and non-ASCII strings', async () => {
    const values = ['b', null, '', 'ünï', 'a']
    const table = tableOf('x', vectorFromArray(values, new Utf8()))
    await expectReads(table, 'utf8', values)
    await expectSortedNonNull(table, ['', 'a', 'b', 'ünï'])
  })

  test('LargeUtf8 is rejected clearly, naming the column and the type', () => {
    const table = tableOf('big', vectorFromArray(['a', 'b'], new LargeUtf8()))
    expectRejected(table, 'big', /LargeUtf8/)
  })

  test('Dictionary<Utf8, Int32> stays dictionary-encoded and reads as utf8', async () => {
    const values = ['x', 'y', null, 'x', 'z']
    const table = tableOf('s', vectorFromArray(values, new Dictionary(new Utf8(), new Int32())))
    await expectReads(table, 'utf8', values)
    await expectSortedNonNull(table, ['x', 'x', 'y', 'z'])
  })

  // Reading straight out works (Arrow's own getters decode the narrow codes)...
  test.each([
    ['Int8', new Int8()],
    ['Int16', new Int16()],
  ] as const)('Dictionary<Utf8, %s> reads back as utf8', async (_name, indexType) => {
    const values = ['x', 'y', null, 'x', 'z', 'y']
    const table = tableOf('s', vectorFromArray(values, new Dictionary(new Utf8(), indexType)))
    await expectReads(table, 'utf8', values)
  })

  test.each([
    ['Int8', new Int8()],
    ['Int16', new Int16()],
  ] as const)('Dictionary<Utf8, %s> through filter/sort/groupBy', async (_name, indexType) => {
    const values = ['x', 'y', null, 'x', 'z', 'y']
    const table = tableOf('s', vectorFromArray(values, new Dictionary(new Utf8(), indexType)))
    await expectSortedNonNull(table, ['x', 'x', 'y', 'y', 'z'])
    const df = fromArrow(table).filter(col('s').eq('y'))
    expect(await df.toRecords(sync)).toEqual([{ s: 'y' }, { s: 'y' }])
  })

  // Was a bug: fromArrow passes Dictionary<Utf8, Uint8|Uint16|Uint32> through unconverted (isNative accepts any "Dictionary<"), then the pool cannot move it between threads
  test.each([
    ['Uint8', new Uint8()],
    ['Uint32', new Uint32()],
  ] as const)(
    'Dictionary<Utf8, %s> (unsigned indices) reads back and through kernels on both schedulers',
    async (_name, indexType) => {
      const values = ['x', 'y', null, 'x', 'z', 'y']
      const table = tableOf('s', vectorFromArray(values, new Dictionary(new Utf8(), indexType)))
      await expectReads(table, 'utf8', values)
      await expectSortedNonNull(table, ['x', 'x', 'y', 'y', 'z'])
    },
  )

  test('Dictionary<Utf8> batches with different dictionaries', async () => {
    const type = new Dictionary(new Utf8(), new Int32())
    const b1 = batchOf({ s: vectorFromArray(['a', 'b', 'a'], type) })
    const b2 = batchOf({ s: vectorFromArray(['c', null, 'b'], type) })
    const df = fromArrow(new Table([b1, b2]))
    const counts = df.groupBy('s').agg({ n: col('s').count() })
    const expected = [
      { s: 'a', n: 2n },
      { s: 'b', n: 2n },
      { s: 'c', n: 1n },
      { s: null, n: 0n },
    ]
    expect(await counts.toRecords(sync)).toEqual(expected)
    expect(await counts.toRecords(pool)).toEqual(expected)
    expect(await df.filter(col('s').eq('b')).toRecords(pool)).toEqual([{ s: 'b' }, { s: 'b' }])
  })

  test('Dictionary of a non-string value type is rejected clearly', () => {
    const table = tableOf('d', vectorFromArray([1, 2, 1], new Dictionary(new Int32(), new Int32())))
    expectRejected(table, 'd', /Dictionary/)
  })
})

describe('unsupported types are rejected clearly', () => {
  test('an all-null column (Arrow Null type)', () => {
    expectRejected(tableOf('nothing', vectorFromArray([null, null], new Null())), 'nothing', /Null/)
  })

  test('a list column', () => {
    expectRejected(tableOf('xs', vectorFromArray([[1, 2], [3]])), 'xs', /List/)
  })
})

describe('dates and timestamps', () => {
  const days = [day('2024-01-01'), null, day('1969-12-31'), day('2100-02-28')]

  test('DateDay is date32', async () => {
    const epochDays = [19723, 0, -1, 47540]
    const data = makeData({
      type: new DateDay(),
      length: 4,
      nullCount: 1,
      nullBitmap: bitmap([true, false, true, true]),
      data: Int32Array.from(epochDays),
    })
    const table = tableOf('d', data)
    await expectReads(table, 'date32', days)
    await expectSortedNonNull(table, [day('1969-12-31'), day('2024-01-01'), day('2100-02-28')])
  })

  test('DateMillisecond (midnights) reads as date32', async () => {
    const ms = days.map((d) => BigInt(d?.getTime() ?? 0))
    const data = makeData({
      type: new DateMillisecond(),
      length: 4,
      nullCount: 1,
      nullBitmap: bitmap([true, false, true, true]),
      data: BigInt64Array.from(ms),
    })
    const table = tableOf('d', data)
    await expectReads(table, 'date32', days)
    await expectSortedNonNull(table, [day('1969-12-31'), day('2024-01-01'), day('2100-02-28')])
  })

  const instants = [new Date('2024-01-01T10:20:30.456Z'), null, new Date(-1500), new Date(0)]
  const raw = (perMs: bigint, divide = 1n) =>
    BigInt64Array.from(instants.map((d) => (BigInt(d?.getTime() ?? 0) * perMs) / divide))

  const units = [
    ['second', () => new TimestampSecond(), raw(1n, 1000n)],
    ['millisecond', () => new TimestampMillisecond(), raw(1n)],
    ['microsecond', () => new TimestampMicrosecond(), raw(1000n)],
    ['nanosecond', () => new TimestampNanosecond(), raw(1_000_000n)],
    ['second UTC', () => new TimestampSecond('UTC'), raw(1n, 1000n)],
    ['millisecond UTC', () => new TimestampMillisecond('UTC'), raw(1n)],
    ['microsecond Europe/Oslo', () => new TimestampMicrosecond('Europe/Oslo'), raw(1000n)],
    ['nanosecond +05:30', () => new TimestampNanosecond('+05:30'), raw(1_000_000n)],
  ] as const

  test.each(units)('Timestamp %s reads as timestamp[ms] (instants kept, to the ms)', async (unit, type, values) => {
    const data = makeData({
      type: type(),
      length: 4,
      nullCount: 1,
      nullBitmap: bitmap([true, false, true, true]),
      data: values,
    })
    const table = tableOf('t', data)
    // Seconds lose the milliseconds; everything finer keeps them. new Date(-1500) in seconds
    // truncates toward zero in Arrow's storage we wrote (BigInt division), so derive from raw.
    const expected = unit.startsWith('second')
      ? Array.from(values, (v, i) => (i === 1 ? null : new Date(Number(v) * 1000)))
      : instants
    await expectReads(table, 'timestamp[ms]', expected)
    const sorted = expected.filter((d): d is Date => d !== null).sort((a, b) => a.getTime() - b.getTime())
    await expectSortedNonNull(table, sorted)
  })

  test('nanosecond timestamps keep sub-ms values truncated, not rounded into the next ms', async () => {
    // 1.9999 ms after the epoch, and 1 ns before it.
    const data = makeData({ type: new TimestampNanosecond(), length: 2, data: BigInt64Array.from([1_999_900n, -1n]) })
    const rows = await fromArrow(tableOf('t', data)).toRecords(sync)
    // Either flooring (1, -1) or truncation toward zero (1, 0) is defensible; rounding up to 2 is not.
    const ms = rows.map((r) => (r.t as Date).getTime())
    expect(ms[0]).toBe(1)
    expect([-1, 0]).toContain(ms[1])
  })
})

describe('table shapes', () => {
  test('a multi-batch table: one partition per batch, rows in order, both schedulers', async () => {
    const b1 = batchOf({
      k: vectorFromArray(['a', 'b'], new Utf8()),
      v: vectorFromArray([1, null], new Int32()),
    })
    const b2 = batchOf({
      k: vectorFromArray(['c', null, 'a'], new Utf8()),
      v: vectorFromArray([3, 4, 5], new Int32()),
    })
    const table = new Table([b1, b2])
    const df = fromArrow(table)
    expect(df.npartitions).toBe(2)
    const rows = [
      { k: 'a', v: 1 },
      { k: 'b', v: null },
      { k: 'c', v: 3 },
      { k: null, v: 4 },
      { k: 'a', v: 5 },
    ]
    expect(await df.toRecords(sync)).toEqual(rows)
    expect(await df.toRecords(pool)).toEqual(rows)
    const sums = df.groupBy('k').agg({ s: col('v').sum() })
    const expected = [
      { k: 'a', s: 6n },
      { k: 'b', s: null },
      { k: 'c', s: 3n },
      { k: null, s: 4n },
    ]
    expect(await sums.toRecords(sync)).toEqual(expected)
    expect(await sums.toRecords(pool)).toEqual(expected)
  })

  test('a multi-batch table of a widened type (Int16) keeps all rows in order', async () => {
    const b1 = batchOf({ v: vectorFromArray([1, 2], new Int16()) })
    const b2 = batchOf({ v: vectorFromArray([null, 4, 5], new Int16()) })
    const df = fromArrow(new Table([b1, b2]))
    const rows = [1, 2, null, 4, 5].map((v) => ({ v }))
    expect(await df.toRecords(sync)).toEqual(rows)
    expect(await df.toRecords(pool)).toEqual(rows)
  })

  // Was a bug: fromArrow ignores `npartitions` when the table has more than one batch (only a single batch is re-split)
  test('npartitions is honoured for a multi-batch table', () => {
    const b1 = batchOf({ v: vectorFromArray([1, 2, 3], new Int32()) })
    const b2 = batchOf({ v: vectorFromArray([4, 5, 6], new Int32()) })
    expect(fromArrow(new Table([b1, b2]), { npartitions: 3 }).npartitions).toBe(3)
  })

  test('a zero-row table keeps its schema', async () => {
    const table = new Table({
      i: vectorFromArray([], new Int32()),
      s: vectorFromArray([], new Utf8()),
      f: vectorFromArray([], new Float64()),
    })
    const df = fromArrow(table)
    expect(df.schema).toEqual({ i: 'int32', s: 'utf8', f: 'float64' })
    expect(await df.toRecords(sync)).toEqual([])
    expect(await df.toRecords(pool)).toEqual([])
    const out = await df.compute(pool)
    expect(out.numRows).toBe(0)
    expect(out.schema.fields.map((f) => f.name)).toEqual(['i', 's', 'f'])
    expect(await df.agg({ n: col('i').count() }).toRecords(sync)).toEqual([{ n: 0n }])
  })

  test('a zero-row table of widened types (Int8, TimestampSecond) keeps its schema', async () => {
    const table = new Table({
      i: vectorFromArray([], new Int8()),
      t: vectorFromArray([], new TimestampSecond()),
    })
    const df = fromArrow(table)
    expect(df.schema).toEqual({ i: 'int32', t: 'timestamp[ms]' })
    expect(await df.toRecords(sync)).toEqual([])
    expect(await df.toRecords(pool)).toEqual([])
  })

  test('a table with no batches at all', async () => {
    const empty = new Table(batchOf({ v: vectorFromArray([1], new Int32()) }).schema)
    const df = fromArrow(empty)
    expect(df.schema).toEqual({ v: 'int32' })
    expect(await df.toRecords(sync)).toEqual([])
    expect(await df.toRecords(pool)).toEqual([])
  })

  const slicedTable = () => {
    const batch = batchOf({
      i: vectorFromArray([10, null, 30, 40, 50, 60], new Int32()),
      s: vectorFromArray(['a', 'b', null, 'd', 'e', 'f'], new Utf8()),
      b: vectorFromArray([true, false, true, null, false, true]),
      l: vectorFromArray([1n, 2n, 3n, 4n, null, 6n], new Int64()),
    })
    return new Table([batch]).slice(1, 5)
  }
  const slicedRows = [
    { i: null, s: 'b', b: false, l: 2n },
    { i: 30, s: null, b: true, l: 3n },
    { i: 40, s: 'd', b: null, l: 4n },
    { i: 50, s: 'e', b: false, l: null },
  ]

  test('a sliced batch reads back the slice', async () => {
    const df = fromArrow(slicedTable())
    expect(await df.toRecords(sync)).toEqual(slicedRows)
    expect(await df.toRecords(pool)).toEqual(slicedRows)
  })

  test('a sliced batch through filter and sort', async () => {
    const q = fromArrow(slicedTable())
      .filter(col('l').gt(2n).or(col('l').isNull()))
      .sort('i', { descending: true })
    const expected = [slicedRows[3], slicedRows[2], slicedRows[1]]
    expect(await q.toRecords(sync)).toEqual(expected)
    expect(await q.toRecords(pool)).toEqual(expected)
  })

  test('a sliced batch through groupBy and arithmetic', async () => {
    const q = fromArrow(slicedTable())
      .withColumns({ j: col('i').add(1) })
      .groupBy('b')
      .agg({ j: col('j').sum(), n: col('s').count() })
    const expected = [
      { b: false, j: 51n, n: 2n },
      { b: true, j: 31n, n: 0n },
      { b: null, j: 41n, n: 1n },
    ]
    expect(await q.toRecords(sync)).toEqual(expected)
    expect(await q.toRecords(pool)).toEqual(expected)
  })

  test('a sliced, widened (Int8) batch', async () => {
    const batch = batchOf({ v: vectorFromArray([1, 2, null, 4, 5], new Int8()) })
    const df = fromArrow(new Table([batch]).slice(1, 4))
    const rows = [2, null, 4].map((v) => ({ v }))
    expect(await df.toRecords(sync)).toEqual(rows)
    expect(await df.toRecords(pool)).toEqual(rows)
  })

  test('npartitions splits a single batch', async () => {
    const table = tableOf('v', vectorFromArray([1, 2, 3, 4, 5], new Int32()))
    const df = fromArrow(table, { npartitions: 2 })
    expect(df.npartitions).toBe(2)
    const rows = [1, 2, 3, 4, 5].map((v) => ({ v }))
    expect(await df.toRecords(pool)).toEqual(rows)
  })

  test('compute() hands back an Arrow table with the tsdask types', async () => {
    const table = new Table({
      i: vectorFromArray([1, 2], new Int8()),
      t: vectorFromArray([new Date(1000), null], new TimestampSecond()),
    })
    const out = await fromArrow(table).compute(pool)
    expect(out.schema.fields.map((f) => String(f.type))).toEqual(['Int32', 'Timestamp<MILLISECOND>'])
  })
})

describe('null dictionary entries (a valid index to a null entry reads as null; Arrow nullCount is 0)', () => {
  // s = a, null, b, null, null, a, null, b (two distinct null entries); i = 0…7.
  const frame = (np: number) => nullDictionaryEntries(np)

  test('count, count distinct, min / max and IS NULL skip them', async () => {
    const rows = await runEverywhere((np) =>
      frame(np).agg({
        n: col('s').count(),
        rows: count(),
        distinct: col('s').countDistinct(),
        lo: col('s').min(),
        hi: col('s').max(),
      }),
    )
    expect(rows).toEqual([{ n: 4n, rows: 8n, distinct: 2n, lo: 'a', hi: 'b' }])
    const nulls = await runEverywhere((np) => frame(np).filter(col('s').isNull()).select('i'))
    expect(nulls.map((r) => r.i)).toEqual([1, 3, 4, 6])
    const present = await runEverywhere((np) => frame(np).filter(col('s').isNotNull()).select('i'))
    expect(present.map((r) => r.i)).toEqual([0, 2, 5, 7])
  })

  test('both null entries make one null group; count(s) of it is 0', async () => {
    const rows = await runEverywhere((np) =>
      frame(np)
        .groupBy('s')
        .agg({ n: count(), c: col('s').count() }),
    )
    expect(rows).toEqual([
      { s: 'a', n: 2n, c: 2n },
      { s: 'b', n: 2n, c: 2n },
      { s: null, n: 4n, c: 0n },
    ])
  })

  test('sort puts them last, top-k too, and distinct keeps one null', async () => {
    const sorted = await runEverywhere((np) => frame(np).sort(['s', 'i']))
    expect(sorted.map((r) => `${r.s}:${r.i}`)).toEqual([
      'a:0',
      'a:5',
      'b:2',
      'b:7',
      'null:1',
      'null:3',
      'null:4',
      'null:6',
    ])
    const top = await runEverywhere((np) => frame(np).sort(['s', 'i']).limit(5))
    expect(top.map((r) => r.i)).toEqual([0, 5, 2, 7, 1])
    const distinct = await runEverywhere((np) => frame(np).select('s').distinct())
    expect(distinct).toEqual([{ s: 'a' }, { s: 'b' }, { s: null }])
  })
})
