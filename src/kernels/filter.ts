/**
 * Filter: keep the rows where the predicate is true; null counts as false (SQL WHERE).
 * When every row passes, the input batch is returned as is, so the common "predicate already
 * pushed into the reader" case costs one pass over the mask.
 */
import type { RecordBatch } from 'apache-arrow'
import { makeBatch } from '../types/arrow-types.js'
import { TsdaskError } from '../util/errors.js'
import { canFail } from './can-fail.js'
import type { BoolCol } from './column.js'
import { conjunctsOf, keptByConjuncts } from './conditional.js'
import { evaluateCol } from './evaluate.js'
import type { PhysicalExpr } from './physical-expr.js'
import { takeRows } from './take.js'

/** Row indices where a byte mask (and its validity) is set. */
export function selectionOf(values: Uint8Array, valid: Uint8Array | null, length: number): Int32Array {
  let count = 0
  if (valid === null) for (let i = 0; i < length; i++) count += values[i]!
  else for (let i = 0; i < length; i++) count += values[i]! & valid[i]!
  const out = new Int32Array(count)
  let k = 0
  if (valid === null) {
    for (let i = 0; i < length; i++) if (values[i]) out[k++] = i
  } else {
    for (let i = 0; i < length; i++) if (values[i]! & valid[i]!) out[k++] = i
  }
  return out
}

/**
 * The predicate's value per row: a row is kept where `values & valid` (null counts as false).
 * A top-level conjunction is read as a stack of filters, each conjunct evaluated only on the rows
 * the earlier ones kept, so merging `filter(a).filter(b)` into `filter(a AND b)` can never make a
 * conjunct fail on a row an earlier one rejected (a null counts as rejected here, unlike in AND
 * as a value). When no later conjunct can fail, that is the plain single-pass evaluation.
 */
export function predicateMask(batch: RecordBatch, predicate: PhysicalExpr): BoolCol {
  const conjuncts = conjunctsOf(predicate)
  if (conjuncts.some((c, i) => i > 0 && canFail(c))) {
    const n = batch.numRows
    const kept = keptByConjuncts(batch, conjuncts, evaluateCol)
    const values = new Uint8Array(n)
    if (kept === null) values.fill(1)
    else for (let k = 0; k < kept.length; k++) values[kept[k]!] = 1
    return { kind: 'bool', length: n, values, valid: null }
  }
  const mask = evaluateCol(batch, predicate)
  if (mask.kind !== 'bool') {
    throw new TsdaskError('INTERNAL', `filter predicate evaluated to ${mask.kind}, expected bool`)
  }
  return mask
}

/**
 * Keeps the rows where `predicate` is true.
 *
 * @example
 * // rows where column 1 (int32) > 5
 * const kept = filterBatch(batch, {
 *   kind: 'binary', op: 'gt', dtype: 'bool',
 *   left: { kind: 'column', index: 1, dtype: 'int32' }, right: { kind: 'literal', value: 5, dtype: 'int32' },
 * })
 */
export function filterBatch(batch: RecordBatch, predicate: PhysicalExpr): RecordBatch {
  const mask = predicateMask(batch, predicate)
  const n = batch.numRows
  const selection = selectionOf(mask.values, mask.valid, n)
  if (selection.length === n) return batch
  if (batch.numCols === 0) return makeBatch([], [], selection.length)
  return takeRows(batch, selection)
}
