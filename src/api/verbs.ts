/**
 * The plans behind the everyday verbs of `DataFrame` (dropNulls, fillNull, valueCounts,
 * nlargest / nsmallest). Each verb is built only from existing logical nodes (Filter, Project,
 * Aggregate, Sort, Limit), so the optimizer, the physical planner, explain() and the reference
 * interpreter handle them with no new code. Column names are checked by the caller (DataFrame).
 */
import { literalNode } from '../expr/builder.js'
import type { ExprNode, LiteralJs } from '../expr/expr-node.js'
import type { AggregateCall, LogicalPlan, NamedExpr, SortKeySpec } from '../plan/plan.js'
import { schemaOf } from '../plan/schema-of.js'
import { type DType, isNumeric } from '../types/dtype.js'
import { TsdaskError } from '../util/errors.js'

const column = (name: string): ExprNode => ({ kind: 'Column', name })

/** Rows with a null in any of `subset` removed. NaN is a value, not a null (Arrow / Polars). */
export function dropNullsPlan(input: LogicalPlan, subset: readonly string[], origin: string | undefined): LogicalPlan {
  const tests = subset.map((name): ExprNode => ({ kind: 'Unary', op: 'isNotNull', arg: column(name) }))
  const [first, ...rest] = tests
  if (first === undefined) return input
  const predicate = rest.reduce((all, t): ExprNode => ({ kind: 'Binary', op: 'and', left: all, right: t }), first)
  return { kind: 'Filter', input, predicate, origin }
}

/**
 * Nulls replaced by a value: `fills` maps column → value. A column not in `fills` is untouched.
 * Each value must fit its column's dtype (checked by `lit(value, dtype)`), so the column keeps its dtype.
 */
export function fillNullPlan(
  input: LogicalPlan,
  fills: ReadonlyMap<string, LiteralJs>,
  origin: string | undefined,
): LogicalPlan {
  const exprs = schemaOf(input).map((f): NamedExpr => {
    if (!fills.has(f.name)) return { name: f.name, expr: column(f.name) }
    const value = fills.get(f.name) ?? null
    if (value === null) {
      throw new TsdaskError(
        'INVALID_ARGUMENT',
        `fillNull({ ${f.name}: null }): a null fill changes nothing; pass a value`,
      )
    }
    const literal = fillLiteral(value, f.dtype, `fillNull({ ${f.name}: … })`)
    return { name: f.name, expr: { kind: 'Coalesce', args: [column(f.name), literal] } }
  })
  return { kind: 'Project', input, exprs, origin }
}

/** The columns a single fill value fits (`fillNull(0)` fills int32, int64 and float64 columns). */
export function columnsFitting(input: LogicalPlan, value: LiteralJs): Map<string, LiteralJs> {
  if (value === null) {
    throw new TsdaskError('INVALID_ARGUMENT', 'fillNull(null): a null fill changes nothing; pass a value')
  }
  const fits = new Map<string, LiteralJs>()
  for (const f of schemaOf(input)) if (literalFits(value, f.dtype)) fits.set(f.name, value)
  if (fits.size === 0) {
    const dtypes = schemaOf(input).map((f) => `${f.name}: ${f.dtype}`)
    throw new TsdaskError(
      'TYPE_MISMATCH',
      `fillNull(${String(value)}): the value (${typeof value}) fits no column (${dtypes.join(', ')}); pass a value of a column's dtype, or a mapping { column: value }`,
    )
  }
  return fits
}

function literalFits(value: LiteralJs, dtype: DType): boolean {
  try {
    literalNode(value as Exclude<LiteralJs, null>, dtype)
    return true
  } catch (error) {
    if (error instanceof TsdaskError && error.code === 'TYPE_MISMATCH') return false
    throw error
  }
}

function fillLiteral(value: Exclude<LiteralJs, null>, dtype: DType, where: string): ExprNode {
  try {
    return literalNode(value, dtype)
  } catch (error) {
    if (error instanceof TsdaskError && error.code === 'TYPE_MISMATCH')
      throw new TsdaskError('TYPE_MISMATCH', `${where}: ${error.message}`)
    throw error
  }
}

export interface ValueCountsOptions {
  /** Default true: most frequent first, ties by value ascending (nulls last). false: by value ascending, nulls last. */
  readonly sort?: boolean
}

/**
 * One row per distinct value of `name` (null is a value of its own, as in Polars' `value_counts`
 * and DuckDB's GROUP BY; pandas drops it by default): the value and its row count as `count` (int64).
 */
export function valueCountsPlan(
  input: LogicalPlan,
  name: string,
  options: ValueCountsOptions,
  origin: string | undefined,
): LogicalPlan {
  if (name === 'count') {
    throw new TsdaskError(
      'INVALID_ARGUMENT',
      'valueCounts("count"): the result already has a column "count"; rename the column first, e.g. rename({ count: "n" })',
    )
  }
  const counts: LogicalPlan = {
    kind: 'Aggregate',
    input,
    keys: [name],
    aggs: [{ name: 'count', fn: 'countAll', arg: null }],
    origin,
  }
  if (options.sort === false) return counts
  const keys: SortKeySpec[] = [
    { column: 'count', descending: true, nullsFirst: false },
    { column: name, descending: false, nullsFirst: false },
  ]
  return { kind: 'Sort', input: counts, keys, origin }
}

/**
 * The `n` rows with the largest (or smallest) values of `columns`, compared in order: a sort and
 * a limit, which the physical planner runs as a per-partition top-k. Equal keys keep input order
 * (pandas `keep='first'`); nulls sort after every value, so they appear only when fewer than `n`
 * rows have values.
 */
export function topRowsPlan(
  input: LogicalPlan,
  n: number,
  columns: readonly string[],
  descending: boolean,
  where: string,
  origin: string | undefined,
): LogicalPlan {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new TsdaskError('INVALID_ARGUMENT', `${where}(${String(n)}, …): n must be a whole number ≥ 0`)
  }
  if (columns.length === 0) {
    throw new TsdaskError('INVALID_ARGUMENT', `${where}(${n}, []): name at least one column to rank by`)
  }
  const keys = columns.map((name): SortKeySpec => ({ column: name, descending, nullsFirst: false }))
  const sorted: LogicalPlan = { kind: 'Sort', input, keys, origin }
  return { kind: 'Limit', input: sorted, limit: n, offset: 0, origin }
}

/** describe()'s rows, in pandas' order; each is one aggregate per numeric column. */
const STATISTICS: readonly { readonly label: string; readonly call: (arg: ExprNode) => Omit<AggregateCall, 'name'> }[] =
  [
    { label: 'count', call: (arg) => ({ fn: 'count', arg }) },
    { label: 'mean', call: (arg) => ({ fn: 'mean', arg }) },
    { label: 'std', call: (arg) => ({ fn: 'stddev', arg }) },
    { label: 'min', call: (arg) => ({ fn: 'min', arg }) },
    { label: '25%', call: (arg) => ({ fn: 'quantile', arg, q: 0.25 }) },
    { label: '50%', call: (arg) => ({ fn: 'quantile', arg, q: 0.5 }) },
    { label: '75%', call: (arg) => ({ fn: 'quantile', arg, q: 0.75 }) },
    { label: 'max', call: (arg) => ({ fn: 'max', arg }) },
  ]

/**
 * pandas' `describe()`: one row per statistic (a `statistic` utf8 column: count, mean, std, min,
 * 25%, 50%, 75%, max) and one float64 column per numeric input column. One Aggregate computes
 * every statistic of every column in one pass (quantiles exact, linear as pandas); a Union of
 * eight copies of its row, each labelled, turns it into eight rows, and a Project picks each row's
 * statistic. The copies are equal sub-plans, so their tasks are shared (equal work, equal keys)
 * and the input is read once.
 */
export function describePlan(input: LogicalPlan, origin: string | undefined): LogicalPlan {
  const numeric = schemaOf(input).filter((f) => isNumeric(f.dtype))
  if (numeric.length === 0) {
    const fields = schemaOf(input).map((f) => `${f.name}: ${f.dtype}`)
    throw new TsdaskError(
      'INVALID_ARGUMENT',
      `describe() summarizes numeric columns (int32, int64, float64), and this frame has none (${fields.join(', ')}); use valueCounts(column) for others`,
    )
  }
  if (numeric.some((f) => f.name === 'statistic')) {
    throw new TsdaskError(
      'INVALID_ARGUMENT',
      'describe(): the result names its label column "statistic", and a numeric column has that name; rename it first',
    )
  }
  const hidden = (s: number, c: number) => `__describe_${s}_${c}`
  const aggs = STATISTICS.flatMap((stat, s) =>
    numeric.map((f, c): AggregateCall => ({ name: hidden(s, c), ...stat.call(column(f.name)) })),
  )
  const stats: LogicalPlan = { kind: 'Aggregate', input, keys: [], aggs, origin }
  // Every branch keeps every statistic, so column pruning leaves the branches' Aggregates equal
  // (one set of tasks, one pass over the input) and the Project above picks each row's values.
  const everyStatistic = aggs.map((a): NamedExpr => ({ name: a.name, expr: column(a.name) }))
  const branches = STATISTICS.map(
    (stat): LogicalPlan => ({
      kind: 'Project',
      input: stats,
      exprs: [{ name: 'statistic', expr: { kind: 'Literal', value: stat.label, dtype: 'utf8' } }, ...everyStatistic],
      origin,
    }),
  )
  const pick = (c: number): ExprNode => ({
    kind: 'Case',
    branches: STATISTICS.map((stat, s) => ({
      condition: {
        kind: 'Binary',
        op: 'eq',
        left: column('statistic'),
        right: { kind: 'Literal', value: stat.label, dtype: 'utf8' },
      },
      value: { kind: 'Cast', arg: column(hidden(s, c)), dtype: 'float64' },
    })),
    otherwise: null,
  })
  return {
    kind: 'Project',
    input: { kind: 'Union', inputs: branches, origin },
    exprs: [
      { name: 'statistic', expr: column('statistic') },
      ...numeric.map((f, c): NamedExpr => ({ name: f.name, expr: pick(c) })),
    ],
    origin,
  }
}
