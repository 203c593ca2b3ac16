/**
 * CASE WHEN … THEN … ELSE … END. Rows flow through the branches: each condition is evaluated only
 * on the rows no earlier branch took, and each value only on the rows its branch took (as DuckDB
 * does), so `CASE WHEN x < 1000 THEN x * 1000000 ELSE 0 END` cannot overflow on the rows that
 * take the ELSE. When one branch takes every row, its column is the answer as is (no copy);
 * otherwise the pieces are concatenated and put back in row order with one gather.
 */
import type { RecordBatch } from 'apache-arrow'
import { TsdaskError } from '../../util/errors.js'
import type { Col } from '../column.js'
import { concatCols } from '../concat.js'
import type { CasePhysicalExpr, PhysicalExpr } from '../physical-expr.js'
import { broadcast } from '../scalar.js'
import { takeCol, takeRows } from '../take.js'

type Evaluate = (batch: RecordBatch, expr: PhysicalExpr) => Col

interface Piece {
  /** Batch rows the piece covers, in order; null = every row. */
  readonly rows: Int32Array | null
  readonly col: Col
}

function split(cond: Col, count: number): { taken: Int32Array; rest: Int32Array } {
  if (cond.kind !== 'bool') throw new TsdaskError('INTERNAL', `CASE condition evaluated to ${cond.kind}`)
  const { values, valid } = cond
  let t = 0
  for (let i = 0; i < count; i++) if (values[i] && (valid === null || valid[i])) t++
  const taken = new Int32Array(t)
  const rest = new Int32Array(count - t)
  for (let i = 0, a = 0, b = 0; i < count; i++) {
    if (values[i] && (valid === null || valid[i])) taken[a++] = i
    else rest[b++] = i
  }
  return { taken, rest }
}

const toBatchRows = (local: Int32Array, rows: Int32Array | null) => (rows === null ? local : local.map((i) => rows[i]!))

export function evaluateCase(batch: RecordBatch, e: CasePhysicalExpr, evaluate: Evaluate): Col {
  const n = batch.numRows
  const pieces: Piece[] = []
  let remaining: Int32Array | null = null
  let sub = batch
  for (const branch of e.branches) {
    const count = remaining === null ? n : remaining.length
    if (count === 0) break
    const { taken, rest } = split(evaluate(sub, branch.condition), count)
    if (taken.length === count) {
      pieces.push({ rows: remaining, col: evaluate(sub, branch.value) })
      remaining = new Int32Array(0)
      break
    }
    if (taken.length > 0) {
      pieces.push({ rows: toBatchRows(taken, remaining), col: evaluate(takeRows(sub, taken), branch.value) })
    }
    remaining = toBatchRows(rest, remaining)
    sub = takeRows(sub, rest)
  }
  const left = remaining === null ? n : remaining.length
  if (left > 0) {
    const col = e.otherwise === null ? broadcast(null, e.dtype, left) : evaluate(sub, e.otherwise)
    pieces.push({ rows: remaining, col })
  }
  if (pieces.length === 1 && pieces[0]!.rows === null) return pieces[0]!.col
  if (pieces.length === 0) return broadcast(null, e.dtype, 0)
  // Gather the concatenated pieces back into batch row order.
  const position = new Int32Array(n)
  let at = 0
  for (const p of pieces) {
    const rows = p.rows
    if (rows === null) for (let i = 0; i < n; i++) position[i] = at + i
    else for (let k = 0; k < rows.length; k++) position[rows[k]!] = at + k
    at += p.col.length
  }
  return takeCol(concatCols(pieces.map((p) => p.col)), position)
}
