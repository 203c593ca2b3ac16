/**
 * An expression's depth (a column or literal is 1, `a + 1` is 2), and the check that keeps every
 * expression the builder makes within MAX_EXPRESSION_DEPTH (util/depth-limits.ts).
 */
import { callSite } from '../util/call-site.js'
import { expressionTooDeep, MAX_EXPRESSION_DEPTH } from '../util/depth-limits.js'
import { treeDepth } from '../util/tree-depth.js'
import type { ExprNode } from './expr-node.js'
import { exprChildren } from './visit.js'

const depths = new WeakMap<ExprNode, number>()

export function exprDepth(e: ExprNode): number {
  return e.kind === 'Column' || e.kind === 'Literal' ? 1 : treeDepth(e, exprChildren, depths)
}

/** Throws TOO_DEEP, naming the user's call site, when `node` nests deeper than the limit. */
export function checkExprDepth(node: ExprNode): void {
  const depth = exprDepth(node)
  if (depth <= MAX_EXPRESSION_DEPTH) return
  const origin = callSite()
  throw expressionTooDeep(depth, origin ? ` (built at ${origin})` : '', origin ? { origin } : {})
}
