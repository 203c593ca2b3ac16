/**
 * merge-filters: two adjacent filters become one with an AND of their predicates, so a partition
 * is scanned once and later rules see one conjunction.
 *
 *   Filter: a > 1                 Filter: b < 2 AND a > 1
 *     Filter: b < 2        →        Scan: t
 *       Scan: t
 *
 * Must not fire: never across any other node (that is predicate pushdown's job). The inner
 * predicate comes first in the AND, keeping the order the user wrote them in (AND is commutative
 * under SQL's three-valued logic, so either order gives the same rows).
 */
import { changed, type Rule, unchanged } from '../rule.js'

export const mergeFilters: Rule = {
  name: 'merge-filters',
  applyOrder: 'bottom-up',
  rewrite(plan) {
    if (plan.kind !== 'Filter' || plan.input.kind !== 'Filter') return unchanged(plan)
    const inner = plan.input
    return changed({
      kind: 'Filter',
      input: inner.input,
      predicate: { kind: 'Binary', op: 'and', left: inner.predicate, right: plan.predicate },
      origin: plan.origin ?? inner.origin,
    })
  },
}
