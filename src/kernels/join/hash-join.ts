/**
 * Joins of whole batches, the form a task runs: `hashJoin(left, right, args)` with JSON-safe
 * arguments (key column indexes, `how`, the build side), and `crossJoin` for small sides.
 *
 * Each side may arrive as several batches (a broadcast side is one batch per partition): they are
 * concatenated first (concat.ts; dictionary columns stay dictionaries where all parts are).
 */
import type { RecordBatch } from 'apache-arrow'
import { columnData, dtypeOfArrow } from '../../types/arrow-types.js'
import { joinOutputColumns } from '../../types/join-columns.js'
import { checkJoinHow, DEFAULT_CROSS_JOIN_MAX_ROWS, type JoinHow, type JoinSide } from '../../types/join-how.js'
import type { Schema } from '../../types/schema.js'
import { TsdaskError } from '../../util/errors.js'
import { type Col, readColumn } from '../column.js'
import { concatBatches } from '../concat.js'
import { assembleJoin } from './assemble.js'
import { crossJoinIndices } from './cross.js'
import { joinIndices } from './join-indices.js'

export interface HashJoinArgs {
  readonly how: JoinHow
  /** Key column indexes of the left input, paired in order with `rightOn`. */
  readonly leftOn: readonly number[]
  readonly rightOn: readonly number[]
  /** The side the hash table is built on (the smaller or broadcast side); default 'right'. */
  readonly build?: JoinSide
  /** Appended to right column names that clash with left ones; default `_right`. */
  readonly suffix?: string
  /** Output each key pair once, merged (USING / `on`); default false: all columns of both sides. */
  readonly coalesceKeys?: boolean
  /** Above this many output rows the join throws instead of allocating (default 2^28). */
  readonly maxRows?: number
}

export interface CrossJoinArgs {
  readonly suffix?: string
  /** Above this many output rows (left rows × right rows) it throws; default 10,000,000. */
  readonly maxRows?: number
}

export type JoinInput = RecordBatch | readonly RecordBatch[]

/** One batch for a join side; several are concatenated. */
export function joinSideBatch(input: JoinInput, side: JoinSide): RecordBatch {
  if (!Array.isArray(input)) return input as RecordBatch
  const batches = input as readonly RecordBatch[]
  if (batches.length === 0) {
    throw new TsdaskError(
      'INTERNAL',
      `the ${side} side of a join got no batch: an empty partition must still arrive as an empty batch with its columns`,
    )
  }
  return concatBatches(batches)
}

export function schemaOfBatch(batch: RecordBatch): Schema {
  return batch.schema.fields.map((f) => ({ name: f.name, dtype: dtypeOfArrow(f.type, `column '${f.name}'`) }))
}

function keyColumns(batch: RecordBatch, on: readonly number[], side: JoinSide): Col[] {
  return on.map((i) => {
    if (!Number.isInteger(i) || i < 0 || i >= batch.numCols) {
      const names = batch.schema.fields.map((f) => f.name).join(', ')
      throw new TsdaskError(
        'INVALID_ARGUMENT',
        `join key column index ${i} is out of range: the ${side} input has ${batch.numCols} column(s) [${names}]`,
      )
    }
    return readColumn(columnData(batch, i))
  })
}

/**
 * @example
 * // orders ⋈ customers on orders.customer_id = customers.id, the small customers side built
 * const out = hashJoin(orders, customers, { how: 'left', leftOn: [1], rightOn: [0], build: 'right' })
 */
export function hashJoin(left: JoinInput, right: JoinInput, args: HashJoinArgs): RecordBatch {
  const how = checkJoinHow(args.how)
  const l = joinSideBatch(left, 'left')
  const r = joinSideBatch(right, 'right')
  const leftSchema = schemaOfBatch(l)
  const rightSchema = schemaOfBatch(r)
  const leftKeys = keyColumns(l, args.leftOn, 'left')
  const rightKeys = keyColumns(r, args.rightOn, 'right')
  const keyNames = {
    left: args.leftOn.map((i) => leftSchema[i]!.name),
    right: args.rightOn.map((i) => rightSchema[i]!.name),
  }
  // Output names are checked before any work, so a clash fails fast.
  const columns = joinOutputColumns(leftSchema, rightSchema, {
    how,
    ...(args.suffix !== undefined && { suffix: args.suffix }),
    ...(args.coalesceKeys && { coalesce: { left: args.leftOn, right: args.rightOn } }),
  })
  const indices = joinIndices(leftKeys, rightKeys, how, {
    keyNames,
    ...(args.build !== undefined && { build: args.build }),
    ...(args.maxRows !== undefined && { maxRows: args.maxRows }),
  })
  return assembleJoin(l, r, indices, columns)
}

/**
 * Every left row beside every right row, left-major (see cross.ts).
 *
 * @example
 * const grid = crossJoin(sizes, colours, { maxRows: 1_000 })
 */
export function crossJoin(left: JoinInput, right: JoinInput, args: CrossJoinArgs = {}): RecordBatch {
  const l = joinSideBatch(left, 'left')
  const r = joinSideBatch(right, 'right')
  const columns = joinOutputColumns(schemaOfBatch(l), schemaOfBatch(r), {
    how: 'inner',
    ...(args.suffix !== undefined && { suffix: args.suffix }),
  })
  const indices = crossJoinIndices(l.numRows, r.numRows, args.maxRows ?? DEFAULT_CROSS_JOIN_MAX_ROWS)
  return assembleJoin(l, r, indices, columns)
}
