/**
 * Partial aggregation of the rows a filter keeps, without building the filtered batch.
 *
 * A fused filter → partial-aggregate task used to copy every column of the rows that pass (4
 * columns × ~500k rows per partition in the scheduler bench) only to read each once. Here the
 * filter's byte mask stands in for the copy: the input is grouped as it is, and every row the mask
 * drops is then moved to one extra group (the "dropped" group) whose state buildState discards, as
 * it discards a slot no row uses. So every accumulator and key type works unchanged on the source
 * columns, and a group only the dropped rows had disappears with them.
 *
 * Semantics are the filter's: a row is kept where the predicate is true; false and null drop it.
 */
import type { RecordBatch } from 'apache-arrow'
import type { BoolCol, Col } from '../column.js'
import type { AggSpec } from '../physical-expr.js'
import { takeRows } from '../take.js'
import type { Grouping } from './group-sink.js'
import { groupedRows, partialOutput } from './partial.js'

/** One byte per row, 1 where the filter keeps the row, and how many it keeps. */
function keptRows(mask: BoolCol): { keep: Uint8Array; kept: number } {
  const { values, valid, length } = mask
  let kept = 0
  // The mask's values may be an input column's own buffer: read it, never write it.
  if (valid === null) {
    for (let i = 0; i < length; i++) kept += values[i]!
    return { keep: values, kept }
  }
  const keep = new Uint8Array(length)
  for (let i = 0; i < length; i++) {
    const k = values[i]! & valid[i]!
    keep[i] = k
    kept += k
  }
  return { keep, kept }
}

/**
 * `grouping` renumbered to the rows the filter keeps: groups a kept row reaches get ids 0 … used-1
 * in order of first KEPT appearance (the order the filtered copy would give), groups only dropped
 * rows reach follow as unused slots (firstRow -1), and every dropped row goes to one last group.
 * Unused slots only at the end let buildState keep its state columns as prefixes instead of
 * gathering them. A group's key is read from its first kept row, as in the filtered copy: equal
 * keys can differ in form (-0 and 0, NaNs, dictionary and plain strings), and the output must not
 * depend on rows the filter dropped.
 */
function dropRows(grouping: Grouping, keep: Uint8Array, keys: readonly Col[], rows: number): Grouping {
  const dropped = grouping.count
  // A dictionary key's codes can be the group ids themselves (hash.ts); never write into input data.
  const aliased = keys.some((k) => k.kind === 'dict' && k.codes === grouping.ids)
  const ids = aliased ? grouping.ids.slice() : grouping.ids
  const renumber = new Int32Array(dropped).fill(-1)
  const firstRow = new Int32Array(dropped + 1).fill(-1)
  let used = 0
  // `ids` and `keep` can be longer than the batch (padded buffers): only the batch's rows count.
  for (let i = 0; i < rows; i++) {
    const k = keep[i]!
    const g = ids[i]!
    let r = renumber[g]!
    if (k !== 0 && r < 0) {
      r = renumber[g] = used++
      firstRow[r] = i
    }
    // Branch-free: which rows a filter keeps is as good as random.
    ids[i] = k * r + (1 - k) * dropped
  }
  return { ids, count: dropped + 1, firstRow }
}

/**
 * The same state batch as `aggregatePartial(filterBatch(batch, predicate), keyIndexes, aggs)` (with
 * `buckets`, the same parts as `aggregatePartialBuckets`), from the predicate's mask instead of the
 * filtered copy.
 *
 * @example
 * const mask = predicateMask(batch, predicate)
 * const state = aggregatePartialMasked(batch, mask, [0], aggs)
 */
export function aggregatePartialMasked(
  batch: RecordBatch,
  mask: BoolCol,
  keyIndexes: readonly number[],
  aggs: readonly AggSpec[],
): RecordBatch
export function aggregatePartialMasked(
  batch: RecordBatch,
  mask: BoolCol,
  keyIndexes: readonly number[],
  aggs: readonly AggSpec[],
  buckets: number | undefined,
): RecordBatch | RecordBatch[]
export function aggregatePartialMasked(
  batch: RecordBatch,
  mask: BoolCol,
  keyIndexes: readonly number[],
  aggs: readonly AggSpec[],
  buckets?: number,
): RecordBatch | RecordBatch[] {
  const n = batch.numRows
  const { keep, kept } = keptRows(mask)
  if (kept === n) return partialOutput(batch, keyIndexes, aggs, groupedRows(batch, keyIndexes), buckets)
  // No row kept: the empty batch gives the right empty state (and a global aggregate's one row of
  // nulls and zero counts, which the dropped-group form would not know to make).
  if (kept === 0) {
    const empty = takeRows(batch, new Int32Array(0))
    return partialOutput(empty, keyIndexes, aggs, groupedRows(empty, keyIndexes), buckets)
  }
  const { keys, grouping } = groupedRows(batch, keyIndexes)
  return partialOutput(batch, keyIndexes, aggs, { keys, grouping: dropRows(grouping, keep, keys, n) }, buckets, keep)
}
