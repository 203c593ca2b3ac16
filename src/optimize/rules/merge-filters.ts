/**
 * merge-filters: two adjacent filters become one with an AND of their predicates, so a partition
 * is scanned once and later rules see one conjunction.
 *
 *   Filter: a > 1                 Filter: b < 2 AND a > 1
 *     Filter: b < 2        →        Scan: t
 *       Scan: t
 *
 * Must not fire:
 * - across any other node (that is predicate pushdown's job);
 * - when the outer predicate is not deterministic (expr-facts.ts; CASE counts as such today): it
 *   must see only the rows the inner filter kept, and push-down-predicates pins such a conjunct
 *   in its own filter above the ones it pushes. Merging it back would undo that, and the two
 *   rules would then rewrite each other's output forever.
 *
 * The inner predicate comes first in the AND, keeping the order the user wrote them in: the rows
 * are the same either way, but errors are not. The filter kernel runs a conjunction's parts in
 * order, each on the rows the earlier ones kept (kernels/filter.ts), exactly as the two filters
 * would, so `s <> 'N/A'` still shields `cast(s AS int) > 5` from the rows it rejects.
 */
import { isDeterministic } from '../expr-facts.js'
import { changed, type Rule, unchanged } from '../rule.js'

export const mergeFilters: Rule = {
  name: 'merge-filters',
  applyOrder: 'bottom-up',
  rewrite(plan) {
    if (plan.kind !== 'Filter' || plan.input.kind !== 'Filter') return unchanged(plan)
    if (!isDeterministic(plan.predicate)) return unchanged(plan)
    const inner = plan.input
    return changed({
      kind: 'Filter',
      input: inner.input,
      predicate: { kind: 'Binary', op: 'and', left: inner.predicate, right: plan.predicate },
      origin: plan.origin ?? inner.origin,
    })
  },
}
