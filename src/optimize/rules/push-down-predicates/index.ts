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
 * - for a conjunct that can fail (a cast of text, integer arithmetic: expr-facts.ts `canFail`)
 *   written after a conjunct that stays: moving it ahead would evaluate it on rows the one that
 *   stays rejects (`c = 1 AND cast(s AS int) > 5` over a CASE column `c` keeps both above the
 *   projection). Conjuncts are evaluated in order, each on the rows the earlier ones kept
 *   (kernels/filter.ts), so a filter's own conjuncts come before those arriving from above;
 * - past a node kind without a handler (safe default for operators added later).
 */
import type { ExprNode } from '../../../expr/expr-node.js'
import { exprSignature } from '../../../expr/visit.js'
import { type LogicalPlan, planInputs, withInputs } from '../../../plan/plan.js'
import { schemaOf } from '../../../plan/schema-of.js'
import { planSignature } from '../../../plan/signature.js'
import type { Schema } from '../../../types/schema.js'
import { canFail, conjunction, isDeterministic, splitConjunction } from '../../expr-facts.js'
import { changed, type Rule, unchanged } from '../../rule.js'
import { handlerFor, type PushDecision } from './through.js'

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
    // A non-deterministic conjunct pins its filter here: it is evaluated on the same rows as written.
    const fails = canFailOver(plan.input)
    const pinned: ExprNode[] = []
    const movable: ExprNode[] = []
    for (const c of [...splitConjunction(plan.predicate), ...conjuncts]) {
      const stays = !isDeterministic(c) || (pinned.length > 0 && fails(c))
      ;(stays ? pinned : movable).push(c)
    }
    const input = push(plan.input, movable)
    if (pinned.length === 0) return input
    // Conjuncts kept just below would make two adjacent filters, which merge-filters merges and
    // this rule would split again, forever: merge them here, the kept ones first, as they run first.
    if (input.kind === 'Filter') {
      return filterOver(input.input, [...splitConjunction(input.predicate), ...pinned], plan.origin ?? input.origin)
    }
    return filterOver(input, pinned, plan.origin)
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
  const decision = decideInOrder(plan, conjuncts, handler)
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

/**
 * The handler's decision for each conjunct on its own, put together in order; a conjunct that can
 * fail stays above the node once an earlier one does, so it still sees only the rows that one keeps.
 */
function decideInOrder(
  plan: LogicalPlan,
  conjuncts: readonly ExprNode[],
  handler: (node: LogicalPlan, c: readonly ExprNode[]) => PushDecision,
): PushDecision {
  const fails = canFailOver(plan)
  const toInputs: ExprNode[][] = planInputs(plan).map(() => [])
  const kept: ExprNode[] = []
  const intoScan: ExprNode[] = []
  for (const c of conjuncts) {
    const one = handler(plan, [c])
    if (one.kept.length > 0 || (kept.length > 0 && fails(c))) {
      kept.push(c)
      continue
    }
    one.toInputs.forEach((pushed, i) => {
      toInputs[i]?.push(...pushed)
    })
    intoScan.push(...(one.intoScan ?? []))
  }
  return { toInputs, kept, intoScan }
}

/** `canFail` over the rows `plan` outputs; its schema is derived only when asked (and any doubt means yes). */
function canFailOver(plan: LogicalPlan): (c: ExprNode) => boolean {
  let schema: Schema | undefined
  return (c) => {
    try {
      schema ??= schemaOf(plan)
    } catch {
      return true
    }
    return canFail(c, schema)
  }
}

function filterOver(input: LogicalPlan, conjuncts: readonly ExprNode[], origin?: string): LogicalPlan {
  const predicate = conjunction(conjuncts)
  if (!predicate) return input
  return origin ? { kind: 'Filter', input, predicate, origin } : { kind: 'Filter', input, predicate }
}
