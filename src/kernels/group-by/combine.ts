/**
 * Combine: merge state batches (same layout, see state.ts) into one, grouping again by the keys.
 * Keys are concatenated in the order given (dictionaries unified), so group order is first
 * appearance across the inputs; each state column merges with the operation that made it, read
 * from the inputs directly where merge-chunks.ts can (no concatenated copy).
 */
import type { RecordBatch } from 'apache-arrow'
import { columnData, makeBatch } from '../../types/arrow-types.js'
import { TsdaskError } from '../../util/errors.js'
import { EXTENDED_AGGREGATES, isExtendedAgg } from '../aggregates/extended.js'
import { type Col, readColumn, toData } from '../column.js'
import { concatCols } from '../concat.js'
import type { AggSpec } from '../physical-expr.js'
import { broadcast } from '../scalar.js'
import { minMaxPerGroup, sumFloats, sumIntegers } from './accumulate.js'
import { scratchRowIds } from './group-sink.js'
import { groupRows } from './hash.js'
import { mergeChunks } from './merge-chunks.js'
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
  const first = states[0]!
  if (states.some((s) => s.numCols !== first.numCols)) {
    throw new TsdaskError('INTERNAL', 'aggregateCombine got state batches of different layouts')
  }
  const rows = states.reduce((n, s) => n + s.numRows, 0)
  const columnOf = (i: number): Col[] => states.map((s) => readColumn(columnData(s, i)))
  // Only the keys are concatenated, to be grouped; state columns merge input by input (merge-chunks.ts)
  // and are concatenated only where that has no path for them.
  const keyIndexes = Array.from({ length: nKeys }, (_, k) => k)
  const keys = keyIndexes.map((k) => concatCols(columnOf(k)))
  const grouping = groupRows(keys, rows, scratchRowIds(rows))
  const { ids, count } = grouping
  const offsets = stateOffsets(nKeys, aggs)
  const merged = aggs.flatMap((agg, a) => {
    const suffixes = stateColumns(agg).map((c) => c.suffix)
    const at = offsets[a]!
    if (isExtendedAgg(agg.fn)) {
      const cols = suffixes.map((_, j) => concatCols(columnOf(at + j)))
      return EXTENDED_AGGREGATES[agg.fn].merge(cols, ids, count, agg)
    }
    return suffixes.map((suffix, j) => {
      const chunks = columnOf(at + j)
      return mergeChunks(chunks, suffix, ids, count) ?? mergeColumn(concatCols(chunks), suffix, ids, count)
    })
  })
  return buildState(first, keyIndexes, keys, grouping, merged, aggs)
}
