/**
 * Whether evaluating a physical expression can raise an error on some row (types/can-fail.ts says
 * which operations can). Conditional operands (the right side of AND / OR, later COALESCE
 * arguments) that can fail are evaluated only on the rows that reach them; all others take the
 * whole-batch path, which is cheaper than gathering rows. Memoized per expression object, since
 * the evaluator asks again for every batch.
 */
import { castCanFail, operationCanFail } from '../types/can-fail.js'
import type { PhysicalExpr } from './physical-expr.js'
import { physicalChildren } from './physical-visit.js'

const known = new WeakMap<PhysicalExpr, boolean>()

function nodeCanFail(e: PhysicalExpr): boolean {
  switch (e.kind) {
    case 'cast':
      return castCanFail(e.arg.dtype, e.dtype)
    case 'binary':
      return operationCanFail(e.op, e.dtype)
    case 'unary':
      return operationCanFail(e.op, e.dtype)
    case 'call':
      return operationCanFail(e.fn, e.dtype)
    default:
      return false
  }
}

export function canFail(e: PhysicalExpr): boolean {
  let answer = known.get(e)
  if (answer === undefined) {
    answer = nodeCanFail(e) || physicalChildren(e).some(canFail)
    known.set(e, answer)
  }
  return answer
}
