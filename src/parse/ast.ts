/**
 * The small intermediate the grammar's embedded actions build while parsing (there is no CST):
 * expressions come out as finished `ExprNode`s plus the checks that need the query's scope, and
 * SQL comes out as a tree of clauses that `to-plan.ts` turns into a `LogicalPlan`.
 *
 * Why checks are deferred: a query is parsed whole before any name is checked (a syntax error
 * anywhere wins over an unknown column), and the columns an expression may name are known only
 * once its FROM clause is planned. So the actions record, in the order the expression is read,
 * every column reference and every semantic error (unknown function, bad date, …), and
 * `resolveExpr` (to-expr.ts) replays them against the scope: the first problem met is the one
 * reported, at the same position and with the same words as before.
 */
import type { IToken } from 'chevrotain'
import type { ExprNode } from '../expr/expr-node.js'
import type { TsdaskError } from '../util/errors.js'
import type { QueryText } from './errors.js'

/** A semantic error found while parsing, raised only if the expression is used. */
export type DeferredError = (source: QueryText) => TsdaskError

/** `t.fare`: the qualifier must name the FROM table, the name one of its columns. */
export interface QualifiedColumn {
  readonly qualifier: IToken
  readonly name: IToken
}

/** An unqualified column's name token, a qualified column, or an error: in the order they were read. */
export type Check = IToken | QualifiedColumn | DeferredError

/**
 * What an expression consists of, when it is a single operand: SQL gives `ORDER BY 2` (an
 * ordinal), `GROUP BY total` (a bare name) and `CAST(5 AS int64)` (a bare literal) meanings of
 * their own.
 */
export type Shape =
  /** An operator, NOT, a parenthesized or CAST operand, or a sign over any of those or over a sign. */
  | 'compound'
  /** An unsigned number literal (`shapeToken` is it). */
  | 'number'
  /** A lone unqualified column name (`shapeToken` is its name). */
  | 'name'
  /** Any other single operand: a string, TRUE / FALSE / NULL, a typed literal, a call, CASE, `t.col`. */
  | 'plain'
  /** `-x`, `+5`: one sign over a number, name or plain operand. */
  | 'signed'

export interface ParsedExpr {
  /** Column names as written (resolveExpr fixes their case); a placeholder where a check failed. */
  readonly node: ExprNode
  readonly checks: readonly Check[]
  /** The expression's first token, where messages about the whole expression point. */
  readonly first: IToken
  readonly shape: Shape
  readonly shapeToken: IToken | undefined
  /** It calls an aggregate function (its node contains an Agg node). */
  readonly aggregates: boolean
}

// SQL ---------------------------------------------------------------------------------------------

export interface QueryAst {
  readonly ctes: readonly CteAst[]
  readonly core: SelectAst
  readonly unions: readonly UnionAst[]
  readonly order: OrderByAst | undefined
  readonly limit: LimitAst | undefined
}

export interface CteAst {
  readonly name: IToken
  readonly query: QueryAst
}

export interface UnionAst {
  readonly union: IToken
  readonly all: boolean
  readonly core: SelectAst
}

export interface SelectAst {
  readonly select: IToken
  readonly distinct: IToken | undefined
  readonly items: readonly SelectItemAst[]
  readonly from: FromAst
  readonly where: ClauseAst | undefined
  readonly groupBy: GroupByAst | undefined
  readonly having: ClauseAst | undefined
}

/** `*`, `t.*` (the qualifier's name token) or an expression with its alias. */
export type SelectItemAst =
  | { readonly star: IToken }
  | { readonly qualifier: IToken }
  | { readonly expr: ParsedExpr; readonly alias: IToken | undefined }

export interface FromAst {
  readonly table: TableRefAst
  /** The first JOIN, if any (joins are not supported yet: it is reported). */
  readonly join: JoinAst | undefined
}

/** A table name or a subquery, and its alias. */
export interface TableRefAst {
  readonly name: IToken | undefined
  readonly query: QueryAst | undefined
  readonly alias: IToken | undefined
}

export interface JoinAst {
  /** INNER, LEFT, RIGHT or FULL, when written. */
  readonly kind: IToken | undefined
  readonly join: IToken
}

/** WHERE or HAVING: its keyword and condition. */
export interface ClauseAst {
  readonly keyword: IToken
  readonly expr: ParsedExpr
}

export interface GroupByAst {
  readonly group: IToken
  readonly exprs: readonly ParsedExpr[]
}

export interface OrderByAst {
  readonly order: IToken
  readonly items: readonly OrderItemAst[]
}

export interface OrderItemAst {
  readonly expr: ParsedExpr
  readonly descending: boolean
  readonly nullsFirst: boolean
}

export interface LimitAst {
  readonly keyword: IToken
  readonly limit: IToken
  readonly offset: IToken | undefined
}
