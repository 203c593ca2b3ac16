/**
 * The query language's invariants:
 *
 * - print → parse is the identity on expression trees (every node kind, every literal type);
 * - random SQL within the supported subset gives the plan (and the optimized plan) of the
 *   equivalent fluent builder calls;
 * - random bytes and mutated valid queries only ever fail with a TsdaskError (never a TypeError,
 *   a crash or a hang).
 *
 * TSDASK_PROPERTY_RUNS scales the run counts; TSDASK_PROPERTY_SEED replays a run.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { optimizedPlan } from '../../src/api/execute.js'
import type { ExprNode } from '../../src/expr/expr-node.js'
import { printExpr } from '../../src/expr/print.js'
import { exprSignature } from '../../src/expr/visit.js'
import { col, corr, count, Expr, fromRecords, TsdaskError } from '../../src/index.js'
import { parseExpression, parseSql } from '../../src/parse/index.js'
import { planSignature } from '../../src/plan/signature.js'
import { expr } from '../parse/arbitraries.js'

const RUNS = Math.max(1, Number(process.env.TSDASK_PROPERTY_RUNS ?? 100))

describe('print → parse', () => {
  it('reads every printed expression back to an equal tree', () => {
    fc.assert(
      fc.property(expr, (e) => {
        const text = printExpr(e)
        expect(exprSignature(parseExpression(text)), text).toBe(exprSignature(e))
      }),
      { numRuns: RUNS * 10 },
    )
  })
})

// Random SQL ≡ fluent builder ----------------------------------------------------------------------

const trips = fromRecords(
  [
    { vendor: 'CMT', fare: 12.5, tip: 2, passengers: 1 },
    { vendor: 'VTS', fare: 8, tip: null, passengers: 2 },
    { vendor: null, fare: 30, tip: 6, passengers: null },
  ],
  { npartitions: 2 },
)
const NUMERIC = ['fare', 'tip', 'passengers'] as const

const numericColumn = fc.constantFrom(...NUMERIC)
const predicate: fc.Arbitrary<ExprNode> = fc.letrec<{ p: ExprNode }>((tie) => ({
  p: fc.oneof(
    { depthSize: 'small' },
    fc
      .tuple(numericColumn, fc.constantFrom('gt', 'lt', 'eq', 'gte', 'neq' as const), fc.integer({ min: -5, max: 40 }))
      .map(([c, op, v]) => col(c)[op](v).node),
    fc.constantFrom('CMT', 'VTS', "O'Hare").map((v) => col('vendor').eq(v).node),
    numericColumn.map((c) => col(c).isNull().node),
    fc.tuple(tie('p'), tie('p')).map(([a, b]): ExprNode => ({ kind: 'Binary', op: 'and', left: a, right: b })),
    fc.tuple(tie('p'), tie('p')).map(([a, b]): ExprNode => ({ kind: 'Binary', op: 'or', left: a, right: b })),
    tie('p').map((a): ExprNode => ({ kind: 'Unary', op: 'not', arg: a })),
  ),
})).p

type Shape =
  | { readonly kind: 'star' }
  | { readonly kind: 'columns'; readonly columns: readonly string[] }
  | { readonly kind: 'computed'; readonly column: string; readonly factor: number }
  | { readonly kind: 'grouped'; readonly aggs: readonly AggKey[] }

const AGG_KEYS = ['sum', 'max', 'count', 'n', 'sd', 'var', 'med', 'cd', 'corr'] as const
type AggKey = (typeof AGG_KEYS)[number]

const shape: fc.Arbitrary<Shape> = fc.oneof(
  fc.constant<Shape>({ kind: 'star' }),
  fc
    .subarray(['vendor', 'fare', 'tip', 'passengers'], { minLength: 1 })
    .map((columns): Shape => ({ kind: 'columns', columns })),
  fc
    .tuple(numericColumn, fc.integer({ min: 1, max: 9 }))
    .map(([column, factor]): Shape => ({ kind: 'computed', column, factor })),
  fc.uniqueArray(fc.constantFrom(...AGG_KEYS), { minLength: 1 }).map((aggs): Shape => ({ kind: 'grouped', aggs })),
)

const sqlCase = fc.record({
  where: fc.option(predicate, { nil: undefined }),
  shape,
  descending: fc.option(fc.boolean(), { nil: undefined }),
  nullsFirst: fc.boolean(),
  distinct: fc.boolean(),
  union: fc.constantFrom(undefined, 'UNION', 'UNION ALL'),
  limit: fc.option(fc.tuple(fc.nat(5), fc.nat(3)), { nil: undefined }),
})
type SqlCase = typeof sqlCase extends fc.Arbitrary<infer T> ? T : never

const AGG_SQL: Record<AggKey, string> = {
  sum: 'sum(fare) AS s',
  max: 'max(tip) AS m',
  count: 'count(passengers) AS c',
  n: 'count(*) AS n',
  sd: 'stddev_samp(fare) AS sd',
  var: 'variance(tip) AS var',
  med: 'median(passengers) AS med',
  cd: 'count(DISTINCT tip) AS cd',
  corr: 'corr(fare, tip) AS r',
}
const AGG_BUILT = {
  sum: () => col('fare').sum(),
  max: () => col('tip').max(),
  count: () => col('passengers').count(),
  n: () => count(),
  sd: () => col('fare').stddev(),
  var: () => col('tip').variance(),
  med: () => col('passengers').median(),
  cd: () => col('tip').countDistinct(),
  corr: () => corr(col('fare'), col('tip')),
}
const AGG_NAME: Record<AggKey, string> = {
  sum: 's',
  max: 'm',
  count: 'c',
  n: 'n',
  sd: 'sd',
  var: 'var',
  med: 'med',
  cd: 'cd',
  corr: 'r',
}

function outputs(c: SqlCase): string[] {
  switch (c.shape.kind) {
    case 'star':
      return ['vendor', 'fare', 'tip', 'passengers']
    case 'columns':
      return [...c.shape.columns]
    case 'computed':
      return ['vendor', 'fare', 'tip', 'passengers', 'scaled']
    case 'grouped':
      return ['vendor', ...c.shape.aggs.map((a) => AGG_NAME[a])]
  }
}

function toSql(c: SqlCase): string {
  const s = c.shape
  const list =
    s.kind === 'star'
      ? '*'
      : s.kind === 'columns'
        ? s.columns.join(', ')
        : s.kind === 'computed'
          ? `*, ${s.column} * ${s.factor} AS scaled`
          : ['vendor', ...s.aggs.map((a) => AGG_SQL[a])].join(', ')
  let core = `SELECT ${c.distinct ? 'DISTINCT ' : ''}${list} FROM trips`
  if (c.where) core += ` WHERE ${printExpr(c.where)}`
  if (s.kind === 'grouped') core += ' GROUP BY vendor'
  let q = c.union ? `${core} ${c.union} ${core}` : core
  if (c.descending !== undefined) {
    q += ` ORDER BY ${outputs(c)[0]}${c.descending ? ' DESC' : ' ASC'}${c.nullsFirst ? ' NULLS FIRST' : ' NULLS LAST'}`
  }
  if (c.limit) q += ` LIMIT ${c.limit[0]} OFFSET ${c.limit[1]}`
  return q
}

// biome-ignore lint/suspicious/noExplicitAny: the frame's schema type changes with the random shape
function selectCore(c: SqlCase): any {
  // biome-ignore lint/suspicious/noExplicitAny: as above
  let df: any = trips
  if (c.where) df = df.filter(new Expr(c.where))
  const s = c.shape
  if (s.kind === 'columns') df = df.select(...s.columns)
  if (s.kind === 'computed') df = df.withColumns({ scaled: col(s.column).mul(s.factor) })
  if (s.kind === 'grouped')
    df = df.groupBy('vendor').agg(Object.fromEntries(s.aggs.map((a) => [AGG_NAME[a], AGG_BUILT[a]()])))
  return c.distinct ? df.distinct() : df
}

function toBuilder(c: SqlCase) {
  let df = selectCore(c)
  if (c.union) df = df.unionAll(selectCore(c))
  if (c.union === 'UNION') df = df.distinct()
  if (c.descending !== undefined)
    df = df.sort({ column: outputs(c)[0], descending: c.descending, nullsFirst: c.nullsFirst })
  if (c.limit) df = df.limit(c.limit[0], c.limit[1])
  return df as typeof trips
}

describe('random SQL ≡ the fluent builder', () => {
  it('same logical plan, and the same optimized plan', () => {
    const optimizerOn = process.env.TSDASK_OPTIMIZER !== 'off'
    fc.assert(
      fc.property(sqlCase, (c) => {
        const query = toSql(c)
        const parsed = parseSql(query, { trips: trips.plan })
        const built = toBuilder(c).plan
        expect(planSignature(parsed), query).toBe(planSignature(built))
        if (optimizerOn) expect(planSignature(optimizedPlan(parsed)), query).toBe(planSignature(optimizedPlan(built)))
      }),
      { numRuns: RUNS * 3 },
    )
  })
})

// Garbage in: only TsdaskErrors out ----------------------------------------------------------------

const VALID = [
  "SELECT vendor, sum(fare) AS total FROM trips WHERE fare > 10 AND vendor = 'CMT' GROUP BY vendor ORDER BY total DESC LIMIT 3",
  'WITH x AS (SELECT * FROM trips) SELECT t.fare, CAST(tip AS int64) FROM x t WHERE tip IS NOT NULL',
  "SELECT * FROM trips WHERE passengers NOT IN (1, 2) OR fare BETWEEN 1 AND 2 OR starts_with(vendor, 'C')",
  "SELECT count(*) FROM (SELECT * FROM trips) s WHERE s.fare > -1.5e3 AND DATE '2024-01-01' IS NOT NULL",
]
const PIECES = [
  'SELECT',
  'FROM',
  '(',
  ')',
  ',',
  "'",
  '"',
  '*',
  '-',
  '--',
  '/*',
  'NULL',
  'CASE',
  'AS',
  '.',
  ';',
  '1e',
  '\n',
  'ORDER BY',
  'JOIN',
  'sum(',
]

function onlyLibraryErrors(text: string): void {
  for (const parse of [() => parseSql(text, { trips: trips.plan }), () => parseExpression(text)]) {
    try {
      parse()
    } catch (error) {
      if (!(error instanceof TsdaskError) || error.code === 'INTERNAL') throw error
    }
  }
}

describe('random and mutated input', () => {
  it('random strings only ever throw a TsdaskError', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (text) => onlyLibraryErrors(text)),
      { numRuns: RUNS * 5 },
    )
  })

  it('random bytes (as latin-1 text) only ever throw a TsdaskError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) =>
        onlyLibraryErrors(Buffer.from(bytes).toString('latin1')),
      ),
      { numRuns: RUNS * 5 },
    )
  })

  it('mutated valid queries only ever throw a TsdaskError', () => {
    const mutation = fc.record({
      query: fc.constantFrom(...VALID),
      at: fc.nat(),
      cut: fc.nat(6),
      insert: fc.oneof(fc.constantFrom(...PIECES), fc.string({ maxLength: 3 })),
    })
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (edits) => {
        let text = edits[0]!.query
        for (const e of edits) {
          const at = e.at % (text.length + 1)
          text = `${text.slice(0, at)}${e.insert}${text.slice(at + e.cut)}`
        }
        onlyLibraryErrors(text)
      }),
      { numRuns: RUNS * 10 },
    )
  })
})
