/**
 * The query language's entry points: expression strings → `ExprNode`, SQL → `LogicalPlan`, and the
 * printers back. Used by the API (`df.filter("…")`, `sql(…)`) and the CLI.
 */
import type { ExprNode } from '../expr/expr-node.js'
import type { LogicalPlan } from '../plan/plan.js'
import type { Schema } from '../types/schema.js'
import { parseStandaloneExpression, parseStatement } from './parser.js'
import { resolveExpr } from './to-expr.js'
import { type Tables, toPlan } from './to-plan.js'

export { FUNCTIONS, type FunctionEntry } from './functions.js'
export { printPlan } from './print-plan.js'
export type { Tables } from './to-plan.js'

export interface ParseExpressionOptions {
  /** Column names are checked against it where they are written (with "did you mean"). */
  readonly schema?: Schema
  /** How messages name the string: `filter expression`, `withColumns({ tipPct })`. */
  readonly what?: string
}

/** `"fare > 10 and vendor == 'CMT'"` → the node `col('fare').gt(10).and(col('vendor').eq('CMT'))` builds. */
export function parseExpression(text: string, options: ParseExpressionOptions = {}): ExprNode {
  const source = { text, what: options.what ?? 'expression' }
  const parsed = parseStandaloneExpression(source)
  const scope = options.schema && { columns: options.schema.map((f) => f.name), qualifiers: [] }
  return resolveExpr(parsed, { source, scope })
}

/** A SQL query over named plans → its logical plan. */
export function parseSql(text: string, tables: Tables | Readonly<Record<string, LogicalPlan>>): LogicalPlan {
  const source = { text, what: 'SQL query' }
  const statement = parseStatement(source)
  const named = tables instanceof Map ? tables : new Map(Object.entries(tables))
  return toPlan(statement, source, named)
}
