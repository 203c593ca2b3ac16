/**
 * A plan's depth (a scan is 1, a filter over it 2) and the depth of the expressions a node holds,
 * measured against the limits of util/depth-limits.ts.
 */
import { exprDepth } from '../expr/depth.js'
import type { ExprNode } from '../expr/expr-node.js'
import { MAX_EXPRESSION_DEPTH, MAX_PLAN_DEPTH } from '../util/depth-limits.js'
import { treeDepth } from '../util/tree-depth.js'
import { aggCallArgs } from './agg-call.js'
import { type LogicalPlan, planInputs } from './plan.js'

const depths = new WeakMap<LogicalPlan, number>()

export function planDepth(plan: LogicalPlan): number {
  return treeDepth(plan, planInputs, depths)
}

/**
 * The depth of the deepest expression `node` itself evaluates (not its inputs'). A scan's filters
 * count as the one AND-chain lowering makes of them: each filter after the first adds a level.
 */
export function planExprDepth(node: LogicalPlan): number {
  switch (node.kind) {
    case 'Filter':
      return exprDepth(node.predicate)
    case 'Project':
      return deepest(node.exprs.map((e) => e.expr))
    case 'Aggregate':
      return deepest(node.aggs.flatMap(aggCallArgs)) + 1
    case 'Scan': {
      const filters = node.filters ?? []
      return filters.length === 0 ? 0 : deepest(filters) + filters.length - 1
    }
    case 'Sort':
    case 'Limit':
    case 'Distinct':
    case 'Union':
    case 'Join':
    case 'Sample':
      return 0
  }
}

function deepest(exprs: readonly ExprNode[]): number {
  let max = 0
  for (const e of exprs) max = Math.max(max, exprDepth(e))
  return max
}

/** Whether `node` is deeper than the plan limit or holds an expression deeper than the expression limit. */
export function exceedsDepthLimits(node: LogicalPlan): boolean {
  return planExprDepth(node) > MAX_EXPRESSION_DEPTH || planDepth(node) > MAX_PLAN_DEPTH
}
