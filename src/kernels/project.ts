/**
 * Projection: one output column per named expression. A bare column reference passes the input
 * `Data` through untouched (no copy), so pruning and renaming are free.
 */
import type { RecordBatch } from 'apache-arrow'
import { makeBatch } from '../types/arrow-types.js'
import { evaluate } from './evaluate.js'
import type { NamedPhysicalExpr } from './physical-expr.js'

export function projectBatch(batch: RecordBatch, exprs: readonly NamedPhysicalExpr[]): RecordBatch {
  const columns = exprs.map((e) => evaluate(batch, e.expr))
  return makeBatch(
    exprs.map((e) => e.name),
    columns,
    batch.numRows,
  )
}
