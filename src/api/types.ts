/**
 * The public types that tie a DataFrame's schema type `S` to what users see: rows, Arrow
 * tables, the result of renames and new columns.
 */
import type { Bool, DateDay, Float64, Int32, Int64, TimestampMillisecond, Utf8 } from 'apache-arrow'
import type { Expr } from '../expr/builder.js'
import type {
  ExprType,
  NoRequirements,
  Requirements,
  Resolve,
  SchemaLike,
  SchemaShape,
  Simplify,
} from '../expr/typing.js'
import type { DType, DTypeToJs } from '../types/dtype.js'

export type { SchemaLike, SchemaShape }

/** A row of `toRecords()`: every column may be null (SQL semantics). */
export type Row<S extends SchemaLike> = Simplify<{ -readonly [K in keyof S]: DTypeToJs[S[K] & DType] | null }>

export interface ArrowTypeOf {
  bool: Bool
  int32: Int32
  int64: Int64
  float64: Float64
  utf8: Utf8
  date32: DateDay
  'timestamp[ms]': TimestampMillisecond
}

export type ArrowTypeMap<S extends SchemaLike> = { [K in keyof S]: ArrowTypeOf[S[K] & DType] }

/** An expression string's type is known only at run time: any dtype. */
export type ExprTypeOf<E> = E extends Expr<infer T, Requirements> ? T : E extends string ? DType : never
export type ExprReqOf<E> = E extends Expr<ExprType, infer R> ? R : E extends string ? NoRequirements : never

/** The schema after `withColumns(exprs)`: replaced or appended columns with resolved dtypes. */
export type WithColumns<S extends SchemaLike, E> = Simplify<
  { readonly [K in keyof S as K extends keyof E ? never : K]: S[K] } & {
    readonly [K in keyof E & string]: Resolve<ExprTypeOf<E[K]>, S> & DType
  }
>

/** The schema after `rename(mapping)`. */
export type Renamed<S extends SchemaLike, M> = Simplify<{
  readonly [K in keyof S as K extends keyof M ? (M[K] extends string ? M[K] : K) : K]: S[K]
}>

export type AggOutputs<S extends SchemaLike, K extends keyof S, A> = Simplify<
  { readonly [P in K]: S[P] } & { readonly [P in keyof A & string]: Resolve<ExprTypeOf<A[P]>, S> & DType }
>

/** A value `fillNull` accepts for a column of dtype `D` (int64 takes a bigint or a safe integer). */
export type FillValueOf<D> = D extends 'int64' ? bigint | number : D extends DType ? DTypeToJs[D] : never

/** `fillNull({ column: value })`: each value of its column's dtype. */
export type FillMapping<S extends SchemaLike> = { readonly [K in keyof S]?: FillValueOf<S[K]> }

/** The int32, int64 and float64 columns of `S` (those describe() summarizes). */
export type NumericColumns<S extends SchemaLike> = {
  [K in keyof S & string]: S[K] extends 'int32' | 'int64' | 'float64' ? K : never
}[keyof S & string]
