/**
 * fast-check arbitraries for the engine's property tests: small random typed tables (int32,
 * int64, float64, utf8, bool, date32, timestamp[ms], all with nulls) and random pipelines of
 * filter / withColumns / select / groupBy().agg() / sort / limit, built through the public
 * builder API exactly as a user would write them.
 *
 * Value domains are small on purpose: repeated values make groups, ties and equal sort keys
 * common, and integers stay far from overflow (a pipeline that overflows anyway is discarded by
 * the property, see engine.property.test.ts). Floats are mostly exact quarters, so sums are exact
 * in any order; a few are arbitrary doubles, NaN or ±Infinity, which exercise the total order
 * and the float tolerance of the comparison.
 */
import { Dictionary, Int32, type RecordBatch, Table, Utf8, type Vector, vectorFromArray } from 'apache-arrow'
import fc from 'fast-check'
import {
  coalesce,
  col,
  corr,
  count,
  type DataFrame,
  type DType,
  type Expr,
  type ExprType,
  fromArrow,
  fromRecords,
  lit,
  type SchemaShape,
  when,
} from '../../src/index.js'

// biome-ignore lint/suspicious/noExplicitAny: expressions are built at run time over run-time schemas
export type AnyExpr = Expr<ExprType, any>
export type AnyFrame = DataFrame<SchemaShape>

export type Cell = null | boolean | number | bigint | string | Date
export interface Field {
  readonly name: string
  readonly dtype: DType
}
export interface RandomTable {
  readonly fields: readonly Field[]
  readonly rows: readonly Record<string, Cell>[]
}

const MS_PER_DAY = 86_400_000
const NUMERIC: readonly DType[] = ['int32', 'int64', 'float64']
const ALL: readonly DType[] = ['int32', 'int64', 'float64', 'utf8', 'bool', 'date32', 'timestamp[ms]']
const isNumeric = (t: DType) => NUMERIC.includes(t)

// Values ------------------------------------------------------------------------------------------

/** Strings whose UTF-8 byte order differs from UTF-16 order ('\uFF21' vs '😀'), plus '' and case pairs. */
export const STRINGS = ['', 'a', 'A', 'ab', 'b', 'B', 'ba', 'é', 'É', 'z', 'Ab', '\uFF21', '😀', 'a b']

const quarter = fc.integer({ min: -40, max: 40 }).map((n) => n / 4)
const wildDouble = fc
  .double({ min: -1000, max: 1000, noNaN: true, noDefaultInfinity: true })
  .map((x) => (Object.is(x, -0) ? 0 : x))

export function cellOf(dtype: DType): fc.Arbitrary<Cell> {
  switch (dtype) {
    case 'int32':
      return fc.integer({ min: -20, max: 20 })
    case 'int64':
      return fc.bigInt({ min: -50n, max: 50n })
    case 'float64':
      return fc.oneof(
        { weight: 12, arbitrary: quarter },
        { weight: 3, arbitrary: wildDouble },
        { weight: 1, arbitrary: fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY) },
      )
    case 'utf8':
      return fc.constantFrom(...STRINGS)
    case 'bool':
      return fc.boolean()
    case 'date32':
      return fc.integer({ min: -5, max: 5 }).map((d) => new Date((19_000 + d) * MS_PER_DAY))
    case 'timestamp[ms]':
      return fc
        .integer({ min: -3 * MS_PER_DAY, max: 3 * MS_PER_DAY })
        .map((ms) => new Date(19_000 * MS_PER_DAY + ms - (ms % 3_600_000)))
  }
}

const nullable = (dtype: DType): fc.Arbitrary<Cell> =>
  fc.oneof({ weight: 1, arbitrary: fc.constant(null) }, { weight: 4, arbitrary: cellOf(dtype) })

// Tables ------------------------------------------------------------------------------------------

/** 1–5 columns (the first numeric), 0–24 rows. */
export const randomTable: fc.Arbitrary<RandomTable> = fc
  .tuple(fc.constantFrom(...NUMERIC), fc.array(fc.constantFrom(...ALL), { maxLength: 4 }))
  .chain(([first, rest]) => {
    const fields = [first, ...rest].map((dtype, i): Field => ({ name: `c${i}`, dtype }))
    const row = fc.record(Object.fromEntries(fields.map((f) => [f.name, nullable(f.dtype)])))
    return fc.array(row, { maxLength: 24, size: 'medium' }).map((rows) => ({ fields, rows }))
  })

/**
 * The table as a frame of `npartitions` partitions: through `fromRecords`, or, with `dictionary`,
 * through `fromArrow` with every utf8 column dictionary-encoded (as CSV chunks often are), so
 * kernels meet both string layouts.
 */
export function frameOf(table: RandomTable, npartitions: number, dictionary = false): AnyFrame {
  const schema = Object.fromEntries(table.fields.map((f) => [f.name, f.dtype])) as SchemaShape
  const rows = table.rows as Record<string, unknown>[]
  if (!dictionary || !table.fields.some((f) => f.dtype === 'utf8')) {
    return fromRecords(rows, { schema, npartitions }) as AnyFrame
  }
  const plain = fromRecords(rows, { schema }).plan
  const batch = (plain as { source: { batches: readonly RecordBatch[] } }).source.batches[0] as RecordBatch
  const columns = Object.fromEntries(
    table.fields.map((f, i) => {
      const vector = batch.getChildAt(i) as Vector
      if (f.dtype !== 'utf8') return [f.name, vector]
      return [f.name, vectorFromArray([...vector] as (string | null)[], new Dictionary(new Utf8(), new Int32()))]
    }),
  )
  return fromArrow(new Table(columns), { npartitions }) as AnyFrame
}

// Expressions -------------------------------------------------------------------------------------

interface Typed {
  readonly expr: AnyExpr
  readonly dtype: DType
  readonly text: string
}

const widen = (a: DType, b: DType): DType =>
  a === 'float64' || b === 'float64' ? 'float64' : a === 'int64' || b === 'int64' ? 'int64' : 'int32'

function columnsOf(fields: readonly Field[], test: (t: DType) => boolean): Field[] {
  return fields.filter((f) => test(f.dtype))
}

function column(f: Field): Typed {
  return { expr: col(f.name) as AnyExpr, dtype: f.dtype, text: f.name }
}

const numericLiteral: fc.Arbitrary<Typed> = fc.oneof(
  fc.integer({ min: -4, max: 4 }).map((n): Typed => ({ expr: lit(n) as AnyExpr, dtype: 'int32', text: `${n}` })),
  quarter
    .filter((x) => !Number.isInteger(x))
    .map((x): Typed => ({ expr: lit(x) as AnyExpr, dtype: 'float64', text: `${x}` })),
  fc.bigInt({ min: -4n, max: 4n }).map((n): Typed => ({ expr: lit(n) as AnyExpr, dtype: 'int64', text: `${n}n` })),
)

/** A numeric expression: columns and literals under + - * / %, negation and coalesce. */
export function numericExpr(fields: readonly Field[], depth = 2): fc.Arbitrary<Typed> {
  const numericColumns = columnsOf(fields, isNumeric)
  const leaf: fc.Arbitrary<Typed> =
    numericColumns.length > 0
      ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...numericColumns).map(column) }, numericLiteral)
      : numericLiteral
  if (depth === 0) return leaf
  const sub = numericExpr(fields, depth - 1)
  const arith = fc.tuple(fc.constantFrom('add', 'sub', 'mul', 'div', 'mod'), sub, sub).map(([op, a, b]): Typed => {
    const expr = (a.expr as Expr<'float64'>)[op](b.expr as Expr<'float64'>) as AnyExpr
    return { expr, dtype: op === 'div' ? 'float64' : widen(a.dtype, b.dtype), text: `(${a.text} ${op} ${b.text})` }
  })
  const negated = sub.map(
    (a): Typed => ({ expr: (a.expr as Expr<'float64'>).neg() as AnyExpr, ...rest(a, `-${a.text}`) }),
  )
  const coalesced = fc.tuple(sub, numericLiteral).map(
    ([a, b]): Typed => ({
      expr: coalesce(a.expr, b.expr) as AnyExpr,
      dtype: widen(a.dtype, b.dtype),
      text: `coalesce(${a.text}, ${b.text})`,
    }),
  )
  return fc.oneof({ weight: 2, arbitrary: leaf }, { weight: 3, arbitrary: arith }, negated, coalesced)
}

const rest = (a: Typed, text: string) => ({ dtype: a.dtype, text })

const COMPARE = ['eq', 'neq', 'lt', 'lte', 'gt', 'gte'] as const

function compare(a: Typed, op: (typeof COMPARE)[number], b: AnyExpr | Cell, bText: string): Typed {
  const expr = (a.expr as Expr<'float64'>)[op](b as number) as AnyExpr
  return { expr, dtype: 'bool', text: `(${a.text} ${op} ${bText})` }
}

const show = (v: Cell | readonly Cell[]): string =>
  Array.isArray(v)
    ? `[${v.map(show).join(', ')}]`
    : v instanceof Date
      ? `new Date('${v.toISOString()}')`
      : typeof v === 'bigint'
        ? `${v}n`
        : typeof v === 'number'
          ? Object.is(v, -0)
            ? '-0'
            : String(v)
          : JSON.stringify(v)

/** A bool expression: comparisons of every dtype, string tests, null tests, isIn, and / or / not. */
export function boolExpr(fields: readonly Field[], depth = 2): fc.Arbitrary<Typed> {
  const atoms: fc.Arbitrary<Typed>[] = [
    fc
      .tuple(numericExpr(fields, 1), fc.constantFrom(...COMPARE), numericExpr(fields, 1))
      .map(([a, op, b]) => compare(a, op, b.expr, b.text)),
  ]
  const byType = (t: DType) => columnsOf(fields, (d) => d === t)
  const strings = byType('utf8')
  if (strings.length > 0) {
    const s = fc.constantFrom(...strings).map(column)
    atoms.push(
      fc
        .tuple(s, fc.constantFrom(...COMPARE), fc.constantFrom(...STRINGS))
        .map(([a, op, v]) => compare(a, op, v, show(v))),
      fc.tuple(s, fc.constantFrom(...COMPARE), s).map(([a, op, b]) => compare(a, op, b.expr, b.text)),
      fc
        .tuple(s, fc.constantFrom('startsWith', 'endsWith', 'contains'), fc.constantFrom('', 'a', 'b', 'é', '😀'))
        .map(([a, fn, p]) => ({
          expr: (a.expr as Expr<'utf8'>)[fn](p) as AnyExpr,
          dtype: 'bool' as const,
          text: `${fn}(${a.text}, ${show(p)})`,
        })),
      fc.tuple(s, fc.subarray([...STRINGS, null], { minLength: 1, maxLength: 3 })).map(([a, values]) => ({
        expr: (a.expr as Expr<'utf8'>).isIn(values) as AnyExpr,
        dtype: 'bool' as const,
        text: `${a.text} in ${show(values)}`,
      })),
    )
  }
  const ints = columnsOf(fields, (t) => t === 'int32' || t === 'int64')
  if (ints.length > 0) {
    atoms.push(
      fc
        .tuple(fc.constantFrom(...ints).map(column), fc.subarray([-2, -1, 0, 1, 2, 3, null], { minLength: 1 }))
        .map(([a, values]) => ({
          expr: (a.expr as Expr<'int32'>).isIn(values) as AnyExpr,
          dtype: 'bool' as const,
          text: `${a.text} in ${show(values)}`,
        })),
      fc
        .tuple(fc.constantFrom(...ints).map(column), fc.integer({ min: -10, max: 5 }), fc.integer({ min: 0, max: 10 }))
        .map(([a, lo, span]) => ({
          expr: (a.expr as Expr<'int32'>).between(lo, lo + span) as AnyExpr,
          dtype: 'bool' as const,
          text: `${a.text} between ${lo} and ${lo + span}`,
        })),
    )
  }
  const temporals = columnsOf(fields, (t) => t === 'date32' || t === 'timestamp[ms]')
  if (temporals.length > 0) {
    const t = fc.constantFrom(...temporals).map(column)
    atoms.push(
      fc.tuple(t, fc.constantFrom(...COMPARE), cellOf('timestamp[ms]')).map(([a, op, v]) => compare(a, op, v, show(v))),
      fc.tuple(t, fc.constantFrom(...COMPARE), t).map(([a, op, b]) => compare(a, op, b.expr, b.text)),
    )
  }
  const bools = byType('bool')
  if (bools.length > 0) atoms.push(fc.constantFrom(...bools).map(column))
  if (fields.length > 0) {
    atoms.push(
      fc.tuple(fc.constantFrom(...fields).map(column), fc.boolean()).map(([a, isNull]) => ({
        expr: (isNull ? a.expr.isNull() : a.expr.isNotNull()) as AnyExpr,
        dtype: 'bool' as const,
        text: `${a.text} ${isNull ? 'is null' : 'is not null'}`,
      })),
    )
  }
  const atom = fc.oneof(...atoms)
  if (depth === 0) return atom
  const sub = boolExpr(fields, depth - 1)
  return fc.oneof(
    { weight: 3, arbitrary: atom },
    fc.tuple(sub, fc.constantFrom('and', 'or'), sub).map(([a, op, b]) => ({
      expr: (a.expr as Expr<'bool'>)[op](b.expr as Expr<'bool'>) as AnyExpr,
      dtype: 'bool' as const,
      text: `(${a.text} ${op} ${b.text})`,
    })),
    sub.map((a) => ({
      expr: (a.expr as Expr<'bool'>).not() as AnyExpr,
      dtype: 'bool' as const,
      text: `not ${a.text}`,
    })),
  )
}

/** An expression for withColumns: numeric, bool, or a string function. */
function valueExpr(fields: readonly Field[]): fc.Arbitrary<Typed> {
  const options: fc.Arbitrary<Typed>[] = [numericExpr(fields), boolExpr(fields, 1)]
  const strings = columnsOf(fields, (t) => t === 'utf8')
  if (strings.length > 0) {
    options.push(
      fc.tuple(fc.constantFrom(...strings).map(column), fc.constantFrom('lower', 'upper', 'length')).map(([a, fn]) => ({
        expr: (a.expr as Expr<'utf8'>)[fn]() as AnyExpr,
        dtype: fn === 'length' ? ('int32' as const) : ('utf8' as const),
        text: `${fn}(${a.text})`,
      })),
    )
  }
  options.push(...functionExprs(fields))
  return fc.oneof({ weight: 3, arbitrary: options[0]! }, ...options.slice(1))
}

/** CASE, LIKE and the scalar functions. */
function functionExprs(fields: readonly Field[]): fc.Arbitrary<Typed>[] {
  const options: fc.Arbitrary<Typed>[] = []
  const num = numericExpr(fields, 1)
  options.push(
    fc.tuple(boolExpr(fields, 0), num, fc.option(num, { nil: undefined })).map(([c, a, b]) => {
      const open = when(c.expr as Expr<'bool'>, a.expr)
      return b === undefined
        ? { expr: open as AnyExpr, dtype: a.dtype, text: `when(${c.text}, ${a.text})` }
        : {
            expr: open.otherwise(b.expr) as AnyExpr,
            dtype: widen(a.dtype, b.dtype),
            text: `when(${c.text}, ${a.text}).otherwise(${b.text})`,
          }
    }),
    fc
      .tuple(num, fc.constantFrom('abs', 'floor', 'ceil', 'round'), fc.integer({ min: 0, max: 2 }))
      .map(([a, fn, d]) => {
        const x = a.expr as Expr<'float64'>
        const expr = fn === 'round' ? x.round(d) : x[fn]()
        return { expr: expr as AnyExpr, dtype: a.dtype, text: `${fn}(${a.text}${fn === 'round' ? `, ${d}` : ''})` }
      }),
  )
  const strings = columnsOf(fields, (t) => t === 'utf8').map(column)
  if (strings.length > 0) {
    const s = fc.constantFrom(...strings)
    options.push(
      fc
        .tuple(s, fc.constantFrom('%', 'a%', '%b', '_', 'a_', '%é%', '', 'A%', '_%_'), fc.boolean())
        .map(([a, p, not]) => ({
          expr: (not ? (a.expr as Expr<'utf8'>).notLike(p) : (a.expr as Expr<'utf8'>).like(p)) as AnyExpr,
          dtype: 'bool' as const,
          text: `${not ? 'notLike' : 'like'}(${a.text}, ${show(p)})`,
        })),
      fc
        .tuple(s, fc.integer({ min: -3, max: 3 }), fc.option(fc.integer({ min: -2, max: 3 }), { nil: undefined }))
        .map(([a, start, length]) => ({
          expr: (a.expr as Expr<'utf8'>).substr(start, length) as AnyExpr,
          dtype: 'utf8' as const,
          text: `substr(${a.text}, ${start}${length === undefined ? '' : `, ${length}`})`,
        })),
    )
  }
  const temporals = columnsOf(fields, (t) => t === 'date32' || t === 'timestamp[ms]').map(column)
  if (temporals.length > 0) {
    options.push(
      fc.tuple(fc.constantFrom(...temporals), fc.constantFrom('year', 'month', 'day')).map(([a, fn]) => ({
        expr: (a.expr as Expr<'date32'>)[fn]() as AnyExpr,
        dtype: 'int64' as const,
        text: `${fn}(${a.text})`,
      })),
    )
  }
  return options
}

/** stddev / variance / median / quantile of numeric columns, countDistinct of any, corr of integer columns. */
function statisticExprs(fields: readonly Field[]): fc.Arbitrary<Typed>[] {
  const options: fc.Arbitrary<Typed>[] = [
    fc.constantFrom(...fields.map(column)).map((a) => ({
      expr: a.expr.countDistinct() as AnyExpr,
      dtype: 'int64' as const,
      text: `countDistinct(${a.text})`,
    })),
  ]
  const numeric = columnsOf(fields, isNumeric).map(column)
  if (numeric.length > 0) {
    options.push(
      fc.tuple(fc.constantFrom(...numeric), fc.constantFrom('stddev', 'variance', 'median')).map(([a, fn]) => ({
        expr: (a.expr as Expr<'float64'>)[fn]() as AnyExpr,
        dtype: 'float64' as const,
        text: `${fn}(${a.text})`,
      })),
    )
  }
  if (numeric.length > 0) {
    const fractions = fc.constantFrom(0, 0.1, 0.25, 0.3, 0.5, 0.75, 0.9, 1)
    const methods = fc.constantFrom('linear' as const, 'discrete' as const)
    options.push(
      fc.tuple(fc.constantFrom(...numeric), fractions, methods).map(([a, q, method]) => ({
        expr: (a.expr as Expr<'float64'>).quantile(q, method) as AnyExpr,
        dtype: 'float64' as const,
        text: `quantile(${a.text}, ${q}, ${method})`,
      })),
    )
  }
  // Integer inputs only: with floats, a zero variance can come out as 1e-30 in one summation order
  // and 0 in another, turning corr from NaN into noise.
  const ints = columnsOf(fields, (t) => t === 'int32' || t === 'int64').map(column)
  if (ints.length > 0) {
    options.push(
      fc.tuple(fc.constantFrom(...ints), fc.constantFrom(...ints)).map(([a, b]) => ({
        expr: corr(a.expr as Expr<'int32'>, b.expr as Expr<'int32'>) as AnyExpr,
        dtype: 'float64' as const,
        text: `corr(${a.text}, ${b.text})`,
      })),
    )
  }
  return options
}

/** An aggregate output: count(), count / min / max of any column, sum / mean of a numeric expression, or two combined. */
function aggExpr(fields: readonly Field[]): fc.Arbitrary<Typed> {
  const any = fc.constantFrom(...fields).map(column)
  const options: fc.Arbitrary<Typed>[] = [
    fc.constant<Typed>({ expr: count() as AnyExpr, dtype: 'int64', text: 'count()' }),
    any.map((a) => ({ expr: a.expr.count() as AnyExpr, dtype: 'int64' as const, text: `count(${a.text})` })),
    fc.tuple(any, fc.constantFrom('min', 'max')).map(([a, fn]) => ({
      expr: a.expr[fn]() as AnyExpr,
      dtype: a.dtype,
      text: `${fn}(${a.text})`,
    })),
  ]
  const numeric = numericExpr(fields, 1)
  const sumOrMean = fc.tuple(numeric, fc.constantFrom('sum', 'mean')).map(
    ([a, fn]): Typed => ({
      expr: (a.expr as Expr<'float64'>)[fn]() as AnyExpr,
      dtype: fn === 'mean' || a.dtype === 'float64' ? 'float64' : 'int64',
      text: `${fn}(${a.text})`,
    }),
  )
  options.push(sumOrMean, sumOrMean, ...statisticExprs(fields))
  const numericColumns = columnsOf(fields, isNumeric).map(column)
  if (numericColumns.length > 0) {
    const minMax = fc
      .tuple(fc.constantFrom(...numericColumns), fc.constantFrom('min', 'max'))
      .map(([a, fn]): Typed => ({ expr: a.expr[fn]() as AnyExpr, dtype: a.dtype, text: `${fn}(${a.text})` }))
    const part = fc.oneof(sumOrMean, minMax)
    options.push(
      fc.tuple(part, fc.constantFrom('add', 'sub'), part).map(([a, op, b]) => ({
        expr: (a.expr as Expr<'float64'>)[op](b.expr as Expr<'float64'>) as AnyExpr,
        dtype: widen(a.dtype, b.dtype),
        text: `(${a.text} ${op} ${b.text})`,
      })),
    )
  }
  return fc.oneof(...options)
}

// Pipelines ---------------------------------------------------------------------------------------

export type Step =
  | { readonly kind: 'filter'; readonly predicate: Typed }
  | { readonly kind: 'withColumns'; readonly exprs: readonly (readonly [string, Typed])[] }
  | { readonly kind: 'select'; readonly columns: readonly string[] }
  | {
      readonly kind: 'aggregate'
      readonly keys: readonly string[]
      readonly aggs: readonly (readonly [string, Typed])[]
    }
  | {
      readonly kind: 'sort'
      readonly keys: readonly { column: string; descending: boolean; nullsFirst: boolean }[]
    }
  | { readonly kind: 'limit'; readonly n: number; readonly offset: number }
  | { readonly kind: 'distinct' }
  /** `df.unionAll(df.filter(predicate))`: the frame, then the rows of it that pass. */
  | { readonly kind: 'unionSelf'; readonly predicate: Typed }

export interface Pipeline {
  readonly steps: readonly Step[]
  /** The schema after the last step. */
  readonly fields: readonly Field[]
}

export function describeStep(step: Step): string {
  switch (step.kind) {
    case 'filter':
      return `filter(${step.predicate.text})`
    case 'withColumns':
      return `withColumns({ ${step.exprs.map(([n, e]) => `${n}: ${e.text}`).join(', ')} })`
    case 'select':
      return `select(${step.columns.join(', ')})`
    case 'aggregate':
      return `groupBy(${step.keys.join(', ')}).agg({ ${step.aggs.map(([n, e]) => `${n}: ${e.text}`).join(', ')} })`
    case 'sort':
      return `sort(${step.keys.map((k) => `${k.column}${k.descending ? ' desc' : ''}${k.nullsFirst ? ' nulls first' : ''}`).join(', ')})`
    case 'limit':
      return `limit(${step.n}, ${step.offset})`
    case 'distinct':
      return 'distinct()'
    case 'unionSelf':
      return `unionAll(itself.filter(${step.predicate.text}))`
  }
}

export function applyStep(df: AnyFrame, step: Step): AnyFrame {
  switch (step.kind) {
    case 'filter':
      return df.filter(step.predicate.expr as Expr<'bool', NonNullable<unknown>>)
    case 'withColumns':
      return df.withColumns(Object.fromEntries(step.exprs.map(([n, e]) => [n, e.expr]))) as AnyFrame
    case 'select':
      return df.select(...step.columns) as AnyFrame
    case 'aggregate': {
      const aggs = Object.fromEntries(step.aggs.map(([n, e]) => [n, e.expr]))
      return (step.keys.length === 0 ? df.agg(aggs) : df.groupBy(...step.keys).agg(aggs)) as AnyFrame
    }
    case 'sort':
      return df.sort(step.keys)
    case 'limit':
      return df.limit(step.n, step.offset)
    case 'distinct':
      return df.distinct()
    case 'unionSelf':
      return df.unionAll(df.filter(step.predicate.expr as Expr<'bool', NonNullable<unknown>>))
  }
}

export function applyPipeline(df: AnyFrame, pipeline: Pipeline): AnyFrame {
  return pipeline.steps.reduce(applyStep, df)
}

/**
 * Whether the result's row order is defined, so the comparison must respect it: a sort (stable)
 * or an aggregate (groups sorted by key) defines it, and every later step keeps it.
 */
export function isOrdered(pipeline: Pipeline): boolean {
  return pipeline.steps.some((s) => s.kind === 'sort' || s.kind === 'aggregate' || s.kind === 'distinct')
}

function stepAfter(fields: readonly Field[]): fc.Arbitrary<{ step: Step; fields: readonly Field[] }> {
  const filter = boolExpr(fields).map((predicate) => ({ step: { kind: 'filter', predicate } as Step, fields }))
  const withColumns = fc
    .array(fc.tuple(fc.oneof(fc.constantFrom(...fields.map((f) => f.name)), fc.constant('')), valueExpr(fields)), {
      minLength: 1,
      maxLength: 3,
    })
    .map((entries) => {
      const seen = new Set<string>(fields.map((f) => f.name))
      let fresh = 0
      const freshName = () => {
        while (seen.has(`w${fresh}`)) fresh++
        return `w${fresh}`
      }
      const named = new Set<string>()
      const exprs = entries
        .map(([name, e]) => {
          const n = name === '' ? freshName() : name
          seen.add(n)
          return [n, e] as const
        })
        .filter(([name]) => !named.has(name) && named.add(name))
      const replaced = fields.map((f) => {
        const e = exprs.find(([n]) => n === f.name)
        return e ? { name: f.name, dtype: e[1].dtype } : f
      })
      const added = exprs
        .filter(([n]) => !fields.some((f) => f.name === n))
        .map(([name, e]) => ({ name, dtype: e.dtype }))
      return { step: { kind: 'withColumns', exprs } as Step, fields: [...replaced, ...added] }
    })
  const select = fc
    .shuffledSubarray([...fields], { minLength: 1 })
    .map((picked) => ({ step: { kind: 'select', columns: picked.map((f) => f.name) } as Step, fields: picked }))
  const aggregate = fc
    .tuple(
      fc.shuffledSubarray([...fields], { maxLength: Math.min(2, fields.length) }),
      fc.array(aggExpr(fields), { minLength: 1, maxLength: 3 }),
    )
    .map(([keys, outputs]) => {
      const aggs = outputs.map((e, i) => [`a${i}`, e] as const).filter(([n]) => !keys.some((k) => k.name === n))
      return {
        step: { kind: 'aggregate', keys: keys.map((k) => k.name), aggs } as Step,
        fields: [...keys, ...aggs.map(([name, e]) => ({ name, dtype: e.dtype }))],
      }
    })
  const sort = fc
    .shuffledSubarray([...fields], { minLength: 1, maxLength: Math.min(3, fields.length) })
    .chain((keys) =>
      fc.tuple(
        ...keys.map((k) =>
          fc.record({ column: fc.constant(k.name), descending: fc.boolean(), nullsFirst: fc.boolean() }),
        ),
      ),
    )
    .map((keys) => ({ step: { kind: 'sort', keys } as Step, fields }))
  const limit = fc
    .record({ n: fc.integer({ min: 0, max: 12 }), offset: fc.nat(4) })
    .map(({ n, offset }) => ({ step: { kind: 'limit', n, offset } as Step, fields }))
  return fc.oneof(
    { weight: 3, arbitrary: filter },
    { weight: 2, arbitrary: withColumns },
    { weight: 1, arbitrary: select },
    { weight: 2, arbitrary: aggregate },
    { weight: 2, arbitrary: sort },
    { weight: 1, arbitrary: limit },
    { weight: 1, arbitrary: fc.constant({ step: { kind: 'distinct' } as Step, fields }) },
    {
      weight: 1,
      arbitrary: boolExpr(fields, 1).map((predicate) => ({ step: { kind: 'unionSelf', predicate } as Step, fields })),
    },
  )
}

/** A pipeline of 1 to `maxSteps` steps, each valid for the schema the previous steps produce. */
export function randomPipeline(fields: readonly Field[], maxSteps = 4): fc.Arbitrary<Pipeline> {
  const grow = (pipeline: Pipeline, left: number): fc.Arbitrary<Pipeline> =>
    left === 0
      ? fc.constant(pipeline)
      : pipeline.steps.length === 0
        ? stepAfter(pipeline.fields).chain(({ step, fields: next }) => grow({ steps: [step], fields: next }, left - 1))
        : fc.oneof(
            { weight: 1, arbitrary: fc.constant(pipeline) },
            {
              weight: 3,
              arbitrary: stepAfter(pipeline.fields).chain(({ step, fields: next }) =>
                grow({ steps: [...pipeline.steps, step], fields: next }, left - 1),
              ),
            },
          )
  return grow({ steps: [], fields }, maxSteps)
}

/** A random table, a partition count, and a pipeline over the table's schema. */
export interface EngineCase {
  readonly table: RandomTable
  readonly npartitions: number
  /** utf8 columns dictionary-encoded (through fromArrow). */
  readonly dictionary: boolean
  readonly pipeline: Pipeline
}

export function engineCases(options: {
  dictionary: 'never' | 'one-partition' | 'any' | 'always'
}): fc.Arbitrary<EngineCase> {
  return randomTable.chain((table) =>
    fc
      .record({
        table: fc.constant(table),
        npartitions: fc.integer({ min: 1, max: 6 }),
        dictionary:
          options.dictionary === 'never'
            ? fc.constant(false)
            : options.dictionary === 'always'
              ? fc.constant(true)
              : fc.boolean(),
        pipeline: randomPipeline(table.fields),
      })
      .map((c) => {
        const fixed = options.dictionary === 'one-partition' && c.dictionary ? { ...c, npartitions: 1 } : c
        return Object.assign(fixed, { [fc.toStringMethod]: () => describeCase(fixed) })
      }),
  )
}

/** The default cases: plain or dictionary-encoded strings, over any number of partitions. */
export const engineCase: fc.Arbitrary<EngineCase> = engineCases({ dictionary: 'any' })

/** Prints a case as the code that reproduces it. */
export function describeCase(c: EngineCase): string {
  const rows = c.table.rows.map(
    (r) =>
      `  { ${Object.entries(r)
        .map(([k, v]) => `${k}: ${show(v)}`)
        .join(', ')} }`,
  )
  return [
    `schema: { ${c.table.fields.map((f) => `${f.name}: '${f.dtype}'`).join(', ')} }, npartitions: ${c.npartitions}${c.dictionary ? ', utf8 dictionary-encoded' : ''}`,
    `rows: [\n${rows.join(',\n')}\n]`,
    `pipeline: ${c.pipeline.steps.map(describeStep).join('\n  .') || '(none)'}`,
  ].join('\n')
}
