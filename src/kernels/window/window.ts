/**
 * Window functions over one batch holding whole partitions (the lowering hash-shuffles rows on the
 * PARTITION BY keys first, so no partition spans two batches).
 *
 * Two forms, one computation (layout.ts):
 * - `windowColumns` / `appendWindowColumns`: one column per spec, aligned with the input rows; the
 *   input is never reordered, so the caller appends the columns and keeps its row order.
 * - `windowSorted`: the batch's rows sorted by (PARTITION BY keys ascending, nulls last; then
 *   ORDER BY keys; ties in input order) with the columns appended. The computation sorts anyway,
 *   so a caller that needs the rows in this order (an ORDER BY matching the window's, a top-n per
 *   group) gets them without a second sort, for one gather of the input columns; a caller that
 *   does not should take the first form, which moves no input column.
 *
 * @example
 * // row_number() OVER w AS rn, sum(#2) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS total
 * // WINDOW w AS (PARTITION BY #0 ORDER BY #2 DESC)
 * const w = { partitionBy: [0], orderBy: [{ index: 2, descending: true, nullsFirst: false }] }
 * const whole = { unit: 'rows', start: { kind: 'unboundedPreceding' }, end: { kind: 'unboundedFollowing' } } as const
 * const out = appendWindowColumns(batch, w, [
 *   { fn: 'rowNumber', name: 'rn' },
 *   { fn: 'sum', input: 2, inputDType: 'int32', name: 'total', frame: whole },
 * ])
 */
import type { Data, RecordBatch } from 'apache-arrow'
import { columnData, makeBatch } from '../../types/arrow-types.js'
import { TsdaskError } from '../../util/errors.js'
import { type Col, dtypeOfCol, toData } from '../column.js'
import { takeRows } from '../take.js'
import { aggregateColumn } from './aggregate.js'
import { WindowContext } from './context.js'
import { frameValueColumn } from './frame-value.js'
import { WindowLayout } from './layout.js'
import { offsetColumn } from './offset.js'
import { rankingColumn } from './ranking.js'
import {
  type AggregateSpec,
  type CountAllSpec,
  type FrameValueSpec,
  frameOf,
  type NthValueSpec,
  type NtileSpec,
  type OffsetSpec,
  type RankingSpec,
  WINDOW_FUNCTION_FAMILY,
  type WindowClause,
  type WindowFrame,
  type WindowFunctionSpec,
} from './spec.js'
import { validateWindowClause, validateWindowFunction } from './validate.js'

function checkColumn(batch: RecordBatch, index: number, what: string): void {
  if (index >= batch.numCols) {
    throw new TsdaskError(
      'INTERNAL',
      `window ${what} column #${index} out of range (batch has ${batch.numCols} columns)`,
    )
  }
}

function checkAgainstBatch(batch: RecordBatch, clause: WindowClause, specs: readonly WindowFunctionSpec[]): void {
  for (const i of clause.partitionBy) checkColumn(batch, i, 'PARTITION BY')
  for (const key of clause.orderBy) checkColumn(batch, key.index, 'ORDER BY')
  for (const spec of specs) if ('input' in spec) checkColumn(batch, spec.input, 'input')
}

function computeColumn(ctx: WindowContext, spec: WindowFunctionSpec): Col {
  if ('input' in spec) {
    const actual = dtypeOfCol(ctx.column(spec.input))
    if (actual !== spec.inputDType) {
      throw new TsdaskError(
        'INTERNAL',
        `window function ${spec.name}: input column #${spec.input} is ${actual}, the spec says ${spec.inputDType}`,
      )
    }
  }
  const frame = frameOf(spec) as WindowFrame
  switch (WINDOW_FUNCTION_FAMILY[spec.fn]) {
    case 'ranking':
      return rankingColumn(ctx.layout, spec as RankingSpec | NtileSpec)
    case 'offset':
      return offsetColumn(ctx, spec as OffsetSpec)
    case 'frameValue':
      return frameValueColumn(ctx, spec as FrameValueSpec | NthValueSpec, frame)
    case 'aggregate':
      return aggregateColumn(ctx, spec as AggregateSpec | CountAllSpec, frame)
  }
}

function compute(
  batch: RecordBatch,
  clause: WindowClause,
  specs: readonly WindowFunctionSpec[],
  output: 'input-order' | 'sorted',
): { layout: WindowLayout; columns: Data[] } {
  validateWindowClause(clause)
  for (const spec of specs) validateWindowFunction(spec)
  checkAgainstBatch(batch, clause, specs)
  const layout = new WindowLayout(batch, clause, output)
  const ctx = new WindowContext(batch, layout)
  return { layout, columns: specs.map((spec) => toData(computeColumn(ctx, spec))) }
}

/** One column per spec, row i answering for input row i. */
export function windowColumns(batch: RecordBatch, clause: WindowClause, specs: readonly WindowFunctionSpec[]): Data[] {
  return compute(batch, clause, specs, 'input-order').columns
}

/** The batch, in its own row order, with one column per spec appended (named `spec.name`). */
export function appendWindowColumns(
  batch: RecordBatch,
  clause: WindowClause,
  specs: readonly WindowFunctionSpec[],
): RecordBatch {
  const columns = windowColumns(batch, clause, specs)
  return withColumns(batch, specs, columns)
}

/** The batch's rows in window order (see the module comment) with one column per spec appended. */
export function windowSorted(
  batch: RecordBatch,
  clause: WindowClause,
  specs: readonly WindowFunctionSpec[],
): RecordBatch {
  const { layout, columns } = compute(batch, clause, specs, 'sorted')
  return withColumns(takeRows(batch, layout.order), specs, columns)
}

function withColumns(batch: RecordBatch, specs: readonly WindowFunctionSpec[], columns: Data[]): RecordBatch {
  const names = [...batch.schema.fields.map((f) => f.name), ...specs.map((s) => s.name)]
  const inputs = batch.schema.fields.map((_, i) => columnData(batch, i))
  return makeBatch(names, [...inputs, ...columns], batch.numRows)
}
