/**
 * The `hash-join` task: a join of one partition of each side, or of one partition against all of
 * a broadcast side. The task's inputs are the left side's batches (the first `nLeft`) then the
 * right side's. A key pair of different dtypes (an int32 key joined with an int64 one) is matched
 * at `keyDTypes`: the keys are cast for matching only, and output columns keep their own dtypes,
 * except merged keys (`coalesceKeys`), which come out at the matched dtype (plan/join-schema.ts).
 */
import type { RecordBatch } from 'apache-arrow'
import { columnData, dtypeOfArrow, makeBatch } from '../../types/arrow-types.js'
import type { DType } from '../../types/dtype.js'
import { joinOutputColumns } from '../../types/join-columns.js'
import type { JoinHow, JoinSide } from '../../types/join-how.js'
import { TsdaskError } from '../../util/errors.js'
import { castCol } from '../cast.js'
import { type Col, readColumn, toData } from '../column.js'
import { assembleJoin } from './assemble.js'
import { crossJoin, joinSideBatch, schemaOfBatch } from './hash-join.js'
import { joinIndices } from './join-indices.js'

export interface JoinOpArgs {
  readonly how: JoinHow | 'cross'
  readonly leftOn: readonly number[]
  readonly rightOn: readonly number[]
  /** The dtype each key pair is matched at. */
  readonly keyDTypes: readonly string[]
  readonly build: JoinSide
  readonly suffix: string
  readonly coalesceKeys: boolean
  /** How many of the task's inputs are the left side's batches. */
  readonly nLeft: number
}

export function runJoinOp(args: JoinOpArgs, inputs: readonly RecordBatch[]): RecordBatch {
  if (!(args.nLeft >= 1 && args.nLeft < inputs.length)) {
    throw new TsdaskError(
      'INTERNAL',
      `a join task needs batches of both sides, got ${inputs.length} with nLeft ${args.nLeft}`,
    )
  }
  const dtypes = args.keyDTypes as readonly DType[]
  let left = joinSideBatch(inputs.slice(0, args.nLeft), 'left')
  let right = joinSideBatch(inputs.slice(args.nLeft), 'right')
  if (args.how === 'cross') return crossJoin(left, right, { suffix: args.suffix })
  if (args.coalesceKeys) {
    left = withColumnsAt(left, args.leftOn, dtypes)
    right = withColumnsAt(right, args.rightOn, dtypes)
  }
  const leftSchema = schemaOfBatch(left)
  const rightSchema = schemaOfBatch(right)
  const columns = joinOutputColumns(leftSchema, rightSchema, {
    how: args.how,
    suffix: args.suffix,
    ...(args.coalesceKeys && { coalesce: { left: args.leftOn, right: args.rightOn } }),
  })
  const indices = joinIndices(keysAt(left, args.leftOn, dtypes), keysAt(right, args.rightOn, dtypes), args.how, {
    build: args.build,
    keyNames: {
      left: args.leftOn.map((i) => leftSchema[i]!.name),
      right: args.rightOn.map((i) => rightSchema[i]!.name),
    },
  })
  return assembleJoin(left, right, indices, columns)
}

/** The key columns, each at its pair's matching dtype. */
function keysAt(batch: RecordBatch, keys: readonly number[], dtypes: readonly DType[]): Col[] {
  return keys.map((index, k) => {
    const col = readColumn(columnData(batch, index))
    return dtypeOfArrow(columnData(batch, index).type) === dtypes[k] ? col : castCol(col, dtypes[k]!)
  })
}

/** `batch` with its key columns cast to their pairs' dtypes (merged keys are output at that dtype). */
function withColumnsAt(batch: RecordBatch, keys: readonly number[], dtypes: readonly DType[]): RecordBatch {
  const columns = batch.data.children.slice()
  let changed = false
  keys.forEach((index, k) => {
    const data = columnData(batch, index)
    if (dtypeOfArrow(data.type) === dtypes[k]) return
    columns[index] = toData(castCol(readColumn(data), dtypes[k]!))
    changed = true
  })
  if (!changed) return batch
  return makeBatch(
    batch.schema.fields.map((f) => f.name),
    columns,
    batch.numRows,
  )
}
