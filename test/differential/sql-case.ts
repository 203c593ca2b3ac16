/**
 * One differential case: input tables, a query in both dialects, and the ways tsdask runs it
 * (API over records / Arrow / CSV, sync or pool, partition counts, optimizer on or off; or the
 * CLI). `generateCase` draws one from a `Rand`; `runCase` runs it and says how tsdask and DuckDB
 * disagree, if they do; `describeCase` prints it as the TypeScript literal the regression list
 * (regressions.ts) takes, so any failure becomes a fixed case by pasting it.
 */
import { mkdirSync, rmSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { asInferred, type CliRun, runCli } from './cli.js'
import { compareResults, type Expected } from './compare.js'
import type { DuckSession } from './duckdb.js'
import { type DType, sql, TsdaskError } from './engine.js'
import { type AnyFrame, arrowFrame, csvFrame, recordsFrame, type SourceKind, writeCsv } from './frames.js'
import { type Generated, type QueryFeatures, QueryGen } from './gen-query.js'
import { duckdbSql, tsdaskSql } from './print-sql.js'
import type { Rand } from './rand.js'
import { normalizeCell, type Outcome, type Result } from './result.js'
import { showCell, type Table, tableArb } from './tables.js'

export interface ApiRun {
  readonly source: SourceKind
  readonly npartitions: number
  readonly scheduler: 'sync' | 'pool'
  readonly optimize: boolean
  /** CSV sources: bytes per partition. */
  readonly blocksize?: number
}

/** A case as plain data: what regressions.ts stores. */
export interface SqlCase {
  /** The tables as DuckDB gets them (for the CLI: as tsdask infers them from the CSV). */
  readonly tables: readonly Table[]
  readonly tsdask: string
  readonly duckdb: string
  /** DuckDB's query without the top-level LIMIT / OFFSET, when there is one. */
  readonly duckdbFull?: string
  /**
   * DuckDB's query with stddev / variance / corr of integers computed exactly (print-sql.ts,
   * exactMoments), when it has any; and that without the LIMIT. tsdask may give either answer.
   */
  readonly duckdbExact?: string
  readonly duckdbExactFull?: string
  /** Output columns of the ORDER BY keys. */
  readonly orderKeys?: readonly number[]
  readonly hasLimit?: boolean
  readonly hasOffset?: boolean
  /** Set when the query is wrong on purpose. */
  readonly expectError?: string
  readonly runs: readonly ApiRun[]
  readonly cli?: CliRun
  /** The query as generated (minimize.ts simplifies it); not part of a stored case. */
  readonly generated?: Generated
}

export interface CaseOptions extends QueryFeatures {
  /** Share of cases run through the CLI (a process each) instead of the API. */
  readonly cliShare: number
  /** Strings CSV reads as null today: '' quoted, 'NA', 'null'… (bug (b) of issue 13). */
  readonly csvNullStrings: boolean
  /** Arrow dictionaries with a null entry that rows use (bug (b) of issue 13: count(x)). */
  readonly nullDictionaryEntries: boolean
  /** Integer values whose products overflow, so queries fail at run time (see fallibleCasts). */
  readonly overflowingInts: boolean
}

const root = fileURLToPath(new URL('../..', import.meta.url))
let caseCounter = 0

/** A fresh directory for one case's CSV files. */
export function caseDir(): string {
  const dir = path.join(root, '.tmp', 'differential', `${process.pid}-${caseCounter++}`)
  mkdirSync(dir, { recursive: true })
  return dir
}

function drawRun(r: Rand, options: CaseOptions, scheduler: 'sync' | 'pool'): ApiRun {
  const source = r.weighted<SourceKind>([
    [3, 'records'],
    [2, 'arrow-dictionary'],
    [options.nullDictionaryEntries ? 1 : 0, 'arrow-null-dictionary-entries'],
    [2, 'csv'],
  ])
  return {
    source,
    npartitions: r.int(1, 5),
    scheduler,
    optimize: !r.chance(0.15),
    ...(source === 'csv' && { blocksize: r.pick([48, 100, 250, Number.POSITIVE_INFINITY]) }),
  }
}

export function generateCase(r: Rand, options: CaseOptions): SqlCase {
  const mode = options.cliShare >= 1 || r.chance(options.cliShare) ? 'cli' : 'api'
  const runs = mode === 'api' ? [drawRun(r, options, 'sync'), drawRun(r, options, 'pool')] : []
  const csv = mode === 'cli' || runs.some((run) => run.source === 'csv')
  const features = {
    emptyString: !csv || options.csvNullStrings,
    nullLikeStrings: !csv || options.csvNullStrings,
    overflowingInts: options.overflowingInts,
  }
  let tables: Table[] = [r.draw(tableArb('t', 'c', features))]
  if (r.chance(0.3)) tables.push(r.draw(tableArb('u', 'd', features)))
  let cli: CliRun | undefined
  if (mode === 'cli') {
    // The CLI reads types by inference: generate the query over the table as it will be read.
    const dir = caseDir()
    tables = tables.map((t) => asInferred(t, writeCsv(dir, t)))
    rmSync(dir, { recursive: true, force: true })
    cli = { scheduler: r.chance(0.5) ? 'pool' : 'sync' }
  }
  return caseOf(tables, new QueryGen(r, options).generate(tables), runs, cli)
}

/** The case of a generated query. */
export function caseOf(tables: readonly Table[], g: Generated, runs: readonly ApiRun[], cli?: CliRun): SqlCase {
  const q = g.query
  return {
    tables,
    generated: g,
    tsdask: tsdaskSql(q),
    duckdb: duckdbSql(q),
    ...(q.limit && { duckdbFull: duckdbSql(q, { withoutLimit: true }), hasLimit: true }),
    ...exactQueries(q),
    ...(q.limit?.offset !== undefined && { hasOffset: true }),
    ...(q.orderBy && { orderKeys: q.orderBy.map((o) => o.column) }),
    ...(g.expectError !== undefined && { expectError: g.expectError }),
    runs,
    ...(cli && { cli }),
  }
}

function exactQueries(q: Generated['query']): Pick<SqlCase, 'duckdbExact' | 'duckdbExactFull'> {
  const exact = duckdbSql(q, { exactMoments: true })
  if (exact === duckdbSql(q)) return {}
  return {
    duckdbExact: exact,
    ...(q.limit && { duckdbExactFull: duckdbSql(q, { withoutLimit: true, exactMoments: true }) }),
  }
}

// Running -----------------------------------------------------------------------------------------

export interface Failure {
  /** Which run disagreed, described. */
  readonly run: string
  /** Which run disagreed: an index into `runs`, or runs.length for the CLI. */
  readonly index: number
  readonly message: string
}

function frameFor(table: Table, run: ApiRun, dir: string): AnyFrame {
  switch (run.source) {
    case 'records':
      return recordsFrame(table, run.npartitions)
    case 'arrow-dictionary':
      return arrowFrame(table, run.npartitions, false)
    case 'arrow-null-dictionary-entries':
      return arrowFrame(table, run.npartitions, true)
    case 'csv':
      return csvFrame(writeCsv(dir, table), table, run.blocksize ?? Number.POSITIVE_INFINITY)
  }
}

function tsdaskError(error: unknown): Outcome {
  const user = error instanceof TsdaskError && error.code !== 'INTERNAL' && error.code !== 'TASK_FAILED'
  const message = error instanceof Error ? error.message : String(error)
  return { ok: false, internal: !user, message: user ? message : ((error as Error)?.stack ?? message) }
}

async function runApi(c: SqlCase, run: ApiRun): Promise<Outcome> {
  const dir = caseDir()
  try {
    const tables = Object.fromEntries(c.tables.map((t) => [t.name, frameFor(t, run, dir)]))
    const frame = sql(c.tsdask, { tables })
    const schema = Object.values(frame.schema) as DType[]
    const records = await frame.toRecords({ scheduler: run.scheduler, optimize: run.optimize })
    const names = Object.keys(frame.schema)
    const rows = records.map((rec) =>
      names.map((n, i) => normalizeCell((rec as Record<string, unknown>)[n], schema[i]!)),
    )
    return { ok: true, result: { names, types: schema, rows } }
  } catch (error) {
    return tsdaskError(error)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

async function runCliCase(c: SqlCase, cli: CliRun): Promise<Outcome> {
  const dir = caseDir()
  try {
    const files = c.tables.map((t) => ({ name: t.name, file: writeCsv(dir, t) }))
    let types: DType[] = []
    try {
      // The planner's result types, to read the CLI's CSV output with (inference reads the files).
      const tables = Object.fromEntries(
        files.map((f) => [f.name, csvFrame(f.file, tableNamed(c, f.name), Number.POSITIVE_INFINITY)]),
      )
      types = Object.values(sql(c.tsdask, { tables }).schema) as DType[]
    } catch {
      // The query does not plan: the CLI must refuse it too (checked against DuckDB below).
    }
    return await runCli(c.tsdask, files, types, cli)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

function tableNamed(c: SqlCase, name: string): Table {
  return c.tables.find((t) => t.name === name)!
}

function describeRun(run: ApiRun | CliRun): string {
  return JSON.stringify(run, (_, v) => (v === Number.POSITIVE_INFINITY ? 'Infinity' : v))
}

/** Runs the case on DuckDB and on every tsdask run; the first disagreement, or undefined. */
export async function runCase(c: SqlCase, duck: DuckSession): Promise<Failure | undefined> {
  for (const t of c.tables) await duck.load(t)
  const limited = await duck.run(c.duckdb)
  const full = c.duckdbFull === undefined ? limited : await duck.run(c.duckdbFull)
  const attempts: [string, () => Promise<Outcome>][] = c.runs.map((run) => [
    `api ${describeRun(run)}`,
    () => runApi(c, run),
  ])
  if (c.cli) {
    const cli = c.cli
    attempts.push([`cli ${describeRun(cli)}`, () => runCliCase(c, cli)])
  }
  for (const [index, [name, attempt]] of attempts.entries()) {
    const got = await attempt()
    const run = c.runs[index]
    const cli = name.startsWith('cli')
    const message = judge(got, limited, full, c, cli)
    if (message === undefined) continue
    if (!got.ok && limited.ok && (await raisedWithoutOptimizers(c, got, run, duck))) continue
    if (got.ok && !limited.ok && (await answersWithoutOptimizer(c, got, duck, cli))) continue
    if (await agreesWithExactMoments(c, got, duck, cli)) continue
    return { run: name, index, message }
  }
  return undefined
}

/** Whether tsdask's outcome is DuckDB's for the query with exact moments (print-sql.ts, exactMoments). */
async function agreesWithExactMoments(c: SqlCase, got: Outcome, duck: DuckSession, cli: boolean): Promise<boolean> {
  if (c.duckdbExact === undefined) return false
  const limited = await duck.run(c.duckdbExact)
  const full = c.duckdbExactFull === undefined ? limited : await duck.run(c.duckdbExactFull)
  return judge(got, limited, full, c, cli) === undefined
}

/**
 * Whether tsdask's answer is DuckDB's once DuckDB's optimizer is off, where DuckDB optimized
 * raises a run-time error: its optimizer evaluates constant expressions while planning, so
 * `CASE WHEN CAST('inf' AS BOOLEAN) THEN …` fails even over a table with no rows (fuzz seed 5003
 * path 292), where the query as written (and tsdask, row by row) evaluates nothing. An error
 * DuckDB's own plan raises without its optimizer must still be raised by tsdask.
 */
async function answersWithoutOptimizer(c: SqlCase, got: Outcome, duck: DuckSession, cli: boolean): Promise<boolean> {
  const limited = await duck.runUnoptimized(c.duckdb)
  if (!limited.ok) return false
  const full = c.duckdbFull === undefined ? limited : await duck.runUnoptimized(c.duckdbFull)
  return judge(got, limited, full, c, cli) === undefined
}

/**
 * Whether a run-time error tsdask raises where DuckDB answers is the query's own, which DuckDB's
 * optimizer removed: DuckDB with its optimizer off raises an error of the same kind, and so does
 * tsdask with its optimizer off (so tsdask's optimizer did not cause it).
 *
 * Why that is no disagreement: SQL evaluates an aggregate's argument on every row of its group
 * before the expression around the aggregate (PostgreSQL's manual says so of CASE: "a CASE cannot
 * prevent evaluation of an aggregate expression contained within it"), and a WHERE on every row;
 * an engine may still skip work whose result cannot matter. DuckDB's optimizer folds
 * `CASE WHEN TRUE THEN a ELSE max(CAST(s AS DOUBLE)) END` to `a`, `x <> NULL` and
 * `CASE x WHEN NULL …` to NULL, then drops the aggregate or the whole filtered input that no
 * longer matters, with the cast or the overflow in it; it also evaluates the conjuncts of a
 * filter it pushed down cheapest first, so `CAST(s AS BOOLEAN)` may never see a row that
 * `c <= d` (NULL) drops. tsdask folds less and keeps an aggregate's arguments. Both answers follow
 * SQL, and they must not differ otherwise: tsdask's optimizer must never raise what its
 * unoptimized plan does not (checked here), nor drop an error that DuckDB raises (judge).
 */
async function raisedWithoutOptimizers(
  c: SqlCase,
  got: Outcome & { ok: false },
  run: ApiRun | undefined,
  duck: DuckSession,
): Promise<boolean> {
  const kind = runTimeErrorKind(got.message)
  if (kind === undefined || got.internal) return false
  const duckUnoptimized = await duck.runUnoptimized(c.duckdb)
  if (duckUnoptimized.ok || !kind.duckdb.test(duckUnoptimized.message)) return false
  if (run !== undefined && !run.optimize) return true
  // The CLI reads CSV; its tables as the API reads them, unoptimized, on one thread.
  const plain: ApiRun = run ?? { source: 'csv', npartitions: 1, scheduler: 'sync', optimize: true }
  const unoptimized = await runApi(c, { ...plain, optimize: false })
  return !unoptimized.ok && runTimeErrorKind(unoptimized.message) === kind
}

/** tsdask's errors about a value (the CLI prefixes its exit status), and DuckDB's errors of the same kind. */
const RUN_TIME_ERRORS = [
  // A text that does not parse, or a number out of the target's range (DuckDB: "Type INT64 with
  // value … can't be cast because the value is out of range").
  { tsdask: /^(exit 2: tsdask: )?cannot cast /, duckdb: /^Conversion Error:/ },
  { tsdask: /^(exit 2: tsdask: )?(int32|int64) overflow in /, duckdb: /^Out of Range Error: Overflow/ },
] as const

function runTimeErrorKind(message: string): (typeof RUN_TIME_ERRORS)[number] | undefined {
  return RUN_TIME_ERRORS.find((k) => k.tsdask.test(message))
}

/**
 * DuckDB errors tsdask does not raise, by design: the moment aggregates (stddev, variance, corr)
 * over ±Infinity or values whose squares overflow, where tsdask returns NaN or ±Infinity.
 */
const DUCKDB_ONLY_ERRORS =
  /Out of Range Error: (STDDEV_SAMP|VARSAMP|STDDEV_POP for [XY]|COVAR_POP|CORR)[^\n]* is out of range/

/** tsdask's errors about a value (not about the query). */
const RUN_TIME_ERROR = /cannot cast|overflow|out of range/i

/**
 * DuckDB reads the text 'inf', 'infinity' and '-infinity' as a date or timestamp (its infinite
 * values); tsdask's date32 and timestamp[ms] have none, so its CAST refuses them (found by fuzz
 * seed 4000 path 493).
 */
const INFINITE_DATE_CAST = /^(exit 2: tsdask: )?cannot cast "-?inf(inity)?" to (date32|timestamp\[ms\])/i

function judge(got: Outcome, limited: Outcome, full: Outcome, c: SqlCase, cli: boolean): string | undefined {
  if (!got.ok && got.internal) return `tsdask failed with an internal error:\n${got.message}`
  if (!limited.ok) {
    if (!got.ok || DUCKDB_ONLY_ERRORS.test(limited.message)) return undefined
    // A LIMIT lets tsdask stop before the rows (or the union input) that fail: fine, if they fail
    // only at run time (a conversion or range error, not a binder error).
    if (c.hasLimit && /^(Conversion|Out of Range) Error/.test(limited.message)) return undefined
    return `DuckDB refuses the query, tsdask answers it:\nDuckDB: ${limited.message}`
  }
  // DuckDB stops evaluating at the LIMIT; tsdask may evaluate more rows. When the rows past the
  // LIMIT fail, either outcome is right, and a run of ties cut by the LIMIT cannot be checked.
  const unlimitedFails = !full.ok
  if (!got.ok) {
    if (unlimitedFails) return undefined
    // An empty answer may be one DuckDB's optimizer proved without reading a row (LIMIT 0, a
    // BETWEEN whose bounds cross, a folded predicate): then a value tsdask fails to convert on
    // the way is no disagreement. A non-empty answer still is.
    if (limited.result.rows.length === 0 && RUN_TIME_ERROR.test(got.message)) return undefined
    if (INFINITE_DATE_CAST.test(got.message)) return undefined
    // Errors DuckDB's optimizer removed are accepted by raisedWithoutOptimizers (runCase); that
    // includes those of unoptimized runs, where tsdask computes every column a subquery selects,
    // used or not, as DuckDB does with its optimizer off.
    return `tsdask fails where DuckDB answers:\ntsdask: ${got.message}`
  }
  const expected: Expected = {
    limited: limited.result,
    ...(full.ok && { full: full.result }),
    ...(c.orderKeys && { ordering: { keys: c.orderKeys } }),
    hasLimit: c.hasLimit ?? false,
    hasOffset: c.hasOffset ?? false,
    emptyIsNull: cli,
  }
  return compareResults(got.result, expected)
}

// Describing --------------------------------------------------------------------------------------

const INFINITY = '<Infinity>'

function describeTable(t: Table): string {
  const columns = t.columns.map(
    (c) => `{ sql: ${JSON.stringify(c.sql)}, name: ${JSON.stringify(c.name)}, dtype: '${c.dtype}' }`,
  )
  const rows = t.rows.map((row) => `        [${row.map(showCell).join(', ')}],`)
  return [
    `    {`,
    `      name: '${t.name}',`,
    `      columns: [${columns.join(', ')}],`,
    `      rows: [`,
    ...rows,
    `      ],`,
    `    },`,
  ].join('\n')
}

/** The case as a TypeScript object literal for regressions.ts. */
export function describeCase(c: SqlCase): string {
  const line = (key: string, value: unknown) =>
    value === undefined
      ? []
      : [`  ${key}: ${JSON.stringify(value, (_, v) => (v === Number.POSITIVE_INFINITY ? INFINITY : v))},`]
  return [
    '{',
    '  tables: [',
    ...c.tables.map(describeTable),
    '  ],',
    ...line('tsdask', c.tsdask),
    ...line('duckdb', c.duckdb),
    ...line('duckdbFull', c.duckdbFull),
    ...line('duckdbExact', c.duckdbExact),
    ...line('duckdbExactFull', c.duckdbExactFull),
    ...line('orderKeys', c.orderKeys),
    ...line('hasLimit', c.hasLimit),
    ...line('hasOffset', c.hasOffset),
    ...line('expectError', c.expectError),
    ...line('runs', c.runs),
    ...line('cli', c.cli),
    '}',
  ]
    .join('\n')
    .replaceAll(`"${INFINITY}"`, 'Infinity')
}

export type { Result }
