/**
 * The ordered rule list. Ordering constraints:
 * - merge-filters runs before prune-columns so the merged predicate's columns are counted once.
 */
import type { Rule } from './rule.js'
import { mergeFilters } from './rules/merge-filters.js'
import { pruneColumns } from './rules/prune-columns.js'

export const defaultRules: readonly Rule[] = [mergeFilters, pruneColumns]
