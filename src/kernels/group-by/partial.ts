/**
 * Partial aggregation of one partition: group the rows, then reduce each agg's input into state
 * columns (layout in state.ts). Zero keys give exactly one row, even for an empty input.
 * Key columns are gathered from each group's first row, so a dictionary key stays dictionary-encoded.
 */
import type { RecordBatch } from 'apache-arrow'
import { columnData, makeBatch } from '../../types/arrow-types.js'
import { TsdaskError } from '../../util/errors.js'
import { EXTENDED_AGGREGATES } from '../aggregates/extended.js'
import { int64AsFloat64 } from '../aggregates/float-input.js'
import { type Col, readColumn, toData } from '../column.js'
import type { AggSpec } from '../physical-expr.js'
import { takeCol } from '../take.js'
import { countPerGroup, minMaxPerGroup, sumFloats, sumIntegers } from './accumulate.js'
import { bucketParts, inBucketOrder } from './buckets.js'
import { scratchRowIds } from './group-sink.js'
import { type Grouping, groupRows } from './hash.js'
import { stateNames } from './state.js'

function sum(col: Col, g: Grouping): Col {
  return col.kind === 'float64' ? sumFloats(col, g.ids, g.count) : sumIntegers(col, g.ids, g.count)
}

function aggInput(batch: RecordBatch, agg: AggSpec): Col {
  if (agg.input === null || agg.inputDType === null) {
    throw new TsdaskError('INTERNAL', `aggregate ${agg.fn} (${agg.name}) has no input column`)
  }
  return readColumn(columnData(batch, agg.input))
}

/**
 * Rows outside `keep` (a filter's byte mask, see partial-masked.ts) turned into nulls, so an
 * aggregate that could fail on a value (an int64 sum overflowing) or that keeps values (median,
 * count distinct) never sees a row the filter dropped. Other aggregates read the column as is: the
 * dropped rows only reach the discarded group.
 */
function withoutDropped(col: Col, keep: Uint8Array | null): Col {
  if (keep === null) return col
  const valid = col.valid
  if (valid === null) return { ...col, valid: keep }
  const both = new Uint8Array(col.length)
  for (let i = 0; i < both.length; i++) both[i] = valid[i]! & keep[i]!
  return { ...col, valid: both }
}

/**
 * Each agg's state columns for grouping `g`. `keep` (or null: every row) marks the rows a fused
 * filter kept; the rows it dropped carry a group id of their own that buildState discards.
 */
export function partialStates(batch: RecordBatch, agg: AggSpec, g: Grouping, keep: Uint8Array | null = null): Col[] {
  const n = batch.numRows
  switch (agg.fn) {
    case 'countAll':
      return [countPerGroup(null, g.ids, n, g.count)]
    case 'count':
      return [countPerGroup(aggInput(batch, agg), g.ids, n, g.count)]
    case 'sum': {
      const input = aggInput(batch, agg)
      return [sum(input.kind === 'int64' ? withoutDropped(input, keep) : input, g)]
    }
    case 'mean': {
      const input = aggInput(batch, agg)
      const summed = input.kind === 'int64' ? int64AsFloat64(input) : input
      return [sum(summed, g), countPerGroup(input, g.ids, n, g.count)]
    }
    case 'min':
    case 'max':
      return [minMaxPerGroup(aggInput(batch, agg), g.ids, g.count, agg.fn === 'max')]
    default: {
      const inputs = [withoutDropped(aggInput(batch, agg), keep)]
      if (agg.input2 !== undefined) inputs.push(withoutDropped(readColumn(columnData(batch, agg.input2)), keep))
      return EXTENDED_AGGREGATES[agg.fn].partial(inputs, g.ids, g.count)
    }
  }
}

/**
 * Partial aggregation of one partition into a state batch.
 *
 * @example
 * // per partition: sum(column 1) grouped by column 0
 * const state = aggregatePartial(batch, [0], [{ fn: 'sum', input: 1, inputDType: 'int32', name: 's', dtype: 'int64' }])
 */
export function aggregatePartial(
  batch: RecordBatch,
  keyIndexes: readonly number[],
  aggs: readonly AggSpec[],
): RecordBatch {
  return partialOutput(batch, keyIndexes, aggs, groupedRows(batch, keyIndexes), undefined)
}

/**
 * The same state split into `buckets` parts by a hash of the key values (a split_out, see
 * buckets.ts): part b holds the groups of bucket b, and the parts are slices of one bucket-major
 * state. A task running it declares `parts: buckets`.
 *
 * @example
 * const [bucket0, bucket1] = aggregatePartialBuckets(batch, [0], aggs, 2)
 */
export function aggregatePartialBuckets(
  batch: RecordBatch,
  keyIndexes: readonly number[],
  aggs: readonly AggSpec[],
  buckets: number,
): RecordBatch[] {
  return partialOutput(batch, keyIndexes, aggs, groupedRows(batch, keyIndexes), buckets)
}

/** The key columns of `batch` and its rows grouped by them (in this thread's scratch ids). */
export function groupedRows(batch: RecordBatch, keyIndexes: readonly number[]): { keys: Col[]; grouping: Grouping } {
  const keys = keyIndexes.map((k) => readColumn(columnData(batch, k)))
  return { keys, grouping: groupRows(keys, batch.numRows, scratchRowIds(batch.numRows)) }
}

/**
 * The state over `grouping` of `keys` (`keep`: the rows a fused filter kept, or null), whole, or
 * in `buckets` parts when that is set: the groups are numbered bucket-major before accumulating,
 * so the state comes out in bucket order and each part is a slice of it.
 */
export function partialOutput(
  batch: RecordBatch,
  keyIndexes: readonly number[],
  aggs: readonly AggSpec[],
  grouped: { readonly keys: readonly Col[]; readonly grouping: Grouping },
  buckets: undefined,
  keep?: Uint8Array | null,
): RecordBatch
export function partialOutput(
  batch: RecordBatch,
  keyIndexes: readonly number[],
  aggs: readonly AggSpec[],
  grouped: { readonly keys: readonly Col[]; readonly grouping: Grouping },
  buckets: number,
  keep?: Uint8Array | null,
): RecordBatch[]
export function partialOutput(
  batch: RecordBatch,
  keyIndexes: readonly number[],
  aggs: readonly AggSpec[],
  grouped: { readonly keys: readonly Col[]; readonly grouping: Grouping },
  buckets: number | undefined,
  keep?: Uint8Array | null,
): RecordBatch | RecordBatch[]
export function partialOutput(
  batch: RecordBatch,
  keyIndexes: readonly number[],
  aggs: readonly AggSpec[],
  { keys, grouping }: { readonly keys: readonly Col[]; readonly grouping: Grouping },
  buckets: number | undefined,
  keep: Uint8Array | null = null,
): RecordBatch | RecordBatch[] {
  const bucketed = buckets === undefined ? null : inBucketOrder(grouping, keys, buckets, batch.numRows)
  const g = bucketed?.grouping ?? grouping
  const states = aggs.flatMap((agg) => partialStates(batch, agg, g, keep))
  const state = buildState(batch, keyIndexes, keys, g, states, aggs)
  return bucketed === null ? state : bucketParts(state, bucketed.starts)
}

function unusedOnlyAtEnd(firstRow: Int32Array, used: number): boolean {
  for (let g = 0; g < used; g++) if (firstRow[g]! < 0) return false
  return true
}

/** The first `length` rows of a freshly built state column, as views (no copy). */
function prefixCol(col: Col, length: number): Col {
  const valid = col.valid === null ? null : col.valid.subarray(0, length)
  switch (col.kind) {
    case 'utf8':
      return { ...col, length, offsets: col.offsets.subarray(0, length + 1), valid }
    case 'dict':
      return { ...col, length, codes: col.codes.subarray(0, length), valid }
    case 'bool':
      return { ...col, length, values: col.values.subarray(0, length), valid }
    case 'int32':
    case 'date32':
      return { ...col, length, values: col.values.subarray(0, length), valid }
    case 'int64':
    case 'timestamp[ms]':
      return { ...col, length, values: col.values.subarray(0, length), valid }
    case 'float64':
      return { ...col, length, values: col.values.subarray(0, length), valid }
  }
}

export function buildState(
  batch: RecordBatch,
  keyIndexes: readonly number[],
  keys: readonly Col[],
  grouping: Grouping,
  states: readonly Col[],
  aggs: readonly AggSpec[],
): RecordBatch {
  const keyNames = keyIndexes.map((k) => batch.schema.fields[k]?.name ?? `key_${k}`)
  const { firstRow } = grouping
  let used = 0
  for (let g = 0; g < firstRow.length; g++) if (firstRow[g]! >= 0) used++
  let rows = firstRow
  let stateCols = states
  if (used < firstRow.length && unusedOnlyAtEnd(firstRow, used)) {
    // The usual case with a fused filter: only the dropped rows' group (the last) goes.
    rows = firstRow.subarray(0, used)
    stateCols = states.map((c) => prefixCol(c, used))
  } else if (used < firstRow.length) {
    const keep = new Int32Array(used)
    for (let g = 0, k = 0; g < firstRow.length; g++) if (firstRow[g]! >= 0) keep[k++] = g
    rows = keep.map((g) => firstRow[g]!)
    stateCols = states.map((c) => takeCol(c, keep))
  }
  const keyData = keys.map((k) => toData(takeCol(k, rows)))
  return makeBatch([...keyNames, ...stateNames(aggs)], [...keyData, ...stateCols.map(toData)], used)
}
