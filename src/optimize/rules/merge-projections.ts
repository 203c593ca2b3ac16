/**
 * merge-projections: a project over a project becomes one project, with the inner definitions
 * substituted into the outer expressions; a project that passes its input through unchanged
 * disappears.
 *
 *   Project: total := price + 1             Project: total := fare * 2 + 1
 *     Project: price := fare * 2     →        Scan: t
 *       Scan: t
 *
 * Must not fire when substituting would compute an inner expression more than once (an inner
 * computed column used twice above: eliminate-common-subexpressions builds exactly that shape on
 * purpose), or when either side holds a non-deterministic expression or a kind the optimizer
 * does not know.
 */
import type { ExprNode } from '../../expr/expr-node.js'
import { exprChildren, transformExpr } from '../../expr/visit.js'
import type { LogicalPlan, ProjectNode } from '../../plan/plan.js'
import { schemaOf } from '../../plan/schema-of.js'
import { isDeterministic } from '../expr-facts.js'
import { changed, type Rule, unchanged } from '../rule.js'

export const mergeProjections: Rule = {
  name: 'merge-projections',
  applyOrder: 'bottom-up',
  rewrite(plan) {
    if (plan.kind !== 'Project') return unchanged(plan)
    if (isIdentity(plan)) return changed(plan.input)
    const inner = plan.input
    if (inner.kind !== 'Project') return unchanged(plan)
    const merged = merge(plan, inner)
    return merged ? changed(merged) : unchanged(plan)
  },
}

function isIdentity(p: ProjectNode): boolean {
  if (!p.exprs.every((e) => e.expr.kind === 'Column' && e.expr.name === e.name)) return false
  const input = schemaOf(p.input)
  return p.exprs.length === input.length && p.exprs.every((e, i) => input[i]?.name === e.name)
}

function merge(outer: ProjectNode, inner: ProjectNode): LogicalPlan | null {
  if (!outer.exprs.every((e) => isDeterministic(e.expr))) return null
  const defs = new Map(inner.exprs.map((e) => [e.name, e.expr]))
  const uses = new Map<string, number>()
  for (const e of outer.exprs) countColumnUses(e.expr, uses)
  for (const [name, n] of uses) {
    const def = defs.get(name)
    if (!def || !isDeterministic(def)) return null
    if (n > 1 && def.kind !== 'Column' && def.kind !== 'Literal') return null
  }
  const exprs = outer.exprs.map((e) => ({
    name: e.name,
    expr: transformExpr(e.expr, (n) => (n.kind === 'Column' ? (defs.get(n.name) ?? n) : n)),
  }))
  return { ...outer, exprs, input: inner.input }
}

function countColumnUses(e: ExprNode, into: Map<string, number>): void {
  if (e.kind === 'Column') into.set(e.name, (into.get(e.name) ?? 0) + 1)
  for (const c of exprChildren(e)) countColumnUses(c, into)
}
