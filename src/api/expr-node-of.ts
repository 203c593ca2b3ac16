/** The `ExprNode` behind a builder `Expr`, or a clear error for anything else passed where an expression belongs. */
import type { ExprNode } from '../expr/expr-node.js'
import { TsdaskError } from '../util/errors.js'

export function exprNode(e: unknown, where: string): ExprNode {
  if (e && typeof e === 'object' && 'node' in e) return (e as { node: ExprNode }).node
  throw new TsdaskError(
    'INVALID_ARGUMENT',
    `${where} expects an expression such as col("fare").gt(10), got ${typeof e === 'string' ? `the string "${e}" (string queries come with the query-language release)` : typeof e}`,
  )
}
