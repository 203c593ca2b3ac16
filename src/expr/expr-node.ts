/**
 * The logical expression AST: immutable plain objects, discriminated by `kind`. Columns are
 * referenced by name (lowering resolves them to indexes). Builders (`col`, `lit`, methods on
 * `Expr`) and the string parser both produce these nodes, and nothing downstream knows which.
 */
import type { DType } from '../types/dtype.js'

export type ArithmeticOp = 'add' | 'sub' | 'mul' | 'div' | 'mod'
export type ComparisonOp = 'eq' | 'neq' | 'lt' | 'lte' | 'gt' | 'gte'
export type LogicalOp = 'and' | 'or'
export type BinaryOp = ArithmeticOp | ComparisonOp | LogicalOp
export type UnaryOp = 'not' | 'negate' | 'isNull' | 'isNotNull'
/** `like`: SQL LIKE, `pattern` with `%` (any run) and `_` (one character); no escape character. */
export type StringFn = 'startsWith' | 'endsWith' | 'contains' | 'lower' | 'upper' | 'length' | 'like'
/**
 * Scalar functions called by name (SQL `fn(args)`); argument lists and types in call-types.ts:
 * abs(x), round(x, digits), floor(x), ceil(x), substr(s, start[, length]) (1-based, in characters),
 * year(d), month(d), day(d) of a date32 or timestamp[ms].
 */
export type ScalarFn = 'abs' | 'round' | 'floor' | 'ceil' | 'substr' | 'year' | 'month' | 'day'
export type AggFn =
  | 'sum'
  | 'mean'
  | 'count'
  | 'countAll'
  | 'min'
  | 'max'
  /** Sample standard deviation (n - 1); null for fewer than two values. SQL `stddev_samp`. */
  | 'stddev'
  /** Sample variance (n - 1); null for fewer than two values. SQL `var_samp`. */
  | 'variance'
  /** Exact median, interpolated between the middle two values (DuckDB `quantile_cont(x, 0.5)`). */
  | 'median'
  /** Exact quantile `q` with linear interpolation (DuckDB `quantile_cont(x, q)`). */
  | 'quantile'
  /** Exact quantile `q` without interpolation: an input value (DuckDB `quantile_disc(x, q)`). */
  | 'quantileDisc'
  /** Distinct non-null values. SQL `count(DISTINCT x)`. */
  | 'countDistinct'
  /** Pearson correlation of `arg` and `arg2` over rows where both are non-null. */
  | 'corr'

/** A literal's JS value: int64 as bigint, date32 / timestamp[ms] as Date, null typed by context. */
export type LiteralJs = null | boolean | number | bigint | string | Date

export interface ColumnNode {
  readonly kind: 'Column'
  readonly name: string
}
export interface LiteralNode {
  readonly kind: 'Literal'
  readonly value: LiteralJs
  /** null only for an untyped NULL literal, which takes its type from context. */
  readonly dtype: DType | null
}
export interface BinaryNode {
  readonly kind: 'Binary'
  readonly op: BinaryOp
  readonly left: ExprNode
  readonly right: ExprNode
}
export interface UnaryNode {
  readonly kind: 'Unary'
  readonly op: UnaryOp
  readonly arg: ExprNode
}
export interface CastNode {
  readonly kind: 'Cast'
  readonly arg: ExprNode
  readonly dtype: DType
}
export interface IsInNode {
  readonly kind: 'IsIn'
  readonly arg: ExprNode
  readonly values: readonly LiteralNode[]
}
export interface CoalesceNode {
  readonly kind: 'Coalesce'
  readonly args: readonly ExprNode[]
}
export interface StringNode {
  readonly kind: 'String'
  readonly fn: StringFn
  readonly arg: ExprNode
  readonly pattern?: string
}
export interface AggNode {
  readonly kind: 'Agg'
  readonly fn: AggFn
  /** null for countAll (`count()` / `COUNT(*)`). */
  readonly arg: ExprNode | null
  /** The second argument of a two-argument aggregate (`corr(arg, arg2)`); absent otherwise. */
  readonly arg2?: ExprNode
  /** The fraction of `quantile` / `quantileDisc`, in [0, 1]; absent for other aggregates. */
  readonly q?: number
}

export interface CaseBranch {
  readonly condition: ExprNode
  readonly value: ExprNode
}
/** `CASE WHEN … THEN … [ELSE …] END`: the first branch whose condition is true (null is not true). */
export interface CaseNode {
  readonly kind: 'Case'
  readonly branches: readonly CaseBranch[]
  /** null when there is no ELSE: rows no branch takes are null. */
  readonly otherwise: ExprNode | null
}
export interface CallNode {
  readonly kind: 'Call'
  readonly fn: ScalarFn
  readonly args: readonly ExprNode[]
}

export type ExprNode =
  | ColumnNode
  | LiteralNode
  | BinaryNode
  | UnaryNode
  | CastNode
  | IsInNode
  | CoalesceNode
  | StringNode
  | AggNode
  | CaseNode
  | CallNode

export type ExprKind = ExprNode['kind']

/** The dtype a JS literal gets when nothing else says: integers in int32 range are int32. */
export function literalDType(value: LiteralJs): DType | null {
  if (value === null) return null
  switch (typeof value) {
    case 'boolean':
      return 'bool'
    case 'number':
      return Number.isInteger(value) && value >= -2147483648 && value <= 2147483647 ? 'int32' : 'float64'
    case 'bigint':
      return 'int64'
    case 'string':
      return 'utf8'
    default:
      return 'timestamp[ms]'
  }
}
