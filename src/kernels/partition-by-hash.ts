/**
 * The shuffle write: one batch split into n batches by a hash of its key columns (the `hash-split`
 * op, a task with n parts). Every row lands in exactly one part; rows with equal key values land in
 * the same part whatever partition or batch they come from, because the part is a function of the
 * key values alone (`rowBuckets`, shared with the group-by's split_out): a dictionary-encoded
 * string hashes as its text does in a plain utf8 column, -0 as 0, every NaN alike, and a null key
 * as a constant, so every row whose keys are all null goes to one fixed part. Values of different
 * dtypes are not made alike (int32 5 and int64 5 may part ways): a caller that splits two inputs to
 * match their rows names the dtype to hash each key at (`keyDTypes`).
 *
 *   keys [0], 2 parts:   (a, 1) (b, 2) (a, 3) (null, 4)   →   part 0: (b, 2)      part 1: (a, 1) (a, 3) (null, 4)
 *
 * Rows keep their order within a part. Each part is a batch of its own (its own buffers; a
 * dictionary column keeps sharing its dictionary), so the scheduler frees each part as soon as its
 * reader has run; a part that gets every row is the input batch itself, with no copy.
 */
import type { RecordBatch } from 'apache-arrow'
import { columnData, dtypeOfArrow } from '../types/arrow-types.js'
import type { DType } from '../types/dtype.js'
import { TsdaskError } from '../util/errors.js'
import { castCol } from './cast.js'
import { readColumn } from './column.js'
import { MAX_BUCKETS, rowBuckets } from './group-by/buckets.js'
import { takeRows } from './take.js'

/**
 * @example
 * // rows of `batch` by a hash of column 0, into 4 batches
 * const [p0, p1, p2, p3] = partitionByHash(batch, [0], 4)
 */
export function partitionByHash(
  batch: RecordBatch,
  keyIndexes: readonly number[],
  parts: number,
  keyDTypes?: readonly DType[],
): RecordBatch[] {
  if (!(Number.isInteger(parts) && parts >= 1 && parts <= MAX_BUCKETS)) {
    throw new TsdaskError(
      'INTERNAL',
      `hash-split needs a whole number of parts from 1 to ${MAX_BUCKETS}, got ${parts}`,
      { parts },
    )
  }
  const n = batch.numRows
  const width = batch.schema.fields.length
  for (const k of keyIndexes) {
    if (!(Number.isInteger(k) && k >= 0 && k < width)) {
      throw new TsdaskError('INTERNAL', `hash-split key column ${k} is not a column of a ${width}-column batch`, {
        column: k,
      })
    }
  }
  if (parts === 1) return [batch]
  // A join's two sides hash their keys at the pair's common dtype, so int32 5 meets int64 5.
  const keys = keyIndexes.map((k, i) => {
    const data = columnData(batch, k)
    const to = keyDTypes?.[i]
    return to === undefined || dtypeOfArrow(data.type) === to ? readColumn(data) : castCol(readColumn(data), to)
  })
  const rows = new Int32Array(n)
  for (let i = 0; i < n; i++) rows[i] = i
  const partOf = rowBuckets(keys, parts, rows)
  // Counting sort of the row numbers by part, stable: each part's rows stay in input order.
  const starts = new Int32Array(parts + 1)
  for (let i = 0; i < n; i++) starts[partOf[i]! + 1]!++
  for (let p = 0; p < parts; p++) starts[p + 1]! += starts[p]!
  const next = starts.slice(0, parts)
  const order = rows
  for (let i = 0; i < n; i++) order[next[partOf[i]!]!++] = i
  return Array.from({ length: parts }, (_, p) => {
    const start = starts[p]!
    const end = starts[p + 1]!
    return end - start === n ? batch : takeRows(batch, order.subarray(start, end))
  })
}
