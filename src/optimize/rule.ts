/**
 * The contract of an optimizer rule (DataFusion's, in TypeScript): a name equal to its file name,
 * and a pure rewrite that never changes results. With an `applyOrder` the driver walks the plan
 * and offers the rule every node; without one the rule recurses itself.
 */
import type { LogicalPlan } from '../plan/plan.js'

export type BuiltinRuleName =
  | 'fold-constants'
  | 'merge-filters'
  | 'push-down-predicates'
  | 'push-down-limits'
  | 'merge-projections'
  | 'eliminate-common-subexpressions'
  | 'simplify-aggregates'
  | 'prune-columns'
/** Built-in names autocomplete; custom rules may use any other name. */
export type RuleName = BuiltinRuleName | (string & {})

export interface Transformed<T> {
  readonly value: T
  readonly changed: boolean
}

export interface OptimizeContext {
  /** Names of rules switched off for this run. */
  readonly disabled: ReadonlySet<RuleName>
}

export interface Rule {
  readonly name: RuleName
  readonly applyOrder?: 'top-down' | 'bottom-up'
  rewrite(plan: LogicalPlan, ctx: OptimizeContext): Transformed<LogicalPlan>
}

export const unchanged = <T>(value: T): Transformed<T> => ({ value, changed: false })
export const changed = <T>(value: T): Transformed<T> => ({ value, changed: true })
