/**
 * Buckets of rows by a hash of their key values. Two users:
 *
 * - the "split_out" of a group-by (Dask's `split_out`): with B buckets, a partial aggregate returns
 *   B parts, one per bucket (a multi-part task), and the combine tree runs once per bucket over
 *   that bucket's part of every partial, so the tail of the aggregation (the last combines, the
 *   final step, the sort by key) is B tasks that run side by side instead of one on one worker.
 *   The partial task (parallel, and already holding one row per group) pays for the hashing: it
 *   numbers its groups bucket-major before accumulating (inBucketOrder), so its state columns come
 *   out in bucket order with no reordering copy, and each part is a slice of that one state
 *   (bucketParts), again with no copy;
 * - a shuffle write (`hash-split`, partition-by-hash.ts): `rowBuckets` says which part each row
 *   goes to.
 *
 * The hash depends only on key values, never on how a column is stored, so a group lands in the
 * same bucket from every partition and every batch: a dictionary entry hashes as its text does in
 * a plain utf8 column (a null dictionary entry as a null), -0 as 0, every NaN alike, a null key as
 * a constant. Values of different dtypes are not made alike (int32 5 and int64 5 hash apart):
 * whoever matches two inputs' buckets gives their keys one dtype first.
 */
import type { RecordBatch } from 'apache-arrow'
import type { Col } from '../column.js'
import { type Grouping, mix } from './group-sink.js'
import { hashBytes } from './hash-utf8.js'

const NULL_HASH = 0x5bd1e995
const GOLDEN = 0x9e3779b1

const pair = (lo: number, hi: number): number => mix(lo ^ Math.imul(mix(hi), GOLDEN))

/** The hash of the word pair of each row in `rows`, from 32-bit words 2r (low) and 2r + 1 (high). */
function hashWordPairs(words: Int32Array, rows: Int32Array, out: Int32Array): void {
  for (let i = 0; i < rows.length; i++) out[i] = pair(words[2 * rows[i]!]!, words[2 * rows[i]! + 1]!)
}

/** A 32-bit hash of one key column at each row of `rows`. */
function hashColumn(col: Col, rows: Int32Array): Int32Array {
  const count = rows.length
  const out = new Int32Array(count)
  switch (col.kind) {
    case 'bool':
    case 'int32':
    case 'date32': {
      const v = col.values
      for (let i = 0; i < count; i++) out[i] = mix(v[rows[i]!]!)
      break
    }
    case 'int64':
    case 'timestamp[ms]':
      hashWordPairs(new Int32Array(col.values.buffer, col.values.byteOffset, 2 * col.length), rows, out)
      break
    case 'float64': {
      // By bit pattern, with -0 as 0 and every NaN as one value (as grouping does).
      const v = col.values
      const canon = new Float64Array(count)
      for (let i = 0; i < count; i++) {
        const x = v[rows[i]!]!
        canon[i] = x === 0 ? 0 : Number.isNaN(x) ? Number.NaN : x
      }
      const words = new Int32Array(canon.buffer)
      for (let i = 0; i < count; i++) out[i] = pair(words[2 * i]!, words[2 * i + 1]!)
      break
    }
    case 'utf8': {
      const { offsets, bytes } = col
      for (let i = 0; i < count; i++) out[i] = hashBytes(bytes, offsets[rows[i]!]!, offsets[rows[i]! + 1]!)
      break
    }
    case 'dict': {
      const { offsets, bytes } = col.dict
      const codes = col.codes
      for (let i = 0; i < count; i++) {
        const c = codes[rows[i]!]!
        out[i] = hashBytes(bytes, offsets[c]!, offsets[c + 1]!)
      }
      break
    }
  }
  const valid = col.valid
  if (valid !== null) for (let i = 0; i < count; i++) if (!valid[rows[i]!]) out[i] = NULL_HASH
  return out
}

/** Most buckets `rowBuckets` tells apart: it scales the top 16 bits of a row's hash. */
export const MAX_BUCKETS = 1 << 16

/**
 * The bucket (0 … buckets-1, at most MAX_BUCKETS) of each row of `rows`, from the key columns; with
 * no key columns every row is in bucket 0.
 *
 * @example
 * const bucketOf = rowBuckets([readColumn(columnData(batch, 0))], 4, Int32Array.of(0, 1, 2))
 */
export function rowBuckets(keys: readonly Col[], buckets: number, rows: Int32Array): Int32Array {
  let h: Int32Array | null = null
  for (const key of keys) {
    const hk = hashColumn(key, rows)
    if (h === null) h = hk
    else for (let i = 0; i < rows.length; i++) h[i] = mix(h[i]! ^ Math.imul(hk[i]!, GOLDEN))
  }
  const out = h ?? new Int32Array(rows.length)
  // The top 16 bits scaled to [0, buckets): no division in the loop.
  for (let i = 0; i < out.length; i++) out[i] = ((out[i]! >>> 16) * buckets) >>> 16
  return out
}

/** A grouping in bucket order, and where each bucket's groups are: ids starts[b] … starts[b + 1] - 1. */
export interface BucketedGrouping {
  readonly grouping: Grouping
  /** buckets + 1 entries; starts[buckets] is the number of used groups. */
  readonly starts: Int32Array
}

/**
 * `grouping` renumbered bucket-major: the groups of bucket 0 first, then bucket 1's, …, each
 * bucket's in their old order, and slots no row uses (firstRow -1) after every bucket. Accumulating
 * over these ids yields state columns already in bucket order, so a partial state needs no
 * reordering copy. A group's bucket comes from its key values at its first row. `rows` is the
 * batch's row count (ids can be longer: padded buffers).
 *
 * @example
 * const { grouping, starts } = inBucketOrder(groupRows(keys, n), keys, 2, n)
 */
export function inBucketOrder(
  grouping: Grouping,
  keys: readonly Col[],
  buckets: number,
  rows: number,
): BucketedGrouping {
  const { count, firstRow } = grouping
  let used = 0
  for (let g = 0; g < count; g++) if (firstRow[g]! >= 0) used++
  const starts = new Int32Array(buckets + 1)
  if (buckets === 1 || keys.length === 0) {
    // One bucket holds every group: no hashing, no renumbering (unused slots are dropped anyway).
    starts.fill(used, 1)
    return { grouping, starts }
  }
  const usedRows = new Int32Array(used)
  for (let g = 0, k = 0; g < count; g++) if (firstRow[g]! >= 0) usedRows[k++] = firstRow[g]!
  const bucket = rowBuckets(keys, buckets, usedRows)
  for (let k = 0; k < used; k++) starts[bucket[k]! + 1]!++
  for (let b = 0; b < buckets; b++) starts[b + 1]! += starts[b]!
  const next = starts.slice(0, buckets)
  const renumber = new Int32Array(count)
  let moved = false
  for (let g = 0, k = 0, tail = used; g < count; g++) {
    const r = firstRow[g]! >= 0 ? next[bucket[k++]!]!++ : tail++
    renumber[g] = r
    if (r !== g) moved = true
  }
  if (!moved) return { grouping, starts }
  // A dictionary key's codes can be the group ids themselves (hash.ts); never write into input data.
  const aliased = keys.some((k) => k.kind === 'dict' && k.codes === grouping.ids)
  const ids = aliased ? grouping.ids.slice() : grouping.ids
  for (let i = 0; i < rows; i++) ids[i] = renumber[ids[i]!]!
  const first = new Int32Array(count)
  for (let g = 0; g < count; g++) first[renumber[g]!] = firstRow[g]!
  return { grouping: { ids, count, firstRow: first }, starts }
}

/**
 * The parts of a state built over an `inBucketOrder` grouping (its rows are the used groups, in
 * bucket order): part b is bucket b's rows, as a slice that shares the state's buffers (no copy).
 *
 * @example
 * const [bucket0, bucket1] = bucketParts(state, starts)
 */
export function bucketParts(state: RecordBatch, starts: Int32Array): RecordBatch[] {
  const buckets = starts.length - 1
  return Array.from({ length: buckets }, (_, b) => {
    const start = starts[b]!
    const end = starts[b + 1]!
    return start === 0 && end === state.numRows ? state : state.slice(start, end)
  })
}
