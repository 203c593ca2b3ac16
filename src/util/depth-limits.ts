/**
 * How deep expressions, plans and query text may nest, and the errors past those limits.
 *
 * Every step that walks an expression or a plan (printing, type checks, signatures, explain, the
 * optimizer, lowering, structured clone to a worker, the evaluator) recurses once per level, and
 * so does the query parser on brackets. Rather than make each of them iterative, tsdask refuses a
 * tree where it is built, past a fixed depth that all of them handle with room to spare, on the
 * main thread and in a worker, in cold (not yet optimized) code: the error names the call site or
 * the query position, the limit, and what to do. The same limits hold for the builder, strings,
 * SQL and the optimizer (whose rules never build past them), so a query that is accepted runs.
 */
import { TsdaskError } from './errors.js'

/**
 * Levels of operators inside each other in one expression (`col('a').add(1)` is 2). DuckDB's
 * default `max_expression_depth` and SQLite's `SQLITE_MAX_EXPR_DEPTH`. Lowering may add an implicit
 * cast per level or two, and the tree walkers handle about twice this in cold code.
 */
export const MAX_EXPRESSION_DEPTH = 1000

/** Operators stacked on each other in one plan (a scan plus 999 filter / withColumns / … calls). */
export const MAX_PLAN_DEPTH = 1000

/**
 * Levels of parentheses, subqueries, function calls, CASE, CAST, NOT and signs inside each other in
 * query text. Lower than the tree limits because the parser spends ~30 stack frames on each such
 * level: on Node 20 its first (unoptimized) parse overflows the main thread's stack at about 216
 * nested function calls.
 */
export const MAX_QUERY_NESTING = 128

const FLATTER_EXPRESSION =
  'Build it flatter: combine many terms pairwise ((a + b) + (c + d)) rather than in one long chain, ' +
  'use isIn([...]) (SQL: IN (...)) for a long OR of equalities, or compute parts as columns in separate ' +
  'withColumns steps.'

/** An expression over MAX_EXPRESSION_DEPTH levels; `where` says where it was built (` built at f.ts:3:7`). */
export function expressionTooDeep(depth: number, where: string, details: Record<string, unknown> = {}): TsdaskError {
  return new TsdaskError(
    'TOO_DEEP',
    `expression too deep: it nests ${depth} levels of operators${where}; tsdask allows at most ` +
      `${MAX_EXPRESSION_DEPTH} levels. ${FLATTER_EXPRESSION}`,
    { depth, limit: MAX_EXPRESSION_DEPTH, ...details },
  )
}

/** A plan over MAX_PLAN_DEPTH operators deep; `where` as for expressionTooDeep. */
export function planTooDeep(depth: number, where: string, details: Record<string, unknown> = {}): TsdaskError {
  return new TsdaskError(
    'TOO_DEEP',
    `plan too deep: it stacks ${depth} operators (scans, filters, projections, sorts, subqueries …)${where}; ` +
      `tsdask allows at most ${MAX_PLAN_DEPTH}. Combine steps (one filter with and(), one withColumns with ` +
      'several columns), or persist() an intermediate frame and continue from it (a persisted frame is one level).',
    { depth, limit: MAX_PLAN_DEPTH, ...details },
  )
}

/** What to do about text nested past MAX_QUERY_NESTING (the parser adds what and where). */
export const FLATTER_QUERY =
  'Simplify the expression (drop redundant parentheses) or split it: compute inner parts as columns ' +
  'first (in a WITH clause, or with withColumns).'
