/**
 * `DataFrame<S>`: a lazy, partitioned table whose schema type `S` (column name → dtype) makes
 * unknown columns and type mismatches compile-time errors. Every method returns a new frame
 * over a bigger logical plan; nothing runs until `compute()`, `toRecords()` or `persist()`.
 *
 * @example
 * const trips = readCsv('trips/*.csv', { schema: { vendor: 'utf8', fare: 'float64', tip: 'float64' } })
 * const perVendor = trips
 *   .filter(col('fare').gt(10))
 *   .withColumns({ tipPct: col('tip').div(col('fare')).mul(100) })
 *   .groupBy('vendor')
 *   .agg({ avgTip: col('tipPct').mean(), n: count() })
 * const rows = await perVendor.toRecords()
 */
import type { Table } from 'apache-arrow'
import type { Expr } from '../expr/builder.js'
import { unknownColumn } from '../expr/dtype-of.js'
import type { LiteralJs } from '../expr/expr-node.js'
import type {
  CheckRequirements,
  ColumnType,
  ExprType,
  IsWide,
  Need,
  Requirements,
  SchemaLike,
  SchemaShape,
  Simplify,
} from '../expr/typing.js'
import { toDot } from '../graph/to-dot.js'
import { toSvg } from '../graph/to-svg.js'
import { partitionCount } from '../physical/partitioning.js'
import { planPhysical } from '../physical/plan-physical.js'
import { planDepth } from '../plan/depth.js'
import { explainPlan } from '../plan/explain.js'
import type { LogicalPlan, NamedExpr, SortKeySpec } from '../plan/plan.js'
import { checkSampleArgs, schemaOf } from '../plan/schema-of.js'
import type { JoinHow } from '../types/join-how.js'
import { schemaToRecord } from '../types/schema.js'
import { callSite } from '../util/call-site.js'
import { MAX_PLAN_DEPTH, planTooDeep } from '../util/depth-limits.js'
import { TsdaskError } from '../util/errors.js'
import { type ComputeOptions, executePlan, optimizedPlan, physicalGraph } from './execute.js'
import { explainPhysical } from './explain-physical.js'
import { explainRules } from './explain-rules.js'
import { exprNode } from './expr-node-of.js'
import { GroupBy } from './group-by.js'
import { type JoinOptionsAny, joinNode } from './join-node.js'
import type { CrossJoined, Joined, JoinLeftRight, JoinOn, OnKeysChecked, PairKeysChecked } from './join-types.js'
import { persistedScan, releasePersistedScan } from './persisted-scan.js'
import { tableToRecords, toTable } from './results.js'
import type {
  AggOutputs,
  ArrowTypeMap,
  ExprReqOf,
  FillMapping,
  FillValueOf,
  NumericColumns,
  Renamed,
  Row,
  WithColumns,
} from './types.js'
import {
  columnsFitting,
  describePlan,
  dropNullsPlan,
  fillNullPlan,
  topRowsPlan,
  type ValueCountsOptions,
  valueCountsPlan,
} from './verbs.js'

export interface SortSpec<K extends string> {
  readonly column: K
  readonly descending?: boolean
  /** Default false: nulls sort last, ascending or descending (DuckDB's default). */
  readonly nullsFirst?: boolean
}

export interface ExplainOptions {
  /** 'text' (default), 'dot' (the task graph in Graphviz DOT) or 'svg' (the task graph drawn, no Graphviz needed). */
  readonly format?: 'text' | 'dot' | 'svg'
  /** Show each optimizer rule's effect. */
  readonly rules?: boolean
}

/** `unknown` when both schema types are the same (or either is only known at run time). */
type SameSchema<S, O> =
  IsWide<S> extends true
    ? unknown
    : IsWide<O> extends true
      ? unknown
      : [S] extends [O]
        ? [O] extends [S]
          ? unknown
          : { readonly 'unionAll needs frames with the same columns and dtypes': S }
        : { readonly 'unionAll needs frames with the same columns and dtypes': S }

type ExprsChecked<S extends SchemaLike, E> = { readonly [K in keyof E]: E[K] & CheckRequirements<S, ExprReqOf<E[K]>> }

export class DataFrame<S extends SchemaLike = SchemaShape> {
  readonly #plan: LogicalPlan

  /** @internal Frames are made by readCsv / fromRecords / fromArrow and by methods of other frames. */
  constructor(plan: LogicalPlan) {
    // Before anything walks the plan: past the limit, the walks themselves would overflow.
    const depth = planDepth(plan)
    if (depth > MAX_PLAN_DEPTH) {
      const origin = plan.origin ?? callSite()
      const where = origin ? ` (${plan.kind.toLowerCase()} built at ${origin})` : ''
      throw planTooDeep(depth, where, origin ? { origin } : {})
    }
    this.#plan = plan
    schemaOf(plan) // validate eagerly: a mistake is reported where the user made it
  }

  /** The logical plan (immutable), for inspection and tests. */
  get plan(): LogicalPlan {
    return this.#plan
  }

  /** Column name → dtype, as known at run time. */
  get schema(): S {
    return schemaToRecord(schemaOf(this.#plan)) as unknown as S
  }

  get columns(): (keyof S & string)[] {
    return schemaOf(this.#plan).map((f) => f.name) as (keyof S & string)[]
  }

  /** Partitions of the frame as it stands (before optimization). */
  get npartitions(): number {
    return partitionCount(planPhysical(this.#plan, { incrementalLimit: false }).partitioning)
  }

  /**
   * Keeps the rows where `predicate` is true (null counts as false). The predicate is a builder
   * expression or a string in the query language: `filter("fare > 10 and vendor = 'CMT'")`.
   */
  filter<T extends 'bool' | ColumnType<string>, R extends Requirements>(
    predicate: (Expr<T, R> & CheckRequirements<S, R & Need<T, 'bool'>>) | string,
  ): DataFrame<S> {
    const node = exprNode(predicate, 'filter', schemaOf(this.#plan))
    return this.#then({ kind: 'Filter', input: this.#plan, predicate: node, origin: callSite() })
  }

  /** Keeps the named columns, in the given order. */
  select<K extends keyof S & string>(...columns: readonly K[]): DataFrame<Simplify<Pick<S, K>>> {
    const names = columns.flat() as string[]
    this.#checkColumns(names, 'select')
    const exprs = names.map((name): NamedExpr => ({ name, expr: { kind: 'Column', name } }))
    return this.#then({ kind: 'Project', input: this.#plan, exprs, origin: callSite() })
  }

  /** Adds columns, or replaces columns of the same name (in place); a value may be a string: `{ tipPct: 'tip / fare * 100' }`. */
  withColumns<E extends { readonly [name: string]: Expr<ExprType, Requirements> | string }>(
    exprs: E & ExprsChecked<S, E>,
  ): DataFrame<WithColumns<S, E>> {
    const schema = schemaOf(this.#plan)
    const added = Object.entries(exprs as Record<string, unknown>).map(([name, e]) => ({
      name,
      expr: exprNode(e, `withColumns({ ${name}: … })`, schema),
    }))
    const current = schemaOf(this.#plan).map(
      (f): NamedExpr =>
        added.find((a) => a.name === f.name) ?? { name: f.name, expr: { kind: 'Column', name: f.name } },
    )
    const appended = added.filter((a) => !current.some((c) => c.name === a.name))
    return this.#then({ kind: 'Project', input: this.#plan, exprs: [...current, ...appended], origin: callSite() })
  }

  /** Renames columns: `rename({ old: 'new' })`. */
  rename<const M extends { readonly [K in keyof S]?: string }>(mapping: M): DataFrame<Renamed<S, M>> {
    const map = mapping as Record<string, string>
    this.#checkColumns(Object.keys(map), 'rename')
    const exprs = schemaOf(this.#plan).map(
      (f): NamedExpr => ({ name: map[f.name] ?? f.name, expr: { kind: 'Column', name: f.name } }),
    )
    return this.#then({ kind: 'Project', input: this.#plan, exprs, origin: callSite() })
  }

  /** Removes columns. */
  drop<K extends keyof S & string>(...columns: readonly K[]): DataFrame<Simplify<Omit<S, K>>> {
    const names = columns.flat() as string[]
    this.#checkColumns(names, 'drop')
    const exprs = schemaOf(this.#plan)
      .filter((f) => !names.includes(f.name))
      .map((f): NamedExpr => ({ name: f.name, expr: { kind: 'Column', name: f.name } }))
    return this.#then({ kind: 'Project', input: this.#plan, exprs, origin: callSite() })
  }

  /** Groups by key columns; finish with `.agg({ ... })`. */
  groupBy<K extends keyof S & string>(...keys: readonly K[]): GroupBy<S, K> {
    const names = keys.flat() as string[]
    this.#checkColumns(names, 'groupBy')
    return new GroupBy<S, K>(this.#plan, names as K[], callSite(), (plan) => new DataFrame(plan))
  }

  /** Aggregates the whole frame into one row: `df.agg({ total: col('fare').sum(), n: count() })`. */
  agg<A extends { readonly [name: string]: Expr<ExprType, Requirements> | string }>(
    aggs: A & ExprsChecked<S, A>,
  ): DataFrame<AggOutputs<S, never, A>> {
    return new GroupBy<S, never>(this.#plan, [], callSite(), (plan) => new DataFrame(plan)).agg(
      aggs as never,
    ) as unknown as DataFrame<AggOutputs<S, never, A>>
  }

  /** Sorts by one or more columns; stable, nulls last unless `nullsFirst`. */
  sort<K extends keyof S & string>(
    by: K | SortSpec<K> | readonly (K | SortSpec<K>)[],
    options: { descending?: boolean; nullsFirst?: boolean } = {},
  ): DataFrame<S> {
    const list = (Array.isArray(by) ? by : [by]) as (string | SortSpec<string>)[]
    if (list.length === 0)
      throw new TsdaskError('INVALID_ARGUMENT', 'sort() needs at least one column, e.g. sort("fare")')
    const keys = list.map((k): SortKeySpec => {
      const spec = typeof k === 'string' ? { column: k } : k
      return {
        column: spec.column,
        descending: spec.descending ?? options.descending ?? false,
        nullsFirst: spec.nullsFirst ?? options.nullsFirst ?? false,
      }
    })
    this.#checkColumns(
      keys.map((k) => k.column),
      'sort',
    )
    return this.#then({ kind: 'Sort', input: this.#plan, keys, origin: callSite() })
  }

  /** The first `n` rows (lazy). Computing it reads only as many partitions as it takes. */
  head(n = 5): DataFrame<S> {
    return this.limit(n)
  }

  /** Rows `offset .. offset + n` in partition order (lazy). */
  limit(n: number, offset = 0): DataFrame<S> {
    return this.#then({ kind: 'Limit', input: this.#plan, limit: n, offset, origin: callSite() })
  }

  /**
   * One row per distinct row, comparing every column (SQL `SELECT DISTINCT *`: nulls equal each
   * other, -0 equals 0, NaN equals NaN). Like a group-by, rows come out sorted by the columns, nulls last.
   */
  distinct(): DataFrame<S> {
    return this.#then({ kind: 'Distinct', input: this.#plan, origin: callSite() })
  }

  /**
   * SQL `UNION ALL`: this frame's rows, then `other`'s, duplicates kept (partitions concatenated).
   * Both frames need the same column names and dtypes in the same order; select, rename or cast first.
   */
  unionAll<O extends SchemaLike>(other: DataFrame<O> & SameSchema<S, O>): DataFrame<S> {
    if (!(other instanceof DataFrame)) {
      throw new TsdaskError('INVALID_ARGUMENT', `unionAll() takes another DataFrame, got ${typeof other}`)
    }
    // Unions of unions are flattened on both sides, so a chain of unionAll calls stays one level deep.
    const inputsOf = (p: LogicalPlan) => (p.kind === 'Union' ? p.inputs : [p])
    return this.#then({ kind: 'Union', inputs: [...inputsOf(this.#plan), ...inputsOf(other.plan)], origin: callSite() })
  }

  /**
   * The logical plan, the optimized plan and a physical summary, as text; or the task graph that
   * would run, as Graphviz DOT (`format: 'dot'`) or drawn as an SVG document (`format: 'svg'`).
   */
  explain(options: ExplainOptions = {}): string {
    const format = options.format ?? 'text'
    if (format !== 'text' && format !== 'dot' && format !== 'svg') {
      throw new TsdaskError(
        'INVALID_ARGUMENT',
        `explain() got format ${JSON.stringify(format)}; use 'text' (the default), 'dot' or 'svg'`,
      )
    }
    const optimized = optimizedPlan(this.#plan)
    const operators = planPhysical(optimized, { incrementalLimit: false })
    const physical = physicalGraph(operators)
    if (options.format === 'dot') return toDot(physical.graph, { outputs: physical.outputs })
    if (options.format === 'svg') return toSvg(physical.graph, { outputs: physical.outputs })
    const sections = [
      `== Logical plan ==\n${explainPlan(this.#plan)}`,
      `== Optimized plan ==\n${explainPlan(optimized)}`,
    ]
    if (options.rules) sections.push(`== Optimizer rules ==\n${explainRules(this.#plan)}`)
    sections.push(`== Physical plan ==\n${explainPhysical(optimized, planPhysical(optimized), physical)}`)
    return sections.join('\n\n')
  }

  /**
   * The task graph that `compute()` would run, after optimization, culling and fusion, drawn as a
   * standalone SVG document: one box per task, inputs at the bottom, the outputs highlighted.
   * Write it to a `.svg` file or show it in a notebook. Same as `explain({ format: 'svg' })`.
   */
  toSvg(): string {
    return this.explain({ format: 'svg' })
  }

  /** Runs the computation and returns one Arrow table. */
  async compute(options: ComputeOptions = {}): Promise<Table<ArrowTypeMap<S>>> {
    const batches = await executePlan(this.#plan, options)
    return toTable(batches, schemaOf(this.#plan)) as unknown as Table<ArrowTypeMap<S>>
  }

  /** Runs the computation and returns plain row objects (dates as `Date`, int64 as `bigint`). */
  async toRecords(options: ComputeOptions = {}): Promise<Row<S>[]> {
    const schema = schemaOf(this.#plan)
    return tableToRecords(toTable(await executePlan(this.#plan, options), schema), schema) as Row<S>[]
  }

  /**
   * Computes the partitions and keeps them in memory (the scheduler's persisted store); later
   * queries on the returned frame start from them. `release()` on the returned frame frees them.
   */
  async persist(options: ComputeOptions = {}): Promise<DataFrame<S>> {
    const batches = await executePlan(this.#plan, options)
    return new DataFrame<S>(persistedScan(batches, schemaOf(this.#plan), callSite()))
  }

  /** Frees the partitions persist() kept for this frame; returns the bytes freed (0 if already released). */
  release(): number {
    return releasePersistedScan(this.#plan, callSite())
  }

  /**
   * SQL-style equi-join with `other`: `on` names key columns both frames have (each appears once
   * in the result), or `leftOn` / `rightOn` pair them up (both stay). Nulls never match. `how`:
   * 'inner' (default), 'left', 'right', 'full', 'semi' (left rows with a match), 'anti' (without).
   * A right column whose name the left frame has gets `suffix` (default `_right`). A small side is
   * broadcast to every partition of the other; otherwise both are hash-partitioned on the keys.
   *
   * @example
   * const withNames = orders.join(customers, { leftOn: 'customer_id', rightOn: 'id', how: 'left' })
   */
  join<
    O extends SchemaLike,
    K extends keyof S & keyof O & string,
    How extends JoinHow = 'inner',
    Suffix extends string = '_right',
  >(
    other: DataFrame<O>,
    options: JoinOn<K, How, Suffix> & OnKeysChecked<S, O, K>,
  ): DataFrame<Joined<S, O, How, K, Suffix>>
  join<
    O extends SchemaLike,
    KL extends keyof S & string,
    KR extends keyof O & string,
    How extends JoinHow = 'inner',
    Suffix extends string = '_right',
  >(
    other: DataFrame<O>,
    options: JoinLeftRight<KL, KR, How, Suffix> & PairKeysChecked<S, O, KL, KR>,
  ): DataFrame<Joined<S, O, How, never, Suffix>>
  // biome-ignore lint/suspicious/noExplicitAny: the overloads above declare the public types
  join(other: DataFrame<any>, options: JoinOptionsAny): DataFrame<any> {
    return this.#then(joinNode(this.#plan, otherPlan(other, 'join'), options, callSite()))
  }

  /** Every row of this frame beside every row of `other` (keep one side small). */
  crossJoin<O extends SchemaLike, Suffix extends string = '_right'>(
    other: DataFrame<O>,
    options: { readonly suffix?: Suffix } = {},
  ): DataFrame<CrossJoined<S, O, Suffix>> {
    return this.#then(joinNode(this.#plan, otherPlan(other, 'crossJoin'), { ...options, how: 'cross' }, callSite()))
  }

  /**
   * Rows with a null in any of `subset` (default: every column) removed, like Polars'
   * `drop_nulls` and pandas' `dropna(subset=…)`. NaN is a float value, not a null, so it stays.
   */
  dropNulls<K extends keyof S & string>(subset?: K | readonly K[]): DataFrame<S> {
    const names = subset === undefined ? this.columns : ((Array.isArray(subset) ? subset : [subset]) as string[])
    this.#checkColumns(names, 'dropNulls')
    return this.#then(dropNullsPlan(this.#plan, names, callSite()))
  }

  /**
   * Nulls replaced by a value. `fillNull({ fare: 0, vendor: 'n/a' })` fills the named columns, each
   * with a value of its dtype; `fillNull(0)` fills every column the value fits (a number fills
   * the numeric columns it fits, a string the utf8 columns, a Date the date and timestamp columns).
   * Dtypes do not change; NaN is not a null and stays.
   */
  fillNull(mapping: FillMapping<S>): DataFrame<S>
  fillNull(value: FillValueOf<S[keyof S]>): DataFrame<S>
  fillNull(value: FillMapping<S> | FillValueOf<S[keyof S]>): DataFrame<S> {
    const isMapping = typeof value === 'object' && value !== null && !(value instanceof Date)
    if (isMapping) {
      const entries = Object.entries(value as Record<string, LiteralJs>)
      this.#checkColumns(
        entries.map(([name]) => name),
        'fillNull',
      )
      return this.#then(fillNullPlan(this.#plan, new Map(entries), callSite()))
    }
    const fills = columnsFitting(this.#plan, value as LiteralJs)
    return this.#then(fillNullPlan(this.#plan, fills, callSite()))
  }

  /**
   * The distinct values of `column` with their row counts (`count`, int64), most frequent first,
   * ties by value ascending; `{ sort: false }` orders by value. Null is counted as a value of its
   * own, as Polars' `value_counts` and SQL's GROUP BY do (pandas drops it unless `dropna=False`):
   * filter it out with `dropNulls(column)` first if unwanted.
   */
  valueCounts<K extends keyof S & string>(
    column: K,
    options: ValueCountsOptions = {},
  ): DataFrame<Simplify<{ readonly [P in K]: S[P] } & { readonly count: 'int64' }>> {
    this.#checkColumns([column], 'valueCounts')
    return this.#then(valueCountsPlan(this.#plan, column, options, callSite()))
  }

  /**
   * The `n` rows with the largest values of `columns` (compared in order), largest first; equal keys
   * keep input order (pandas `keep='first'`). NaN ranks above every number (DuckDB's order); nulls
   * come last, only when fewer than `n` rows have values. A sort and a limit, run as a top-k.
   */
  nlargest<K extends keyof S & string>(n: number, columns: K | readonly K[]): DataFrame<S> {
    return this.#topRows(n, columns, true, 'nlargest')
  }

  /** The `n` rows with the smallest values of `columns` (compared in order), smallest first; equal keys keep input order. */
  nsmallest<K extends keyof S & string>(n: number, columns: K | readonly K[]): DataFrame<S> {
    return this.#topRows(n, columns, false, 'nsmallest')
  }

  /** The number of rows, computed as a `count(*)` aggregate (Dask's `len(df)`): no column is read. */
  async count(options: ComputeOptions = {}): Promise<number> {
    const plan: LogicalPlan = {
      kind: 'Aggregate',
      input: this.#plan,
      keys: [],
      aggs: [{ name: 'count', fn: 'countAll', arg: null }],
      origin: callSite(),
    }
    const [row] = await new DataFrame<{ count: 'int64' }>(plan).toRecords(options)
    return Number(row?.count ?? 0)
  }

  /**
   * pandas' `describe()`: count (non-null values), mean, std (sample), min, 25%, 50%, 75% (exact,
   * linear interpolation) and max of every numeric column, as a small frame with one row per
   * statistic (its label in `statistic`) and one float64 column per numeric column. Unlike pandas,
   * NaN is a value (it makes mean and std NaN and sorts above every number), as everywhere in tsdask.
   */
  describe(): DataFrame<Simplify<{ readonly statistic: 'utf8' } & { readonly [K in NumericColumns<S>]: 'float64' }>> {
    return this.#then(describePlan(this.#plan, callSite()))
  }

  /**
   * A deterministic Bernoulli sample: each row is kept with probability `fraction`, decided by a
   * hash of (seed, its partition's index, its position in the partition), so the same seed, data
   * and partitioning give the same rows on any scheduler and any number of workers (another
   * partitioning gives another sample, as in Dask). Rows keep their order. Filters written after
   * `sample()` stay after it: the optimizer never moves a filter below a sample.
   */
  sample(options: { readonly fraction: number; readonly seed?: number }): DataFrame<S> {
    const { fraction, seed = 0 } = options ?? {}
    checkSampleArgs(fraction, seed)
    return this.#then({ kind: 'Sample', input: this.#plan, fraction, seed, origin: callSite() })
  }

  #topRows(n: number, columns: string | readonly string[], descending: boolean, where: string): DataFrame<S> {
    const names = (Array.isArray(columns) ? columns : [columns]) as string[]
    this.#checkColumns(names, where)
    return this.#then(topRowsPlan(this.#plan, n, names, descending, where, callSite()))
  }

  /** A frame over `plan`; its schema type is the caller's return type (checked by the type tests). */
  // biome-ignore lint/suspicious/noExplicitAny: private; every public method declares the schema type it returns
  #then(plan: LogicalPlan): DataFrame<any> {
    return new DataFrame(plan)
  }

  #checkColumns(names: readonly string[], where: string): void {
    const schema = schemaOf(this.#plan)
    for (const name of names) {
      if (typeof name !== 'string')
        throw new TsdaskError('INVALID_ARGUMENT', `${where}() takes column names (strings), got ${typeof name}`)
      if (!schema.some((f) => f.name === name)) {
        const error = unknownColumn(name, schema, `${where}()`)
        const origin = callSite()
        throw origin
          ? new TsdaskError(error.code, `${error.message}\n  in ${where} built at ${origin}`, {
              ...error.details,
              origin,
            })
          : error
      }
    }
  }
}

function otherPlan(other: unknown, method: string): LogicalPlan {
  if (other instanceof DataFrame) return other.plan
  throw new TsdaskError('INVALID_ARGUMENT', `${method}() takes another DataFrame, got ${typeof other}`)
}
