/**
 * Typing as a demanding user meets it: schema inference of fromRecords for awkward row types,
 * readCsv with an inline schema, long chains, column replacement, rename chains, wide group-bys,
 * row and Arrow result types, and generic helper functions. Wrong code the compiler accepts is
 * marked `// KNOWN GAP`; correct code it rejects is marked `// @ts-expect-error BUG: …`.
 * Checked by tsc and vitest's typecheck; nothing here runs.
 */
import type { Float64, Int32, Utf8, Vector } from 'apache-arrow'
import { Table } from 'apache-arrow'
import { describe, expectTypeOf, test } from 'vitest'
import {
  col,
  count,
  type DataFrame,
  type DType,
  fromArrow,
  fromRecords,
  lit,
  type Row,
  readCsv,
  type SchemaShape,
} from '../../src/index.js'

const tripSchema = { vendor: 'utf8', fare: 'float64', tip: 'float64', n: 'int32', day: 'date32' } as const
type Trips = typeof tripSchema
declare const trips: DataFrame<Trips>

describe('fromRecords schema inference', () => {
  test('optional and undefined fields are nullable columns of the value type', () => {
    type R = {
      id: number
      name?: string
      note: string | undefined
      ok: boolean | null
      when?: Date | null
    }
    const df = fromRecords([] as R[])
    expectTypeOf(df.schema).toEqualTypeOf<{
      readonly id: 'int32' | 'float64'
      readonly name: 'utf8'
      readonly note: 'utf8'
      readonly ok: 'bool'
      readonly when: 'timestamp[ms]'
    }>()
    df.filter(col('name').startsWith('a').and(col('ok')))
    // @ts-expect-error name is utf8
    df.filter(col('name').gt(1))
  })

  test('numbers are int32 | float64 (which one depends on the values)', () => {
    const df = fromRecords([{ fare: 1.5, n: 2 }])
    expectTypeOf(df.schema).toEqualTypeOf<{ readonly fare: 'int32' | 'float64'; readonly n: 'int32' | 'float64' }>()
    // Arithmetic and sums stay honest unions; rows are plain numbers (or bigints for sums).
    const sums = df.agg({ s: col('fare').sum(), m: col('fare').mean() })
    expectTypeOf(sums.schema).toEqualTypeOf<{ readonly s: 'float64' | 'int64'; readonly m: 'float64' }>()
  })

  test('a null-only (or undefined-only) field', () => {
    const df = fromRecords([{ a: 1, nothing: null }])
    // KNOWN GAP: Exclude<null, null> is never and `[never] extends [boolean]`, so the column is typed
    // 'bool'; at run time an all-null column is inferred as 'utf8'. The compile-time type is wrong.
    expectTypeOf(df.schema.nothing).toEqualTypeOf<'bool'>()
    df.filter(col('nothing')) // KNOWN GAP: compiles, but the column is utf8 at run time
    const u = fromRecords([{ a: 1, gone: undefined }])
    expectTypeOf(u.schema.gone).toEqualTypeOf<'bool'>() // KNOWN GAP: same, for undefined
  })

  test('an optional field absent from every row', () => {
    const rows: { a: number; b?: string }[] = [{ a: 1 }]
    // KNOWN GAP: 'b' is in the type, but the run-time schema has no column b (columns come from the
    // keys present), so this compiles and throws "Unknown column" when built.
    const build = () => fromRecords(rows).select('b')
    expectTypeOf(build).returns.not.toBeNever()
  })

  test('unions of value types', () => {
    const df = fromRecords([] as { id: string | number; flag: boolean | 'yes' }[])
    // A mixed union becomes the whole DType union, which switches compile-time checks off for the
    // column. Acceptable (run time throws TYPE_MISMATCH on mixed values), but worth knowing:
    expectTypeOf(df.schema.id).toEqualTypeOf<DType>()
    df.filter(col('id').startsWith('x').and(col('id').gt(3))) // KNOWN GAP: no column is both utf8 and numeric
    // Literal unions collapse to their base type, as they should.
    const lits = fromRecords([] as { side: 'buy' | 'sell'; qty: 1 | 2 | 3 }[])
    expectTypeOf(lits.schema).toEqualTypeOf<{ readonly side: 'utf8'; readonly qty: 'int32' | 'float64' }>()
  })

  test('nested objects and arrays are not rejected at compile time', () => {
    // KNOWN GAP: both compile (columns typed as DType, i.e. unchecked); run time throws
    // "column "addr" holds object values, which tsdask cannot store". A clear compile error (e.g. a
    // `never`/branded-message parameter for non-scalar fields) would be better.
    fromRecords([{ id: 1, addr: { city: 'Oslo' } }])
    fromRecords([{ id: 1, tags: ['a', 'b'] }])
    expectTypeOf(fromRecords([{ id: 1, addr: { city: 'Oslo' } }]).schema.addr).toEqualTypeOf<DType>()
  })

  test('an explicit schema is not checked against the row type', () => {
    // KNOWN GAP: the rows hold Dates, the schema says utf8; compiles, throws TYPE_MISMATCH at run time.
    fromRecords([{ d: new Date() }], { schema: { d: 'utf8' } })
    // KNOWN GAP: a schema column the rows do not have compiles (it becomes an all-null column).
    fromRecords([{ a: 1 }], { schema: { a: 'int32', zzz: 'float64' } })
    // @ts-expect-error not a dtype
    fromRecords([{ a: 1 }], { schema: { a: 'float32' } })
  })

  test('rows typed by an interface', () => {
    interface Point {
      x: number
      y: number
    }
    const points: Point[] = []
    expectTypeOf(fromRecords(points).schema).toEqualTypeOf<{
      readonly x: 'int32' | 'float64'
      readonly y: 'int32' | 'float64'
    }>()
    type PointAlias = { x: number; y: number }
    expectTypeOf(fromRecords(points as PointAlias[]).schema).toEqualTypeOf<{
      readonly x: 'int32' | 'float64'
      readonly y: 'int32' | 'float64'
    }>()
    // Classes too.
    class Trade {
      constructor(
        readonly side: string,
        readonly qty: number,
      ) {}
    }
    fromRecords([new Trade('buy', 1)]).filter(col('qty').gt(0))
  })

  test('empty input', () => {
    // `fromRecords([])` has no row type at all: the frame is untyped (checked at run time).
    fromRecords([]).select('anything')
  })
})

describe('readCsv with an inline schema', () => {
  test('a literal schema needs no `as const`, alongside other options', () => {
    const df = readCsv('t.csv', {
      schema: { vendor: 'utf8', fare: 'float64', when: 'timestamp[ms]' },
      blocksize: '16MB',
      delimiter: ';',
      nullValues: ['NA'],
    })
    expectTypeOf(df.schema).toEqualTypeOf<{
      readonly vendor: 'utf8'
      readonly fare: 'float64'
      readonly when: 'timestamp[ms]'
    }>()
    // @ts-expect-error 'float32' is not a dtype
    readCsv('t.csv', { schema: { fare: 'float32' } })
  })

  test('a schema held in a variable: `as const` or `satisfies` needed, and enough', () => {
    const widened = { fare: 'float64' }
    // @ts-expect-error widened to string: a variable without `as const` loses the literal types
    readCsv('t.csv', { schema: widened })
    const pinned = { fare: 'float64' } as const satisfies SchemaShape
    expectTypeOf(readCsv('t.csv', { schema: pinned }).schema).toEqualTypeOf<{ readonly fare: 'float64' }>()
  })
})

describe('a chain of 20+ operations', () => {
  test('compiles, keeps tracking the schema to the end', () => {
    const out = trips
      .filter(col('fare').gt(0))
      .withColumns({ total: col('fare').add(col('tip')) })
      .filter(col('total').lt(1000))
      .withColumns({ pct: col('tip').div(col('total')).mul(100) })
      .rename({ vendor: 'company' })
      .filter(col('company').lower().startsWith('c').or(col('company').isNull()))
      .withColumns({ nn: col('n').add(1).mul(2).sub(col('n')).mod(7) })
      .drop('day')
      .withColumns({ big: col('nn').cast('int64').add(10n) })
      .filter(col('big').gte(0n).and(col('pct').between(0, 100)))
      .sort('total', { descending: true })
      .withColumns({ label: col('company').upper() })
      .rename({ label: 'tag' })
      .filter(col('tag').isIn(['A', 'B']).not())
      .select('company', 'tag', 'total', 'pct', 'big', 'nn')
      .withColumns({ ratio: col('total').div(col('big')) })
      .filter(col('ratio').isNotNull())
      .head(1000)
      .groupBy('company', 'tag')
      .agg({ sum: col('total').sum(), avg: col('pct').mean(), n: count(), hi: col('big').max() })
      .withColumns({ perRow: col('sum').div(col('n')) })
      .filter(col('n').gt(1n))
      .sort(['company', { column: 'perRow', descending: true }])
      .rename({ perRow: 'per_row' })
      .limit(10)
    expectTypeOf(out.schema).toEqualTypeOf<{
      readonly company: 'utf8'
      readonly tag: 'utf8'
      readonly sum: 'float64'
      readonly avg: 'float64'
      readonly n: 'int64'
      readonly hi: 'int64'
      readonly per_row: 'float64'
    }>()
    // @ts-expect-error vendor was renamed to company 20 steps ago
    out.select('vendor')
  })
})

describe('withColumns replacing a column', () => {
  test('the new dtype replaces the old one everywhere downstream', () => {
    const df = trips.withColumns({ fare: col('fare').cast('utf8'), n: col('n').cast('int64') })
    expectTypeOf(df.schema.fare).toEqualTypeOf<'utf8'>()
    expectTypeOf(df.schema.n).toEqualTypeOf<'int64'>()
    df.filter(col('fare').startsWith('1'))
    // @ts-expect-error fare is utf8 now
    df.filter(col('fare').gt(1))
    // @ts-expect-error fare is utf8 now
    df.agg({ s: col('fare').sum() })
  })

  test('an expression on the replaced column sees the old type, as at run time', () => {
    const df = trips.withColumns({ fare: col('fare').gt(10), tip: col('fare').mul(0.1) })
    expectTypeOf(df.schema.fare).toEqualTypeOf<'bool'>()
    expectTypeOf(df.schema.tip).toEqualTypeOf<'float64'>()
  })

  test('a column made in the same withColumns is not visible to its siblings', () => {
    // @ts-expect-error x does not exist yet (both compile time and run time reject this)
    trips.withColumns({ x: lit(1), y: col('x').add(1) })
  })

  test('aggregates outside agg()', () => {
    // KNOWN GAP: an aggregate in withColumns compiles (no "is aggregate" bit in Expr's type).
    trips.withColumns({ s: col('fare').sum() })
    // KNOWN GAP: an aggregate in a filter compiles.
    trips.filter(col('fare').sum().gt(1))
    // KNOWN GAP: a nested aggregate compiles.
    trips.agg({ s: col('fare').sum().max() })
    // KNOWN GAP: a non-key column outside an aggregate compiles (run time: "outside an aggregate").
    trips.groupBy('vendor').agg({ f: col('fare') })
  })
})

describe('rename chains', () => {
  test('a chain of renames, including a swap', () => {
    const df = trips
      .select('vendor', 'fare', 'tip')
      .rename({ vendor: 'v' })
      .rename({ v: 'w', fare: 'tip', tip: 'fare' })
      .rename({ w: 'vendor2' })
    expectTypeOf(df.schema).toEqualTypeOf<{
      readonly vendor2: 'utf8'
      readonly tip: 'float64'
      readonly fare: 'float64'
    }>()
    const swapped = trips.select('vendor', 'n').rename({ vendor: 'n', n: 'vendor' })
    expectTypeOf(swapped.schema).toEqualTypeOf<{ readonly n: 'utf8'; readonly vendor: 'int32' }>()
    swapped.filter(col('n').eq('CMT').and(col('vendor').gt(1)))
  })

  test('renaming onto an existing column', () => {
    const clash = trips.select('vendor', 'n').rename({ vendor: 'n' })
    // KNOWN GAP: two columns named n; the type merges them into one key of type 'utf8' | 'int32'
    // instead of rejecting the mapping (run time rejects the duplicate name).
    expectTypeOf(clash.schema).toEqualTypeOf<{ readonly n: 'utf8' | 'int32' }>()
  })

  test('a rename target of type string widens the frame into an untyped one', () => {
    const target: string = 'x'
    const wide = trips.rename({ vendor: target })
    // KNOWN GAP: the schema gains an index signature, which switches every check off.
    wide.select('no-such-column')
    wide.filter(col('fare').startsWith('x'))
  })
})

describe('groupBy on several keys with many aggregations', () => {
  test('keys first, then every aggregate with its dtype; rows typed to match', async () => {
    const g = trips.groupBy('vendor', 'day', 'n').agg({
      fares: col('fare').sum(),
      tips: col('tip').sum(),
      ns: col('n').sum(),
      avgFare: col('fare').mean(),
      rows: count(),
      tipped: col('tip').count(),
      firstDay: col('day').min(),
      lastVendor: col('vendor').max(),
      spread: col('fare').max().sub(col('fare').min()),
      share: col('tip').sum().div(col('fare').sum()),
      keyed: col('n').add(col('fare').max()),
    })
    expectTypeOf(g.schema).toEqualTypeOf<{
      readonly vendor: 'utf8'
      readonly day: 'date32'
      readonly n: 'int32'
      readonly fares: 'float64'
      readonly tips: 'float64'
      readonly ns: 'int64'
      readonly avgFare: 'float64'
      readonly rows: 'int64'
      readonly tipped: 'int64'
      readonly firstDay: 'date32'
      readonly lastVendor: 'utf8'
      readonly spread: 'float64'
      readonly share: 'float64'
      readonly keyed: 'float64'
    }>()
    const [row] = await g.toRecords()
    expectTypeOf(row!.day).toEqualTypeOf<Date | null>()
    expectTypeOf(row!.ns).toEqualTypeOf<bigint | null>()
    expectTypeOf(row!.lastVendor).toEqualTypeOf<string | null>()
  })

  test('an aggregate named like a key', () => {
    const g = trips.groupBy('vendor').agg({ vendor: count() })
    // KNOWN GAP: { vendor: 'utf8' } & { vendor: 'int64' } collapses the whole schema to never instead
    // of a compile error at agg() (run time rejects the duplicate column).
    expectTypeOf(g.schema).toBeNever()
  })

  test('min/max of a bool or a sum of a bool', () => {
    const df = fromRecords([] as { k: string; ok: boolean }[])
    expectTypeOf(df.groupBy('k').agg({ m: col('ok').max() }).schema.m).toEqualTypeOf<'bool'>()
    // @ts-expect-error sum of a bool
    df.groupBy('k').agg({ s: col('ok').sum() })
  })
})

describe('results: toRecords() rows and compute() tables', () => {
  test('rows are mutable, nullable, with JS types per dtype', async () => {
    const rows = await trips.select('vendor', 'n', 'day').toRecords({ scheduler: 'sync' })
    expectTypeOf(rows).toEqualTypeOf<{ vendor: string | null; n: number | null; day: Date | null }[]>()
    expectTypeOf<Row<{ readonly l: 'int64' }>>().toEqualTypeOf<{ l: bigint | null }>()
  })

  test('compute() gives an Arrow table whose children are typed', async () => {
    const table = await trips.select('vendor', 'fare', 'n').compute()
    expectTypeOf(table.getChild('fare')).toEqualTypeOf<Vector<Float64> | null>()
    expectTypeOf(table.getChild('n')).toEqualTypeOf<Vector<Int32> | null>()
    // Note: a utf8 column is typed Vector<Utf8>, but it is often Dictionary<Utf8, Int32> at run
    // time (readers dictionary-encode). `.get(i)` is a string either way; `.type` is not Utf8.
    expectTypeOf(table.getChild('vendor')).toEqualTypeOf<Vector<Utf8> | null>()
    // @ts-expect-error tip was not selected
    table.getChild('tip')
    expectTypeOf(table.get(0)?.fare).toEqualTypeOf<number | undefined>()
  })
})

describe('generic helper functions', () => {
  test('a helper over any frame with a float64 fare', () => {
    // @ts-expect-error BUG: S extends { fare: 'float64' } guarantees the column, but CheckRequirements<S, R> stays a deferred conditional type on a generic S, so the predicate is rejected
    const onlyExpensive = <S extends { fare: 'float64' }>(df: DataFrame<S>) => df.filter(col('fare').gt(100))
    onlyExpensive(trips)
  })

  test('the same helper with the schema bound as SchemaShape & {...}', () => {
    function onlyExpensive<S extends SchemaShape & { readonly fare: 'float64' }>(df: DataFrame<S>) {
      // @ts-expect-error BUG: same deferred CheckRequirements; only an `as never` cast gets it through
      return df.filter(col('fare').gt(100))
    }
    onlyExpensive(trips)
  })

  test('helpers using only column names compile and keep the caller’s schema', () => {
    const byFare = <S extends { fare: 'float64' }>(df: DataFrame<S>) => df.sort('fare', { descending: true }).head(3)
    expectTypeOf(byFare(trips)).toEqualTypeOf<DataFrame<Trips>>()
    const fareOnly = <S extends { fare: 'float64' }>(df: DataFrame<S>) => df.select('fare')
    expectTypeOf(fareOnly(trips).schema).toEqualTypeOf<{ readonly fare: 'float64' }>()
    // @ts-expect-error the frame has no fare column
    byFare(fromRecords([{ a: 1 }]))
  })

  test('a helper adding a column', () => {
    function withTotal<S extends { fare: 'float64'; tip: 'float64' }>(df: DataFrame<S>) {
      // @ts-expect-error BUG: withColumns over a generic S is rejected for the same reason (ExprsChecked<S, E>)
      return df.withColumns({ total: col('fare').add(col('tip')) })
    }
    withTotal(trips)
  })

  test('a helper grouping by a column it knows', () => {
    function perVendor<S extends { vendor: 'utf8'; fare: 'float64' }>(df: DataFrame<S>) {
      // @ts-expect-error BUG: agg over a generic S is rejected (AggsChecked<S, A>)
      return df.groupBy('vendor').agg({ n: count(), total: col('fare').sum() })
    }
    perVendor(trips)
  })

  test('a helper taking any frame', () => {
    const describeFrame = (df: DataFrame) => df.columns.length
    // @ts-expect-error BUG: DataFrame<S> is invariant in S (compute()'s Table<ArrowTypeMap<S>> and the checked parameters), so a typed frame is not a DataFrame (= DataFrame<SchemaShape>)
    describeFrame(trips)
    // @ts-expect-error BUG: same, after a rename
    describeFrame(trips.rename({ vendor: 'v' }))
    // @ts-expect-error BUG: same, after an aggregation
    describeFrame(trips.groupBy('vendor').agg({ n: count() }))
    const anyFrame = (df: DataFrame<object>) => df.columns
    // @ts-expect-error BUG: not even DataFrame<object> (SchemaLike, the declared bound) accepts a typed frame
    anyFrame(trips)
    // The only way to write such a helper today: DataFrame<any> (or a generic).
    // biome-ignore lint/suspicious/noExplicitAny: the workaround being documented
    const viaAny = (df: DataFrame<any>) => df.columns.length
    viaAny(trips)
    const viaGeneric = <S extends object>(df: DataFrame<S>) => df.columns.length
    viaGeneric(trips)
  })
})

describe('fromArrow', () => {
  test('the Arrow table’s type is not used', () => {
    const table = new Table({} as { x: Vector<Int32>; s: Vector<Utf8> })
    const df = fromArrow(table)
    expectTypeOf(df).toEqualTypeOf<DataFrame<SchemaShape>>()
    // KNOWN GAP: a typed Arrow table gives an untyped frame, so a wrong column compiles.
    df.select('nope')
    // An explicit type argument types it (unchecked against the table).
    const typed = fromArrow<{ readonly x: 'int32'; readonly s: 'utf8' }>(table)
    // @ts-expect-error not a column
    typed.select('nope')
    // KNOWN GAP: the type argument is not checked against the table's schema.
    fromArrow<{ readonly x: 'utf8' }>(table)
  })
})
