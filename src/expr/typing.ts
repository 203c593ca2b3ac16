/**
 * Compile-time typing of expressions built with `col(...)`, independent of any DataFrame.
 *
 * An `Expr<T, R>` carries
 * - `T`, what it evaluates to: a union of dtypes when known (`'bool'`, `'float64'`), or a
 *   *symbolic* type resolved later against the frame's schema (`ColumnType<'fare'>` for
 *   `col('fare')`, `Widened<A, B>` for `a + b`, `Summed<A>` for `sum(a)`);
 * - `R`, its requirements on the schema: column name → the dtypes that column may have
 *   (`col('fare').gt(10)` requires `{ fare: NumericDType }`).
 *
 * A DataFrame checks `R` against its schema `S` (`CheckRequirements`) and resolves `T`
 * (`Resolve`). Types stay shallow (no AST in the type) so long chains don't hit TS2589.
 */
import type { DType, IntegerDType, NumericDType, TemporalDType } from '../types/dtype.js'

export interface ColumnType<N extends string> {
  readonly __column: N
}
export interface Widened<A, B> {
  readonly __widen: [A, B]
}
export interface Summed<A> {
  readonly __sum: A
}
/** The common type of CASE branches (numbers widen, temporals meet at timestamp[ms]). */
export interface Unified<A, B> {
  readonly __unify: [A, B]
}
export type Symbolic = ColumnType<string> | Widened<unknown, unknown> | Summed<unknown> | Unified<unknown, unknown>
export type ExprType = DType | Symbolic

export type Requirements = { readonly [column: string]: DType }
// biome-ignore lint/complexity/noBannedTypes: the identity of intersection: `{} & R` is `R`
export type NoRequirements = {}

/** Schema as a type: column name → dtype. */
export type SchemaShape = { readonly [column: string]: DType }
/**
 * What a DataFrame's schema parameter may be: any object type whose values are dtypes. (A
 * looser bound than SchemaShape, because mapped types such as renames cannot be proven to
 * satisfy an index signature.)
 */
export type SchemaLike = object

/** `{ fare: NumericDType }` when T is a bare column, nothing otherwise. */
export type Need<T, Allowed extends DType> =
  T extends ColumnType<infer N> ? { readonly [K in N]: Allowed } : NoRequirements

/**
 * Requirements combine by intersection: `{ a: DType } & { a: NumericDType }` is `a: NumericDType`.
 * (A mapped "merge" type here made tsc's work explode on nested operator chains.)
 */
export type Merge<A, B> = A & B

export type Simplify<T> = { [K in keyof T]: T[K] } & {}

/** The dtype class a JS literal compares with. */
export type LiteralClass<V> = V extends number
  ? NumericDType
  : V extends bigint
    ? NumericDType
    : V extends string
      ? 'utf8'
      : V extends boolean
        ? 'bool'
        : V extends Date
          ? TemporalDType
          : DType

export type LiteralType<V> = V extends number
  ? 'int32' | 'float64'
  : V extends bigint
    ? 'int64'
    : V extends string
      ? 'utf8'
      : V extends boolean
        ? 'bool'
        : V extends Date
          ? 'timestamp[ms]'
          : never

/** Dtypes that behave alike: one class for numbers, one for temporals. */
export type ClassOf<T> = T extends NumericDType
  ? NumericDType
  : T extends TemporalDType
    ? TemporalDType
    : T extends DType
      ? T
      : DType

type WidenConcrete<A, B> = A extends 'float64'
  ? 'float64'
  : B extends 'float64'
    ? 'float64'
    : A extends 'int64'
      ? 'int64'
      : B extends 'int64'
        ? 'int64'
        : A extends NumericDType
          ? B extends NumericDType
            ? 'int32'
            : never
          : never

export type Arith<A, B> = A extends DType ? (B extends DType ? WidenConcrete<A, B> : Widened<A, B>) : Widened<A, B>

type UnifyConcrete<A, B> = [A] extends [never]
  ? B
  : [B] extends [never]
    ? A
    : [A] extends [B]
      ? A
      : [A | B] extends [NumericDType]
        ? WidenConcrete<A, B>
        : [A | B] extends [TemporalDType]
          ? 'timestamp[ms]'
          : never

/** The common type of two CASE values; `never` (a bare null) gives way to the other side. */
export type Unify<A, B> = AsExprType<UnifyAny<A, B>>
type AsExprType<X> = X extends ExprType ? X : never
type UnifyAny<A, B> = [A] extends [never]
  ? B
  : [B] extends [never]
    ? A
    : A extends DType
      ? B extends DType
        ? UnifyConcrete<A, B>
        : Unified<A, B>
      : Unified<A, B>

export type SumOf<T> = T extends 'float64'
  ? 'float64'
  : T extends IntegerDType
    ? 'int64'
    : T extends DType
      ? never
      : Summed<T>

/** The concrete dtype(s) of T under schema S. */
export type Resolve<T, S> =
  T extends ColumnType<infer N>
    ? N extends keyof S
      ? S[N]
      : never
    : T extends Widened<infer A, infer B>
      ? WidenConcrete<Resolve<A, S>, Resolve<B, S>>
      : T extends Summed<infer A>
        ? SumOf<Resolve<A, S>>
        : T extends Unified<infer A, infer B>
          ? UnifyConcrete<Resolve<A, S>, Resolve<B, S>>
          : T

/** True when S is a run-time schema (`Record<string, DType>`), where only run-time checks apply. */
export type IsWide<S> = string extends keyof S ? true : false

type Violations<S, R> = {
  // A column typed as the whole DType union (an untyped frame narrowed by select) is checked at run time.
  [K in keyof R]: K extends keyof S ? ([S[K]] extends [R[K]] ? never : [DType] extends [S[K]] ? never : K) : K
}[keyof R]

/**
 * `unknown` when every requirement holds; otherwise an object type with a property whose name
 * is the error, so the compiler's message reads "Property '…column "vendor" is unknown or has
 * the wrong type…' is missing".
 */
export type CheckRequirements<S, R> =
  IsWide<S> extends true
    ? unknown
    : [Violations<S, R>] extends [never]
      ? unknown
      : {
          readonly [K in `column "${Violations<S, R> & string}" is unknown or has the wrong type for this expression`]: true
        }
