/**
 * Facts about expressions that rules rely on: which ones are deterministic (safe to move, merge or
 * compute once), which can fail (and so must not be moved onto rows they would not have seen),
 * where an operand is evaluated on only some rows, and the AND-conjunction helpers every filter
 * rule shares.
 *
 * Safe default: an expression kind not listed in `DETERMINISTIC_KINDS` (a kind added after this
 * file, or a future `random()`) counts as non-deterministic, so no rule moves, merges or
 * substitutes it. A new deterministic kind joins the optimizer by being added to the list.
 *
 * Errors are results too: a rule never makes a fallible expression (a cast of text that may not
 * parse, integer arithmetic that may overflow: types/can-fail.ts) run on a row the plan as written
 * would not run it on. The kernels evaluate the right side of AND / OR, later COALESCE arguments
 * and CASE branches only on the rows that reach them, and a filter's conjuncts in order, each on
 * the rows the earlier ones kept (kernels/conditional.ts); rules keep those orders for fallible
 * expressions. A rule may still skip work whose value cannot change the rows (a pruned column, the
 * rows a filter pushed below a projection drops, the input of an always-false filter, `x` in a
 * folded `x AND false`), as SQL engines do, so a query that fails as written can succeed
 * optimized, never the reverse.
 */
import { inferType } from '../expr/dtype-of.js'
import type { ExprKind, ExprNode } from '../expr/expr-node.js'
import { exprChildren } from '../expr/visit.js'
import { castCanFail, operationCanFail } from '../types/can-fail.js'
import type { DType } from '../types/dtype.js'
import type { Schema } from '../types/schema.js'

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
// (so `x * 1e9` in an untaken branch cannot overflow). Common-subexpression elimination now hoists
// an expression that can fail only when it runs on every row anyway (forEachOperand knows CASE's
// positions), but the other rules have not been reviewed for CASE, so it is still treated as opaque.

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

type Node<K extends ExprKind> = Extract<ExprNode, { kind: K }>

/** Whether the node itself (not its operands) can fail; `type` gives an operand's dtype, null for an untyped NULL. */
const NODE_CAN_FAIL: { readonly [K in ExprKind]: (e: Node<K>, type: (x: ExprNode) => DType | null) => boolean } = {
  Column: () => false,
  Literal: () => false,
  Binary: (e, type) => operationCanFail(e.op, type(e) ?? 'int32'),
  Unary: (e, type) => operationCanFail(e.op, type(e) ?? 'int32'),
  Cast: (e, type) => {
    const from = type(e.arg)
    return from !== null && castCanFail(from, e.dtype)
  },
  // Lowering brings operands to a common type by widening, which never fails.
  IsIn: () => false,
  Coalesce: () => false,
  Case: () => false,
  String: () => false,
  // Arguments after the first are brought to int32 (round's digits, substr's start and length).
  Call: (e, type) =>
    operationCanFail(e.fn, type(e) ?? 'int32') ||
    e.args.slice(1).some((a) => {
      const t = type(a)
      return t !== null && castCanFail(t, 'int32')
    }),
  Agg: () => true,
}

/**
 * Whether evaluating `e` over rows of `schema` can raise an error on some row. When in doubt (an
 * expression that does not type-check, a kind evaluated elsewhere), it can.
 */
export function canFail(e: ExprNode, schema: Schema): boolean {
  const type = (x: ExprNode) => inferType(x, schema)
  try {
    const own = NODE_CAN_FAIL[e.kind] as (e: ExprNode, type: (x: ExprNode) => DType | null) => boolean
    return own(e, type) || exprChildren(e).some((c) => canFail(c, schema))
  } catch {
    return true
  }
}

/** Whether child `i` (in `exprChildren` order) is evaluated on every row its parent is. */
function onEveryRow(parent: ExprNode, i: number): boolean {
  switch (parent.kind) {
    case 'Binary':
      return (parent.op !== 'and' && parent.op !== 'or') || i === 0
    case 'Coalesce':
    case 'Case':
      // Only the first argument, or the first branch's condition, sees every row.
      return i === 0
    default:
      return true
  }
}

/**
 * Visits `e` and every sub-expression, with whether the kernels evaluate it on every row `e` is
 * evaluated on (true), or only on some: the right side of AND / OR, COALESCE arguments after the
 * first, CASE branches after the first condition.
 */
export function forEachOperand(e: ExprNode, visit: (node: ExprNode, everyRow: boolean) => void, everyRow = true): void {
  visit(e, everyRow)
  exprChildren(e).forEach((c, i) => {
    forEachOperand(c, visit, everyRow && onEveryRow(e, i))
  })
}
