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
    ...(q.limit?.offset !== undefined && { hasOffset: true }),
    ...(q.orderBy && { orderKeys: q.orderBy.map((o) => o.column) }),
    ...(g.expectError !== undefined && { expectError: g.expectError }),
    runs,
    ...(cli && { cli }),
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
    const message = judge(got, limited, full, c, name.startsWith('cli'), run?.optimize ?? true)
    if (message !== undefined) return { run: name, index, message }
  }
  return undefined
}

/**
 * DuckDB errors tsdask does not raise, by design: the moment aggregates (stddev, variance, corr)
 * over ±Infinity or values whose squares overflow, where tsdask returns NaN or ±Infinity.
 */
const DUCKDB_ONLY_ERRORS =
  /Out of Range Error: (STDDEV_SAMP|VARSAMP|STDDEV_POP for [XY]|COVAR_POP|CORR)[^\n]* is out of range/

/** tsdask's errors about a value (not about the query). */
const RUN_TIME_ERROR = /cannot cast|overflow|out of range/i

function judge(
  got: Outcome,
  limited: Outcome,
  full: Outcome,
  c: SqlCase,
  cli: boolean,
  optimized: boolean,
): string | undefined {
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
    // Unoptimized, tsdask computes every column a subquery selects, used or not; DuckDB (always
    // optimized) drops the unused ones, and the values that would fail with them.
    if (!optimized && RUN_TIME_ERROR.test(got.message)) return undefined
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
