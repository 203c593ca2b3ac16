/**
 * Operands that decide a call alone. DuckDB's binder answers a scalar function NULL, without
 * evaluating its other arguments, when one argument is constant (it reads no column, or it is such
 * a call, folded to NULL before) and evaluates to NULL. It does so for every function with default
 * null handling, arithmetic operators included (comparisons, CASE, COALESCE, IN and IS NULL not),
 * whatever its optimizer does: `x * x % NULL` is NULL even where x * x overflows, and so is
 * `CAST(s AS INTEGER) + c * NULL` where s = 'x', while `x * x % n` with n a column of nulls raises.
 * tsdask's arithmetic and scalar functions propagate nulls alike, so its evaluator follows the same
 * rule (evaluate.ts); a constant zero divisor decides `/` and `%` the same way, as `x / 0` and
 * `x % 0` are null in tsdask.
 *
 * What an operand is, is decided once per expression object: a constant is evaluated over one row
 * with no columns (which reaches no column: any column sits inside a call this rule answers
 * without evaluating it); a constant that fails to evaluate decides nothing (it fails where it is
 * evaluated).
 */
import { makeBatch } from '../types/arrow-types.js'
import type { Col } from './column.js'
import type { PhysicalExpr } from './physical-expr.js'
import { physicalChildren } from './physical-visit.js'

/** A constant that is null, a constant zero, another constant, or no constant. */
type OperandKind = 'null' | 'zero' | 'constant' | 'variable'

type Evaluator = (batch: RecordBatchOfOneRow, e: PhysicalExpr) => Col
type RecordBatchOfOneRow = typeof ONE_ROW

const ONE_ROW = makeBatch([], [], 1)
const known = new WeakMap<PhysicalExpr, OperandKind>()

const ARITHMETIC = new Set(['add', 'sub', 'mul', 'div', 'mod'])

/** The operands of a call this rule applies to (arithmetic, scalar functions), else null. */
function nullPropagatingOperands(e: PhysicalExpr): { args: readonly PhysicalExpr[]; divides: boolean } | null {
  if (e.kind === 'binary' && ARITHMETIC.has(e.op)) {
    return { args: [e.left, e.right], divides: e.op === 'div' || e.op === 'mod' }
  }
  if (e.kind === 'call') return { args: e.args, divides: false }
  return null
}

function operandKind(e: PhysicalExpr, evaluateCol: Evaluator): OperandKind {
  let kind = known.get(e)
  if (kind === undefined) {
    kind = computeKind(e, evaluateCol)
    known.set(e, kind)
  }
  return kind
}

function computeKind(e: PhysicalExpr, evaluateCol: Evaluator): OperandKind {
  if (e.kind === 'column') return 'variable'
  const call = nullPropagatingOperands(e)
  if (call !== null && decidedNull(call.args, call.divides, evaluateCol)) return 'null'
  if (physicalChildren(e).some((child) => operandKind(child, evaluateCol) === 'variable')) return 'variable'
  try {
    return kindOfValue(evaluateCol(ONE_ROW, e))
  } catch {
    return 'variable'
  }
}

function kindOfValue(col: Col): OperandKind {
  if (col.valid !== null && col.valid[0] === 0) return 'null'
  if (col.kind === 'int32' || col.kind === 'int64' || col.kind === 'float64') {
    const v = col.values[0]!
    return v === 0 || v === 0n ? 'zero' : 'constant'
  }
  return 'constant'
}

/**
 * Whether a call over `args` is null on every row whatever its other arguments: one of them is a
 * constant null, or (`divides`: `/` and `%`) the divisor, the second, is a constant zero.
 */
export function decidedNull(args: readonly PhysicalExpr[], divides: boolean, evaluateCol: Evaluator): boolean {
  return args.some((a, i) => {
    const kind = operandKind(a, evaluateCol)
    return kind === 'null' || (divides && i === 1 && kind === 'zero')
  })
}
