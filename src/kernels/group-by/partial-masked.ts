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
import { columnData } from '../../types/arrow-types.js'
import { type BoolCol, type Col, readColumn } from '../column.js'
import type { AggSpec } from '../physical-expr.js'
import { takeRows } from '../take.js'
import type { Grouping } from './group-sink.js'
import { groupRows } from './hash.js'
import { aggregatePartial, buildState, partialStates } from './partial.js'

/** One byte per row, 1 where the filter keeps the row, and how many it keeps. */
function keptRows(mask: BoolCol): { keep: Uint8Array; kept: number } {
  const { values, valid, length } = mask
  let keep = values
  if (valid !== null) {
    keep = new Uint8Array(length)
    for (let i = 0; i < length; i++) keep[i] = values[i]! & valid[i]!
  }
  let kept = 0
  for (let i = 0; i < length; i++) kept += keep[i]!
  return { keep, kept }
}

/**
 * `grouping` with every dropped row moved to a new last group, and groups no kept row reaches
 * marked unused (firstRow -1). A group's first row may be a dropped one: it still holds the key.
 */
function dropRows(grouping: Grouping, keep: Uint8Array, keys: readonly Col[]): Grouping {
  const dropped = grouping.count
  // A dictionary key's codes can be the group ids themselves (hash.ts); never write into input data.
  const aliased = keys.some((k) => k.kind === 'dict' && k.codes === grouping.ids)
  const ids = aliased ? grouping.ids.slice() : grouping.ids
  const reached = new Uint8Array(dropped)
  // Branch-free: which rows a filter keeps is as good as random.
  for (let i = 0; i < ids.length; i++) {
    const k = keep[i]!
    const g = ids[i]!
    reached[g]! |= k
    ids[i] = k * g + (1 - k) * dropped
  }
  const firstRow = new Int32Array(dropped + 1)
  for (let g = 0; g < dropped; g++) firstRow[g] = reached[g] ? grouping.firstRow[g]! : -1
  firstRow[dropped] = -1
  return { ids, count: dropped + 1, firstRow }
}

/**
 * The same state batch as `aggregatePartial(filterBatch(batch, predicate), keyIndexes, aggs)`, from
 * the predicate's mask instead of the filtered copy.
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
): RecordBatch {
  const n = batch.numRows
  const { keep, kept } = keptRows(mask)
  if (kept === n) return aggregatePartial(batch, keyIndexes, aggs)
  // No row kept: the empty batch gives the right empty state (and a global aggregate's one row of
  // nulls and zero counts, which the dropped-group form would not know to make).
  if (kept === 0) return aggregatePartial(takeRows(batch, new Int32Array(0)), keyIndexes, aggs)
  const keys = keyIndexes.map((k) => readColumn(columnData(batch, k)))
  const grouping = dropRows(groupRows(keys, n), keep, keys)
  const states = aggs.flatMap((agg) => partialStates(batch, agg, grouping, keep))
  return buildState(batch, keyIndexes, keys, grouping, states, aggs)
}
