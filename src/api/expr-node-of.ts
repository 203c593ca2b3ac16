/**
 * The `ExprNode` behind a builder `Expr`, or behind an expression string (parsed against the frame's
 * schema, so an unknown column points at its position), or a clear error for anything else passed
 * where an expression belongs.
 */
import type { ExprNode } from '../expr/expr-node.js'
import { parseExpression } from '../parse/index.js'
import type { Schema } from '../types/schema.js'
import { TsdaskError } from '../util/errors.js'

export function exprNode(e: unknown, where: string, schema?: Schema): ExprNode {
  if (e && typeof e === 'object' && 'node' in e) return (e as { node: ExprNode }).node
  if (typeof e === 'string' && schema) return parseExpression(e, { schema, what: where })
  throw new TsdaskError(
    'INVALID_ARGUMENT',
    `${where} expects an expression such as col("fare").gt(10) or "fare > 10", got ${typeof e}`,
  )
}
