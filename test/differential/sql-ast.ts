/**
 * The differential test's own small SQL tree: what the generator builds and the two printers
 * (tsdask's dialect, DuckDB's) print. Every expression node carries the dtype tsdask gives it, so
 * the DuckDB printer can add the casts that make DuckDB's result types equal tsdask's where the
 * two differ in documented ways (see print-sql.ts), and so the generator only builds well-typed
 * queries (unless it builds a deliberately wrong one).
 */
import type { DType } from '../../src/index.js'
import type { Cell, Column } from './tables.js'

export type ArithOp = '+' | '-' | '*' | '/' | '%'
export type CmpOp = '=' | '<>' | '<' | '<=' | '>' | '>='
export type AggFn =
  | 'sum'
  | 'avg'
  | 'mean'
  | 'count'
  | 'min'
  | 'max'
  | 'median'
  | 'stddev'
  | 'stddev_samp'
  | 'variance'
  | 'var_samp'
  | 'corr'
export type ScalarFn =
  | 'abs'
  | 'round'
  | 'floor'
  | 'ceil'
  | 'length'
  | 'lower'
  | 'upper'
  | 'substr'
  | 'year'
  | 'month'
  | 'day'
  | 'coalesce'
  | 'starts_with'
  | 'ends_with'
  | 'contains'

/** `null` for the untyped NULL literal, whose type comes from its context. */
export type TypeOf = DType | 'null'

interface Base {
  readonly t: TypeOf
  /** Redundant parentheses the generator asked for (the parser must keep the same tree). */
  readonly paren?: boolean
}

export type Expr = Base &
  (
    | { readonly k: 'col'; readonly col: Column; readonly qualifier?: string }
    /** A reference to an output or key alias by name (GROUP BY / HAVING helpers). */
    | { readonly k: 'ref'; readonly name: string }
    /** A typed literal; `v === null` prints as CAST(NULL AS type). */
    | { readonly k: 'lit'; readonly v: Cell }
    | { readonly k: 'null' }
    | { readonly k: 'arith'; readonly op: ArithOp; readonly l: Expr; readonly r: Expr }
    | { readonly k: 'cmp'; readonly op: CmpOp; readonly l: Expr; readonly r: Expr; readonly alt?: boolean }
    | { readonly k: 'logic'; readonly op: 'AND' | 'OR'; readonly l: Expr; readonly r: Expr }
    | { readonly k: 'not'; readonly e: Expr }
    | { readonly k: 'neg'; readonly e: Expr }
    | { readonly k: 'isnull'; readonly e: Expr; readonly not: boolean }
    | { readonly k: 'in'; readonly e: Expr; readonly list: readonly Expr[]; readonly not: boolean }
    | { readonly k: 'between'; readonly e: Expr; readonly lo: Expr; readonly hi: Expr; readonly not: boolean }
    | { readonly k: 'like'; readonly e: Expr; readonly pattern: string; readonly not: boolean }
    | { readonly k: 'fn'; readonly fn: ScalarFn; readonly args: readonly Expr[] }
    /** `spelling`: the type name as written in the tsdask query (DuckDB always gets its own). */
    | { readonly k: 'cast'; readonly e: Expr; readonly to: DType; readonly spelling: string }
    | {
        readonly k: 'case'
        readonly operand?: Expr
        readonly whens: readonly (readonly [Expr, Expr])[]
        readonly otherwise?: Expr
      }
    | {
        readonly k: 'agg'
        readonly fn: AggFn
        readonly args: readonly Expr[]
        /** count(*). */
        readonly star?: boolean
        /** count(DISTINCT x). */
        readonly distinct?: boolean
      }
  )

export interface SelectItem {
  readonly e: Expr
  /** Always set, except for plain columns (which keep their name) and `*`. */
  readonly alias?: string
}

/** How a GROUP BY key is written: the expression, the alias of its select item, or its position. */
export type GroupKey =
  | { readonly by: 'expr'; readonly e: Expr }
  | { readonly by: 'alias'; readonly name: string }
  | { readonly by: 'position'; readonly n: number }

export type From =
  | { readonly kind: 'table'; readonly table: string; readonly alias?: string }
  | { readonly kind: 'subquery'; readonly query: Query; readonly alias: string }

export interface Core {
  readonly distinct: boolean
  /** `SELECT *` when items is 'star'. */
  readonly items: readonly SelectItem[] | 'star'
  readonly from: From
  readonly where?: Expr
  readonly groupBy?: readonly GroupKey[]
  readonly having?: Expr
}

export interface OrderItem {
  /** An output column by name, or by 1-based position. */
  readonly ref: { readonly name: string } | { readonly position: number }
  /** Index of the output column it sorts by. */
  readonly column: number
  readonly desc: boolean
  /** undefined: the default (nulls last). */
  readonly nullsFirst?: boolean
  readonly writeAsc?: boolean
}

export interface Query {
  readonly with?: readonly { readonly name: string; readonly query: Query }[]
  readonly cores: readonly Core[]
  /** Between consecutive cores: `UNION` (distinct) or `UNION ALL`. */
  readonly unions: readonly ('UNION' | 'UNION ALL')[]
  readonly orderBy?: readonly OrderItem[]
  readonly limit?: { readonly n: number; readonly offset?: number }
}

/** What a query outputs, as the generator computed it. */
export interface OutputColumn {
  readonly name: string
  /** The name as written in SQL (quoted when it needs quotes). */
  readonly sql: string
  readonly dtype: DType
}
