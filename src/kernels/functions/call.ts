/** Dispatch of `call` physical expressions to the scalar function kernels in this folder. */
import type { Col } from '../column.js'
import type { PhysicalExpr, ScalarFn } from '../physical-expr.js'
import { datePart } from './date-parts.js'
import { abs, floorOrCeil, round } from './math.js'
import { substr } from './substr.js'

type CallExpr = Extract<PhysicalExpr, { kind: 'call' }>

const FUNCTIONS: Record<ScalarFn, (args: readonly Col[], e: CallExpr) => Col> = {
  abs: ([x]) => abs(x!),
  floor: ([x]) => floorOrCeil(x!, false),
  ceil: ([x]) => floorOrCeil(x!, true),
  round: ([x, digits]) => round(x!, digits ?? null),
  substr: ([s, start, length], e) =>
    substr(
      s!,
      start!,
      length ?? null,
      e.args.slice(1).every((a) => a.kind === 'literal'),
    ),
  year: ([d]) => datePart('year', d!),
  month: ([d]) => datePart('month', d!),
  day: ([d]) => datePart('day', d!),
}

export function callFunction(e: CallExpr, args: readonly Col[]): Col {
  return FUNCTIONS[e.fn](args, e)
}
