/**
 * Physical expressions: what workers evaluate. JSON-safe, column references resolved to indexes,
 * every operand already coerced by lowering (DataFusion's `create_physical_expr`), so kernels never
 * look up names or decide types. `lower` builds them from logical `Expr`s; kernels know nothing else.
 *
 * Invariants lowering guarantees (kernels may rely on them, and assert where cheap):
 * - arithmetic (`add sub mul div mod`): both operands have the same numeric dtype; the result has
 *   that dtype, except `div`, which is always float64 (DuckDB semantics); `x / 0` and `x % 0` are null.
 *   Integer overflow is an error (TsdaskError 'OVERFLOW'), never a wrapped value.
 * - comparisons (`eq neq lt lte gt gte`): both operands have the same dtype; result bool.
 *   Strings compare by UTF-8 bytes (= code point order, as DuckDB does).
 * - `and` / `or`: bool operands, SQL three-valued (Kleene) logic: false AND null = false, true OR null = true.
 *   The right side is evaluated only where the left does not decide (not false for AND, not true
 *   for OR), as are later COALESCE arguments (only where the earlier ones are null) and CASE
 *   branches: an operand that can fail (can-fail.ts) fails only on rows that reach it.
 * - a filter's predicate runs its top-level conjuncts in order, each on the rows the earlier ones
 *   kept (null counts as rejected), as stacked filters would (filter.ts).
 * - every other null input gives a null output, except `isNull`, `isNotNull`, `coalesce`, `and`, `or`.
 *   An arithmetic operand or scalar function argument that reads no column and is null (or a
 *   constant zero divisor) makes the result null without the other operands being evaluated, as
 *   in DuckDB (constant-operand.ts); comparisons evaluate both sides.
 */
import type { DType } from '../types/dtype.js'

/**
 * A literal in JSON-safe form: int64 as a decimal string, date32 as days since the epoch,
 * timestamp[ms] as milliseconds since the epoch, float64 as a number (NaN/±Infinity allowed).
 */
export type LiteralValue = null | boolean | number | string

export type ArithmeticOp = 'add' | 'sub' | 'mul' | 'div' | 'mod'
export type ComparisonOp = 'eq' | 'neq' | 'lt' | 'lte' | 'gt' | 'gte'
export type LogicalOp = 'and' | 'or'
export type BinaryOp = ArithmeticOp | ComparisonOp | LogicalOp

export type UnaryOp = 'not' | 'negate' | 'isNull' | 'isNotNull'

/** String functions. `pattern` is used by startsWith / endsWith / contains (plain substring, not regex). */
export type StringFn = 'startsWith' | 'endsWith' | 'contains' | 'lower' | 'upper' | 'length' | 'like'

/**
 * Scalar functions (src/kernels/functions), DuckDB semantics: abs / floor / ceil keep the dtype
 * (abs of the minimum integer is an OVERFLOW error); round(x, digits) rounds half away from zero
 * and keeps the dtype; substr(s, start, length?) counts characters from 1 (0 and negative starts
 * as DuckDB); year / month / day of date32 or timestamp[ms] are int64. Null in, null out.
 */
export type ScalarFn = 'abs' | 'round' | 'floor' | 'ceil' | 'substr' | 'year' | 'month' | 'day'

export type PhysicalExpr =
  | { readonly kind: 'column'; readonly index: number; readonly dtype: DType }
  | { readonly kind: 'literal'; readonly value: LiteralValue; readonly dtype: DType }
  | {
      readonly kind: 'binary'
      readonly op: BinaryOp
      readonly left: PhysicalExpr
      readonly right: PhysicalExpr
      readonly dtype: DType
    }
  | { readonly kind: 'unary'; readonly op: UnaryOp; readonly arg: PhysicalExpr; readonly dtype: DType }
  /**
   * Casts follow DuckDB: float → int rounds half away from zero; out-of-range or unparsable
   * values are an error naming the value; anything → utf8 formats; utf8 → date32 parses YYYY-MM-DD
   * and ignores what follows a complete date (a time of day), as DuckDB (parse-format.ts);
   * utf8 → timestamp[ms] parses ISO 8601 (UTC when no zone given); bool ↔ numbers as 0/1.
   */
  | { readonly kind: 'cast'; readonly arg: PhysicalExpr; readonly dtype: DType }
  /** `arg IN (values)`; values already have arg's dtype. Null arg → null; SQL: no match and a null in the list → null. */
  | {
      readonly kind: 'isIn'
      readonly arg: PhysicalExpr
      readonly values: readonly LiteralValue[]
      readonly dtype: 'bool'
    }
  /** First non-null argument; all arguments have the result dtype. */
  | { readonly kind: 'coalesce'; readonly args: readonly PhysicalExpr[]; readonly dtype: DType }
  | {
      readonly kind: 'string'
      readonly fn: StringFn
      readonly arg: PhysicalExpr
      readonly pattern?: string
      readonly dtype: DType
    }
  | CasePhysicalExpr
  | { readonly kind: 'call'; readonly fn: ScalarFn; readonly args: readonly PhysicalExpr[]; readonly dtype: DType }

/**
 * `CASE`: per row, the `then` of the first branch whose `when` is true (null is not true), else
 * `otherwise` (null when absent). Every `then` / `otherwise` has the result dtype. A branch's value
 * and a later branch's condition are evaluated only on the rows that reach them, so an expression
 * that would fail (overflow) on rows another branch took does not fail.
 */
export interface CasePhysicalExpr {
  readonly kind: 'case'
  readonly branches: readonly { readonly condition: PhysicalExpr; readonly value: PhysicalExpr }[]
  readonly otherwise: PhysicalExpr | null
  readonly dtype: DType
}

/** A named output column of a projection. */
export interface NamedPhysicalExpr {
  readonly name: string
  readonly expr: PhysicalExpr
}

/**
 * Aggregates. Nulls are skipped; `countAll` counts rows; `sum`/`min`/`max`/`mean` of a group with
 * no non-null input are null. Result dtypes: sum(int32|int64) → int64, sum(float64) → float64,
 * mean → float64, count/countAll → int64, min/max → the input dtype.
 */
export type AggFn = 'sum' | 'mean' | 'count' | 'countAll' | 'min' | 'max' | ExtendedAggFn

/**
 * Aggregates whose state is more than one mergeable column each (see src/kernels/aggregates):
 * stddev / variance (sample; null below two values) and corr (Pearson; null when undefined) → float64;
 * median, quantile (exact, linear interpolation) and quantileDisc (exact, no interpolation) → float64;
 * countDistinct → int64, never null.
 */
export type ExtendedAggFn = 'stddev' | 'variance' | 'median' | 'quantile' | 'quantileDisc' | 'countDistinct' | 'corr'

export interface AggSpec {
  readonly fn: AggFn
  /** Column index of the input in the batch given to the partial step; null for countAll. */
  readonly input: number | null
  /** dtype of the input column; null for countAll. */
  readonly inputDType: DType | null
  /** Column index of the second input (corr's y); absent for one-argument aggregates. */
  readonly input2?: number
  /** quantile / quantileDisc's fraction in [0, 1]; absent for other aggregates. */
  readonly q?: number
  readonly name: string
  readonly dtype: DType
}

export interface SortKey {
  readonly index: number
  readonly descending: boolean
  /** Default false: nulls sort last in both directions, as in DuckDB. */
  readonly nullsFirst: boolean
}
