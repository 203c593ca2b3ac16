/**
 * Final step: state batch → result batch (keys, then one column per agg named `agg.name` with
 * `agg.dtype`).
 *
 * Output order decision: groups are sorted by the key columns ascending, nulls last (the row
 * order of sortBatch). That makes the result independent of how rows were split into partitions
 * and how partitions were grouped into combine trees, which first-appearance order is not.
 */
import type { RecordBatch } from 'apache-arrow'
import { columnData, makeBatch } from '../../types/arrow-types.js'
import { TsdaskError } from '../../util/errors.js'
import { EXTENDED_AGGREGATES, isExtendedAgg } from '../aggregates/extended.js'
import { castCol } from '../cast.js'
import { type Col, dtypeOfCol, readColumn, toData } from '../column.js'
import type { AggSpec, SortKey } from '../physical-expr.js'
import { sortBatch } from '../sort.js'
import { aggregateCombine } from './combine.js'
import { stateOffsets } from './state.js'

function meanOf(sum: Col, count: Col): Col {
  if (count.kind !== 'int64' || (sum.kind !== 'int64' && sum.kind !== 'float64')) {
    throw new TsdaskError('INTERNAL', `mean state has ${sum.kind} sum and ${count.kind} count`)
  }
  const n = sum.length
  const out = new Float64Array(n)
  const valid = new Uint8Array(n)
  for (let g = 0; g < n; g++) {
    const c = Number(count.values[g]!)
    if (c === 0 || (sum.valid !== null && !sum.valid[g])) continue
    out[g] = Number(sum.values[g]!) / c
    valid[g] = 1
  }
  return { kind: 'float64', length: n, values: out, valid }
}

/**
 * Turns a (combined) state batch into the aggregate's result, sorted by the keys.
 *
 * @example
 * const result = aggregateFinal(aggregateCombine(states, 1, aggs), 1, aggs)
 */
export function aggregateFinal(state: RecordBatch, nKeys: number, aggs: readonly AggSpec[]): RecordBatch {
  const offsets = stateOffsets(nKeys, aggs)
  if (state.numCols !== offsets[aggs.length]) {
    throw new TsdaskError(
      'INTERNAL',
      `state batch has ${state.numCols} columns, but ${nKeys} keys and these aggregates need ${offsets[aggs.length]}`,
    )
  }
  // A global aggregate always has its one row; an empty keyless state still yields it.
  const source = nKeys === 0 && state.numRows === 0 ? aggregateCombine([], 0, aggs) : state
  const names = source.schema.fields.slice(0, nKeys).map((f) => f.name)
  const keyData = names.map((_, k) => columnData(source, k))
  const results = aggs.map((agg, a) => {
    const first = readColumn(columnData(source, offsets[a]!))
    const col = isExtendedAgg(agg.fn)
      ? EXTENDED_AGGREGATES[agg.fn].final(
          Array.from({ length: offsets[a + 1]! - offsets[a]! }, (_, j) =>
            readColumn(columnData(source, offsets[a]! + j)),
          ),
          agg,
        )
      : agg.fn === 'mean'
        ? meanOf(first, readColumn(columnData(source, offsets[a]! + 1)))
        : first
    return toData(dtypeOfCol(col) === agg.dtype ? col : castCol(col, agg.dtype))
  })
  const out = makeBatch([...names, ...aggs.map((a) => a.name)], [...keyData, ...results], source.numRows)
  if (nKeys === 0 || out.numRows < 2) return out
  const keys: SortKey[] = names.map((_, index) => ({ index, descending: false, nullsFirst: false }))
  return sortBatch(out, keys)
}
