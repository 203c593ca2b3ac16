/**
 * What the expression grammar's actions build with (operator tables, SQL type names, name text),
 * and `resolveExpr`, which finishes a parsed expression against the columns in scope: it replays
 * the checks recorded while parsing, in reading order, so the first unknown column (with "did you
 * mean"), unknown function or other mistake is the one reported, at its position; then it gives
 * columns written in another case the name they resolve to (DuckDB resolves names
 * case-insensitively). The nodes are those the fluent builder makes.
 */
import type { IToken } from 'chevrotain'
import type { BinaryOp, ExprNode, UnaryOp } from '../expr/expr-node.js'
import { transformExpr } from '../expr/visit.js'
import { DTYPES, type DType } from '../types/dtype.js'
import type { TsdaskError } from '../util/errors.js'
import type { ParsedExpr } from './ast.js'
import { invalidQuery, type QueryText, unknownName } from './errors.js'
import { quotedName } from './literals.js'
import { QuotedIdentifier } from './tokens.js'

/** The columns an expression may name, and the table names that may qualify them (`t.fare`). */
export interface Scope {
  readonly columns: readonly string[]
  readonly qualifiers: readonly string[]
}

export interface ExprContext {
  readonly source: QueryText
  /** Undefined: names are not checked (the plan's schema check will catch unknown columns). */
  readonly scope?: Scope | undefined
}

export const COMPARISON: Readonly<Record<string, BinaryOp>> = {
  '=': 'eq',
  '==': 'eq',
  '!=': 'neq',
  '<>': 'neq',
  '<': 'lt',
  '<=': 'lte',
  '>': 'gt',
  '>=': 'gte',
}
export const ARITHMETIC: Readonly<Record<string, BinaryOp>> = {
  '+': 'add',
  '-': 'sub',
  '*': 'mul',
  '/': 'div',
  '%': 'mod',
}

/** SQL type names (DuckDB's and tsdask's) accepted by CAST. */
export const TYPE_NAMES: Readonly<Record<string, DType>> = {
  ...Object.fromEntries(DTYPES.map((d) => [d, d])),
  int: 'int32',
  integer: 'int32',
  int4: 'int32',
  bigint: 'int64',
  int8: 'int64',
  long: 'int64',
  double: 'float64',
  float: 'float64',
  float8: 'float64',
  real: 'float64',
  varchar: 'utf8',
  text: 'utf8',
  string: 'utf8',
  boolean: 'bool',
  date: 'date32',
  timestamp: 'timestamp[ms]',
  datetime: 'timestamp[ms]',
}

export function binary(op: BinaryOp, left: ExprNode, right: ExprNode): ExprNode {
  return { kind: 'Binary', op, left, right }
}

export function unary(op: UnaryOp, arg: ExprNode): ExprNode {
  return { kind: 'Unary', op, arg }
}

/** The name a name token spells: a "quoted name" without its quotes (`""` is one `"`). */
export function nameText(token: IToken): string {
  return token.tokenType === QuotedIdentifier ? quotedName(token.image) : token.image
}

export function emptyNameError(source: QueryText, token: IToken): TsdaskError {
  return invalidQuery(source, token, 'a quoted name cannot be empty')
}

/** The name a name token spells; `""` is an error. */
export function nameOf(token: IToken, source: QueryText): string {
  const name = nameText(token)
  if (name.length === 0 && token.tokenType === QuotedIdentifier) throw emptyNameError(source, token)
  return name
}

/** The expression with its checks passed and its column names resolved; throws the first failed check. */
export function resolveExpr(parsed: ParsedExpr, ctx: ExprContext): ExprNode {
  const scope = ctx.scope
  let renames: Map<string, string> | undefined
  for (const check of parsed.checks) {
    if (typeof check === 'function') throw check(ctx.source)
    const token = 'qualifier' in check ? check.name : check
    const name = nameOf(token, ctx.source)
    if (!scope) continue
    if ('qualifier' in check) resolveQualifier(check.qualifier, scope, ctx.source)
    const resolved = resolveName(name, scope.columns, () =>
      unknownName(ctx.source, token, 'column', name, scope.columns),
    )
    if (resolved !== name) {
      renames ??= new Map()
      renames.set(name, resolved)
    }
  }
  if (!renames) return parsed.node
  const to = renames
  return transformExpr(parsed.node, (x) => {
    const name = x.kind === 'Column' ? to.get(x.name) : undefined
    return name === undefined ? x : { kind: 'Column', name }
  })
}

function resolveQualifier(token: IToken, scope: Scope, source: QueryText): void {
  const q = nameOf(token, source)
  resolveName(q, scope.qualifiers, () => unknownName(source, token, 'table', q, scope.qualifiers))
}

/** Exact match first; else the one name equal ignoring case (DuckDB resolves names case-insensitively). */
export function resolveName(name: string, candidates: readonly string[], unknown: () => TsdaskError): string {
  if (candidates.includes(name)) return name
  const lower = name.toLowerCase()
  const folded = candidates.filter((c) => c.toLowerCase() === lower)
  if (folded.length === 1) return folded[0]!
  throw unknown()
}
