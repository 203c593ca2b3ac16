/**
 * Facts about expressions that rules rely on: which ones are deterministic (safe to move, merge or
 * compute once), and the AND-conjunction helpers every filter rule shares.
 *
 * Safe default: an expression kind not listed in `DETERMINISTIC_KINDS` (a kind added after this
 * file, or a future `random()`) counts as non-deterministic, so no rule moves, merges or
 * substitutes it. A new deterministic kind joins the optimizer by being added to the list.
 */
import type { ExprNode } from '../expr/expr-node.js'
import { exprChildren } from '../expr/visit.js'

const DETERMINISTIC_KINDS: ReadonlySet<string> = new Set([
  'Column',
  'Literal',
  'Binary',
  'Unary',
  'Cast',
  'IsIn',
  'Coalesce',
  'String',
  'Agg',
  'Call',
])
// 'Case' is deterministic but stays out for now: its branches run only on the rows that reach them
// (so `x * 1e9` in an untaken branch cannot overflow), and common-subexpression elimination would
// hoist a branch's expression to run on every row. Until that rule knows about conditional
// evaluation, CASE is treated as opaque.

/** Same inputs, same output, and a kind this optimizer knows: the condition for moving an expression. */
export function isDeterministic(e: ExprNode): boolean {
  if (!DETERMINISTIC_KINDS.has(e.kind)) return false
  return exprChildren(e).every(isDeterministic)
}

/** `a AND (b AND c)` → [a, b, c], in order. */
export function splitConjunction(e: ExprNode, into: ExprNode[] = []): ExprNode[] {
  if (e.kind === 'Binary' && e.op === 'and') {
    splitConjunction(e.left, into)
    splitConjunction(e.right, into)
  } else into.push(e)
  return into
}

/** [a, b, c] → `a AND b AND c` (left-deep), null for none. */
export function conjunction(parts: readonly ExprNode[]): ExprNode | null {
  if (parts.length === 0) return null
  return parts.reduce((left, right) => ({ kind: 'Binary', op: 'and', left, right }))
}
