/**
 * push-down-predicates: filters move as close to the data as they can, so fewer rows flow through
 * every operator, and into scans whose readers can apply them while reading (CSV parses the
 * predicate's columns, then only the kept rows of the others).
 *
 *   Project: fare, total := fare + tip              Project: fare, total := fare + tip
 *     Filter: total > 20 AND vendor = 'CMT'    →      Scan: trips [fare, tip] filters=[fare + tip > 20, vendor = 'CMT']
 *       Scan: trips [*]
 *
 * Conjunctions are split, and each conjunct goes as deep as it can on its own; where conjuncts
 * stop, they become one Filter again. How a conjunct passes each node kind lives in through.ts
 * (one handler per kind); what a scan accepts is the source's business (plan/scan-pushdown.ts).
 *
 * Must not fire:
 * - past a Limit (filtering first would change which rows are the first n), nor into a scan that
 *   already has a row limit;
 * - past an Aggregate for conjuncts on aggregated values, or for any conjunct of a global aggregate;
 * - for non-deterministic conjuncts (any expression kind expr-facts.ts does not know): they stay
 *   in a Filter where the user put them (their deterministic siblings still move, as in DataFusion);
 * - past a node kind without a handler (safe default for operators added later).
 */
import type { ExprNode } from '../../../expr/expr-node.js'
import { exprSignature } from '../../../expr/visit.js'
import { type LogicalPlan, planInputs, withInputs } from '../../../plan/plan.js'
import { planSignature } from '../../../plan/signature.js'
import { conjunction, isDeterministic, splitConjunction } from '../../expr-facts.js'
import { changed, type Rule, unchanged } from '../../rule.js'
import { handlerFor } from './through.js'

export const pushDownPredicates: Rule = {
  name: 'push-down-predicates',
  rewrite(plan) {
    const result = push(plan, [])
    return planSignature(result) === planSignature(plan) ? unchanged(plan) : changed(result)
  },
}

/** `plan` with `conjuncts` (from filters above it) applied as deep as possible. */
function push(plan: LogicalPlan, conjuncts: readonly ExprNode[]): LogicalPlan {
  if (plan.kind === 'Filter') {
    const own = splitConjunction(plan.predicate)
    // A non-deterministic conjunct pins its filter here: it is evaluated on the same rows as written.
    const pinned = own.filter((c) => !isDeterministic(c))
    const movable = [...own.filter(isDeterministic), ...conjuncts]
    const input = push(plan.input, movable)
    return pinned.length === 0 ? input : filterOver(input, pinned, plan.origin)
  }
  const handler = handlerFor(plan)
  if (!handler) {
    return filterOver(
      withInputs(
        plan,
        planInputs(plan).map((i) => push(i, [])),
      ),
      conjuncts,
    )
  }
  const decision = handler(plan, conjuncts)
  let node = withInputs(
    plan,
    planInputs(plan).map((input, i) => push(input, decision.toInputs[i] ?? [])),
  )
  if (node.kind === 'Scan' && decision.intoScan?.length) {
    const have = node.filters ?? []
    const seen = new Set(have.map(exprSignature))
    const added = decision.intoScan.filter((c) => !seen.has(exprSignature(c)))
    if (added.length > 0) node = { ...node, filters: [...have, ...added] }
  }
  return filterOver(node, decision.kept)
}

function filterOver(input: LogicalPlan, conjuncts: readonly ExprNode[], origin?: string): LogicalPlan {
  const predicate = conjunction(conjuncts)
  if (!predicate) return input
  return origin ? { kind: 'Filter', input, predicate, origin } : { kind: 'Filter', input, predicate }
}
