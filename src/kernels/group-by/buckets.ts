/**
 * Buckets of a grouped aggregate's states, by a hash of the key values: the "split_out" of a
 * group-by (Dask's `split_out`). With B buckets, each partial state comes out ordered by bucket
 * (bucket 0's groups first), and the combine tree runs once per bucket over that bucket's slice of
 * every state, so the tail of the aggregation (the last combines, the final step, the sort by key)
 * is B tasks that run side by side instead of one on one worker.
 *
 * The partial task (parallel, and already holding one row per group) pays for the hashing and the
 * reordering; a bucket's combine finds its slice of a state by binary search, hashing ~log2(rows)
 * rows, and reads it without a copy.
 *
 * The hash depends only on key values, never on how a column is stored, so a group lands in the
 * same bucket from every partition: a dictionary entry hashes as its text does in a plain utf8
 * column, -0 as 0, every NaN alike, a null key as a constant.
 */
import type { RecordBatch } from 'apache-arrow'
import { columnData } from '../../types/arrow-types.js'
import { type Col, readColumn } from '../column.js'
import { takeRows } from '../take.js'
import { mix } from './group-sink.js'
import { hashBytes } from './hash-utf8.js'

const NULL_HASH = 0x5bd1e995
const GOLDEN = 0x9e3779b1

const pair = (lo: number, hi: number): number => mix(lo ^ Math.imul(mix(hi), GOLDEN))

/** Row i's hash (out[i - start]) from 32-bit words 2i (low) and 2i + 1 (high). */
function hashWordPairs(words: Int32Array, start: number, out: Int32Array): void {
  for (let i = 0; i < out.length; i++) out[i] = pair(words[2 * (start + i)]!, words[2 * (start + i) + 1]!)
}

/** A 32-bit hash of each row in [start, start + count) of one key column. */
function hashColumn(col: Col, start: number, count: number): Int32Array {
  const out = new Int32Array(count)
  switch (col.kind) {
    case 'bool':
    case 'int32':
    case 'date32': {
      const v = col.values
      for (let i = 0; i < count; i++) out[i] = mix(v[start + i]!)
      break
    }
    case 'int64':
    case 'timestamp[ms]':
      hashWordPairs(new Int32Array(col.values.buffer, col.values.byteOffset, 2 * col.length), start, out)
      break
    case 'float64': {
      // By bit pattern, with -0 as 0 and every NaN as one value (as grouping does).
      const v = col.values
      const canon = new Float64Array(count)
      for (let i = 0; i < count; i++) {
        const x = v[start + i]!
        canon[i] = x === 0 ? 0 : Number.isNaN(x) ? Number.NaN : x
      }
      hashWordPairs(new Int32Array(canon.buffer), 0, out)
      break
    }
    case 'utf8': {
      const { offsets, bytes } = col
      for (let i = 0; i < count; i++) out[i] = hashBytes(bytes, offsets[start + i]!, offsets[start + i + 1]!)
      break
    }
    case 'dict': {
      const { offsets, bytes } = col.dict
      const codes = col.codes
      for (let i = 0; i < count; i++) {
        const c = codes[start + i]!
        out[i] = hashBytes(bytes, offsets[c]!, offsets[c + 1]!)
      }
      break
    }
  }
  const valid = col.valid
  if (valid !== null) for (let i = 0; i < count; i++) if (!valid[start + i]) out[i] = NULL_HASH
  return out
}

/** The bucket (0 … buckets-1) of each row in [start, start + count), from the key columns. */
function rowBuckets(keys: readonly Col[], buckets: number, start: number, count: number): Int32Array {
  let h: Int32Array | null = null
  for (const key of keys) {
    const hk = hashColumn(key, start, count)
    if (h === null) h = hk
    else for (let i = 0; i < count; i++) h[i] = mix(h[i]! ^ Math.imul(hk[i]!, GOLDEN))
  }
  const out = h ?? new Int32Array(count)
  // The top 16 bits scaled to [0, buckets): no division in the loop.
  for (let i = 0; i < count; i++) out[i] = ((out[i]! >>> 16) * buckets) >>> 16
  return out
}

const keyColumns = (state: RecordBatch, nKeys: number): Col[] =>
  Array.from({ length: nKeys }, (_, k) => readColumn(columnData(state, k)))

/**
 * The rows of a state batch (keys first, `nKeys` of them) reordered so that bucket 0's come first,
 * then bucket 1's, …; the order within a bucket is kept.
 *
 * @example
 * const ordered = orderByBucket(aggregatePartial(batch, [0], aggs), 1, 2)
 */
export function orderByBucket(state: RecordBatch, nKeys: number, buckets: number): RecordBatch {
  const n = state.numRows
  const bucket = rowBuckets(keyColumns(state, nKeys), buckets, 0, n)
  const starts = new Int32Array(buckets + 1)
  let ordered = true
  for (let i = 0; i < n; i++) {
    const b = bucket[i]!
    starts[b + 1]!++
    if (i > 0 && b < bucket[i - 1]!) ordered = false
  }
  if (ordered) return state
  for (let b = 0; b < buckets; b++) starts[b + 1]! += starts[b]!
  const rows = new Int32Array(n)
  for (let i = 0; i < n; i++) rows[starts[bucket[i]!]!++] = i
  return takeRows(state, rows)
}

/**
 * Bucket `bucket`'s rows of a state batch that `orderByBucket` ordered, as a slice (no copy).
 *
 * @example
 * const second = bucketSlice(ordered, 1, 1, 2)
 */
export function bucketSlice(state: RecordBatch, nKeys: number, bucket: number, buckets: number): RecordBatch {
  const keys = keyColumns(state, nKeys)
  const bucketAt = (row: number): number => rowBuckets(keys, buckets, row, 1)[0]!
  /** First row whose bucket is at least `b` (rows are in bucket order). */
  const firstFrom = (b: number): number => {
    let lo = 0
    let hi = state.numRows
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (bucketAt(mid) < b) lo = mid + 1
      else hi = mid
    }
    return lo
  }
  const start = bucket === 0 ? 0 : firstFrom(bucket)
  const end = bucket === buckets - 1 ? state.numRows : firstFrom(bucket + 1)
  return start === 0 && end === state.numRows ? state : state.slice(start, end)
}
