/**
 * Conditional evaluation, SQL's short-circuit rules: the right side of AND is evaluated only on
 * the rows where the left is not false, the right side of OR only where the left is not true, and
 * a COALESCE argument only where every earlier one is null (CASE does the same for its branches,
 * functions/case.ts). So an operand that could fail (a cast of text that does not parse, integer
 * overflow) raises its error only on a row whose answer depends on it, exactly as row-by-row
 * evaluation would, and `s <> 'N/A' AND cast(s AS int) > 5` never fails on 'N/A'.
 *
 * An operand that cannot fail (can-fail.ts) gives the same answer either way, so it is evaluated
 * on the whole batch, in one pass with no gather: the fast path for nearly every expression.
 */
import type { RecordBatch } from 'apache-arrow'
import { TsdaskError } from '../util/errors.js'
import { canFail } from './can-fail.js'
import { coalesce } from './coalesce.js'
import type { BoolCol, Col } from './column.js'
import { kleene } from './logical.js'
import type { PhysicalExpr } from './physical-expr.js'
import { columnsRead } from './physical-visit.js'
import { broadcast } from './scalar.js'
import { takeCol, takeRowsOf } from './take.js'

export type Evaluate = (batch: RecordBatch, expr: PhysicalExpr) => Col

function asBool(c: Col, what: string): BoolCol {
  if (c.kind === 'bool') return c
  throw new TsdaskError('INTERNAL', `${what} evaluated to ${c.kind}, expected bool`)
}

/** The rows where `pick(value, valid)` is 1, in order. */
function rowsWhere(c: Col, pick: (value: number, valid: number) => number): Int32Array {
  const n = c.length
  const values = c.kind === 'bool' ? c.values : null
  const valid = c.valid
  let count = 0
  for (let i = 0; i < n; i++) count += pick(values ? values[i]! : 0, valid ? valid[i]! : 1)
  const out = new Int32Array(count)
  for (let i = 0, k = 0; i < n; i++) if (pick(values ? values[i]! : 0, valid ? valid[i]! : 1)) out[k++] = i
  return out
}

const notFalse = (value: number, valid: number) => value | (valid ^ 1)
const notTrue = (value: number, valid: number) => (value & valid) ^ 1
const isNull = (_value: number, valid: number) => valid ^ 1

/**
 * `expr` over the rows `rows` of `batch` (ascending), as a column of the batch's length that is
 * null on every other row. Only the columns `expr` reads are gathered.
 */
export function evaluateOnRows(batch: RecordBatch, expr: PhysicalExpr, rows: Int32Array, evaluate: Evaluate): Col {
  const n = batch.numRows
  if (rows.length === n) return evaluate(batch, expr)
  if (rows.length === 0) return broadcast(null, expr.dtype, n)
  const part = evaluate(takeRowsOf(batch, rows, columnsRead([expr])), expr)
  const position = new Int32Array(n).fill(-1)
  for (let k = 0; k < rows.length; k++) position[rows[k]!] = k
  return takeCol(part, position, true)
}

/** `left AND right` / `left OR right`, the right side evaluated only where the left does not decide. */
export function shortCircuit(
  batch: RecordBatch,
  op: 'and' | 'or',
  left: PhysicalExpr,
  right: PhysicalExpr,
  evaluate: Evaluate,
): BoolCol {
  const l = asBool(evaluate(batch, left), op)
  if (!canFail(right)) return kleene(op, l, evaluate(batch, right))
  const undecided = rowsWhere(l, op === 'and' ? notFalse : notTrue)
  return kleene(op, l, evaluateOnRows(batch, right, undecided, evaluate))
}

/** `coalesce(args…)`, each argument evaluated only where every earlier one is null. */
export function coalesceInOrder(batch: RecordBatch, args: readonly PhysicalExpr[], evaluate: Evaluate): Col {
  const n = batch.numRows
  if (!args.some((a, i) => i > 0 && canFail(a))) {
    return coalesce(
      args.map((a) => evaluate(batch, a)),
      n,
    )
  }
  const first = args[0]
  if (!first) throw new TsdaskError('INTERNAL', 'coalesce needs at least one argument')
  let acc = evaluate(batch, first)
  for (const arg of args.slice(1)) {
    if (acc.valid === null) break
    const next = canFail(arg) ? evaluateOnRows(batch, arg, rowsWhere(acc, isNull), evaluate) : evaluate(batch, arg)
    acc = coalesce([acc, next], n)
  }
  return acc
}

/** `e` split at its top-level ANDs, in evaluation order: `(a AND b) AND c` → [a, b, c]. */
export function conjunctsOf(e: PhysicalExpr, into: PhysicalExpr[] = []): PhysicalExpr[] {
  if (e.kind === 'binary' && e.op === 'and') {
    conjunctsOf(e.left, into)
    conjunctsOf(e.right, into)
  } else into.push(e)
  return into
}

/**
 * The rows where every conjunct is true (null counts as false, as a filter reads it), each
 * conjunct evaluated only on the rows every earlier one kept: what a stack of filters, one per
 * conjunct, would evaluate. Returns the kept rows, ascending, or null when every row is kept.
 */
export function keptByConjuncts(
  batch: RecordBatch,
  conjuncts: readonly PhysicalExpr[],
  evaluate: Evaluate,
): Int32Array | null {
  let rows: Int32Array | null = null
  let sub = batch
  for (let k = 0; k < conjuncts.length; k++) {
    const mask = asBool(evaluate(sub, conjuncts[k]!), 'filter predicate')
    const kept = rowsWhere(mask, (value, valid) => value & valid)
    if (kept.length === sub.numRows) continue
    const before: Int32Array | null = rows
    rows = before === null ? kept : kept.map((i) => before[i]!)
    if (rows.length === 0) break
    if (k + 1 < conjuncts.length) sub = takeRowsOf(batch, rows, columnsRead(conjuncts.slice(k + 1)))
  }
  return rows
}
