/**
 * Combine: merge state batches (same layout, see state.ts) into one, grouping again by the keys.
 * States are concatenated in the order given (dictionaries unified), so group order is first
 * appearance across the inputs; each state column merges with the operation that made it.
 */
import type { RecordBatch } from 'apache-arrow'
import { columnData, makeBatch } from '../../types/arrow-types.js'
import { TsdaskError } from '../../util/errors.js'
import { EXTENDED_AGGREGATES, isExtendedAgg } from '../aggregates/extended.js'
import { type Col, readColumn, toData } from '../column.js'
import { concatBatches } from '../concat.js'
import type { AggSpec } from '../physical-expr.js'
import { broadcast } from '../scalar.js'
import { minMaxPerGroup, sumFloats, sumIntegers } from './accumulate.js'
import { scratchRowIds } from './group-sink.js'
import { groupRows } from './hash.js'
import { buildState } from './partial.js'
import { stateColumns, stateNames, stateOffsets } from './state.js'

/** The state of a global aggregate over no rows: sums and extremes null, counts 0. */
function emptyGlobalState(aggs: readonly AggSpec[]): RecordBatch {
  const cols = aggs.flatMap((agg) =>
    stateColumns(agg).map((c) => (c.suffix === 'count' ? broadcast(0n, 'int64', 1) : broadcast(null, c.dtype, 1))),
  )
  return makeBatch(stateNames(aggs), cols.map(toData), 1)
}

function mergeColumn(col: Col, suffix: string, ids: Int32Array, groups: number): Col {
  switch (suffix) {
    case 'min':
      return minMaxPerGroup(col, ids, groups, false)
    case 'max':
      return minMaxPerGroup(col, ids, groups, true)
    case 'count': {
      const merged = sumIntegers(col, ids, groups)
      return { ...merged, valid: null }
    }
    default:
      return col.kind === 'float64' ? sumFloats(col, ids, groups) : sumIntegers(col, ids, groups)
  }
}

/**
 * Merges partial states into one state batch with one row per group.
 *
 * @example
 * const merged = aggregateCombine([statePart0, statePart1], 1, aggs)
 */
export function aggregateCombine(states: readonly RecordBatch[], nKeys: number, aggs: readonly AggSpec[]): RecordBatch {
  if (states.length === 0 && nKeys === 0) return emptyGlobalState(aggs)
  if (states.length === 0) {
    throw new TsdaskError('INTERNAL', 'aggregateCombine got no state batches for a grouped aggregate')
  }
  if (states.length === 1) return states[0]!
  const all = concatBatches(states)
  const keyIndexes = Array.from({ length: nKeys }, (_, k) => k)
  const keys = keyIndexes.map((k) => readColumn(columnData(all, k)))
  const grouping = groupRows(keys, all.numRows, scratchRowIds(all.numRows))
  const offsets = stateOffsets(nKeys, aggs)
  const merged = aggs.flatMap((agg, a) => {
    const cols = stateColumns(agg).map((_, j) => readColumn(columnData(all, offsets[a]! + j)))
    if (isExtendedAgg(agg.fn)) return EXTENDED_AGGREGATES[agg.fn].merge(cols, grouping.ids, grouping.count, agg)
    return cols.map((col, j) => mergeColumn(col, stateColumns(agg)[j]!.suffix, grouping.ids, grouping.count))
  })
  return buildState(all, keyIndexes, keys, grouping, merged, aggs)
}
