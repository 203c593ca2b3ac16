/**
 * fold-constants: computes at planning time what does not depend on the data, and simplifies
 * boolean logic (see fold/fold-expr.ts), in every expression of the plan; then filters whose
 * predicate became a constant go away.
 *
 *   Filter: x > 1 + 2 AND true AND x > 5        Filter: x > 5
 *     Scan: t                              →      Scan: t
 *
 *   Filter: x > 5 AND false                     Scan: empty (filter `...` is never true) [x]
 *     Scan: t                              →
 *
 * A filter that is always true disappears; one that is always false or null becomes the empty
 * relation with the filter's schema (empty-relation.ts), and so does every row-wise operator, limit
 * or keyed aggregate above it. Range conjuncts on the same expression
 * keep only the tightest bounds (fold/tighten-bounds.ts).
 *
 * Must not fire: on expressions it cannot compute exactly as the kernels do (casts, strings
 * functions, dates, NaN, overflowing integer arithmetic, which is an error at run time), nor on
 * non-deterministic expressions or kinds it does not know.
 */
import type { ExprNode } from '../../expr/expr-node.js'
import { printExpr } from '../../expr/print.js'
import type { LogicalPlan } from '../../plan/plan.js'
import { schemaOf, sourceSchema } from '../../plan/schema-of.js'
import { planSignature } from '../../plan/signature.js'
import { emptyReason, emptyRelation, isEmptyRelation } from '../empty-relation.js'
import { conjunction, splitConjunction } from '../expr-facts.js'
import { foldExpr } from '../fold/fold-expr.js'
import { tightenBounds } from '../fold/tighten-bounds.js'
import { changed, type Rule, unchanged } from '../rule.js'

export const foldConstants: Rule = {
  name: 'fold-constants',
  applyOrder: 'bottom-up',
  rewrite(plan) {
    const out = foldNode(plan)
    return out === plan || planSignature(out) === planSignature(plan) ? unchanged(plan) : changed(out)
  },
}

function foldNode(plan: LogicalPlan): LogicalPlan {
  // Row-wise operators, limits and keyed aggregates of nothing are nothing; a global aggregate
  // of nothing is still one row.
  // Only kinds listed here: an operator added later (a union, say) may not be empty when one input is.
  const rowWise = plan.kind === 'Filter' || plan.kind === 'Project' || plan.kind === 'Sort' || plan.kind === 'Limit'
  const keyed = plan.kind === 'Aggregate' && plan.keys.length > 0
  if ((rowWise || keyed) && isEmptyRelation(plan.input)) {
    return emptyRelation(schemaOf(plan), emptyReason(plan.input), plan.origin)
  }
  switch (plan.kind) {
    case 'Filter': {
      const parts = foldConjuncts(splitConjunction(plan.predicate), schemaOf(plan.input))
      if (parts === 'never') {
        return emptyRelation(schemaOf(plan), `filter \`${printExpr(plan.predicate)}\` is never true`, plan.origin)
      }
      const predicate = conjunction(parts)
      return predicate ? { ...plan, predicate } : plan.input
    }
    case 'Scan': {
      if (!plan.filters?.length) return plan
      const parts = foldConjuncts(plan.filters, sourceSchema(plan.source))
      if (parts === 'never') {
        const shown = plan.filters.map(printExpr).join(' AND ')
        return emptyRelation(schemaOf(plan), `scan filter \`${shown}\` is never true`, plan.origin)
      }
      return { ...plan, filters: parts }
    }
    case 'Project': {
      const input = schemaOf(plan.input)
      return { ...plan, exprs: plan.exprs.map((e) => ({ name: e.name, expr: foldExpr(e.expr, input) })) }
    }
    case 'Aggregate': {
      const input = schemaOf(plan.input)
      return { ...plan, aggs: plan.aggs.map((a) => (a.arg ? { ...a, arg: foldExpr(a.arg, input) } : a)) }
    }
    default:
      return plan
  }
}

/** Folded conjuncts without the always-true ones, or 'never' when one is always false or null. */
function foldConjuncts(parts: readonly ExprNode[], schema: Parameters<typeof foldExpr>[1]): ExprNode[] | 'never' {
  const folded = splitConjunction(
    foldExpr(conjunction(parts) ?? { kind: 'Literal', value: true, dtype: 'bool' }, schema),
  )
  const kept: ExprNode[] = []
  for (const p of folded) {
    if (p.kind === 'Literal') {
      if (p.value === true) continue
      return 'never'
    }
    kept.push(p)
  }
  return tightenBounds(kept)
}
