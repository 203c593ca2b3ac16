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

function partialStates(batch: RecordBatch, agg: AggSpec, g: Grouping): Col[] {
  const n = batch.numRows
  switch (agg.fn) {
    case 'countAll':
      return [countPerGroup(null, g.ids, n, g.count)]
    case 'count':
      return [countPerGroup(aggInput(batch, agg), g.ids, n, g.count)]
    case 'sum':
      return [sum(aggInput(batch, agg), g)]
    case 'mean': {
      const input = aggInput(batch, agg)
      const summed = input.kind === 'int64' ? int64AsFloat64(input) : input
      return [sum(summed, g), countPerGroup(input, g.ids, n, g.count)]
    }
    case 'min':
    case 'max':
      return [minMaxPerGroup(aggInput(batch, agg), g.ids, g.count, agg.fn === 'max')]
    default: {
      const inputs = [aggInput(batch, agg)]
      if (agg.input2 !== undefined) inputs.push(readColumn(columnData(batch, agg.input2)))
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
  const keys = keyIndexes.map((k) => readColumn(columnData(batch, k)))
  const grouping = groupRows(keys, batch.numRows)
  return buildState(
    batch,
    keyIndexes,
    keys,
    grouping,
    aggs.flatMap((agg) => partialStates(batch, agg, grouping)),
    aggs,
  )
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
  if (used < firstRow.length) {
    const keep = new Int32Array(used)
    for (let g = 0, k = 0; g < firstRow.length; g++) if (firstRow[g]! >= 0) keep[k++] = g
    rows = keep.map((g) => firstRow[g]!)
    stateCols = states.map((c) => takeCol(c, keep))
  }
  const keyData = keys.map((k) => toData(takeCol(k, rows)))
  return makeBatch([...keyNames, ...stateNames(aggs)], [...keyData, ...stateCols.map(toData)], used)
}
