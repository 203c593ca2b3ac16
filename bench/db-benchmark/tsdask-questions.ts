/**
 * The ten questions as tsdask fluent queries, with feature detection: a question whose
 * aggregation tsdask lacks (median, stddev, corr, top-n per group) answers `unsupported` with
 * the missing piece named, and starts being timed as soon as the builder grows it — the methods
 * are looked up by name at run time (`stddev`, `variance`, `median`, `countDistinct` on `Expr`,
 * `corr(x, y)` exported from 'tsdask' or as `x.corr(y)`), so no code here changes when they land.
 *
 * Shared by the benchmark's tsdask child and the CI smoke test (test/bench/), which checks the
 * answers against a plain-JS computation.
 */
import type { Table } from 'apache-arrow'
import * as tsdask from 'tsdask'
import { type ComputeOptions, col, count, type DataFrame, type Expr, readCsv } from 'tsdask'
import { GROUPBY_SCHEMA } from '../groupby-data.js'
import type { QuestionId } from './questions.js'

export type GroupbyFrame = DataFrame<typeof GROUPBY_SCHEMA>

/** Anything tsdask can compute into an Arrow table. */
export interface Computable {
  compute(options?: ComputeOptions): Promise<Table>
}

export type Built = { readonly query: Computable } | { readonly unsupported: string }

/** A float aggregate built by name; the static type is fixed because the method may not exist at compile time. */
type FloatAgg = Expr<'float64'>

/** `col(column)[name]()`, or undefined when the builder has no such method yet. */
export function aggregateByName(column: string, name: string): FloatAgg | undefined {
  const e = col(column) as unknown as Record<string, unknown>
  const method = e[name]
  return typeof method === 'function' ? (method.call(e) as FloatAgg) : undefined
}

/** `corr(x, y)` from the module, else `col(x).corr(col(y))`, else undefined. */
export function correlation(x: string, y: string): FloatAgg | undefined {
  const fromModule = (tsdask as unknown as Record<string, unknown>).corr
  if (typeof fromModule === 'function') return fromModule(col(x), col(y)) as FloatAgg
  const e = col(x) as unknown as Record<string, unknown>
  const method = e.corr
  return typeof method === 'function' ? (method.call(e, col(y)) as FloatAgg) : undefined
}

const unsupported = (what: string): Built => ({ unsupported: what })
const firstLine = (e: unknown): string => (e instanceof Error ? (e.message.split('\n')[0] ?? e.name) : String(e))

/** The `sql(query, { tables })` function when tsdask exports one. */
export function sqlFunction(): ((query: string, options: { tables: Record<string, unknown> }) => unknown) | undefined {
  const sql = (tsdask as unknown as Record<string, unknown>).sql
  return typeof sql === 'function'
    ? (sql as (query: string, options: { tables: Record<string, unknown> }) => unknown)
    : undefined
}

/** Wraps whatever `sql()` returns (a DataFrame, or a promise of one) as something to compute. */
export function sqlQuery(query: string, tables: Record<string, unknown>): Computable {
  const sql = sqlFunction()
  if (!sql) throw new Error('tsdask exports no sql()')
  return {
    async compute(options?: ComputeOptions) {
      const frame = (await sql(query, { tables })) as Computable
      return frame.compute(options)
    },
  }
}

/**
 * A SQL question: parsed and planned once here (a query tsdask's SQL rejects reads as
 * unsupported, with its message); each timed run parses again, as a SQL user's run does.
 */
export async function buildSql(query: string, tables: Record<string, unknown>): Promise<Built> {
  const sql = sqlFunction()
  if (!sql) return unsupported('SQL: not available')
  try {
    await sql(query, { tables })
  } catch (e) {
    return unsupported(firstLine(e))
  }
  return { query: sqlQuery(query, tables) }
}

/**
 * Plan building runs inside a try: a builder that exists but rejects the query (say, a new
 * aggregate not allowed in agg() yet) reads as unsupported, with its message. Errors while
 * computing are not caught here; the runner reports those loudly.
 */
function attempt(build: () => Built): Built {
  try {
    return build()
  } catch (e) {
    return unsupported(firstLine(e))
  }
}

export const TSDASK_QUESTIONS: Readonly<Record<QuestionId, (x: GroupbyFrame) => Built>> = {
  q1: (x) => attempt(() => ({ query: x.groupBy('id1').agg({ v1: col('v1').sum() }) })),
  q2: (x) => attempt(() => ({ query: x.groupBy('id1', 'id2').agg({ v1: col('v1').sum() }) })),
  q3: (x) => attempt(() => ({ query: x.groupBy('id3').agg({ v1: col('v1').sum(), v3: col('v3').mean() }) })),
  q4: (x) =>
    attempt(() => ({
      query: x.groupBy('id4').agg({ v1: col('v1').mean(), v2: col('v2').mean(), v3: col('v3').mean() }),
    })),
  q5: (x) =>
    attempt(() => ({
      query: x.groupBy('id6').agg({ v1: col('v1').sum(), v2: col('v2').sum(), v3: col('v3').sum() }),
    })),
  q6: (x) =>
    attempt(() => {
      const median = aggregateByName('v3', 'median')
      const sd = aggregateByName('v3', 'stddev')
      if (!median || !sd)
        return unsupported(`no ${[!median && 'median()', !sd && 'stddev()'].filter(Boolean).join(', ')}`)
      return { query: x.groupBy('id4', 'id5').agg({ median_v3: median, sd_v3: sd }) }
    }),
  q7: (x) => attempt(() => ({ query: x.groupBy('id3').agg({ range_v1_v2: col('v1').max().sub(col('v2').min()) }) })),
  // TODO(q8): needs a top-n per group (a window function, or a per-group head); the SQL variant
  // runs it with row_number() once sql() supports window functions.
  q8: () => unsupported('no top-n per group (window functions)'),
  q9: (x) =>
    attempt(() => {
      const r = correlation('v1', 'v2')
      if (!r) return unsupported('no corr()')
      return { query: x.groupBy('id2', 'id4').agg({ r2: r.mul(r) }) }
    }),
  q10: (x) =>
    attempt(() => ({
      query: x.groupBy('id1', 'id2', 'id3', 'id4', 'id5', 'id6').agg({ v3: col('v3').sum(), count: count() }),
    })),
}

/** Partitions of about this size: enough of them that both workers have work at 1e6 rows. */
export const BLOCKSIZE = '16MB'

export function readGroupby(csv: string): GroupbyFrame {
  return readCsv(csv, { schema: GROUPBY_SCHEMA, blocksize: BLOCKSIZE })
}

/** The cold scan: from the file, `v1 > 2`, `sum(v3) by id1`. */
export function coldScan(csv: string): Computable {
  return readGroupby(csv)
    .filter(col('v1').gt(2))
    .groupBy('id1')
    .agg({ v3: col('v3').sum() })
}
