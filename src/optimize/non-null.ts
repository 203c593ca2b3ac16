/**
 * Proofs that an expression is never null over a plan's rows, from what the plan itself shows:
 * in-memory partitions whose column has no nulls (no null rows, and no null dictionary entries,
 * which Arrow's nullCount does not count), filters that reject nulls (`x IS NOT NULL`, or
 * any comparison of `x`, which is null, hence rejected, when `x` is), literals, and operators that
 * keep non-null inputs non-null. "Unknown" is always the answer when in doubt (a CSV column may
 * hold nulls anywhere; an operator kind added later proves nothing).
 */
import type { ExprNode } from '../expr/expr-node.js'
import type { LogicalPlan } from '../plan/plan.js'
import { mayHoldNulls } from '../types/arrow-types.js'
import { splitConjunction } from './expr-facts.js'

const COMPARISONS = new Set(['eq', 'neq', 'lt', 'lte', 'gt', 'gte'])

export function provablyNonNull(e: ExprNode, plan: LogicalPlan): boolean {
  switch (e.kind) {
    case 'Literal':
      return e.value !== null
    case 'Column':
      return columnNonNull(plan, e.name)
    case 'Unary':
      return e.op === 'isNull' || e.op === 'isNotNull' || (e.op !== 'not' && provablyNonNull(e.arg, plan))
    case 'Binary':
      // x / 0 and x % 0 are null; and/or follow Kleene logic, which needs both sides anyway.
      if (e.op === 'div' || e.op === 'mod') return false
      return provablyNonNull(e.left, plan) && provablyNonNull(e.right, plan)
    default:
      return false
  }
}

function rejectsNullsOf(conjuncts: readonly ExprNode[], name: string): boolean {
  const isCol = (x: ExprNode) => x.kind === 'Column' && x.name === name
  return conjuncts.some(
    (c) =>
      (c.kind === 'Unary' && c.op === 'isNotNull' && isCol(c.arg)) ||
      (c.kind === 'Binary' && COMPARISONS.has(c.op) && (isCol(c.left) || isCol(c.right))),
  )
}

function columnNonNull(plan: LogicalPlan, name: string): boolean {
  switch (plan.kind) {
    case 'Scan': {
      if (rejectsNullsOf(plan.filters ?? [], name)) return true
      if (plan.source.kind !== 'memory') return false
      return plan.source.batches.every((b) => {
        const column = b.getChild(name)
        return column !== null && !mayHoldNulls(column)
      })
    }
    case 'Filter':
      return rejectsNullsOf(splitConjunction(plan.predicate), name) || columnNonNull(plan.input, name)
    case 'Project': {
      const def = plan.exprs.find((x) => x.name === name)?.expr
      return def !== undefined && provablyNonNull(def, plan.input)
    }
    case 'Sort':
    case 'Limit':
    case 'Sample':
      return columnNonNull(plan.input, name)
    default:
      return false
  }
}
