/**
 * Operands that decide a call alone. DuckDB's binder answers a scalar function NULL, without
 * evaluating its other arguments, when one argument is a constant (it reads no column) that
 * evaluates to NULL; it does so for every function with default null handling, arithmetic
 * operators included (comparisons, CASE, COALESCE, IN and IS NULL not), and whatever its optimizer
 * does: `x * x % NULL` is NULL even where x * x overflows, and `x + CAST(s AS INTEGER)` with
 * s = 'x' fails but `CAST(s AS INTEGER) + NULL` does not. tsdask's arithmetic and scalar functions
 * propagate nulls alike, so the evaluator follows the same rule (evaluate.ts); a constant zero
 * divisor decides `/` and `%` the same way, as `x / 0` and `x % 0` are null.
 *
 * Whether an operand is such a constant is decided once per expression object, by evaluating it
 * over one row; a constant that fails to evaluate decides nothing (it fails where it is evaluated).
 */
import { makeBatch } from '../types/arrow-types.js'
import type { Col } from './column.js'
import type { PhysicalExpr } from './physical-expr.js'
import { physicalChildren } from './physical-visit.js'

/** What a constant operand is: null, a zero number, or anything else (also: not a constant). */
type ConstantKind = 'null' | 'zero' | 'other'

const known = new WeakMap<PhysicalExpr, ConstantKind>()
const ONE_ROW = makeBatch([], [], 1)

function readsColumns(e: PhysicalExpr): boolean {
  return e.kind === 'column' || physicalChildren(e).some(readsColumns)
}

function kindOf(col: Col): ConstantKind {
  if (col.valid !== null && col.valid[0] === 0) return 'null'
  if (col.kind === 'int32' || col.kind === 'int64' || col.kind === 'float64') {
    const v = col.values[0]!
    return v === 0 || v === 0n ? 'zero' : 'other'
  }
  return 'other'
}

type Evaluator = (batch: typeof ONE_ROW, e: PhysicalExpr) => Col

function constantKind(e: PhysicalExpr, evaluateCol: Evaluator): ConstantKind {
  let kind = known.get(e)
  if (kind === undefined) {
    kind = readsColumns(e) ? 'other' : evaluatedOnce(e, evaluateCol)
    known.set(e, kind)
  }
  return kind
}

function evaluatedOnce(e: PhysicalExpr, evaluateCol: Evaluator): ConstantKind {
  try {
    return kindOf(evaluateCol(ONE_ROW, e))
  } catch {
    return 'other'
  }
}

/**
 * Whether the call over `args` is null on every row whatever its other arguments: one of them is
 * a constant null, or (`divides`: `/` and `%`) the divisor, the second, is a constant zero.
 */
export function decidedNull(args: readonly PhysicalExpr[], divides: boolean, evaluateCol: Evaluator): boolean {
  if (args.length < 2) return false
  return args.some((a, i) => {
    const kind = constantKind(a, evaluateCol)
    return kind === 'null' || (divides && i === 1 && kind === 'zero')
  })
}
