/**
 * Evaluates a `PhysicalExpr` over a batch. Internally every node yields a `Col` (typed arrays,
 * byte validity); `evaluate` converts the root back to Arrow `Data`. Column references read the
 * batch's buffers without copying; literals broadcast (strings as a one-entry dictionary, so a
 * string compared with a literal costs one comparison per row, or per dictionary entry), except
 * that a number, bigint or bool literal in a comparison is compared as a value (compareLiteral).
 * AND, OR and COALESCE evaluate an operand that could fail only on the rows that reach it, as CASE
 * does its branches (conditional.ts), so an error is raised only where row-by-row SQL would raise it.
 * An arithmetic operator or scalar function with a constant null operand (or a constant zero
 * divisor) is null without evaluating its other operands, as in DuckDB (constant-operand.ts).
 * Dispatch is a `Record<kind, handler>` so a new expression kind fails to compile until handled.
 */
import type { Data, RecordBatch } from 'apache-arrow'
import { columnData } from '../types/arrow-types.js'
import { TsdaskError } from '../util/errors.js'
import { arithmetic, negate } from './arith.js'
import { castCol } from './cast.js'
import { type Col, readColumn, toData } from './column.js'
import { compareCols, compareWithScalar, FLIPPED } from './compare.js'
import { coalesceInOrder, shortCircuit } from './conditional.js'
import { decidedNull } from './constant-operand.js'
import { callFunction } from './functions/call.js'
import { evaluateCase } from './functions/case.js'
import { isIn } from './is-in.js'
import { isNull, not } from './logical.js'
import type { ArithmeticOp, BinaryOp, ComparisonOp, PhysicalExpr } from './physical-expr.js'
import { broadcast, literalScalar } from './scalar.js'
import { stringFunction } from './strings.js'

type Node<K extends PhysicalExpr['kind']> = Extract<PhysicalExpr, { kind: K }>
type Handlers = { [K in PhysicalExpr['kind']]: (batch: RecordBatch, expr: Node<K>) => Col }

const COMPARISONS: ReadonlySet<BinaryOp> = new Set<BinaryOp>(['eq', 'neq', 'lt', 'lte', 'gt', 'gte'])

const handlers: Handlers = {
  column: (batch, e) => {
    if (e.index < 0 || e.index >= batch.numCols) {
      throw new TsdaskError('INTERNAL', `column #${e.index} referenced, but the batch has ${batch.numCols} columns`)
    }
    return readColumn(columnData(batch, e.index))
  },
  literal: (batch, e) => broadcast(literalScalar(e.value, e.dtype), e.dtype, batch.numRows),
  binary: (batch, e) => {
    if (e.op === 'and' || e.op === 'or') return shortCircuit(batch, e.op, e.left, e.right, evaluateCol)
    if (COMPARISONS.has(e.op)) {
      const compared = compareLiteral(batch, e.op as ComparisonOp, e.left, e.right)
      if (compared !== null) return compared
    }
    const compares = COMPARISONS.has(e.op)
    if (!compares && decidedNull([e.left, e.right], e.op === 'div' || e.op === 'mod', evaluateCol)) {
      return broadcast(null, e.dtype, batch.numRows)
    }
    const left = evaluateCol(batch, e.left)
    const right = evaluateCol(batch, e.right)
    if (compares) return compareCols(e.op as ComparisonOp, left, right)
    return arithmetic(e.op as ArithmeticOp, left, right)
  },
  unary: (batch, e) => {
    const arg = evaluateCol(batch, e.arg)
    switch (e.op) {
      case 'not':
        return not(arg)
      case 'negate':
        return negate(arg)
      case 'isNull':
        return isNull(arg, false)
      case 'isNotNull':
        return isNull(arg, true)
    }
  },
  cast: (batch, e) => castCol(evaluateCol(batch, e.arg), e.dtype),
  isIn: (batch, e) => isIn(evaluateCol(batch, e.arg), e.values, e.arg.dtype),
  coalesce: (batch, e) => coalesceInOrder(batch, e.args, evaluateCol),
  string: (batch, e) => stringFunction(e.fn, evaluateCol(batch, e.arg), e.pattern, e.dtype),
  case: (batch, e) => evaluateCase(batch, e, evaluateCol),
  call: (batch, e) =>
    decidedNull(e.args, false, evaluateCol)
      ? broadcast(null, e.dtype, batch.numRows)
      : callFunction(
          e,
          e.args.map((a) => evaluateCol(batch, a)),
        ),
}

/**
 * A comparison of a non-string column with a non-null literal (either side), compared against the
 * value itself; null when the operands are any other shape.
 */
function compareLiteral(batch: RecordBatch, op: ComparisonOp, left: PhysicalExpr, right: PhysicalExpr): Col | null {
  const scalarOf = (e: PhysicalExpr) => {
    if (e.kind !== 'literal' || e.value === null || e.dtype === 'utf8') return null
    return literalScalar(e.value, e.dtype) as number | bigint | boolean
  }
  const r = scalarOf(right)
  if (r !== null && left.kind !== 'literal') return compareWithScalar(op, evaluateCol(batch, left), r)
  const l = scalarOf(left)
  if (l !== null && right.kind !== 'literal') return compareWithScalar(FLIPPED[op], evaluateCol(batch, right), l)
  return null
}

/** Evaluates to the kernels' working form; used by filter, group-by and projection. */
export function evaluateCol(batch: RecordBatch, expr: PhysicalExpr): Col {
  const handler = handlers[expr.kind] as (batch: RecordBatch, expr: PhysicalExpr) => Col
  return handler(batch, expr)
}

/**
 * Evaluates `expr` over every row of `batch`.
 *
 * @example
 * // price * 2 > 10, where column 0 is float64
 * const mask = evaluate(batch, {
 *   kind: 'binary', op: 'gt', dtype: 'bool',
 *   left: { kind: 'binary', op: 'mul', dtype: 'float64',
 *     left: { kind: 'column', index: 0, dtype: 'float64' }, right: { kind: 'literal', value: 2, dtype: 'float64' } },
 *   right: { kind: 'literal', value: 10, dtype: 'float64' },
 * })
 */
export function evaluate(batch: RecordBatch, expr: PhysicalExpr): Data {
  if (expr.kind === 'column') return columnData(batch, expr.index)
  return toData(evaluateCol(batch, expr))
}
