/**
 * The ordered rule list. Ordering constraints:
 * - merge-filters runs before prune-columns so the merged predicate's columns are counted once.
 * - push-down-predicates runs before prune-columns: a filter that moved into a scan no longer
 *   needs its columns output by the scan, which pruning then drops.
 */
import type { Rule } from './rule.js'
import { mergeFilters } from './rules/merge-filters.js'
import { pruneColumns } from './rules/prune-columns.js'
import { pushDownPredicates } from './rules/push-down-predicates/index.js'

export const defaultRules: readonly Rule[] = [mergeFilters, pushDownPredicates, pruneColumns]
