/**
 * The fluent expression builder: `col('fare').gt(10).and(col('vendor').eq('CMT'))`.
 *
 * `Expr` wraps an immutable `ExprNode`; every method returns a new `Expr`. The type parameters
 * (see typing.ts) let a DataFrame reject unknown columns and type mismatches at compile time;
 * the same checks run again at plan time against the real schema, for untyped use.
 */
import type { DType, NumericDType, TemporalDType } from '../types/dtype.js'
import { TsdaskError } from '../util/errors.js'
import { checkExprDepth } from './depth.js'
import { checkQuantileFraction } from './dtype-of.js'
import {
  type AggFn,
  type BinaryOp,
  type CaseBranch,
  type CaseNode,
  type ExprNode,
  type LiteralJs,
  type LiteralNode,
  literalDType,
  type ScalarFn,
  type StringFn,
  type UnaryOp,
} from './expr-node.js'
import { printExpr } from './print.js'
import type {
  Arith,
  ClassOf,
  ColumnType,
  ExprType,
  LiteralClass,
  LiteralType,
  Merge,
  Need,
  NoRequirements,
  Requirements,
  SumOf,
  Symbolic,
  Unify,
} from './typing.js'

declare const exprTypeTag: unique symbol
declare const exprReqTag: unique symbol

/** Any JS value usable as a literal operand. */
export type LiteralInput = LiteralJs

export type Operand = LiteralInput | Expr<ExprType, Requirements>

export type OperandType<O> = O extends Expr<infer T, Requirements> ? T : LiteralType<O>
export type OperandReq<O> = O extends Expr<ExprType, infer R> ? R : NoRequirements

type NumericLike = NumericDType | Symbolic
type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void
  ? I & NoRequirements
  : never
type NumericOperand = number | bigint | Expr<NumericLike, Requirements>
type BoolOperand = boolean | Expr<'bool' | Symbolic, Requirements>

type ArithReq<T, R, O> = Merge<
  Merge<R, Need<T, NumericDType>>,
  Merge<OperandReq<O>, Need<OperandType<O>, NumericDType>>
>
type CompareClass<O> = O extends Expr<infer OT, Requirements> ? ClassOf<OT> : LiteralClass<O>
type CompareReq<T, R, O> = Merge<
  Merge<R, Need<T, CompareClass<O> & DType>>,
  Merge<OperandReq<O>, Need<OperandType<O>, ClassOf<T> & DType>>
>
/** Operands a value of type T may be compared with. */
type ComparableWith<T> = T extends Symbolic
  ? Operand
  : LiteralFor<ClassOf<T>> | Expr<ClassOf<T> | Symbolic, Requirements> | null
type LiteralFor<C> = C extends NumericDType
  ? number | bigint
  : C extends 'utf8'
    ? string
    : C extends 'bool'
      ? boolean
      : Date

export class Expr<out T extends ExprType = ExprType, out R extends Requirements = NoRequirements> {
  declare readonly [exprTypeTag]?: T
  declare readonly [exprReqTag]?: R
  readonly node: ExprNode

  /** Throws TOO_DEEP (naming the caller's line) for a node nested past MAX_EXPRESSION_DEPTH. */
  constructor(node: ExprNode) {
    checkExprDepth(node)
    this.node = node
  }

  toString(): string {
    return printExpr(this.node)
  }

  // Arithmetic ---------------------------------------------------------------------------------

  add<O extends NumericOperand>(
    this: Expr<NumericLike, R>,
    other: O,
  ): Expr<Arith<T, OperandType<O>>, ArithReq<T, R, O>> {
    return binary('add', this, other)
  }
  sub<O extends NumericOperand>(
    this: Expr<NumericLike, R>,
    other: O,
  ): Expr<Arith<T, OperandType<O>>, ArithReq<T, R, O>> {
    return binary('sub', this, other)
  }
  mul<O extends NumericOperand>(
    this: Expr<NumericLike, R>,
    other: O,
  ): Expr<Arith<T, OperandType<O>>, ArithReq<T, R, O>> {
    return binary('mul', this, other)
  }
  /** Always float64 (DuckDB semantics); division by zero gives null. */
  div<O extends NumericOperand>(this: Expr<NumericLike, R>, other: O): Expr<'float64', ArithReq<T, R, O>> {
    return binary('div', this, other)
  }
  /** Remainder with the sign of the dividend; `x % 0` is null. */
  mod<O extends NumericOperand>(
    this: Expr<NumericLike, R>,
    other: O,
  ): Expr<Arith<T, OperandType<O>>, ArithReq<T, R, O>> {
    return binary('mod', this, other)
  }
  neg(this: Expr<NumericLike, R>): Expr<T, Merge<R, Need<T, NumericDType>>> {
    return unary('negate', this)
  }

  // Comparison ---------------------------------------------------------------------------------

  eq<O extends ComparableWith<T>>(other: O): Expr<'bool', CompareReq<T, R, O>> {
    return binary('eq', this, other)
  }
  neq<O extends ComparableWith<T>>(other: O): Expr<'bool', CompareReq<T, R, O>> {
    return binary('neq', this, other)
  }
  lt<O extends ComparableWith<T>>(other: O): Expr<'bool', CompareReq<T, R, O>> {
    return binary('lt', this, other)
  }
  lte<O extends ComparableWith<T>>(other: O): Expr<'bool', CompareReq<T, R, O>> {
    return binary('lte', this, other)
  }
  gt<O extends ComparableWith<T>>(other: O): Expr<'bool', CompareReq<T, R, O>> {
    return binary('gt', this, other)
  }
  gte<O extends ComparableWith<T>>(other: O): Expr<'bool', CompareReq<T, R, O>> {
    return binary('gte', this, other)
  }
  /** `low <= x AND x <= high` (inclusive, as SQL BETWEEN). */
  between<L extends ComparableWith<T>, H extends ComparableWith<T>>(
    low: L,
    high: H,
  ): Expr<'bool', Merge<CompareReq<T, R, L>, CompareReq<T, R, H>>> {
    const left = binary<Expr>('gte', this, low).node
    const right = binary<Expr>('lte', this, high).node
    return new Expr({ kind: 'Binary', op: 'and', left, right })
  }
  /** SQL IN: null when there is no match and the list holds a null. */
  isIn<V extends LiteralFor<ClassOf<T>> | null>(
    values: readonly V[],
  ): Expr<'bool', Merge<R, Need<T, LiteralClass<V> & DType>>> {
    if (!Array.isArray(values)) throw invalid('isIn expects an array of literal values, e.g. isIn([1, 2, 3])')
    return new Expr({ kind: 'IsIn', arg: this.node, values: values.map((v) => literalNode(v)) })
  }

  // Logic and nulls ------------------------------------------------------------------------------

  and<O extends BoolOperand>(
    this: Expr<'bool' | Symbolic, R>,
    other: O,
  ): Expr<'bool', Merge<Merge<R, Need<T, 'bool'>>, Merge<OperandReq<O>, Need<OperandType<O>, 'bool'>>>> {
    return binary('and', this, other)
  }
  or<O extends BoolOperand>(
    this: Expr<'bool' | Symbolic, R>,
    other: O,
  ): Expr<'bool', Merge<Merge<R, Need<T, 'bool'>>, Merge<OperandReq<O>, Need<OperandType<O>, 'bool'>>>> {
    return binary('or', this, other)
  }
  not(this: Expr<'bool' | Symbolic, R>): Expr<'bool', Merge<R, Need<T, 'bool'>>> {
    return unary('not', this)
  }
  isNull(): Expr<'bool', R> {
    return unary('isNull', this)
  }
  isNotNull(): Expr<'bool', R> {
    return unary('isNotNull', this)
  }
  cast<D extends DType>(dtype: D): Expr<D, R> {
    return new Expr({ kind: 'Cast', arg: this.node, dtype })
  }

  // Strings --------------------------------------------------------------------------------------

  startsWith(this: Expr<'utf8' | Symbolic, R>, prefix: string): Expr<'bool', Merge<R, Need<T, 'utf8'>>> {
    return stringFn('startsWith', this, prefix)
  }
  endsWith(this: Expr<'utf8' | Symbolic, R>, suffix: string): Expr<'bool', Merge<R, Need<T, 'utf8'>>> {
    return stringFn('endsWith', this, suffix)
  }
  /** Plain substring test (not a pattern). */
  contains(this: Expr<'utf8' | Symbolic, R>, part: string): Expr<'bool', Merge<R, Need<T, 'utf8'>>> {
    return stringFn('contains', this, part)
  }
  lower(this: Expr<'utf8' | Symbolic, R>): Expr<'utf8', Merge<R, Need<T, 'utf8'>>> {
    return stringFn('lower', this)
  }
  upper(this: Expr<'utf8' | Symbolic, R>): Expr<'utf8', Merge<R, Need<T, 'utf8'>>> {
    return stringFn('upper', this)
  }
  /** Length in characters (code points), int32. */
  length(this: Expr<'utf8' | Symbolic, R>): Expr<'int32', Merge<R, Need<T, 'utf8'>>> {
    return stringFn('length', this)
  }

  /** SQL LIKE: `%` matches any run of characters, `_` one character; case-sensitive, no escape character. */
  like(this: Expr<'utf8' | Symbolic, R>, pattern: string): Expr<'bool', Merge<R, Need<T, 'utf8'>>> {
    return stringFn('like', this, pattern)
  }
  /** SQL NOT LIKE (`NOT (x LIKE pattern)`; null stays null). */
  notLike(this: Expr<'utf8' | Symbolic, R>, pattern: string): Expr<'bool', Merge<R, Need<T, 'utf8'>>> {
    return unary('not', stringFn<Expr>('like', this, pattern))
  }
  /**
   * Characters `start ..` (1-based) of a string, at most `length` of them; DuckDB's rules for
   * 0 and negative positions (a negative start counts from the end).
   */
  substr(this: Expr<'utf8' | Symbolic, R>, start: number, length?: number): Expr<'utf8', Merge<R, Need<T, 'utf8'>>> {
    for (const [what, v] of [
      ['start', start],
      ['length', length],
    ] as const) {
      if (v !== undefined && !(Number.isInteger(v) && Math.abs(v) <= 2147483647)) {
        throw invalid(`substr ${what} must be a whole number, got ${String(v)}`)
      }
    }
    const args = length === undefined ? [this.node, lit(start).node] : [this.node, lit(start).node, lit(length).node]
    return new Expr({ kind: 'Call', fn: 'substr', args })
  }

  // Numbers and dates -----------------------------------------------------------------------------

  /** Absolute value, same dtype (abs of the smallest integer is an overflow error). */
  abs(this: Expr<NumericLike, R>): Expr<T, Merge<R, Need<T, NumericDType>>> {
    return call('abs', this)
  }
  /** Rounds half away from zero to `digits` decimals (negative: tens, hundreds…); keeps the dtype. */
  round(this: Expr<NumericLike, R>, digits = 0): Expr<T, Merge<R, Need<T, NumericDType>>> {
    if (!Number.isInteger(digits) || Math.abs(digits) > 308) {
      throw invalid(`round() digits must be a whole number, got ${String(digits)}`)
    }
    return digits === 0 ? call('round', this) : call('round', this, lit(digits))
  }
  floor(this: Expr<NumericLike, R>): Expr<T, Merge<R, Need<T, NumericDType>>> {
    return call('floor', this)
  }
  ceil(this: Expr<NumericLike, R>): Expr<T, Merge<R, Need<T, NumericDType>>> {
    return call('ceil', this)
  }
  /** The year of a date or timestamp (UTC), int64. */
  year(this: Expr<TemporalDType | Symbolic, R>): Expr<'int64', Merge<R, Need<T, TemporalDType>>> {
    return call('year', this)
  }
  /** The month (1–12) of a date or timestamp (UTC), int64. */
  month(this: Expr<TemporalDType | Symbolic, R>): Expr<'int64', Merge<R, Need<T, TemporalDType>>> {
    return call('month', this)
  }
  /** The day of the month (1–31) of a date or timestamp (UTC), int64. */
  day(this: Expr<TemporalDType | Symbolic, R>): Expr<'int64', Merge<R, Need<T, TemporalDType>>> {
    return call('day', this)
  }

  // Aggregates (valid inside groupBy(...).agg({...})) ----------------------------------------------

  sum(this: Expr<NumericLike, R>): Expr<SumOf<T>, Merge<R, Need<T, NumericDType>>> {
    return agg('sum', this)
  }
  mean(this: Expr<NumericLike, R>): Expr<'float64', Merge<R, Need<T, NumericDType>>> {
    return agg('mean', this)
  }
  /** Counts non-null values; `count()` (no column) counts rows. */
  count(): Expr<'int64', R> {
    return agg('count', this)
  }
  min(): Expr<T, R> {
    return agg('min', this)
  }
  max(): Expr<T, R> {
    return agg('max', this)
  }
  /** Sample standard deviation (divides by n - 1); null for fewer than two non-null values. SQL `stddev_samp`. */
  stddev(this: Expr<NumericLike, R>): Expr<'float64', Merge<R, Need<T, NumericDType>>> {
    return agg('stddev', this)
  }
  /** Sample variance (divides by n - 1); null for fewer than two non-null values. SQL `var_samp`. */
  variance(this: Expr<NumericLike, R>): Expr<'float64', Merge<R, Need<T, NumericDType>>> {
    return agg('variance', this)
  }
  /** Exact median; the mean of the middle two values for an even count (DuckDB's `median`). */
  median(this: Expr<NumericLike, R>): Expr<'float64', Merge<R, Need<T, NumericDType>>> {
    return agg('median', this)
  }
  /**
   * Exact quantile `q` in [0, 1] of the non-null values (null for a group without any).
   * `'linear'` (default) interpolates between the two nearest values, as DuckDB's
   * `quantile_cont(x, q)` and pandas' default; `'discrete'` returns an input value, the first whose
   * cumulative share reaches q, as DuckDB's `quantile_disc(x, q)`. `quantile(0.5)` equals `median()`.
   */
  quantile(
    this: Expr<NumericLike, R>,
    q: number,
    method: 'linear' | 'discrete' = 'linear',
  ): Expr<'float64', Merge<R, Need<T, NumericDType>>> {
    const where = `quantile(${String(q)}, ${JSON.stringify(method)})`
    checkQuantileFraction(q, where)
    if (method !== 'linear' && method !== 'discrete')
      throw invalid(`${where}: the method must be 'linear' (interpolated) or 'discrete' (an input value)`)
    const fn = method === 'linear' ? 'quantile' : 'quantileDisc'
    return new Expr({ kind: 'Agg', fn, arg: this.node, q }) as never
  }
  /** Number of distinct non-null values (`count(DISTINCT x)`); 0 when all are null. */
  countDistinct(): Expr<'int64', R> {
    return agg('countDistinct', this)
  }
}

/** A column of the frame the expression is used on. */
export function col<N extends string>(
  name: N,
): Expr<ColumnType<N>, string extends N ? NoRequirements : { readonly [K in N]: DType }> {
  if (typeof name !== 'string' || name.length === 0) throw invalid('col() needs a column name, e.g. col("fare")')
  return new Expr({ kind: 'Column', name })
}

/** A literal. Integers in int32 range are int32, other numbers float64, bigints int64, Dates timestamp[ms]. */
export function lit<V extends LiteralInput>(value: V, dtype?: DType): Expr<LiteralType<V> & DType, NoRequirements> {
  return new Expr(literalNode(value, dtype))
}

/** Counts rows (`COUNT(*)`). */
export function count(): Expr<'int64', NoRequirements> {
  return new Expr({ kind: 'Agg', fn: 'countAll', arg: null })
}

type CondReq<C> = Merge<OperandReq<C>, Need<OperandType<C>, 'bool'>>

/**
 * A CASE expression under construction: add branches with `.when(cond, value)`, finish with
 * `.otherwise(value)`, or use it as is (rows no branch takes are null). Its type is the common
 * type of the values: numbers widen (int32 < int64 < float64), dates meet timestamps as timestamps.
 */
export class CaseExpr<out T extends ExprType = ExprType, out R extends Requirements = NoRequirements> extends Expr<
  T,
  R
> {
  when<C extends BoolOperand, V extends Operand>(
    condition: C,
    value: V,
  ): CaseExpr<Unify<T, OperandType<V>>, Merge<Merge<R, CondReq<C>>, OperandReq<V>>> {
    const node = this.node as CaseNode
    return new CaseExpr({ ...node, branches: [...node.branches, branch(condition, value)] })
  }
  /** The value of rows no branch takes (ELSE). */
  otherwise<V extends Operand>(value: V): Expr<Unify<T, OperandType<V>>, Merge<R, OperandReq<V>>> {
    return new Expr({ ...(this.node as CaseNode), otherwise: toNode(value) })
  }
}

function branch(condition: Operand, value: Operand): CaseBranch {
  if (condition === undefined || value === undefined) throw invalid('when(condition, value) needs both arguments')
  return { condition: toNode(condition), value: toNode(value) }
}

/**
 * CASE WHEN: `when(col('fare').gt(50), 'high').when(col('fare').gt(10), 'mid').otherwise('low')`.
 * The first branch whose condition is true wins; a null condition counts as false.
 */
export function when<C extends BoolOperand, V extends Operand>(
  condition: C,
  value: V,
): CaseExpr<OperandType<V>, Merge<CondReq<C>, OperandReq<V>>> {
  return new CaseExpr({ kind: 'Case', branches: [branch(condition, value)], otherwise: null })
}

/**
 * Pearson correlation of two numeric expressions over the rows where both are non-null (an
 * aggregate, like `sum`); null when there are no such rows or either side has zero variance.
 */
export function corr<X extends Expr<NumericLike, Requirements>, Y extends Expr<NumericLike, Requirements>>(
  x: X,
  y: Y,
): Expr<
  'float64',
  Merge<
    Merge<OperandReq<X>, Need<OperandType<X>, NumericDType>>,
    Merge<OperandReq<Y>, Need<OperandType<Y>, NumericDType>>
  >
> {
  if (!(x instanceof Expr) || !(y instanceof Expr))
    throw invalid("corr() takes two expressions, e.g. corr(col('x'), col('y'))")
  return new Expr({ kind: 'Agg', fn: 'corr', arg: x.node, arg2: y.node })
}

/** The first non-null argument. */
export function coalesce<A extends readonly [Operand, ...Operand[]]>(
  ...args: A
): Expr<OperandType<A[number]>, UnionToIntersection<OperandReq<A[number]>>> {
  if (args.length === 0) throw invalid('coalesce() needs at least one argument')
  return new Expr({ kind: 'Coalesce', args: args.map((a) => toNode(a)) })
}

export function toNode(x: Operand): ExprNode {
  return x instanceof Expr ? x.node : literalNode(x)
}

export function literalNode(value: LiteralInput, dtype?: DType): LiteralNode {
  if (value !== null && !['boolean', 'number', 'bigint', 'string'].includes(typeof value) && !(value instanceof Date)) {
    throw invalid(
      `cannot use ${String(value)} (${typeof value}) as a literal; use a number, bigint, string, boolean, Date or null`,
    )
  }
  if (value instanceof Date && Number.isNaN(value.getTime())) throw invalid('cannot use an invalid Date as a literal')
  if (dtype !== undefined && value !== null && !fitsDType(value, dtype)) {
    throw new TsdaskError(
      'TYPE_MISMATCH',
      `lit(${describe(value)}, '${dtype}'): the value is not a ${dtype}; pass a ${JS_FOR_DTYPE[dtype]}, or build the literal without a dtype and cast() it.`,
    )
  }
  return { kind: 'Literal', value, dtype: dtype ?? literalDType(value) }
}

const JS_FOR_DTYPE: Record<DType, string> = {
  bool: 'boolean',
  int32: 'whole number between -2147483648 and 2147483647',
  int64: 'bigint or safe integer',
  float64: 'number',
  utf8: 'string',
  date32: 'Date',
  'timestamp[ms]': 'Date',
}

function fitsDType(value: Exclude<LiteralInput, null>, dtype: DType): boolean {
  switch (dtype) {
    case 'bool':
      return typeof value === 'boolean'
    case 'int32':
      return typeof value === 'number' && Number.isInteger(value) && value >= -2147483648 && value <= 2147483647
    case 'int64':
      return typeof value === 'bigint'
        ? BigInt.asIntN(64, value) === value
        : typeof value === 'number' && Number.isSafeInteger(value)
    case 'float64':
      return typeof value === 'number' || typeof value === 'bigint'
    case 'utf8':
      return typeof value === 'string'
    case 'date32':
    case 'timestamp[ms]':
      return value instanceof Date
  }
}

function describe(value: Exclude<LiteralInput, null>): string {
  if (typeof value === 'string') return JSON.stringify(value)
  if (typeof value === 'bigint') return `${value}n`
  if (value instanceof Date) return `Date(${value.toISOString()})`
  return String(value)
}

function binary<X>(op: BinaryOp, left: Expr<ExprType, Requirements>, right: Operand): X {
  return new Expr({ kind: 'Binary', op, left: left.node, right: toNode(right) }) as X
}

function unary<X>(op: UnaryOp, arg: Expr<ExprType, Requirements>): X {
  return new Expr({ kind: 'Unary', op, arg: arg.node }) as X
}

function stringFn<X>(fn: StringFn, arg: Expr<ExprType, Requirements>, pattern?: string): X {
  if (pattern !== undefined && typeof pattern !== 'string')
    throw invalid(`${fn} expects a string, got ${typeof pattern}`)
  return new Expr(
    pattern === undefined ? { kind: 'String', fn, arg: arg.node } : { kind: 'String', fn, arg: arg.node, pattern },
  ) as X
}

function call<X>(fn: ScalarFn, ...args: readonly Expr<ExprType, Requirements>[]): X {
  return new Expr({ kind: 'Call', fn, args: args.map((a) => a.node) }) as X
}

function agg<X>(fn: AggFn, arg: Expr<ExprType, Requirements>): X {
  return new Expr({ kind: 'Agg', fn, arg: arg.node }) as X
}

function invalid(message: string): TsdaskError {
  return new TsdaskError('INVALID_ARGUMENT', message)
}
