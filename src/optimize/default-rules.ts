/**
 * The ordered rule list. Ordering constraints:
 * - fold-constants runs first: a filter that folds to true or false must be gone (or become the
 *   empty relation) before pushdown moves it, and folded predicates push further.
 * - push-down-limits runs after push-down-predicates: a scan takes filters only while it has no
 *   row limit, and the limit applies after them.
 * - merge-projections runs before eliminate-common-subexpressions, which then factors what the
 *   merge duplicated (merge never substitutes a column used twice, so the two do not undo each other).
 * - merge-filters runs before prune-columns so the merged predicate's columns are counted once.
 * - push-down-predicates runs before prune-columns: a filter that moved into a scan no longer
 *   needs its columns output by the scan, which pruning then drops.
 */
import type { Rule } from './rule.js'
import { eliminateCommonSubexpressions } from './rules/eliminate-common-subexpressions.js'
import { foldConstants } from './rules/fold-constants.js'
import { mergeFilters } from './rules/merge-filters.js'
import { mergeProjections } from './rules/merge-projections.js'
import { pruneColumns } from './rules/prune-columns.js'
import { pushDownLimits } from './rules/push-down-limits.js'
import { pushDownPredicates } from './rules/push-down-predicates/index.js'
import { simplifyAggregates } from './rules/simplify-aggregates.js'

export const defaultRules: readonly Rule[] = [
  foldConstants,
  mergeFilters,
  pushDownPredicates,
  pushDownLimits,
  simplifyAggregates,
  mergeProjections,
  eliminateCommonSubexpressions,
  pruneColumns,
]
